package report_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strconv"
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
	// The names the site stripped, put back in brackets from the keyword line.
	if sum := drafts[0].Read.Summary; !strings.Contains(sum, "army and [National Guard] are") || !strings.Contains(sum, "5 km from [Ben Guerdane].") {
		t.Errorf("the clash's summary does not fill the gaps: %q", sum)
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

// What is not a report it can read gets a clear error, and no drafts.
func TestBadInput(t *testing.T) {
	big := strings.Repeat("Clashes broke out in Ben Guerdane on March 7. ", 50<<20/46+1)
	for _, tt := range []struct {
		name string
		raw  []byte
		want string
	}{
		{"empty", nil, "empty"},
		{"blank", []byte(" \n\n\t "), "empty"},
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "not UTF-8 text"},
		{"latin-1", []byte("Affrontements \xe0 Ben Guerdane"), "not UTF-8 text"},
		{"50 MB", []byte(big), "larger than 2 MB"},
		{"French", []byte("Des affrontements ont éclaté le lundi 7 mars à Ben Guerdane entre les forces de sécurité et des terroristes venus de Libye. Le bilan est de 55 morts selon le ministère de l'Intérieur."), "reads as French"},
		{"Arabic", []byte("اندلعت اشتباكات في بنقردان بين قوات الأمن والجيش ومجموعة من الإرهابيين يوم الاثنين ٧ مارس، وأسفرت عن مقتل ٥٥ شخصا."), "another script"},
	} {
		r, err := report.Read(tt.raw, report.Meta{Published: day("2016-03-08")})
		if err == nil || !strings.Contains(err.Error(), tt.want) || r != nil {
			t.Errorf("%s: got %v, want an error saying %q", tt.name, err, tt.want)
			continue
		}
		var ge *geo.Error
		if !errors.As(err, &ge) || ge.Kind != geo.EInvalid {
			t.Errorf("%s: %v is not an invalid-input error", tt.name, err)
		}
	}
	// English with no event in it is read, and gives nothing.
	r, err := report.Read([]byte("Ben Guerdane is the commercial hub of the region bordering Libya, and its economy depends on the trade across the border."), report.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if ds := r.Drafts(gaz(t)); len(ds) != 0 {
		t.Errorf("background gave drafts: %v", ds)
	}
}

// Without the publication date, dates that need it are not guessed.
func TestDatesNeedThePublicationDate(t *testing.T) {
	raw, _ := os.ReadFile("testdata/el-amria-article.txt")
	r, err := report.Read(raw, report.Meta{Publisher: "tunisia-tn.com"})
	if err != nil {
		t.Fatal(err)
	}
	drafts := r.Drafts(gaz(t))
	for _, d := range drafts {
		if d.Read.EventDate.IsZero() {
			if !slices.ContainsFunc(d.Problems, func(p string) bool { return strings.Contains(p, "publication date") }) {
				t.Errorf("%s: no date and problems %v; want it to ask for the publication date", d, d.Problems)
			}
			continue
		}
		t.Errorf("%s: dated %s without a publication date or a year in the text", d, d.Read.EventDate.Format(geo.DateLayout))
	}
	if len(drafts) != 7 {
		t.Errorf("got %d drafts, want the same 7, undated", len(drafts))
	}
}

// An HTML page is read as its article: scripts and navigation left out.
func TestHTML(t *testing.T) {
	raw, _ := os.ReadFile("testdata/reports/tunis-bus-bombing.html")
	r, err := report.Read(raw, report.Meta{Publisher: "x", Published: day("2015-11-25")})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Text, "Sfax") || strings.Contains(r.Text, "World") || strings.Contains(r.Text, "<p>") {
		t.Errorf("the text keeps markup, scripts or navigation:\n%s", r.Text)
	}
	if r.Meta.Title != "Suicide Bomber Kills 12 Presidential Guards in Tunis" {
		t.Errorf("title %q", r.Meta.Title)
	}
}

// Reading a report of 1 000 words, beside the same words only split into
// sentences (what any reader must do).
func BenchmarkRead1000Words(b *testing.B) {
	raw, _ := os.ReadFile("testdata/el-amria-article.txt")
	words := len(strings.Fields(string(raw)))
	text := []byte(strings.Repeat(string(raw)+"\n\n", 1000/words+1))
	g := gaz(b)
	b.ReportMetric(float64(len(strings.Fields(string(text)))), "words")
	b.Run("read+drafts", func(b *testing.B) {
		for b.Loop() {
			r, err := report.Read(text, report.Meta{Publisher: "x", Published: day("2016-03-02")})
			if err != nil {
				b.Fatal(err)
			}
			r.Drafts(g)
		}
	})
	b.Run("read only", func(b *testing.B) {
		for b.Loop() {
			if _, err := report.Read(text, report.Meta{Publisher: "x", Published: day("2016-03-02")}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// readOne drafts one short report published on 2016-03-05 (a Saturday).
func readOne(t *testing.T, text string) report.Draft {
	t.Helper()
	r, err := report.Read([]byte(text), report.Meta{Publisher: "x", Published: day("2016-03-05")})
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	ds := r.Drafts(gaz(t))
	if len(ds) != 1 {
		t.Fatalf("%q: got %d drafts, want 1: %v", text, len(ds), ds)
	}
	return ds[0]
}

// How places set the location and its precision.
func TestPlaces(t *testing.T) {
	for _, tt := range []struct {
		text, location, country string
		precision               int
	}{
		{"Militants clashed with the army in Ben Gardane on March 3.", "Ben Guerdane", "TN", 1},
		{"Militants clashed with the army near Medenine on March 3.", "Near Medenine", "TN", 2},
		{"Militants clashed with the army on the outskirts of Zarzis on March 3.", "Outskirts of Zarzis", "TN", 2},
		{"Militants clashed with the army in a village 20 km from Tataouine on March 3.", "20 km from Tataouine", "TN", 2},
		{"Police arrested two men in the Ettadhamen neighbourhood of Tunis on March 3.", "Tunis (Ettadhamen neighbourhood)", "TN", 2},
		{"Militants clashed with the army in the Medenine Governorate on March 3.", "Medenine Governorate", "TN", 3},
		{"Police arrested two smugglers in Libya on March 3.", "Libya", "LY", 3},
		{"A drone strike hit a camp outside Sabratah on March 3.", "Outside Sabratha", "LY", 2},
		// One name, two places: the one near the report's other places.
		{"Police arrested two men in Hadrumetum on March 3. Both came from Ksar Hellal.", "Monastir", "TN", 1},
		{"Police arrested two men in Hadrumetum on March 3.", "Sousse", "TN", 1},
		// Where the event was, not where its actors came from or who spoke.
		{"Militants from Libya clashed with the army in Ben Guerdane on March 3, the Tripoli government said.", "Ben Guerdane", "TN", 1},
	} {
		d := readOne(t, tt.text)
		if !strings.HasPrefix(d.Read.Location, tt.location) || d.Read.Country != tt.country || d.Read.GeoPrecision != tt.precision {
			t.Errorf("%q: %s (%s), precision %d; want %s (%s), %d", tt.text, d.Read.Location, d.Read.Country, d.Read.GeoPrecision, tt.location, tt.country, tt.precision)
		}
	}
}

// How counts are read: number words, sums, hedges, vague words.
func TestCounts(t *testing.T) {
	for _, tt := range []struct {
		text                 string
		fatalities, injuries string
		note                 string
	}{
		{"Troops clashed with militants in Ben Guerdane on March 3, killing a civilian and five presumed terrorists.", "6", "unknown", ""},
		{"Militants clashed with the army in Ben Guerdane on March 3. Three civilians and an officer were killed.", "4", "unknown", "by side: Three civilians, an officer"},
		{"Militants clashed with the army in Ben Guerdane on March 3, killing nearly sixty people.", "60", "unknown", "nearly sixty"},
		{"Militants clashed with the army in Ben Guerdane on March 3. Several soldiers were wounded.", "unknown", "unknown", ""},
		{"Militants clashed with the army in Ben Guerdane on March 3. Two soldiers were killed and 14 were wounded.", "2", "14", ""},
		{"Militants clashed with the army in Ben Guerdane on March 3.", "unknown", "unknown", ""},
	} {
		d := readOne(t, tt.text)
		got := [2]string{countString(d.Read.Fatalities), countString(d.Read.Injuries)}
		if got != [2]string{tt.fatalities, tt.injuries} {
			t.Errorf("%q: fatalities %s, injuries %s; want %s, %s", tt.text, got[0], got[1], tt.fatalities, tt.injuries)
		}
		if tt.note != "" && !slices.ContainsFunc(d.Evidence, func(e geo.Evidence) bool { return e.Field == "fatalities" && strings.Contains(e.Note, tt.note) }) {
			t.Errorf("%q: the evidence does not note %q: %v", tt.text, tt.note, d.Evidence)
		}
	}
	// An unconfirmed toll is kept, and marked as a disagreement.
	d := readOne(t, "Militants clashed with the army in Ben Guerdane on March 3. Unconfirmed reports said 12 soldiers were killed.")
	if countString(d.Read.Fatalities) != "12" || !slices.ContainsFunc(d.Read.Disagreements, func(x geo.Disagreement) bool { return x.Field == "fatalities" }) {
		t.Errorf("an unconfirmed toll: %s, disagreements %v", countString(d.Read.Fatalities), d.Read.Disagreements)
	}
}

func countString(n *int) string {
	if n == nil {
		return "unknown"
	}
	return strconv.Itoa(*n)
}

// How dates are read, against a publication on Saturday 5 March 2016.
func TestDates(t *testing.T) {
	for _, tt := range []struct {
		text, date string
		precision  int
		disagree   bool
	}{
		{"Militants clashed with the army in Ben Guerdane on February 19.", "2016-02-19", 1, false},
		{"Militants clashed with the army in Ben Guerdane on Wednesday, March 2.", "2016-03-02", 1, false},
		{"Militants clashed with the army in Ben Guerdane on Thursday, March 2.", "2016-03-02", 2, true},
		{"Militants clashed with the army in Ben Guerdane in March 2015.", "2015-03-01", 3, false},
		{"Militants clashed with the army in Ben Guerdane last week.", "2016-02-28", 2, false},
		{"Militants clashed with the army in Ben Guerdane this afternoon.", "2016-03-05", 1, false},
		{"Militants clashed with the army in Ben Guerdane yesterday.", "2016-03-04", 1, false},
		{"Militants clashed with the army in Ben Guerdane on Tuesday.", "2016-03-01", 1, false},
		{"Militants clashed with the army in Ben Guerdane on December 30.", "2015-12-30", 1, false},
		{"A drone strike hit Sabratha on February 19. Five days before the airstrike, police arrested two smugglers in Ben Guerdane.", "2016-02-19", 1, false},
	} {
		r, err := report.Read([]byte(tt.text), report.Meta{Publisher: "x", Published: day("2016-03-05")})
		if err != nil {
			t.Fatal(err)
		}
		d := r.Drafts(gaz(t))[0]
		if got := d.Read.EventDate.Format(geo.DateLayout); got != tt.date || d.Read.TimePrecision != tt.precision || (len(d.Read.Disagreements) > 0) != tt.disagree {
			t.Errorf("%q: %s precision %d, disagreements %v; want %s, %d, %v", tt.text, got, d.Read.TimePrecision, d.Read.Disagreements, tt.date, tt.precision, tt.disagree)
		}
	}
	// Relative to another event.
	r, _ := report.Read([]byte("A drone strike hit Sabratha on February 19. Five days before the airstrike, police arrested two smugglers in Ben Guerdane."), report.Meta{Publisher: "x", Published: day("2016-03-05")})
	ds := r.Drafts(gaz(t))
	if len(ds) != 2 || ds[1].Read.EventDate.Format(geo.DateLayout) != "2016-02-14" {
		t.Errorf("five days before the airstrike: %v", ds)
	}
}
