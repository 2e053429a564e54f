package web

import (
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

// Query parameters: the ones every collection takes, and the ones that
// select incidents by their fields. One list, so the API, its OpenAPI
// document, downloads and the map all mean the same by them.
var (
	commonParams   = []string{"bbox", "limit", "offset", "f"}
	incidentParams = []string{"datetime", "event_type", "sub_event_type", "actor", "country", "q", "min_fatalities", "near_barrier_km", "as_of", "sortby"}
	// viewParams are the map's own state in its URL, beside the filters.
	viewParams = []string{"view", "layers", "incident", "title", "caption"}
)

// parseFilter reads a geo.Filter from query parameters, refusing unknown
// parameters and bad values with a problem that names them. incidents says
// whether the incident parameters apply.
func parseFilter(q url.Values, incidents bool, extra ...string) (geo.Filter, error) {
	var f geo.Filter
	var bad []geo.Problem
	add := func(param, reason string) { bad = append(bad, geo.Problem{Field: param, Reason: reason}) }
	known := append(slices.Clone(commonParams), extra...)
	if incidents {
		known = append(known, incidentParams...)
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(known, k) {
			reason := "unknown parameter; known: " + strings.Join(known, ", ")
			if slices.Contains(incidentParams, k) {
				reason = "applies to incidents only"
			}
			add(k, reason)
		}
	}
	if v := q.Get("bbox"); v != "" {
		b, err := parseBBox(v)
		if err != "" {
			add("bbox", err)
		} else {
			f.BBox = &b
		}
	}
	if v := q.Get("datetime"); v != "" {
		from, to, err := parseDatetime(v)
		if err != "" {
			add("datetime", err)
		}
		f.From, f.To = from, to
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			add("limit", "must be a whole number of at least 1, got "+strconv.Quote(v))
		}
		f.Limit = min(n, geo.MaxLimit) // large limits are clamped, not refused
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			add("offset", "must be a whole number of at least 0, got "+strconv.Quote(v))
		}
		f.Offset = n
	}
	for _, t := range list(q, "event_type") {
		if _, ok := geo.LookupEventType(t); !ok {
			add("event_type", "unknown event type "+strconv.Quote(t)+"; known: "+strings.Join(geo.EventTypeNames(), ", "))
			continue
		}
		f.EventTypes = append(f.EventTypes, t)
	}
	for _, t := range list(q, "sub_event_type") {
		if !slices.Contains(geo.SubEventTypeNames(), t) {
			add("sub_event_type", "unknown sub-event type "+strconv.Quote(t))
			continue
		}
		f.SubEventTypes = append(f.SubEventTypes, t)
	}
	for _, c := range list(q, "country") {
		c = strings.ToUpper(c)
		if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			add("country", "must be ISO 3166-1 alpha-2 codes such as TN, got "+strconv.Quote(c))
			continue
		}
		f.Countries = append(f.Countries, c)
	}
	f.Actor = strings.TrimSpace(q.Get("actor"))
	f.Query = strings.TrimSpace(q.Get("q"))
	if v := q.Get("min_fatalities"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			add("min_fatalities", "must be a whole number of at least 0, got "+strconv.Quote(v))
		}
		f.MinFatalities = &n
	}
	if v := q.Get("near_barrier_km"); v != "" {
		km, err := strconv.ParseFloat(v, 64)
		if err != nil || km < 0 || math.IsNaN(km) || math.IsInf(km, 0) {
			add("near_barrier_km", "must be a distance in km of at least 0, got "+strconv.Quote(v))
		}
		f.NearBarrierKm = &km
	}
	switch v := q.Get("sortby"); v {
	case "", "event_date", "+event_date":
	case "-event_date":
		f.Newest = true
	default:
		add("sortby", "must be event_date or -event_date, got "+strconv.Quote(v))
	}
	if v := q.Get("as_of"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			add("as_of", "must be an RFC 3339 time such as 2016-03-02T12:00:00Z, got "+strconv.Quote(v))
		}
		f.AsOf = t.UTC()
	}
	if v := q.Get("f"); v != "" && !slices.Contains(formats, v) {
		add("f", "must be one of "+strings.Join(formats, ", ")+", got "+strconv.Quote(v))
	}
	if len(bad) > 0 {
		return f, &geo.Error{Kind: geo.EInvalid, Message: "invalid query parameters", Problems: bad}
	}
	return f, nil
}

// formats are the values of f.
var formats = []string{"json", "geojson", "html"}

// list reads a parameter given as a comma-separated list, or repeated.
func list(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
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
		if err != nil {
			return orb.Bound{}, "must be 4 comma-separated numbers, got " + strconv.Quote(p)
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
