package data_test

import (
	"testing"

	"github.com/borderwatch/borderwatch/data"
	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

func TestBundledIncidentsAreValidAndSourced(t *testing.T) {
	incs, err := data.Incidents()
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) < 10 {
		t.Errorf("got %d incidents, want every one of DATA.md's 10", len(incs))
	}
	seen := map[int64]bool{}
	for _, inc := range incs {
		if inc.ID == 0 || seen[inc.ID] {
			t.Errorf("%q: got id %d, want a fixed id of its own so reloading never duplicates", inc.Title, inc.ID)
		}
		seen[inc.ID] = true
		if len(inc.Sources) == 0 {
			t.Errorf("%q cites no source", inc.Title)
		}
	}
}

func TestBundledDisagreementsAreKept(t *testing.T) {
	incs, _ := data.Incidents()
	for _, inc := range incs {
		if inc.EventDate.Format(geo.DateLayout) == "2016-02-06" && len(inc.Disagreements) > 0 {
			return
		}
	}
	t.Error("got no incident on 2016-02-06 recording the article's 'Saturday, February 7'")
}

func TestBarrierIsInsideTunisiaAndShorterThanReported(t *testing.T) {
	layers, err := data.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var barrier, border orb.Geometry
	for _, l := range layers {
		switch l.Kind {
		case geo.KindBarrier:
			barrier = l.Features[0].Geometry
		case geo.KindBorder:
			border = l.Features[0].Geometry
		}
	}
	if barrier == nil || border == nil {
		t.Fatal("got no barrier or no border layer")
	}
	km := geo.LengthKm(barrier)
	if km < 150 || km > 250 {
		t.Errorf("got a drawn barrier of %.1f km, want between 150 and 250 km", km)
	}
	for i, p := range barrier.(orb.LineString) {
		if d := geo.DistanceToLineKm(p, border); d < 1.5 || d > 2.5 {
			t.Errorf("barrier vertex %d is %.2f km from the border, want about 2 km", i, d)
		}
	}
	if km := geo.LengthKm(border); km < 400 || km > 500 {
		t.Errorf("got a border of %.1f km, want about 450 km", km)
	}
}
