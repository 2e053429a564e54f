package geo_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

func validIncident() geo.Incident {
	return geo.Incident{
		Title:         "Armed clash in El Amria",
		EventDate:     time.Date(2016, 3, 2, 0, 0, 0, 0, time.UTC),
		TimePrecision: geo.TimeDay,
		DisorderType:  geo.DisorderPoliticalViolence,
		EventType:     "Battles",
		SubEventType:  "Armed clash",
		Actor1:        "Military Forces of Tunisia",
		Country:       "TN",
		Geometry:      orb.Point{11.2, 33.1},
		GeoPrecision:  geo.GeoNear,
		Sources:       []geo.Source{{Publisher: "tunisia-tn.com", URL: "http://tunisia-tn.com/x/"}},
	}
}

func TestIncidentValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*geo.Incident)
		field  string // "" means valid
		reason string
	}{
		{"valid", func(*geo.Incident) {}, "", ""},
		{"empty title", func(i *geo.Incident) { i.Title = "  " }, "title", "must not be empty"},
		{"no date", func(i *geo.Incident) { i.EventDate = time.Time{} }, "event_date", "must be a date"},
		{"bad time precision", func(i *geo.Incident) { i.TimePrecision = 4 }, "time_precision", "got 4"},
		{"unknown type", func(i *geo.Incident) { i.EventType = "Skirmish" }, "event_type", `unknown event type "Skirmish"`},
		{"wrong sub type", func(i *geo.Incident) { i.SubEventType = "Arrests" }, "sub_event_type", `"Arrests" is not a sub-event type of "Battles"`},
		{"wrong disorder", func(i *geo.Incident) { i.DisorderType = geo.DisorderStrategic }, "disorder_type", "does not go with"},
		{"negative fatalities", func(i *geo.Incident) { n := -1; i.Fatalities = &n }, "fatalities", "negative"},
		{"country", func(i *geo.Incident) { i.Country = "Tunisia" }, "country", "ISO 3166-1"},
		{"lon out of range", func(i *geo.Incident) { i.Geometry = orb.Point{181, 33} }, "geometry", "longitude 181 is outside [-180, 180]"},
		{"lat out of range", func(i *geo.Incident) { i.Geometry = orb.Point{33, 91} }, "geometry", "latitude 91 is outside [-90, 90]"},
		{"short line", func(i *geo.Incident) { i.Geometry = orb.LineString{{1, 1}} }, "geometry", "at least 2 positions"},
		{"open ring", func(i *geo.Incident) {
			i.Geometry = orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}
		}, "geometry", "not closed"},
		{"multipoint", func(i *geo.Incident) { i.Geometry = orb.MultiPoint{{1, 1}} }, "geometry", "must be a Point, LineString or Polygon"},
		{"no sources", func(i *geo.Incident) { i.Sources = nil }, "sources", "at least one source"},
		{"publisher-only source", func(i *geo.Incident) { i.Sources[0].URL = "" }, "", ""},
		{"relative url", func(i *geo.Incident) { i.Sources[0].URL = "/news/1" }, "sources[0].url", "http or https"},
		{"no publisher", func(i *geo.Incident) { i.Sources[0].Publisher = "" }, "sources[0].publisher", "must not be empty"},
		{"bad url", func(i *geo.Incident) { i.Sources[0].URL = "http://a b.com/%zz" }, "sources[0].url", "does not parse"},
		{"bad published", func(i *geo.Incident) { i.Sources[0].Published = "2016-02-30" }, "sources[0].published", "must be a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := validIncident()
			tt.mutate(&inc)
			err := inc.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				return
			}
			if geo.ErrorKind(err) != geo.EInvalid {
				t.Fatalf("got kind %q (%v), want invalid", geo.ErrorKind(err), err)
			}
			for _, p := range geo.ErrorProblems(err) {
				if p.Field == tt.field && strings.Contains(p.Reason, tt.reason) {
					return
				}
			}
			t.Errorf("got %v, want a problem on %s containing %q", err, tt.field, tt.reason)
		})
	}
}

func TestDateRange(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(geo.DateLayout, s); return t }
	tests := []struct {
		precision   int
		date        string
		first, last string
	}{
		{geo.TimeDay, "2016-03-02", "2016-03-02", "2016-03-02"},
		{geo.TimeWeek, "2016-02-20", "2016-02-14", "2016-02-20"},
		{geo.TimeMonth, "2016-02-01", "2016-02-01", "2016-02-29"},
	}
	for _, tt := range tests {
		inc := geo.Incident{EventDate: d(tt.date), TimePrecision: tt.precision}
		first, last := inc.DateRange()
		if got := first.Format(geo.DateLayout) + " " + last.Format(geo.DateLayout); got != tt.first+" "+tt.last {
			t.Errorf("precision %d on %s: got %s, want %s %s", tt.precision, tt.date, got, tt.first, tt.last)
		}
	}
}

func TestDecodeIncidentsReportsEveryBadFeature(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[
 {"type":"Feature","geometry":{"type":"Point","coordinates":[11.2,33.1]},"properties":{"title":"ok","event_date":"2016-03-02","time_precision":1,"disorder_type":"Political violence","event_type":"Battles","sub_event_type":"Armed clash","actor1":"A","country":"TN","geo_precision":1,"sources":[{"publisher":"P","url":"https://example.org/a"}]}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[33.1,200]},"properties":{"title":"lat","event_date":"2016-03-02","time_precision":1,"disorder_type":"Political violence","event_type":"Battles","sub_event_type":"Armed clash","actor1":"A","country":"TN","geo_precision":1,"sources":[{"publisher":"P","url":"https://example.org/a"}]}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[11,33]},"properties":{"title":"date","event_date":"2016-02-30","time_precision":1,"disorder_type":"Political violence","event_type":"Battles","sub_event_type":"Armed clash","actor1":"A","country":"TN","geo_precision":1,"sources":[{"publisher":"P","url":"https://example.org/a"}]}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[11,33]},"properties":{"title":"typo","fatalites":3}}
]}`
	incs, bad, err := geo.DecodeIncidents(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 1 || incs[0].Title != "ok" {
		t.Errorf("got %d good incidents, want 1 titled ok", len(incs))
	}
	want := map[int]string{1: "latitude 200", 2: `"2016-02-30"`, 3: `unknown field "fatalites"`}
	if len(bad) != len(want) {
		t.Fatalf("got %d bad features (%v), want %d", len(bad), bad, len(want))
	}
	for _, fe := range bad {
		if !strings.Contains(fe.Err.Error(), want[fe.Index]) {
			t.Errorf("feature %d: got %q, want it to mention %s", fe.Index, fe.Err, want[fe.Index])
		}
	}
}

func TestDecodeIncidentsRejectsNonGeoJSON(t *testing.T) {
	for _, in := range []string{`{"type":"FeatureCollection","features":[`, `{"type":"Point","coordinates":[1,2]}`, `[]`, `{"type":"FeatureCollection","features":[]}`} {
		if _, _, err := geo.DecodeIncidents(strings.NewReader(in)); geo.ErrorKind(err) != geo.EInvalid {
			t.Errorf("%s: got %v, want an invalid error", in, err)
		}
	}
}

// Features that orb's decoder or a JSON number would let through wrong are
// refused, each naming what is wrong.
func TestIncidentFromFeatureRefuses(t *testing.T) {
	const feature = `{"type":"Feature",%s"geometry":%s,"properties":{"title":"t","event_date":"%s","time_precision":1,"disorder_type":"Political violence","event_type":"Battles","sub_event_type":"Armed clash","actor1":"A","country":"TN","geo_precision":1,"sources":[{"publisher":"P","url":"https://example.org/a"}]}}`
	point := `{"type":"Point","coordinates":[11,33]}`
	tests := []struct{ name, id, geometry, date, want string }{
		{"fine", "", point, "2016-03-02", ""},
		{"largest id", `"id":9007199254740991,`, point, "2016-03-02", ""},
		{"point without coordinates", "", `{"type":"Point","coordinates":[]}`, "2016-03-02", "position of 2 numbers"},
		{"point of one number", "", `{"type":"Point","coordinates":[5]}`, "2016-03-02", "position of 2 numbers"},
		{"point as a number", "", `{"type":"Point","coordinates":5}`, "2016-03-02", "must be an array"},
		{"null geometry", "", `null`, "2016-03-02", "geometry: is missing"},
		{"line with a short position", "", `{"type":"LineString","coordinates":[[11,33],[12]]}`, "2016-03-02", "LineString coordinates[1]"},
		{"polygon one level short", "", `{"type":"Polygon","coordinates":[[11,33],[12,33],[12,34],[11,33]]}`, "2016-03-02", "must be an array"},
		{"string coordinate", "", `{"type":"Point","coordinates":["11",33]}`, "2016-03-02", "must hold numbers"},
		{"unknown geometry type", "", `{"type":"Circle","coordinates":[11,33]}`, "2016-03-02", `unknown type "Circle"`},
		{"collection member", "", `{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[]}]}`, "2016-03-02", "member 0"},
		{"year 9999", "", point, "9999-01-01", "must be from 1900-01-01 to today"},
		{"year 1066", "", point, "1066-10-14", "must be from 1900-01-01 to today"},
		{"id above 2^53", `"id":9007199254740993,`, point, "2016-03-02", "id: must be a whole number from 1 to 9007199254740991"},
		{"id 0", `"id":0,`, point, "2016-03-02", "id: must be a whole number"},
		{"negative id", `"id":-4,`, point, "2016-03-02", "id: must be a whole number"},
		{"fractional id", `"id":1.5,`, point, "2016-03-02", "id: must be a whole number"},
		{"id as text", `"id":"7",`, point, "2016-03-02", "id: must be a whole number"},
		{"id in exponent form", `"id":1e3,`, point, "2016-03-02", "id: must be a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := geo.IncidentFromFeature([]byte(fmt.Sprintf(feature, tt.id, tt.geometry, tt.date)))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want it accepted", err)
			case tt.want != "" && (geo.ErrorKind(err) != geo.EInvalid || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an invalid error mentioning %q", err, tt.want)
			}
		})
	}
}

func TestDecodeIncidentsRefusesInvalidUTF8(t *testing.T) {
	_, _, err := geo.DecodeIncidents(strings.NewReader("{\"type\":\"FeatureCollection\",\"features\":[{\"title\":\"El \xffAmria\"}]}"))
	if geo.ErrorKind(err) != geo.EInvalid || !strings.Contains(err.Error(), "not UTF-8 at byte 53") {
		t.Errorf("got %v, want the file refused as not UTF-8, naming the byte", err)
	}
}
