package report_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/data"
	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/geo/gazetteer"
	"github.com/borderwatch/borderwatch/geo/report"
	"github.com/paulmach/orb"
)

func gaz(tb testing.TB) *gazetteer.Gazetteer {
	tb.Helper()
	g, err := data.Gazetteer()
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

func day(s string) time.Time {
	t, err := time.Parse(geo.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// known is the bundled dataset as a store's IncidentsNear sees it.
type known []geo.Incident

func (k known) IncidentsNear(_ context.Context, p orb.Point, km float64, except int64, limit int, _ time.Time) ([]geo.Incident, []float64, error) {
	var out []geo.Incident
	var ds []float64
	for _, inc := range k {
		if d := geo.DistanceToLineKm(p, inc.Geometry); d <= km && inc.ID != except {
			out = append(out, inc)
			ds = append(ds, d)
		}
	}
	return out, ds, nil
}

func bundled(t *testing.T) known {
	t.Helper()
	incs, err := data.Incidents()
	if err != nil {
		t.Fatal(err)
	}
	for i := range incs {
		incs[i].ID = int64(i + 1)
	}
	return incs
}

func readSeed(t *testing.T) (*report.Report, []report.Draft) {
	t.Helper()
	raw, err := os.ReadFile("testdata/el-amria-article.txt")
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Read(raw, report.Meta{Publisher: "tunisia-tn.com", URL: "http://tunisia-tn.com/clashes-in-el-amria-as-militants-cross-into-tunisia-from-libya/", Published: day("2016-03-02")})
	if err != nil {
		t.Fatal(err)
	}
	return r, r.Drafts(gaz(t))
}

func count(n int) *int { return &n }

// The seed report gives the incidents the bundled dataset took from it
// (../shared/DATA.md), each matched to its bundled id.
func TestSeedReportDrafts(t *testing.T) {
	r, drafts := readSeed(t)
	if r.Meta.Title != "Clashes In El Amria as Militants Cross Into Tunisia from Libya" || len(r.Keywords) != 6 || r.Keywords[0].Text != "Ben Guerdane" {
		t.Errorf("layout: title %q, keywords %v", r.Meta.Title, r.Keywords)
	}
	if err := report.Match(context.Background(), bundled(t), drafts); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		match              int64
		sub, date          string
		timePrec, geoPrec  int
		location, actor1   string
		fatalities, injury *int
		disagreement       string
	}{
		{1, "Armed clash", "2016-03-02", 1, 2, "El Amria", "Military Forces of Tunisia", nil, count(2), ""},
		{2, "Other", "2016-03-02", 1, 1, "Ras Jedir", "Unidentified actors", count(0), nil, ""},
		{5, "Other", "2016-02-28", 2, 1, "Sabratha", "Government of Libya (Tripoli)", count(0), nil, ""},
		{3, "Air/drone strike", "2016-02-19", 1, 2, "Outside Sabratha", "Military Forces of the United States", count(50), nil, ""},
		{4, "Arrests", "2016-02-20", 2, 1, "Ben Guerdane", "National Guard of Tunisia", count(0), nil, ""},
		{9, "Other", "2016-02-07", 2, 3, "Military buffer zone", "Government of Tunisia", count(0), nil, "Sunday"},
		{10, "Other", "2016-02-01", 3, 3, "Tunisia", "Military Forces of the United Kingdom", count(0), nil, ""},
	}
	if len(drafts) != len(want) {
		for _, d := range drafts {
			t.Log(d)
		}
		t.Fatalf("got %d drafts, want %d", len(drafts), len(want))
	}
	eq := func(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	for i, w := range want {
		d := drafts[i]
		inc := d.Incident
		// A matched draft is a change to the known incident: compare what the report gave.
		if d.Match != w.match {
			t.Errorf("draft %d (%s): matches incident %d, want %d", i, inc.Title, d.Match, w.match)
		}
		got := readFields(d)
		if got.sub != w.sub || got.date != w.date || got.timePrec != w.timePrec || got.geoPrec != w.geoPrec ||
			!strings.HasPrefix(got.location, w.location) || got.actor1 != w.actor1 || !eq(got.fatalities, w.fatalities) || !eq(got.injuries, w.injury) {
			t.Errorf("draft %d: got %+v\nwant %+v", i, got, w)
		}
		if w.disagreement != "" && !slices.ContainsFunc(d.Read.Disagreements, func(x geo.Disagreement) bool {
			return x.Field == "event_date" && strings.Contains(x.Note, w.disagreement)
		}) {
			t.Errorf("draft %d: disagreements %v, want the weekday's", i, inc.Disagreements)
		}
		if len(d.Problems) > 0 {
			t.Errorf("draft %d: problems %v", i, d.Problems)
		}
		if err := inc.Validate(); err != nil {
			t.Errorf("draft %d does not validate: %v", i, err)
		}
		// Every field cites words of the report, inside its sentence.
		for _, e := range d.Evidence {
			if e.Start < 0 || e.End > len(r.Text) || e.Start >= e.End || !strings.Contains(e.Quote, r.Text[e.Start:e.End]) {
				t.Errorf("draft %d: evidence for %s at [%d, %d) is not in its quote %q", i, e.Field, e.Start, e.End, e.Quote)
			}
		}
		for _, f := range []string{"event_type", "event_date", "location"} {
			if !slices.ContainsFunc(d.Evidence, func(e geo.Evidence) bool { return e.Field == f }) {
				t.Errorf("draft %d: no evidence for %s", i, f)
			}
		}
		// The report is a source of the incident, the old ones kept.
		if src := inc.Sources[len(inc.Sources)-1]; src.Publisher != "tunisia-tn.com" || src.Published != "2016-03-02" {
			t.Errorf("draft %d: last source %+v, want the report", i, src)
		}
	}
}

// fields are what a draft read from the report, before any merge.
type fields struct {
	sub, date            string
	timePrec, geoPrec    int
	location, actor1     string
	fatalities, injuries *int
}

func readFields(d report.Draft) fields {
	inc := d.Read
	f := fields{sub: inc.SubEventType, date: inc.EventDate.Format(geo.DateLayout), timePrec: inc.TimePrecision, geoPrec: inc.GeoPrecision,
		location: inc.Location, actor1: inc.Actor1, fatalities: inc.Fatalities, injuries: inc.Injuries}
	return f
}
