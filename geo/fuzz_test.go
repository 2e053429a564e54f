package geo_test

import (
	"strings"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
)

// The parsers of outside input never panic, and what they accept is valid.
func FuzzIncidentFromFeature(f *testing.F) {
	f.Add(`{"type":"Feature","id":3,"geometry":{"type":"Point","coordinates":[11,33]},"properties":{"title":"t","event_date":"2016-03-02","time_precision":1,"disorder_type":"Political violence","event_type":"Battles","sub_event_type":"Armed clash","actor1":"A","country":"TN","geo_precision":1,"sources":[{"publisher":"P","url":"https://example.org/a"}]}}`)
	f.Add(`{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[]}]},"properties":null}`)
	f.Add(`{"type":"Feature","id":9007199254740993,"geometry":{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6],[1,2]]]}}`)
	f.Fuzz(func(t *testing.T, s string) {
		inc, err := geo.IncidentFromFeature([]byte(s))
		if err == nil {
			if verr := inc.Validate(); verr != nil {
				t.Errorf("accepted an invalid incident: %v", verr)
			}
		}
	})
}

func FuzzDecodeIncidentsCSV(f *testing.F) {
	f.Add("event_date,event_type,sub_event_type,actor1,latitude,longitude,country,location\n2016-03-07,Battles,Armed clash,A,33.1,11.2,Tunisia,Ben Gardane\n")
	f.Add("event_date,event_type,sub_event_type,actor1,geometry_wkt\n2016-03-07,Battles,Armed clash,'=A,POINT(1 2)\n")
	f.Fuzz(func(t *testing.T, s string) {
		incs, _, err := geo.DecodeIncidentsCSV(strings.NewReader(s))
		if err == nil {
			for _, inc := range incs {
				if verr := inc.Validate(); verr != nil {
					t.Errorf("accepted an invalid incident: %v", verr)
				}
			}
		}
	})
}
