package geo

import (
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/paulmach/orb/geojson"
)

// Read in pieces of any size, valid UTF-8 passes whole and the first bad
// byte is found at its offset, whether or not a read cuts a rune.
func TestUTF8ReaderAcrossReads(t *testing.T) {
	valid := `{"title":"Ben Guerdane بن قردان — Ras Jedir 𝄞"}`
	for _, cut := range []bool{false, true} {
		var r = strings.NewReader(valid)
		var got strings.Builder
		u := &utf8Reader{r: r}
		if cut {
			u = &utf8Reader{r: iotest.OneByteReader(strings.NewReader(valid))}
		}
		buf := make([]byte, 7)
		for {
			n, err := u.Read(buf)
			got.Write(buf[:n])
			if err != nil {
				break
			}
		}
		if got.String() != valid {
			t.Errorf("cut %v: got %q, want the text whole", cut, got.String())
		}
	}
	bad := "{\"t\":\"قر\xff\"}"
	err := ReadIncidents(iotest.OneByteReader(strings.NewReader(bad)), func(Incident, *FeatureError) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "not UTF-8 at byte 10") {
		t.Errorf("got %v, want not UTF-8 at byte 10", err)
	}
	truncated := "{\"t\":\"ق" + "\xd9"
	err = ReadIncidents(strings.NewReader(truncated), func(Incident, *FeatureError) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "not UTF-8 at byte 8") {
		t.Errorf("a rune cut by the end of the file: got %v, want not UTF-8 at byte 8", err)
	}
}

// Members in any order; a single Feature; what is not a collection.
func TestReadIncidentsShapes(t *testing.T) {
	feature := `{"type":"Feature","geometry":{"type":"Point","coordinates":[11.2,33.1]},"properties":{"title":"x","event_date":"2016-03-07","time_precision":1,` +
		`"disorder_type":"Political violence","event_type":"Battles","sub_event_type":"Armed clash","actor1":"Military Forces of Tunisia","country":"TN","geo_precision":1,` +
		`"sources":[{"publisher":"Reuters","url":"https://www.reuters.com/x"}]}}`
	count := func(doc string) (int, int, error) {
		ok, bad := 0, 0
		err := ReadIncidents(strings.NewReader(doc), func(_ Incident, fe *FeatureError) error {
			if fe != nil {
				bad++
			} else {
				ok++
			}
			return nil
		})
		return ok, bad, err
	}
	for doc, want := range map[string]string{
		`{"features":[` + feature + `,` + feature + `,{}],"type":"FeatureCollection"}`: "2 1 <nil>",
		feature: "1 0 <nil>",
		`{"type":"FeatureCollection","features":[]}`:                   "0 0 the FeatureCollection has no features",
		`{"features":[` + feature + `],"type":"Point"}`:                `1 0 expected a GeoJSON FeatureCollection or Feature, got type "Point"`,
		`{"type":"Feature","features":[]}`:                             `0 0 expected a GeoJSON FeatureCollection or Feature, got type "Feature" with features`,
		`[1,2]`:                                                        "0 0 expected a GeoJSON FeatureCollection or Feature, got an array",
		`{"type":"FeatureCollection","features":[` + feature + `]} {}`: "1 0 not GeoJSON: more data after the object, at byte",
		`{"type":"FeatureCollection","features":[` + feature:           "1 0 not GeoJSON: the JSON ends early",
	} {
		ok, bad, err := count(doc)
		got := strings.Join([]string{itoa(ok), itoa(bad), errString(err)}, " ")
		if !strings.HasPrefix(got, want) {
			t.Errorf("%.60s…: got %q, want %q", doc, got, want)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// A value of the wrong kind is named by its JSON kind (and a number by its
// text), with the path to it, not by the decoder's view of the input.
func TestFeatureWrongKindSaysWhich(t *testing.T) {
	feature := func(props string) string {
		return `{"type":"Feature","geometry":{"type":"Point","coordinates":[10,33]},"properties":` + props + `}`
	}
	for _, c := range []struct{ in, want string }{
		{feature(`{"fatalities":"x"}`), `properties: fatalities must be int, got string`},
		{feature(`{"fatalities":1.5}`), `properties: fatalities must be int, got number 1.5`},
		{feature(`{"fatalities":1e400}`), `properties: fatalities must be int, got number 1e400`},
		{feature(`{"fatalities":true}`), `properties: fatalities must be int, got bool`},
		{feature(`{"sources":{}}`), `properties: sources must be []geo.Source, got object`},
		{feature(`{"sources":[{"url":5}]}`), `properties: sources.0.url must be string, got number 5`},
		{feature(`{"tags":[1]}`), `properties: tags.0 must be string, got number 1`},
		{feature(`[]`), `properties: value must be geo.IncidentProperties, got array`},
		{feature(`{"bogus":1}`), `properties: unknown field "bogus"`},
		{`{"type":5}`, `not a GeoJSON Feature: type must be string, got number 5`},
	} {
		if _, err := IncidentFromFeature([]byte(c.in)); errString(err) != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.in, err, c.want)
		}
	}
}

// The geometry is read as orb's decoder reads it, type for type and
// point for point, wherever the checks let it through; and what they
// refuse, they refuse with the place of the problem.
func TestGeometryDecodedAsOrbDoes(t *testing.T) {
	for _, raw := range []string{
		`{"type":"Point","coordinates":[11.25,33.125]}`,
		`{"type":"Point","coordinates":[11.25,33.125,40]}`,
		`{"type":"Point","coordinates":[1e2,-3.5E-1]}`,
		`{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}`,
		`{"type":"MultiPoint","coordinates":[]}`,
		`{"type":"LineString","coordinates":[[1,2],[3,4],[5,6]]}`,
		`{"type":"MultiLineString","coordinates":[[[1,2],[3,4]],[[5,6],[7,8]]]}`,
		`{"type":"MultiLineString","coordinates":[]}`,
		`{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6],[1,2]],[[1.5,2.5],[2,3],[2.5,2.5],[1.5,2.5]]]}`,
		`{"type":"Polygon","coordinates":[]}`,
		`{"type":"MultiPolygon","coordinates":[[[[1,2],[3,4],[5,6],[1,2]]],[[[7,8],[9,10],[11,12],[7,8]]]]}`,
		`{"type":"MultiPolygon","coordinates":[[]]}`,
		`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"LineString","coordinates":[[1,2],[3,4]]}]}`,
		`{"type":"GeometryCollection","geometries":[]}`,
		`{"coordinates":[11,33],"bbox":[11,33,11,33],"type":"Point"}`,
	} {
		want, err := geojson.UnmarshalGeometry([]byte(raw))
		if err != nil {
			t.Fatalf("%s: orb: %v", raw, err)
		}
		got, problem := decodeGeometry([]byte(raw))
		if problem != "" || !reflect.DeepEqual(got, want.Geometry()) {
			t.Errorf("%s:\n got %#v %s\nwant %#v", raw, got, problem, want.Geometry())
		}
	}
	for raw, want := range map[string]string{
		`{"type":"Point","coordinates":[]}`:                                      "Point coordinates must be a position of 2 numbers [lon, lat], got 0",
		`{"type":"Point","coordinates":[1,"a"]}`:                                 `Point coordinates must hold numbers, got "a"`,
		`{"type":"LineString","coordinates":[[1,2],[3]]}`:                        "LineString coordinates[1] must be a position of 2 numbers [lon, lat], got 1",
		`{"type":"Polygon","coordinates":[[1,2]]}`:                               "Polygon coordinates[0][0] must be an array",
		`{"type":"MultiPolygon","coordinates":[[[[1,2],[3,4],[5,6],[1,true]]]]}`: "MultiPolygon coordinates[0][0][3] must hold numbers, got true",
		`{"type":"GeometryCollection","geometries":[{"type":"Circle"}]}`:         `member 0 has unknown type "Circle"`,
		`{"type":"Point"}`: "Point coordinates must be an array",
		`null`:             "is missing",
		`[1,2]`:            "is not a GeoJSON geometry",
	} {
		if g, problem := decodeGeometry([]byte(raw)); problem != want || g != nil {
			t.Errorf("%s: got %v %q, want %q", raw, g, problem, want)
		}
	}
}
