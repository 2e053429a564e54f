package data_test

import (
	"strings"
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

// Every bundled incident says no more than its sources: each date, place,
// actor and known count is marked as stated by a cited source, each source
// says what it says, and the notes say which source gives which fact.
func TestEveryBundledFactIsStatedByASource(t *testing.T) {
	incs, err := data.Incidents()
	if err != nil {
		t.Fatal(err)
	}
	for _, inc := range incs {
		if missing := inc.Unsupported(); len(missing) > 0 {
			t.Errorf("incident %d %q: no cited source states its %v", inc.ID, inc.Title, missing)
		}
		if !strings.HasPrefix(inc.Notes, "Which source gives what:") {
			t.Errorf("incident %d: its notes do not say which source gives what: %q", inc.ID, inc.Notes)
		}
		for i, s := range inc.Sources {
			if s.Note == "" || len(s.Supports) == 0 || s.URL == "" || s.Published == "" && s.Publisher != "Wikipedia" {
				t.Errorf("incident %d source %d (%s): want a URL, a publication date, a note quoting it, and what it supports", inc.ID, i, s.Publisher)
			}
		}
	}
}

// The hedges and limits of the reports stay in the data (issue 16's audit).
func TestBundledDataKeepsTheReportsHedges(t *testing.T) {
	incs, _ := data.Incidents()
	byID := map[int64]geo.Incident{}
	for _, inc := range incs {
		byID[inc.ID] = inc
	}
	checks := []struct {
		id   int64
		ok   func(geo.Incident) bool
		want string
	}{
		{2, func(i geo.Incident) bool {
			return !strings.Contains(i.Actor1, "Military") && i.GeoPrecision == geo.GeoNear
		},
			"the Ras Jedir closure not attributed to the military, and placed near the crossing (precision 2)"},
		{4, func(i geo.Incident) bool { return strings.Contains(i.Title, "believed") }, "the arrests' title keeps 'believed'"},
		{8, func(i geo.Incident) bool {
			return strings.Contains(i.Summary, "similar type") && strings.Contains(i.Sources[0].Note, "similar type")
		},
			"the Tunis explosives keep 'similar type'"},
		{10, func(i geo.Incident) bool {
			return !strings.Contains(i.Actor1+i.AssocActor1+i.Actor2+i.AssocActor2, "Germany") && strings.Contains(i.Summary, "expected")
		}, "German advisers only 'expected', not actors"},
	}
	for _, c := range checks {
		if inc, ok := byID[c.id]; !ok || !c.ok(inc) {
			t.Errorf("incident %d: want %s", c.id, c.want)
		}
	}
}
