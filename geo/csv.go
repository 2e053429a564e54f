package geo

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
)

// ACLEDHeader is ACLED's export layout, its 31 columns in its order (ACLED
// codebook).
var ACLEDHeader = []string{
	"event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
	"actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
	"iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
	"geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
}

// ACLEDColumns are ACLED's columns that Borderwatch keeps as they came
// (Incident.ACLED) rather than models: actor codes, civilian targeting,
// region, lower admin levels, source scale, and ACLED's own timestamp.
var ACLEDColumns = []string{"inter1", "inter2", "interaction", "civilian_targeting", "region", "admin2", "admin3", "source_scale", "timestamp"}

// CSVHeader is the incident CSV layout: ACLED's columns in ACLED's order,
// then Borderwatch's own. An empty fatalities or injuries cell means
// unknown.
var CSVHeader = append(slices.Clip(ACLEDHeader),
	"id", "title", "injuries", "country_code", "sources_json", "disagreements_json", "coding_notes",
	"geometry_wkt", "border_km", "barrier_km", "crossing_km", "created_at", "updated_at")

// dateLayouts are the forms of event_date imports accept: ISO 8601 (ACLED's
// codebook and API) and ACLED's export tool ("07 March 2016").
var dateLayouts = []string{DateLayout, "02 January 2006", "2 January 2006", "02 Jan 2006", "2 Jan 2006"}

// ParseEventDate reads an event date in any of the forms ACLED writes,
// returning the reason it cannot.
func ParseEventDate(v string) (time.Time, string) {
	for _, layout := range dateLayouts {
		if d, err := time.Parse(layout, strings.TrimSpace(v)); err == nil {
			return d, ""
		}
	}
	return time.Time{}, fmt.Sprintf("must be a real date as YYYY-MM-DD or as ACLED's export writes it (07 March 2016), got %q", v)
}

// SafeCell neutralises a CSV cell that a spreadsheet would run as a
// formula (OWASP's advice against CSV injection): text starting with =, +,
// -, @, a tab or a carriage return gets a leading apostrophe, which
// spreadsheets show as text and DecodeIncidentsCSV takes off again.
// Numbers, negative ones included, are left as they are.
func SafeCell(v string) string {
	if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return v
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	return "'" + v
}

// unsafeCell undoes SafeCell.
func unsafeCell(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(v[1])) {
		return v[1:]
	}
	return v
}

// CSVRecord returns inc as one CSV row in CSVHeader's order, each cell
// neutralised with SafeCell.
func CSVRecord(inc Incident) []string {
	rec := csvRecord(inc)
	for i, v := range rec {
		rec[i] = SafeCell(v)
	}
	return rec
}

func csvRecord(inc Incident) []string {
	country, iso, prefix := inc.Country, "", inc.Country
	if c, ok := countryByAlpha2(inc.Country); ok {
		country, iso, prefix = c.Name, strconv.Itoa(c.Numeric), c.Alpha3
	}
	p := RepresentativePoint(inc.Geometry)
	publishers := make([]string, len(inc.Sources))
	for i, s := range inc.Sources {
		publishers[i] = s.Publisher
	}
	sources, _ := json.Marshal(inc.Sources)
	disagreements := ""
	if len(inc.Disagreements) > 0 {
		b, _ := json.Marshal(inc.Disagreements)
		disagreements = string(b)
	}
	geomWKT := ""
	if _, ok := inc.Geometry.(orb.Point); !ok {
		geomWKT = wkt.MarshalString(RoundGeometry(inc.Geometry))
	}
	acled := func(col string) string { return inc.ACLED[col] }
	timestamp := acled("timestamp") // ACLED's, for a record from ACLED
	if timestamp == "" && !inc.UpdatedAt.IsZero() {
		timestamp = strconv.FormatInt(inc.UpdatedAt.Unix(), 10)
	}
	eventID := inc.ExternalID
	if eventID == "" {
		eventID = prefix + strconv.FormatInt(inc.ID, 10)
	}
	return []string{
		eventID, inc.EventDate.Format(DateLayout), strconv.Itoa(inc.EventDate.Year()),
		strconv.Itoa(inc.TimePrecision), inc.DisorderType, inc.EventType, inc.SubEventType,
		inc.Actor1, inc.AssocActor1, acled("inter1"), inc.Actor2, inc.AssocActor2, acled("inter2"), acled("interaction"),
		acled("civilian_targeting"), iso, acled("region"), country, inc.Admin1, acled("admin2"), acled("admin3"), inc.Location,
		coord(p[1]), coord(p[0]), strconv.Itoa(inc.GeoPrecision), strings.Join(publishers, "; "), acled("source_scale"),
		inc.Summary, optInt(inc.Fatalities), strings.Join(inc.Tags, "; "), timestamp,
		strconv.FormatInt(inc.ID, 10), inc.Title, optInt(inc.Injuries), inc.Country, string(sources), disagreements,
		inc.Notes, geomWKT, optFloat(inc.BorderKm), optFloat(inc.BarrierKm), optFloat(inc.CrossingKm), stamp(inc.CreatedAt), stamp(inc.UpdatedAt),
	}
}

func coord(x float64) string {
	return strconv.FormatFloat(math.Round(x*CoordFactor)/CoordFactor, 'f', -1, 64)
}

func optInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func optFloat(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(math.Round(*x*10)/10, 'f', -1, 64)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// DecodeIncidentsCSV reads incidents from CSV in the layout of CSVHeader, or
// from ACLED's own export (which lacks titles and source URLs: titles are
// made from the sub-event type and place, sources from publisher names).
// Like DecodeIncidents, it returns every bad row, by 0-based data row index.
func DecodeIncidentsCSV(r io.Reader) ([]Incident, []FeatureError, error) {
	return collect(ReadIncidentsCSV, r)
}

// ReadIncidentsCSV reads incidents from CSV as DecodeIncidentsCSV does, one
// row at a time, calling fn for every row as ReadIncidents does for every
// feature.
func ReadIncidentsCSV(r io.Reader, fn func(Incident, *FeatureError) error) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return Errorf(EInvalid, "not CSV with a header row: %v", err)
	}
	header = slices.Clone(header)
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"event_date", "event_type", "sub_event_type", "actor1"} {
		if _, ok := col[need]; !ok {
			return Errorf(EInvalid, "the CSV has no %s column", need)
		}
	}
	_, hasLat := col["latitude"]
	_, hasWKT := col["geometry_wkt"]
	if !hasLat && !hasWKT {
		return Errorf(EInvalid, "the CSV has neither latitude/longitude nor geometry_wkt columns")
	}
	var seen duplicates
	row := 0
	for ; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Errorf(EInvalid, "malformed CSV at data row %d: %v", row, err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(unsafeCell(rec[i]))
			}
			return ""
		}
		var inc Incident
		if i := slices.IndexFunc(rec, func(v string) bool { return !utf8.ValidString(v) }); i >= 0 {
			err = Errorf(EInvalid, "column %d (%s) is not valid UTF-8: save the file as UTF-8", i+1, columnName(header, i))
		} else {
			inc, err = incidentFromCSV(get)
		}
		if err == nil {
			err = seen.check(inc, row, "row")
		}
		if err != nil {
			err = fn(Incident{}, &FeatureError{Index: row, Err: err})
		} else {
			err = fn(inc, nil)
		}
		if err != nil {
			return err
		}
	}
	if row == 0 {
		return Errorf(EInvalid, "the CSV has no data rows")
	}
	return nil
}

func columnName(header []string, i int) string {
	if i < len(header) && utf8.ValidString(header[i]) {
		return strconv.Quote(header[i])
	}
	return "unnamed"
}

func incidentFromCSV(get func(string) string) (Incident, error) {
	var inc Incident
	var ps problems
	intField := func(name string, def int) int {
		v := get(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			ps.add(name, "must be a whole number, got %q", v)
		}
		return n
	}
	optIntField := func(name string) *int {
		if get(name) == "" {
			return nil
		}
		n := intField(name, 0)
		return &n
	}
	if v := get("id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			ps.add("id", "must be a positive integer, got %q", v)
		}
		inc.ID = id
	}
	if d, problem := ParseEventDate(get("event_date")); problem == "" {
		inc.EventDate = d
	} else if v := get("event_date"); v != "" {
		ps.add("event_date", "%s", problem)
	}
	// event_id_cnty is the source dataset's id, unless it is the one this
	// layout makes from the id column (a Borderwatch export read back).
	if v := get("event_id_cnty"); v != "" && !(inc.ID != 0 && isOwnEventID(v, inc.ID)) {
		inc.ExternalID = v
	}
	for _, col := range ACLEDColumns {
		// ACLED's timestamp is ACLED's only for a record from ACLED; on a
		// record of ours it is when we last changed it.
		if v := get(col); v != "" && (col != "timestamp" || inc.ExternalID != "") {
			if inc.ACLED == nil {
				inc.ACLED = map[string]string{}
			}
			inc.ACLED[col] = v
		}
	}
	inc.TimePrecision = intField("time_precision", TimeDay)
	inc.GeoPrecision = intField("geo_precision", GeoExact)
	inc.EventType, inc.SubEventType, inc.DisorderType = get("event_type"), get("sub_event_type"), get("disorder_type")
	if inc.DisorderType == "" {
		if et, ok := LookupEventType(inc.EventType); ok {
			inc.DisorderType = et.Disorder[0]
		}
	}
	inc.Actor1, inc.AssocActor1, inc.Actor2, inc.AssocActor2 = get("actor1"), get("assoc_actor_1"), get("actor2"), get("assoc_actor_2")
	inc.Location, inc.Admin1 = get("location"), get("admin1")
	inc.Summary, inc.Notes = get("notes"), get("coding_notes")
	inc.Fatalities, inc.Injuries = optIntField("fatalities"), optIntField("injuries")
	inc.Country = strings.ToUpper(get("country_code"))
	if inc.Country == "" {
		if c, ok := countryByName(get("country")); ok {
			inc.Country = c.Alpha2
		} else {
			inc.Country = get("country")
		}
	}
	inc.Title = get("title")
	if inc.Title == "" && inc.SubEventType != "" {
		inc.Title = inc.SubEventType
		if inc.Location != "" {
			inc.Title += " in " + inc.Location
		}
	}
	if w := get("geometry_wkt"); w != "" {
		g, err := wkt.Unmarshal(w)
		if err != nil {
			ps.add("geometry_wkt", "is not WKT: %v", err)
		}
		inc.Geometry = g
	} else {
		lat, err1 := strconv.ParseFloat(get("latitude"), 64)
		lon, err2 := strconv.ParseFloat(get("longitude"), 64)
		if err1 != nil || err2 != nil {
			ps.add("latitude/longitude", "must be numbers, got %q and %q", get("latitude"), get("longitude"))
		} else {
			inc.Geometry = orb.Point{lon, lat}
		}
	}
	if v := get("sources_json"); v != "" {
		if err := json.Unmarshal([]byte(v), &inc.Sources); err != nil {
			ps.add("sources_json", "is not a JSON list of sources: %v", err)
		}
	} else {
		for _, pub := range strings.Split(get("source"), ";") {
			if pub = strings.TrimSpace(pub); pub != "" {
				inc.Sources = append(inc.Sources, Source{Publisher: pub})
			}
		}
	}
	if v := get("disagreements_json"); v != "" {
		if err := json.Unmarshal([]byte(v), &inc.Disagreements); err != nil {
			ps.add("disagreements_json", "is not a JSON list: %v", err)
		}
	}
	for _, t := range strings.Split(get("tags"), ";") {
		if t = strings.TrimSpace(t); t != "" {
			inc.Tags = append(inc.Tags, t)
		}
	}
	if len(ps) == 0 {
		if err := inc.Validate(); err != nil {
			return Incident{}, err
		}
	}
	if err := ps.err("invalid incident"); err != nil {
		return Incident{}, err
	}
	return inc, nil
}

// isOwnEventID reports whether v is the event_id_cnty a Borderwatch export
// writes for id: a country prefix (alpha-3 or alpha-2) and the id.
func isOwnEventID(v string, id int64) bool {
	prefix := strings.TrimSuffix(v, strconv.FormatInt(id, 10))
	if len(prefix) < 2 || len(prefix) > 3 {
		return false
	}
	for _, r := range prefix {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
