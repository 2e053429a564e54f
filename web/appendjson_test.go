package web

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

// TestAppendIncidentIsMarshal holds the hand-written incident writer to
// json.Marshal's bytes over random incidents with awkward text, every
// optional field present or not, each geometry type and every way the
// server writes an incident (display, markers, points, links, pins).
func TestAppendIncidentIsMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for i := range 3000 {
		inc := randomIncident(r)
		f := incidentFeature(inc, r.IntN(2) == 0, nil)
		switch r.IntN(6) {
		case 0:
			f.Properties = newMarkerProps(f.Properties.(geo.IncidentProperties))
		case 1:
			f.Links = []Link{{Href: "/collections/incidents/items/1?a=<b>&c", Rel: "self", Type: mediaGeoJSON}}
		case 2:
			f.AsOf = "2025-01-02T03:04:05.123Z"
		case 3:
			f.ID = "x-1" // a layer's string id
		case 4:
			f.Properties = map[string]any{"name": randomText(r)}
		}
		want, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.appendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("incident %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"uo\te`, "<b>&amp;</b>", "\x00\x1f\t\n\r\b\f", "\u2028\u2029", "\xff\xfe", "ليبيا", "é\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

func TestAppendJSONFloatIsMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	values := []float64{0, math.Copysign(0, -1), 1, -1, 1e-6, 9.99e-7, 1e21, 1e20, 123456789.123, 0.1, 5e-324, math.MaxFloat64}
	for range 5000 {
		values = append(values, r.NormFloat64()*math.Pow(10, float64(r.IntN(50)-25)), math.Round(r.Float64()*360e6)/1e6-180)
	}
	for _, v := range values {
		want, _ := json.Marshal(v)
		if got := appendJSONFloat(nil, v); !bytes.Equal(got, want) {
			t.Fatalf("%v: got %s, want %s", v, got, want)
		}
	}
}

func randomText(r *rand.Rand) string {
	pieces := []string{"", "Ben Guerdane", "بن قردان", "Ras Jedir — <frontière>", `"quoted"`, `back\slash`, "tab\there",
		"line\nbreak", "\u2028", "\x01", "\xff", "A & B", "é", "😀", "x"}
	var b []byte
	for range r.IntN(4) {
		b = append(b, pieces[r.IntN(len(pieces))]...)
	}
	return string(b)
}

func randomIncident(r *rand.Rand) geo.Incident {
	some := func() bool { return r.IntN(2) == 0 }
	intPtr := func() *int {
		if some() {
			return nil
		}
		n := r.IntN(100)
		return &n
	}
	floatPtr := func() *float64 {
		if some() {
			return nil
		}
		f := r.Float64() * 500
		return &f
	}
	inc := geo.Incident{
		ID: int64(r.IntN(3) * r.IntN(1e6)), Title: randomText(r), Summary: randomText(r),
		EventDate: time.Date(2010+r.IntN(15), 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365)), TimePrecision: 1 + r.IntN(3),
		DisorderType: randomText(r), EventType: randomText(r), SubEventType: randomText(r),
		Actor1: randomText(r), AssocActor1: randomText(r), Actor2: randomText(r), AssocActor2: randomText(r),
		Fatalities: intPtr(), Injuries: intPtr(), Location: randomText(r), Admin1: randomText(r), Country: "LY",
		GeoPrecision: 1 + r.IntN(3), Notes: randomText(r), ExternalID: randomText(r),
		BorderKm: floatPtr(), BarrierKm: floatPtr(), CrossingKm: floatPtr(),
	}
	if some() {
		inc.CreatedAt = time.Unix(r.Int64N(2e9), 0)
		inc.UpdatedAt = inc.CreatedAt.Add(time.Hour)
	}
	p := orb.Point{r.Float64()*30 - 10, r.Float64()*20 + 20}
	switch r.IntN(5) {
	case 0:
		inc.Geometry = orb.LineString{p, {p[0] + 0.1, p[1] + 0.2}}
	case 1:
		inc.Geometry = orb.Polygon{{p, {p[0] + 0.1, p[1]}, {p[0], p[1] + 0.1}, p}}
	case 2:
		inc.Geometry = orb.MultiPoint{p, {p[0] + 1, p[1]}}
	default:
		inc.Geometry = p
	}
	for range r.IntN(3) {
		s := geo.Source{Publisher: randomText(r), Title: randomText(r), URL: randomText(r), Published: randomText(r), Note: randomText(r)}
		if some() {
			s.Supports = []string{"event_date", randomText(r)}
		}
		inc.Sources = append(inc.Sources, s)
	}
	for range r.IntN(2) {
		inc.Disagreements = append(inc.Disagreements, geo.Disagreement{Field: randomText(r), Note: randomText(r)})
	}
	for range r.IntN(3) {
		inc.Tags = append(inc.Tags, randomText(r))
	}
	if some() {
		inc.ACLED = map[string]string{"iso": "434", "source_scale": randomText(r), randomText(r) + "k": randomText(r), "civilian_targeting": ""}
	}
	return inc
}
