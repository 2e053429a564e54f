package web

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/i18n"
	"github.com/paulmach/orb"
)

// scope says where a query parameter applies.
type scope int

const (
	anyResource     scope = iota // every resource: the format
	everyCollection              // items and downloads of any collection
	incidentsOnly                // items, downloads, clusters, stats and pages of incidents
	pinned                       // all of those and each incident: the pin (as_of)
	mapView                      // the map's own state in its URL, beside the filters
)

type obj = map[string]any

// param is one query parameter: the one table that parsing, the OpenAPI
// document, the API page and the map's script all read. To add a filter, add
// a row here (and its field to geo.Filter and the store's where clause).
type param struct {
	name   string
	doc    string
	schema obj
	list   bool // a comma-separated list (OpenAPI style form, not exploded)
	scope  scope
	// parse reads v (the parameter's first value; lists read all of q's)
	// into f, returning the reason v is wrong, or "".
	parse func(f *geo.Filter, q url.Values, v string) string
}

// defaultLimit is how many items a page holds when the client does not say.
const defaultLimit = 1000

// formats are the values of f.
var formats = []string{"json", "geojson", "html"}

var params = []param{
	{name: "bbox", scope: everyCollection, list: true,
		doc:    "Only features whose box meets this one: minLon,minLat,maxLon,maxLat in WGS 84 (CRS84). A box with minLon > maxLon crosses the antimeridian.",
		schema: obj{"type": "array", "minItems": 4, "maxItems": 4, "items": obj{"type": "number"}},
		parse: func(f *geo.Filter, _ url.Values, v string) string {
			b, problem := parseBBox(v)
			if problem == "" {
				f.BBox = &b
			}
			return problem
		}},
	{name: "datetime", scope: incidentsOnly,
		doc:    "A date or RFC 3339 time, or an interval start/end with .. for an open end. An incident of week or month precision matches any day it may have happened on.",
		schema: obj{"type": "string"},
		parse: func(f *geo.Filter, _ url.Values, v string) string {
			var problem string
			f.From, f.To, problem = parseDatetime(v)
			return problem
		}},
	{name: "limit", scope: everyCollection,
		doc:    "How many features a page holds. Larger values are clamped to 10000.",
		schema: obj{"type": "integer", "minimum": 1, "maximum": geo.MaxLimit, "default": defaultLimit},
		parse: func(f *geo.Filter, _ url.Values, v string) string {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return "must be a whole number of at least 1, got " + strconv.Quote(v)
			}
			f.Limit = min(n, geo.MaxLimit) // large limits are clamped, not refused
			return ""
		}},
	{name: "offset", scope: everyCollection,
		doc:    "How many matching features to skip.",
		schema: obj{"type": "integer", "minimum": 0, "default": 0},
		parse: func(f *geo.Filter, _ url.Values, v string) string {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return "must be a whole number of at least 0, got " + strconv.Quote(v)
			}
			f.Offset = n
			return ""
		}},
	{name: "lang", scope: anyResource,
		doc:    "The language of pages, embeds and oEmbed snippets: en, fr or ar (default: the person's choice, else Accept-Language, else en). Data is served as written.",
		schema: obj{"type": "string", "enum": i18n.Codes()},
		parse: func(_ *geo.Filter, _ url.Values, v string) string {
			if _, ok := i18n.ByCode(v); !ok {
				return "must be one of " + strings.Join(i18n.Codes(), ", ") + ", got " + strconv.Quote(v)
			}
			return ""
		}},
	{name: "f", scope: anyResource,
		doc:    "The format: json (GeoJSON for features) or html.",
		schema: obj{"type": "string", "enum": formats},
		parse: func(_ *geo.Filter, _ url.Values, v string) string {
			if !slices.Contains(formats, v) {
				return "must be one of " + strings.Join(formats, ", ") + ", got " + strconv.Quote(v)
			}
			return ""
		}},
	{name: "event_type", scope: incidentsOnly, list: true,
		doc:    "Incidents: any of these ACLED event types, comma-separated.",
		schema: obj{"type": "array", "items": obj{"type": "string", "enum": geo.EventTypeNames()}},
		parse: func(f *geo.Filter, q url.Values, _ string) string {
			return eachItem(q, "event_type", func(t string) string {
				if _, ok := geo.LookupEventType(t); !ok {
					return "unknown event type " + strconv.Quote(t) + "; known: " + strings.Join(geo.EventTypeNames(), ", ")
				}
				f.EventTypes = append(f.EventTypes, t)
				return ""
			})
		}},
	{name: "sub_event_type", scope: incidentsOnly, list: true,
		doc:    "Incidents: any of these ACLED sub-event types, comma-separated.",
		schema: obj{"type": "array", "items": obj{"type": "string", "enum": geo.SubEventTypeNames()}},
		parse: func(f *geo.Filter, q url.Values, _ string) string {
			return eachItem(q, "sub_event_type", func(t string) string {
				if !slices.Contains(geo.SubEventTypeNames(), t) {
					return "unknown sub-event type " + strconv.Quote(t)
				}
				f.SubEventTypes = append(f.SubEventTypes, t)
				return ""
			})
		}},
	{name: "actor", scope: incidentsOnly,
		doc:    "Incidents: this text in any actor field, ignoring case.",
		schema: obj{"type": "string"},
		parse: func(f *geo.Filter, _ url.Values, v string) string {
			f.Actor = strings.TrimSpace(v)
			return ""
		}},
	{name: "country", scope: incidentsOnly, list: true,
		doc:    "Incidents: any of these ISO 3166-1 alpha-2 codes, comma-separated.",
		schema: obj{"type": "array", "items": obj{"type": "string", "pattern": countryPattern}},
		parse: func(f *geo.Filter, q url.Values, _ string) string {
			return eachItem(q, "country", func(c string) string {
				c = strings.ToUpper(c)
				if !countryCode.MatchString(c) {
					return "must be ISO 3166-1 alpha-2 codes such as TN, got " + strconv.Quote(c)
				}
				f.Countries = append(f.Countries, c)
				return ""
			})
		}},
	{name: "q", scope: incidentsOnly,
		doc:    "Incidents: this text in the title, summary, actors or place, ignoring case.",
		schema: obj{"type": "string"},
		parse: func(f *geo.Filter, _ url.Values, v string) string {
			f.Query = strings.TrimSpace(v)
			return ""
		}},
	{name: "min_fatalities", scope: incidentsOnly,
		doc:    "Incidents: at least this many reported fatalities (unknown counts never match).",
		schema: obj{"type": "integer", "minimum": 0},
		parse: func(f *geo.Filter, _ url.Values, v string) string {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return "must be a whole number of at least 0, got " + strconv.Quote(v)
			}
			f.MinFatalities = &n
			return ""
		}},
	nearParam("near_barrier_km", "the border barrier", func(f *geo.Filter, km *float64) { f.NearBarrierKm = km }),
	nearParam("near_border_km", "the border", func(f *geo.Filter, km *float64) { f.NearBorderKm = km }),
	nearParam("near_crossing_km", "a border crossing", func(f *geo.Filter, km *float64) { f.NearCrossingKm = km }),
	{name: "as_of", scope: pinned,
		doc:    "Incidents as they stood at this RFC 3339 time, before any later edit or deletion: a frozen view (also for one incident).",
		schema: obj{"type": "string", "format": "date-time"},
		parse: func(f *geo.Filter, _ url.Values, v string) string {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return "must be an RFC 3339 time such as 2016-03-02T12:00:00Z, got " + strconv.Quote(v)
			}
			f.AsOf = t.UTC()
			return ""
		}},
	{name: "sortby", scope: incidentsOnly,
		doc:    "Incidents: event_date (oldest first, the default) or -event_date (newest first).",
		schema: obj{"type": "string", "enum": []string{"event_date", "-event_date"}},
		parse: func(f *geo.Filter, _ url.Values, v string) string {
			switch v {
			case "event_date", "+event_date":
			case "-event_date":
				f.Newest = true
			default:
				return "must be event_date or -event_date, got " + strconv.Quote(v)
			}
			return ""
		}},
	// The map's view: not filters, so the API ignores them; pages keep them.
	{name: "view", scope: mapView, doc: "The map's zoom/lat/lon."},
	{name: "layers", scope: mapView, doc: "The context layers shown, comma-separated."},
	{name: "incident", scope: mapView, doc: "The incident whose popup is open."},
	{name: "legend", scope: mapView, doc: "The legend open or folded: `open` or `folded` (by default open on wide screens).",
		parse: func(_ *geo.Filter, _ url.Values, v string) string {
			if v != "open" && v != "folded" {
				return fmt.Sprintf("legend must be open or folded, not %q", v)
			}
			return ""
		}},
	{name: "title", scope: mapView, doc: "An embed's heading."},
	{name: "caption", scope: mapView, doc: "An embed's caption."},
}

// countryPattern is an ISO 3166-1 alpha-2 code in either case; the server
// upper-cases it, and the map's form checks it with the same pattern.
const countryPattern = "^[A-Za-z]{2}$"

var countryCode = regexp.MustCompile("^[A-Z]{2}$")

// paramNames lists the names of the parameters of the given scopes, in the
// table's order.
func paramNames(scopes ...scope) []string {
	var out []string
	for _, p := range params {
		if slices.Contains(scopes, p.scope) {
			out = append(out, p.name)
		}
	}
	return out
}

// filterParams are the parameters the map hands to the API: every filter,
// bbox among them, but not the paging or the format.
func filterParams() []string {
	out := []string{"bbox"}
	return append(out, paramNames(incidentsOnly, pinned)...)
}

// parseFilter reads a geo.Filter from query parameters of the given scopes
// (and the names in extra, which the caller reads itself), refusing unknown
// parameters and bad values with a problem that names them.
func parseFilter(q url.Values, scopes []scope, extra ...string) (geo.Filter, error) {
	var f geo.Filter
	var bad []geo.Problem
	known := append(paramNames(scopes...), extra...)
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(known, k) {
			reason := "unknown parameter; known: " + strings.Join(known, ", ")
			if slices.Contains(paramNames(incidentsOnly, pinned), k) {
				reason = "applies to incidents only"
			}
			bad = append(bad, geo.Problem{Field: k, Reason: reason})
		}
	}
	for _, p := range params {
		if p.parse == nil || !slices.Contains(scopes, p.scope) || strings.Join(q[p.name], "") == "" {
			continue
		}
		if len(q[p.name]) > 1 && !p.list {
			bad = append(bad, geo.Problem{Field: p.name, Reason: fmt.Sprintf("given %d times; give it once", len(q[p.name]))})
			continue
		}
		if problem := p.parse(&f, q, q.Get(p.name)); problem != "" {
			bad = append(bad, geo.Problem{Field: p.name, Reason: problem})
		}
	}
	if len(bad) > 0 {
		return f, &geo.Error{Kind: geo.EInvalid, Message: "invalid query parameters", Problems: bad}
	}
	return f, nil
}

// Scopes of the routes: what each accepts.
var (
	resourceScopes = []scope{anyResource}
	layerScopes    = []scope{anyResource, everyCollection}
	incidentScopes = []scope{anyResource, everyCollection, incidentsOnly, pinned}
	pageScopes     = []scope{anyResource, everyCollection, incidentsOnly, pinned, mapView}
	pinScopes      = []scope{anyResource, pinned} // one incident
)

// checkFormatOnly refuses any parameter but f, as every route that takes
// no filter does.
func checkFormatOnly(c interface{ QueryParams() url.Values }) error {
	_, err := parseFilter(c.QueryParams(), resourceScopes)
	return err
}

// scopesOf is where a collection's parameters come from.
func scopesOf(collection string) []scope {
	if geo.IsIncidents(collection) {
		return incidentScopes
	}
	return layerScopes
}

// eachItem reads a parameter given as a comma-separated list, or repeated,
// and hands each item to fn, returning the first problem.
func eachItem(q url.Values, name string, fn func(string) string) string {
	for _, v := range q[name] {
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				if problem := fn(item); problem != "" {
					return problem
				}
			}
		}
	}
	return ""
}

// parseBBox reads "minLon,minLat,maxLon,maxLat"; minLon > maxLon means the
// box crosses the antimeridian.
func parseBBox(v string) (orb.Bound, string) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return orb.Bound{}, "must be 4 comma-separated numbers: minLon,minLat,maxLon,maxLat"
	}
	var n [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return orb.Bound{}, "must be 4 comma-separated finite numbers, got " + strconv.Quote(p)
		}
		n[i] = x
	}
	switch {
	case n[0] < -180 || n[0] > 180 || n[2] < -180 || n[2] > 180:
		return orb.Bound{}, "longitudes must be within [-180, 180]"
	case n[1] < -90 || n[1] > 90 || n[3] < -90 || n[3] > 90:
		return orb.Bound{}, "latitudes must be within [-90, 90]"
	case n[1] > n[3]:
		return orb.Bound{}, "minLat must not be greater than maxLat"
	}
	return orb.Bound{Min: orb.Point{n[0], n[1]}, Max: orb.Point{n[2], n[3]}}, ""
}

// parseDatetime reads an instant or an interval (RFC 3339 or dates; ".."
// or empty for an open end) into an inclusive date range.
func parseDatetime(v string) (from, to time.Time, problem string) {
	parse := func(s string) (time.Time, bool) {
		if s == "" || s == ".." {
			return time.Time{}, true
		}
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC(), true
		}
		// Dates, and the forms some clients send: GDAL writes a date as
		// "2016-02-01T", others leave the zone off (taken as UTC).
		for _, layout := range []string{geo.DateLayout, "2006-01-02T", "2006-01-02T15:04:05", "2006-01-02T15:04"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t, true
			}
		}
		return time.Time{}, false
	}
	a, b, interval := strings.Cut(v, "/")
	from, ok1 := parse(a)
	if !interval {
		if !ok1 || a == ".." {
			return from, to, "must be a date, an RFC 3339 time or an interval start/end, got " + strconv.Quote(v)
		}
		return from, from, ""
	}
	to, ok2 := parse(b)
	if !ok1 || !ok2 {
		return from, to, "must be an interval of dates or RFC 3339 times, with .. for an open end, got " + strconv.Quote(v)
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return from, to, "the interval ends before it starts"
	}
	return from, to, ""
}

// nearParam is a "within N km of" filter; set stores the distance.
func nearParam(name, what string, set func(*geo.Filter, *float64)) param {
	return param{name: name, scope: incidentsOnly,
		doc:    "Incidents: within this many km of " + what + ".",
		schema: obj{"type": "number", "minimum": 0},
		parse: func(f *geo.Filter, _ url.Values, v string) string {
			km, err := strconv.ParseFloat(v, 64)
			if err != nil || km < 0 || math.IsNaN(km) || math.IsInf(km, 0) {
				return "must be a distance in km of at least 0, got " + strconv.Quote(v)
			}
			set(f, &km)
			return ""
		}}
}
