package web

import (
	"math"
	"net/url"
	"testing"
)

// Query strings never panic the parser, and an accepted box is a box.
func FuzzParseFilter(f *testing.F) {
	for _, q := range []string{"bbox=10,32,12,34", "bbox=NaN,1,2,3", "datetime=2016-02-01/..", "limit=5&offset=9223372036854775807",
		"event_type=Battles,Riots&country=tn", "as_of=2016-03-02T12:00:00Z&sortby=-event_date", "near_barrier_km=1e308", "%zz"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, err := parseFilter(q, pageScopes)
		if err != nil || flt.BBox == nil {
			return
		}
		for _, v := range []float64{flt.BBox.Min[0], flt.BBox.Min[1], flt.BBox.Max[0], flt.BBox.Max[1]} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("%q: accepted a box with %v", raw, v)
			}
		}
		if flt.BBox.Min[1] > flt.BBox.Max[1] {
			t.Errorf("%q: accepted a box upside down", raw)
		}
	})
}

func FuzzParseDatetime(f *testing.F) {
	for _, s := range []string{"2016-03-02", "../2016-02-01", "2016-02-01T/2016-02-29T", "2016-03-01/2016-02-01", "..", "/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		from, to, problem := parseDatetime(s)
		if problem == "" && !from.IsZero() && !to.IsZero() && to.Before(from) {
			t.Errorf("%q: accepted an interval that ends before it starts", s)
		}
	})
}
