package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	fastjson "github.com/segmentio/encoding/json"

	"github.com/paulmach/orb"
)

// CoordFactor rounds output coordinates to 6 decimals (about 0.1 m).
const CoordFactor = 1e6

// IncidentProperties is an incident's GeoJSON properties object: the format
// of the API, of exports and of imports. Names follow ACLED where it has one.
type IncidentProperties struct {
	EventIDCnty   string            `json:"event_id_cnty,omitempty"`
	ACLED         map[string]string `json:"acled,omitempty"`
	Title         string            `json:"title"`
	Summary       string            `json:"summary"`
	EventDate     string            `json:"event_date"`
	TimePrecision int               `json:"time_precision"`
	DisorderType  string            `json:"disorder_type"`
	EventType     string            `json:"event_type"`
	SubEventType  string            `json:"sub_event_type"`
	Actor1        string            `json:"actor1"`
	AssocActor1   string            `json:"assoc_actor_1"`
	Actor2        string            `json:"actor2"`
	AssocActor2   string            `json:"assoc_actor_2"`
	Fatalities    *int              `json:"fatalities"`
	Injuries      *int              `json:"injuries"`
	Location      string            `json:"location"`
	Admin1        string            `json:"admin1"`
	Country       string            `json:"country"`
	GeoPrecision  int               `json:"geo_precision"`
	Sources       []Source          `json:"sources"`
	Disagreements []Disagreement    `json:"disagreements"`
	Tags          []string          `json:"tags"`
	Notes         string            `json:"notes"`
	// Computed by the server; ignored on import.
	BorderKm   *float64 `json:"border_km,omitempty"`
	BarrierKm  *float64 `json:"barrier_km,omitempty"`
	CrossingKm *float64 `json:"crossing_km,omitempty"`
	CreatedAt  string   `json:"created_at,omitempty"`
	UpdatedAt  string   `json:"updated_at,omitempty"`
}

// Properties returns inc's GeoJSON properties.
func (inc Incident) Properties() IncidentProperties {
	p := IncidentProperties{
		EventIDCnty: inc.ExternalID, ACLED: inc.ACLED,
		Title: inc.Title, Summary: inc.Summary,
		EventDate: inc.EventDate.Format(DateLayout), TimePrecision: inc.TimePrecision,
		DisorderType: inc.DisorderType, EventType: inc.EventType, SubEventType: inc.SubEventType,
		Actor1: inc.Actor1, AssocActor1: inc.AssocActor1, Actor2: inc.Actor2, AssocActor2: inc.AssocActor2,
		Fatalities: inc.Fatalities, Injuries: inc.Injuries,
		Location: inc.Location, Admin1: inc.Admin1, Country: inc.Country, GeoPrecision: inc.GeoPrecision,
		Sources: inc.Sources, Disagreements: inc.Disagreements, Tags: inc.Tags, Notes: inc.Notes,
	}
	if p.Sources == nil {
		p.Sources = []Source{}
	}
	if p.Disagreements == nil {
		p.Disagreements = []Disagreement{}
	}
	if p.Tags == nil {
		p.Tags = []string{}
	}
	p.BorderKm, p.BarrierKm, p.CrossingKm = round1(inc.BorderKm), round1(inc.BarrierKm), round1(inc.CrossingKm)
	if !inc.CreatedAt.IsZero() {
		p.CreatedAt = inc.CreatedAt.UTC().Format(time.RFC3339)
	}
	if !inc.UpdatedAt.IsZero() {
		p.UpdatedAt = inc.UpdatedAt.UTC().Format(time.RFC3339)
	}
	return p
}

// RoundGeometry returns a copy of g with coordinates rounded to 6 decimals.
func RoundGeometry(g orb.Geometry) orb.Geometry {
	if g == nil {
		return nil
	}
	return orb.Round(orb.Clone(g), int(CoordFactor))
}

// IncidentFromFeature turns a GeoJSON feature into an incident and validates
// it. The feature's id, when a positive integer, becomes the incident's ID.
func IncidentFromFeature(raw []byte) (Incident, error) {
	// One pass splits the feature; the id and the geometry's shape are
	// checked from the text: orb's decoder reads [] as a point at 0,0, and
	// a JSON number loses ids past 2^53.
	var f struct {
		Type       string          `json:"type"`
		ID         json.RawMessage `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties json.RawMessage `json:"properties"`
	}
	if err := decodeJSON(raw, &f, fastjson.DontCopyRawMessage); err != nil {
		return Incident{}, Errorf(EInvalid, "not a GeoJSON Feature: %s", jsonReason(err))
	}
	if f.Type != "Feature" {
		return Incident{}, Errorf(EInvalid, "not a GeoJSON Feature: its type is %s", quote(f.Type))
	}
	geometry, problem := decodeGeometry(f.Geometry)
	if problem != "" {
		return Incident{}, &Error{Kind: EInvalid, Message: "invalid incident", Problems: []Problem{{Field: "geometry", Reason: problem}}}
	}
	var inc Incident
	var ps problems
	if inc.ID, problem = parseID(f.ID); problem != "" {
		ps.add("id", "%s", problem)
	}
	var p IncidentProperties
	if len(f.Properties) == 0 || bytes.Equal(f.Properties, []byte("null")) {
		return Incident{}, Errorf(EInvalid, "feature has no properties")
	}
	if err := decodeJSON(f.Properties, &p, fastjson.DisallowUnknownFields); err != nil {
		return Incident{}, Errorf(EInvalid, "properties: %s", jsonReason(err))
	}
	inc.ExternalID, inc.ACLED = p.EventIDCnty, p.ACLED
	inc.Title, inc.Summary = p.Title, p.Summary
	if d, problem := ParseEventDate(p.EventDate); problem == "" {
		inc.EventDate = d
	} else if p.EventDate != "" {
		ps.add("event_date", "%s", problem)
	}
	inc.TimePrecision, inc.GeoPrecision = p.TimePrecision, p.GeoPrecision
	inc.DisorderType, inc.EventType, inc.SubEventType = p.DisorderType, p.EventType, p.SubEventType
	inc.Actor1, inc.AssocActor1, inc.Actor2, inc.AssocActor2 = p.Actor1, p.AssocActor1, p.Actor2, p.AssocActor2
	inc.Fatalities, inc.Injuries = p.Fatalities, p.Injuries
	inc.Location, inc.Admin1, inc.Country = p.Location, p.Admin1, strings.ToUpper(p.Country)
	inc.Sources, inc.Disagreements, inc.Tags, inc.Notes = p.Sources, p.Disagreements, p.Tags, p.Notes
	inc.Geometry = geometry
	if err := inc.Validate(); err != nil {
		var e *Error
		errors.As(err, &e)
		ps = append(ps, e.Problems...)
	}
	if err := ps.err("invalid incident"); err != nil {
		return Incident{}, err
	}
	return inc, nil
}

// decodeJSON decodes raw into v with segmentio's decoder, which reads a
// feature in half encoding/json's time. What it finds malformed,
// encoding/json reads again, to say where and why as it does.
func decodeJSON(raw []byte, v any, flags fastjson.ParseFlags) error {
	rest, err := fastjson.Parse(raw, v, flags)
	var se *json.SyntaxError
	if len(rest) > 0 || errors.As(err, &se) {
		var discard any
		if stdErr := json.Unmarshal(raw, &discard); stdErr != nil {
			return stdErr
		}
		if err == nil {
			err = fmt.Errorf("invalid character %q after top-level value", rest[0])
		}
	}
	return err
}

// FeatureError is the reason one feature of a collection was refused.
type FeatureError struct {
	Index int // 0-based position in "features"
	Err   error
}

func (e FeatureError) Error() string { return fmt.Sprintf("feature %d: %v", e.Index, e.Err) }

// DecodeIncidents reads a GeoJSON FeatureCollection (or a single Feature) of
// incidents. It checks every feature and returns all that are wrong, so a
// caller can refuse the whole import and say why.
func DecodeIncidents(r io.Reader) ([]Incident, []FeatureError, error) {
	return collect(ReadIncidents, r)
}

// collect gathers what read passes on.
func collect(read func(io.Reader, func(Incident, *FeatureError) error) error, r io.Reader) ([]Incident, []FeatureError, error) {
	var incs []Incident
	var bad []FeatureError
	err := read(r, func(inc Incident, fe *FeatureError) error {
		if fe != nil {
			bad = append(bad, *fe)
		} else {
			incs = append(incs, inc)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return incs, bad, nil
}

func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && strings.HasSuffix(se.Error(), "exceeded max depth"):
		return fmt.Sprintf("JSON nested more than 10000 levels deep at byte %d", se.Offset)
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, se)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "value"
		}
		return fmt.Sprintf("%s must be %s, got %s", field, te.Type, jsonKind(te.Value))
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// jsonKind names the JSON value a type error quotes: encoding/json names
// its kind ("string", "number 1.5"), the faster decoder the features are
// read with quotes the input from that value on (`"\"x\"}"`, `"1.5}"`).
func jsonKind(v string) string {
	if u, err := strconv.Unquote(v); err == nil {
		v = u
	}
	switch {
	case v == "":
		return "nothing"
	case v[0] == '"':
		return "string"
	case v[0] == '{':
		return "object"
	case v[0] == '[':
		return "array"
	case strings.HasPrefix(v, "true"), strings.HasPrefix(v, "false"):
		return "bool"
	case strings.HasPrefix(v, "null"):
		return "null"
	case v[0] == '-' || v[0] >= '0' && v[0] <= '9':
		if end := strings.IndexFunc(v, func(r rune) bool { return !strings.ContainsRune("+-.eE0123456789", r) }); end >= 0 {
			v = v[:end]
		}
		return "number " + v
	}
	return v
}

func round1(x *float64) *float64 {
	if x == nil {
		return nil
	}
	v := math.Round(*x*10) / 10
	return &v
}

// duplicates finds an id or an event_id_cnty given twice in one file.
type duplicates struct {
	ids      map[int64]int
	external map[string]int
}

// check records the i-th record's ids, refusing one an earlier record has.
func (d *duplicates) check(inc Incident, i int, what string) error {
	if d.ids == nil {
		d.ids, d.external = map[int64]int{}, map[string]int{}
	}
	if j, dup := d.ids[inc.ID]; dup && inc.ID != 0 {
		return Errorf(EInvalid, "id %d is also used by %s %d", inc.ID, what, j)
	}
	if j, dup := d.external[inc.ExternalID]; dup && inc.ExternalID != "" {
		return Errorf(EInvalid, "event_id_cnty %s is also used by %s %d", inc.ExternalID, what, j)
	}
	if inc.ID != 0 {
		d.ids[inc.ID] = i
	}
	if inc.ExternalID != "" {
		d.external[inc.ExternalID] = i
	}
	return nil
}
