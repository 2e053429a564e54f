package geo

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Time precision codes (ACLED): how exactly EventDate is known.
const (
	TimeDay   = 1 // the event happened on EventDate
	TimeWeek  = 2 // within the seven days ending on EventDate
	TimeMonth = 3 // within the calendar month of EventDate
)

// Geo precision codes (ACLED): how exactly Geometry places the event.
const (
	GeoExact  = 1 // the town or site itself
	GeoNear   = 2 // near a town, or part of a region
	GeoRegion = 3 // a region or the country
)

// DateLayout is how dates are written everywhere: ISO 8601 calendar dates.
const DateLayout = "2006-01-02"

// Incident is one reported event: what happened, when, where, who was
// involved and who reported it.
type Incident struct {
	ID int64
	// ExternalID is the id the record has in the dataset it came from
	// (ACLED's event_id_cnty, e.g. TUN9001): a re-import of that dataset
	// updates the incident with it rather than adding another.
	ExternalID string
	// ACLED holds ACLED's columns Borderwatch does not model (ACLEDColumns),
	// as they came, so that an ACLED file exports as it was imported.
	ACLED         map[string]string
	Title         string
	Summary       string
	EventDate     time.Time // a calendar date, at midnight UTC
	TimePrecision int
	DisorderType  string
	EventType     string
	SubEventType  string
	Actor1        string
	AssocActor1   string
	Actor2        string
	AssocActor2   string
	Fatalities    *int // nil: unknown, which is not zero
	Injuries      *int // nil: unknown
	Location      string
	Admin1        string
	Country       string // ISO 3166-1 alpha-2
	Geometry      orb.Geometry
	GeoPrecision  int
	Sources       []Source
	Disagreements []Disagreement
	Tags          []string
	Notes         string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// Distances in km to the border, the barrier and the nearest crossing,
	// computed by the store from the context layers; nil when unknown.
	BorderKm, BarrierKm, CrossingKm *float64
}

// Source is one report an incident rests on.
type Source struct {
	Publisher string `json:"publisher"`
	Title     string `json:"title,omitempty"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published,omitempty"` // YYYY-MM-DD, or empty when unknown
	Note      string `json:"note,omitempty"`
	// Supports names the incident's fields this source states (SourcedFields),
	// so every date, place, actor and count can be traced to a report.
	Supports []string `json:"supports,omitempty"`
}

// SourcedFields are the fields whose values a source can state: the facts
// of an incident, as opposed to its coding.
var SourcedFields = []string{"event_date", "location", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "fatalities", "injuries", "summary"}

// Unsupported lists the facts inc states that none of its sources is
// marked as stating: its date, place and actor1 always, the other actors
// when named, the counts when known (but for the 0 fatalities ACLED codes
// for every strategic development, which no report states, and for actors
// named "Unidentified …", which say that no report names them).
func (inc Incident) Unsupported() []string {
	need := []string{"event_date", "location"}
	if !strings.HasPrefix(inc.Actor1, "Unidentified") {
		need = append(need, "actor1")
	}
	for _, f := range []struct {
		name string
		set  bool
	}{{"assoc_actor_1", inc.AssocActor1 != ""}, {"actor2", inc.Actor2 != ""}, {"assoc_actor_2", inc.AssocActor2 != ""},
		{"fatalities", inc.Fatalities != nil && !(*inc.Fatalities == 0 && inc.DisorderType == DisorderStrategic)},
		{"injuries", inc.Injuries != nil}} {
		if f.set {
			need = append(need, f.name)
		}
	}
	var missing []string
	for _, n := range need {
		if !slices.ContainsFunc(inc.Sources, func(s Source) bool { return slices.Contains(s.Supports, n) }) {
			missing = append(missing, n)
		}
	}
	return missing
}

// Disagreement records where sources differ about a field, so the map can say so.
type Disagreement struct {
	Field string `json:"field"`
	Note  string `json:"note"`
}

// DateRange returns the first and last day the event may have happened on,
// following its time precision.
func (inc Incident) DateRange() (first, last time.Time) {
	d := inc.EventDate
	switch inc.TimePrecision {
	case TimeWeek:
		return d.AddDate(0, 0, -6), d
	case TimeMonth:
		first = time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		return first, first.AddDate(0, 1, -1)
	default:
		return d, d
	}
}

// DateLabel describes the event date at its precision, e.g. "2016-02-14 to
// 2016-02-20 (within a week)".
func (inc Incident) DateLabel() string {
	first, last := inc.DateRange()
	switch inc.TimePrecision {
	case TimeWeek:
		return first.Format(DateLayout) + " to " + last.Format(DateLayout) + " (within a week)"
	case TimeMonth:
		return first.Format("January 2006") + " (month known, day not)"
	default:
		return inc.EventDate.Format(DateLayout)
	}
}

// PlaceLabel names where the event was, e.g. "Ben Guerdane, Medenine (TN)".
func (inc Incident) PlaceLabel() string {
	s := inc.Location
	if inc.Admin1 != "" {
		if s != "" {
			s += ", "
		}
		s += inc.Admin1
	}
	return s + " (" + inc.Country + ")"
}

// TimePrecisionLabel names a time precision code.
func TimePrecisionLabel(p int) string {
	switch p {
	case TimeDay:
		return "day"
	case TimeWeek:
		return "week"
	case TimeMonth:
		return "month"
	}
	return "unknown"
}

// GeoPrecisionLabel names a geo precision code.
func GeoPrecisionLabel(p int) string {
	switch p {
	case GeoExact:
		return "the place itself"
	case GeoNear:
		return "near the place"
	case GeoRegion:
		return "region or country"
	}
	return "unknown"
}

// FirstEventDate is the earliest event date accepted: earlier ones are
// typing errors, not events this map is for.
var FirstEventDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// Today is the current UTC date; an event cannot have happened after it
// (a day's grace for time zones). Tests may replace it.
var Today = func() time.Time { return time.Now().UTC().Truncate(24 * time.Hour) }

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

var externalID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$`)

// Validate reports every problem with inc at once, as an *Error of kind
// EInvalid, or nil when inc can be stored.
func (inc Incident) Validate() error {
	var ps problems
	if strings.TrimSpace(inc.Title) == "" {
		ps.add("title", "must not be empty")
	}
	if inc.EventDate.IsZero() {
		ps.add("event_date", "must be a date (YYYY-MM-DD)")
	} else if inc.EventDate.Before(FirstEventDate) || inc.EventDate.After(Today().AddDate(0, 0, 1)) {
		ps.add("event_date", "must be from %s to today, got %s", FirstEventDate.Format(DateLayout), inc.EventDate.Format(DateLayout))
	}
	if inc.ExternalID != "" && !externalID.MatchString(inc.ExternalID) {
		ps.add("event_id_cnty", "must be up to 64 letters, digits and _ . : - (such as TUN9001), got %q", inc.ExternalID)
	}
	for k := range inc.ACLED {
		if !slices.Contains(ACLEDColumns, k) {
			ps.add("acled", "unknown ACLED column %q; kept: %s", k, strings.Join(ACLEDColumns, ", "))
		}
	}
	if inc.ID < 0 || inc.ID > MaxID {
		ps.add("id", "must be a whole number from 1 to %d, got %d", int64(MaxID), inc.ID)
	}
	if inc.TimePrecision < TimeDay || inc.TimePrecision > TimeMonth {
		ps.add("time_precision", "must be 1 (day), 2 (week) or 3 (month), got %d", inc.TimePrecision)
	}
	if inc.GeoPrecision < GeoExact || inc.GeoPrecision > GeoRegion {
		ps.add("geo_precision", "must be 1 (place), 2 (near place) or 3 (region), got %d", inc.GeoPrecision)
	}
	if et, ok := LookupEventType(inc.EventType); !ok {
		ps.add("event_type", "unknown event type %q; known: %s", inc.EventType, strings.Join(EventTypeNames(), ", "))
	} else {
		if !et.HasSubEvent(inc.SubEventType) {
			ps.add("sub_event_type", "%q is not a sub-event type of %q; known: %s", inc.SubEventType, et.Name, strings.Join(et.SubEvents, ", "))
		}
		if !et.AllowsDisorder(inc.DisorderType) {
			ps.add("disorder_type", "%q does not go with event type %q; expected %s", inc.DisorderType, et.Name, strings.Join(et.Disorder, " or "))
		}
	}
	if strings.TrimSpace(inc.Actor1) == "" {
		ps.add("actor1", "must not be empty")
	}
	if inc.Fatalities != nil && *inc.Fatalities < 0 {
		ps.add("fatalities", "must not be negative (leave it out when unknown)")
	}
	if inc.Injuries != nil && *inc.Injuries < 0 {
		ps.add("injuries", "must not be negative (leave it out when unknown)")
	}
	if !countryCode.MatchString(inc.Country) {
		ps.add("country", "must be an ISO 3166-1 alpha-2 code such as TN, got %q", inc.Country)
	}
	if inc.Geometry == nil {
		ps.add("geometry", "is missing")
	} else {
		switch inc.Geometry.(type) {
		case orb.Point, orb.LineString, orb.Polygon:
			for _, p := range GeometryProblems(inc.Geometry) {
				ps = append(ps, Problem{Field: "geometry", Reason: p})
			}
		default:
			ps.add("geometry", "must be a Point, LineString or Polygon, got %s", inc.Geometry.GeoJSONType())
		}
	}
	if len(inc.Sources) == 0 {
		ps.add("sources", "at least one source is required")
	}
	for i, s := range inc.Sources {
		field := "sources[" + itoa(i) + "]"
		if strings.TrimSpace(s.Publisher) == "" {
			ps.add(field+".publisher", "must not be empty")
		}
		// ACLED-style sources name a publisher only; a URL, when given, must work.
		if s.URL != "" {
			if err := checkURL(s.URL); err != "" {
				ps.add(field+".url", "%s", err)
			}
		}
		if s.Published != "" {
			if _, err := time.Parse(DateLayout, s.Published); err != nil {
				ps.add(field+".published", "must be a date (YYYY-MM-DD), got %q", s.Published)
			}
		}
		for _, f := range s.Supports {
			if !slices.Contains(SourcedFields, f) {
				ps.add(field+".supports", "unknown field %q; a source can state: %s", f, strings.Join(SourcedFields, ", "))
			}
		}
	}
	for i, d := range inc.Disagreements {
		if strings.TrimSpace(d.Note) == "" {
			ps.add("disagreements["+itoa(i)+"].note", "must not be empty")
		}
	}
	return ps.err("invalid incident")
}

func checkURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "does not parse as a URL: " + err.Error()
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "must be an http or https URL, got " + quote(raw)
	}
	if u.Host == "" {
		return "has no host: " + quote(raw)
	}
	return ""
}
