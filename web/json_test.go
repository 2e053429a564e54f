package web

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

func TestIncidentFeatureRoundsAndKeepsUnknownFatalities(t *testing.T) {
	inc := geo.Incident{ID: 7, Title: "Clash", EventDate: time.Date(2016, 3, 2, 0, 0, 0, 0, time.UTC), TimePrecision: geo.TimeDay,
		Country: "TN", Location: "Ben Guerdane", GeoPrecision: geo.GeoExact, Geometry: orb.Point{11.123456789, 33.987654321}}
	for _, display := range []bool{false, true} {
		var buf bytes.Buffer
		fc := NewFeatureCollection(&buf, display, Member{"numberMatched", 1})
		if err := fc.Incident(inc); err != nil {
			t.Fatal(err)
		}
		if err := fc.Close(); err != nil {
			t.Fatal(err)
		}
		s := buf.String()
		want := []string{`{"type":"FeatureCollection","numberMatched":1,"features":[`, `"id":7`, `[11.123457,33.987654]`, `"fatalities":null`}
		if display {
			want = append(want, `"marker":[11.123457,33.987654]`, `"labels":{"date":"2016-03-02","time_precision":"day","geo_precision":"the place itself","place":"Ben Guerdane (TN)"}`)
		} else if strings.Contains(s, `"marker"`) || strings.Contains(s, `"labels"`) {
			t.Errorf("download: got %s, want no display members", s)
		}
		for _, w := range want {
			if !strings.Contains(s, w) {
				t.Errorf("display %v: got %s, want it to contain %s", display, s, w)
			}
		}
	}
	if inc.Geometry.(orb.Point)[0] != 11.123456789 {
		t.Error("writing changed the incident's own geometry")
	}
}

func TestClustersAreGeoJSONPoints(t *testing.T) {
	var buf bytes.Buffer
	err := writeClusters(&buf, geo.Clusters{NumberMatched: 3, Clusters: []geo.Cluster{
		{Count: 3, Center: orb.Point{11.1234567, 33.1}, Bound: orb.Bound{Min: orb.Point{11, 33}, Max: orb.Point{11.2, 33.2}}}}}, geo.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"FeatureCollection","numberMatched":3,"numberClusters":1,"features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[11.123457,33.1]},"properties":{"cluster":true,"count":3,"bbox":[11,33,11.2,33.2]}}
]}
`
	if buf.String() != want {
		t.Errorf("got %s, want %s", buf.String(), want)
	}
}
