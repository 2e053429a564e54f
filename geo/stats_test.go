package geo_test

import (
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
)

func TestHistogram(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(geo.DateLayout, s); return t }
	spans := []geo.DateSpan{
		{First: d("2016-03-02"), Last: d("2016-03-02"), Count: 2},
		{First: d("2016-02-14"), Last: d("2016-02-20"), Count: 1}, // a week
		{First: d("2016-02-01"), Last: d("2016-02-29"), Count: 1}, // a month
	}
	unit, bins := geo.Histogram(spans)
	if unit != "day" || len(bins) != 31 {
		t.Fatalf("got %s bins × %d, want 31 days from 2016-02-01 to 2016-03-02", unit, len(bins))
	}
	var exact int
	var spread float64
	for _, b := range bins {
		exact += b.Exact
		spread += b.Spread
	}
	if exact != 2 || spread < 1.95 || spread > 2.05 || bins[30].Exact != 2 {
		t.Errorf("got %d exact and %.2f spread, want 2 exact on 2016-03-02 and the 2 imprecise ones spread out", exact, spread)
	}
	if bins[15].Exact != 0 || bins[15].Spread < 0.17 {
		t.Errorf("16 Feb: got %+v, want a share of the week and of the month, and nothing exact", bins[15])
	}
	long := []geo.DateSpan{{First: d("2015-03-18"), Last: d("2015-03-18"), Count: 1}, {First: d("2016-03-02"), Last: d("2016-03-02"), Count: 1}}
	if unit, bins := geo.Histogram(long); unit != "week" || bins[0].Start.Weekday() != time.Monday {
		t.Errorf("a year: got %s bins starting %v, want weeks from a Monday", unit, bins[0].Start)
	}
}
