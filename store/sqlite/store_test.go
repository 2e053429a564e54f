package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func openTestDB(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(context.Background(), filepath.Join(tb.TempDir(), "test.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func incidentAt(title string, p orb.Geometry, date string) geo.Incident {
	d, _ := time.Parse(geo.DateLayout, date)
	return geo.Incident{
		Title: title, EventDate: d, TimePrecision: geo.TimeDay,
		DisorderType: geo.DisorderPoliticalViolence, EventType: "Battles", SubEventType: "Armed clash",
		Actor1: "Military Forces of Tunisia", Country: "TN", Geometry: p, GeoPrecision: geo.GeoExact,
		Sources: []geo.Source{{Publisher: "Reuters", URL: "https://www.reuters.com/x"}},
	}
}

func TestCreateAndGetIncident(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	db.Now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	inc := incidentAt("Clash", orb.Point{11.2, 33.1}, "2016-03-02")
	seven := 7
	inc.Injuries = &seven
	inc.Disagreements = []geo.Disagreement{{Field: "event_date", Note: "sources differ"}}
	if err := db.CreateIncident(ctx, &inc); err != nil {
		t.Fatal(err)
	}
	if inc.ID == 0 {
		t.Fatal("got id 0, want an id set")
	}
	got, err := db.Incident(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Clash" || got.Fatalities != nil || got.Injuries == nil || *got.Injuries != 7 ||
		got.Geometry != (orb.Point{11.2, 33.1}) || len(got.Disagreements) != 1 || !got.CreatedAt.Equal(db.Now()) {
		t.Errorf("got %+v, want the stored incident back with unknown fatalities and 7 injuries", got)
	}
	if _, err := db.Incident(ctx, 999); geo.ErrorKind(err) != geo.ENotFound {
		t.Errorf("missing incident: got %v, want not found", err)
	}
}

func TestCreateIncidentRefusesInvalid(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	inc := incidentAt("", orb.Point{200, 33}, "2016-03-02")
	if err := db.CreateIncident(ctx, &inc); geo.ErrorKind(err) != geo.EInvalid {
		t.Fatalf("got %v, want invalid", err)
	}
	if n, _ := db.CountIncidents(ctx); n != 0 {
		t.Errorf("got %d incidents stored, want 0", n)
	}
}

func TestBBoxQueryUsesRTreeAndReturnsExactIDs(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	incs := []geo.Incident{
		incidentAt("Ben Guerdane", orb.Point{11.21965, 33.13783}, "2016-03-07"),
		incidentAt("Sabratha", orb.Point{12.48845, 32.79335}, "2016-02-19"),
		incidentAt("Tunis", orb.Point{10.16579, 36.81897}, "2015-11-24"),
		incidentAt("Zarzis", orb.Point{11.11215, 33.50398}, "2016-01-01"),
		incidentAt("Barrier", orb.LineString{{11.5, 33.1}, {10.7, 32.0}}, "2016-02-06"),
		incidentAt("Fiji", orb.Point{179.9, -17}, "2016-02-06"),
		incidentAt("Samoa", orb.Point{-171.8, -13.8}, "2016-02-06"),
	}
	if _, _, err := db.ImportIncidents(ctx, incs); err != nil {
		t.Fatal(err)
	}
	box := func(a, b, c, d float64) *orb.Bound { return &orb.Bound{Min: orb.Point{a, b}, Max: orb.Point{c, d}} }
	tests := []struct {
		name string
		bbox *orb.Bound
		want []string
	}{
		{"south-east Tunisia", box(10.9, 32.5, 11.6, 33.6), []string{"Barrier", "Zarzis", "Ben Guerdane"}},
		{"line crossing box with no vertex in it", box(10.9, 32.3, 11.0, 32.4), []string{"Barrier"}},
		{"Libya only", box(12, 32, 14, 33), []string{"Sabratha"}},
		{"empty sea", box(5, 40, 6, 41), nil},
		{"across the antimeridian", box(170, -20, -170, -10), []string{"Samoa", "Fiji"}},
	}
	for _, tt := range tests {
		for _, rtree := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/rtree=%v", tt.name, rtree), func(t *testing.T) {
				var got []string
				where, args := whereClause(geo.Filter{BBox: tt.bbox}, rtree)
				err := eachIncident(ctx, db.reader, `SELECT `+incidentColumns+` FROM incidents i`+where+` ORDER BY i.event_date, i.id`, args,
					func(inc geo.Incident) error { got = append(got, inc.Title); return nil })
				if err != nil {
					t.Fatal(err)
				}
				slices.Sort(got)
				want := slices.Clone(tt.want)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
			})
		}
	}
}

func TestIncidentsFilterAndPaging(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	var incs []geo.Incident
	for i := range 10 {
		incs = append(incs, incidentAt(fmt.Sprint("day ", i+1), orb.Point{11, 33}, fmt.Sprintf("2016-02-%02d", i+1)))
	}
	week := incidentAt("week ending 20th", orb.Point{11, 33}, "2016-02-20")
	week.TimePrecision = geo.TimeWeek
	week.EventType, week.SubEventType, week.DisorderType = "Strategic developments", "Arrests", geo.DisorderStrategic
	incs = append(incs, week)
	if _, _, err := db.ImportIncidents(ctx, incs); err != nil {
		t.Fatal(err)
	}
	d := func(s string) time.Time { t, _ := time.Parse(geo.DateLayout, s); return t }

	page, err := db.Incidents(ctx, geo.Filter{From: d("2016-02-03"), To: d("2016-02-05")})
	if err != nil {
		t.Fatal(err)
	}
	if page.NumberMatched != 3 || len(page.Incidents) != 3 || page.Incidents[0].Title != "day 3" {
		t.Errorf("date range: got %d matched, first %q; want 3 from day 3", page.NumberMatched, page.Incidents[0].Title)
	}
	// A week-precision event counts for any day of its week.
	page, _ = db.Incidents(ctx, geo.Filter{From: d("2016-02-15"), To: d("2016-02-15")})
	if page.NumberMatched != 1 || page.Incidents[0].Title != "week ending 20th" {
		t.Errorf("week precision: got %d matched, want the week-precision incident", page.NumberMatched)
	}
	page, _ = db.Incidents(ctx, geo.Filter{EventTypes: []string{"Battles"}, Limit: 4, Offset: 8})
	if page.NumberMatched != 10 || len(page.Incidents) != 2 || page.Incidents[0].Title != "day 9" {
		t.Errorf("paging: got %d matched, %d returned; want 10 matched, 2 returned from day 9", page.NumberMatched, len(page.Incidents))
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	good := incidentAt("good", orb.Point{11, 33}, "2016-02-01")
	bad := incidentAt("bad", orb.LineString{{11, 33}}, "2016-02-01")
	if _, _, err := db.ImportIncidents(ctx, []geo.Incident{good, bad}); geo.ErrorKind(err) != geo.EInvalid {
		t.Fatalf("got %v, want invalid", err)
	}
	if n, _ := db.CountIncidents(ctx); n != 0 {
		t.Errorf("got %d incidents after a failed import, want 0", n)
	}
	// Re-importing with the same IDs updates rather than duplicates.
	good.ID = 42
	for range 2 {
		if _, _, err := db.ImportIncidents(ctx, []geo.Incident{good}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := db.CountIncidents(ctx); n != 1 {
		t.Errorf("got %d incidents after importing the same id twice, want 1", n)
	}
}

func TestUpdateAndDeleteKeepRTreeInStep(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	inc := incidentAt("moves", orb.Point{11, 33}, "2016-02-01")
	if err := db.CreateIncident(ctx, &inc); err != nil {
		t.Fatal(err)
	}
	inc.Geometry = orb.Point{12.5, 32.8}
	if err := db.UpdateIncident(ctx, &inc); err != nil {
		t.Fatal(err)
	}
	count := func(b orb.Bound) int {
		page, err := db.Incidents(ctx, geo.Filter{BBox: &b})
		if err != nil {
			t.Fatal(err)
		}
		return page.NumberMatched
	}
	old := orb.Bound{Min: orb.Point{10.9, 32.9}, Max: orb.Point{11.1, 33.1}}
	now := orb.Bound{Min: orb.Point{12.4, 32.7}, Max: orb.Point{12.6, 32.9}}
	if count(old) != 0 || count(now) != 1 {
		t.Errorf("after moving: got %d at the old place and %d at the new, want 0 and 1", count(old), count(now))
	}
	if err := db.DeleteIncident(ctx, inc.ID); err != nil {
		t.Fatal(err)
	}
	var n int
	db.reader.QueryRowContext(ctx, `SELECT count(*) FROM incidents_rtree`).Scan(&n)
	if n != 0 {
		t.Errorf("got %d R*Tree rows after delete, want 0", n)
	}
	if err := db.DeleteIncident(ctx, inc.ID); geo.ErrorKind(err) != geo.ENotFound {
		t.Errorf("deleting twice: got %v, want not found", err)
	}
}

func TestIncidentsNear(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	incs := []geo.Incident{
		incidentAt("Ben Guerdane", orb.Point{11.21965, 33.13783}, "2016-03-07"),
		incidentAt("El Amria", orb.Point{11.25, 33.10}, "2016-03-02"),
		incidentAt("Zarzis", orb.Point{11.11215, 33.50398}, "2016-01-01"),
		incidentAt("Sabratha", orb.Point{12.48845, 32.79335}, "2016-02-19"),
	}
	if _, _, err := db.ImportIncidents(ctx, incs); err != nil {
		t.Fatal(err)
	}
	near, dist, err := db.IncidentsNear(ctx, orb.Point{11.21965, 33.13783}, 50, incs[0].ID, 10, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, inc := range near {
		got = append(got, inc.Title)
	}
	if !slices.Equal(got, []string{"El Amria", "Zarzis"}) || dist[0] > dist[1] {
		t.Errorf("got %v at %v km, want El Amria then Zarzis, nearest first", got, dist)
	}
}

func TestLayersRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	f := geojson.NewFeature(orb.LineString{{11.5, 33.18}, {10.7, 32.0}})
	f.Properties["reported_length_km"] = 250.0
	l := geo.Layer{ID: "barrier", Title: "Barrier", Kind: geo.KindBarrier, Features: []*geojson.Feature{f}}
	for range 2 { // replacing never duplicates
		if err := db.PutLayer(ctx, l, 1); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Layer(ctx, "barrier")
	if err != nil {
		t.Fatal(err)
	}
	if got.Count != 1 || got.Bound == nil || *got.Bound != f.Geometry.Bound() {
		t.Errorf("got count %d and bound %v, want 1 feature within %v", got.Count, got.Bound, f.Geometry.Bound())
	}
	page, err := db.LayerFeatures(ctx, "barrier", geo.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if page.NumberMatched != 1 || len(page.Features) != 1 || page.Features[0].ID != 1 || page.Features[0].Properties["reported_length_km"] != 250.0 {
		t.Errorf("got %+v, want the one feature back with id 1 and its properties", page.Features)
	}
	if _, err := db.Layer(ctx, "nope"); geo.ErrorKind(err) != geo.ENotFound {
		t.Errorf("got %v, want not found", err)
	}
	if _, err := db.LayerFeatures(ctx, "nope", geo.Filter{}); geo.ErrorKind(err) != geo.ENotFound {
		t.Errorf("features of a missing layer: got %v, want not found", err)
	}
	if _, err := db.LayerFeature(ctx, "barrier", 2); geo.ErrorKind(err) != geo.ENotFound {
		t.Errorf("missing feature: got %v, want not found", err)
	}
	bad := geo.Layer{ID: "Bad Id", Title: "x", Kind: "weird"}
	if err := db.PutLayer(ctx, bad, 0); geo.ErrorKind(err) != geo.EInvalid {
		t.Errorf("got %v, want invalid", err)
	}
}

func TestReopenKeepsDataAndMigratesOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "re.db")
	for i := range 2 {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			inc := incidentAt("kept", orb.Point{11, 33}, "2016-02-01")
			if err := db.CreateIncident(ctx, &inc); err != nil {
				t.Fatal(err)
			}
		}
		var migs, n int
		db.reader.QueryRowContext(ctx, `SELECT count(*) FROM migrations`).Scan(&migs)
		n, _ = db.CountIncidents(ctx)
		files, _ := fs.Glob(migrations, "migrations/*.sql")
		if migs != len(files) || n != 1 {
			t.Errorf("open %d: got %d migrations and %d incidents, want %d and 1", i, migs, n, len(files))
		}
		var mode string
		db.reader.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
		var fk int
		db.reader.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk)
		if mode != "wal" || fk != 1 {
			t.Errorf("reader connection: got journal_mode %s, foreign_keys %d; want wal, 1", mode, fk)
		}
		db.Close()
	}
}

func TestOpenFailsClearly(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"))
	if err == nil {
		t.Fatal("got no error opening a database in a missing directory")
	}
	var e *geo.Error
	if errors.As(err, &e) {
		t.Errorf("got domain error %v, want a wrapped I/O error", err)
	}
}

// benchDB holds 100 000 synthetic incidents spread over North Africa, built
// once per run.
var benchDB = sync.OnceValues(func() (*DB, error) {
	dir, err := os.MkdirTemp("", "borderwatch-bench")
	if err != nil {
		return nil, err
	}
	db, err := Open(context.Background(), filepath.Join(dir, "bench.db"))
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(1, 2))
	incs := make([]geo.Incident, 100_000)
	for i := range incs {
		p := orb.Point{-10 + r.Float64()*45, 15 + r.Float64()*22}
		incs[i] = incidentAt(fmt.Sprint("synthetic ", i), p, "2016-02-01")
	}
	_, _, err = db.ImportIncidents(context.Background(), incs)
	return db, err
})

// BenchmarkBBoxQuery compares the R*Tree with a full scan of the table for a
// box around Ben Guerdane (about 0.25% of the data).
func BenchmarkBBoxQuery(b *testing.B) {
	db, err := benchDB()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	box := &orb.Bound{Min: orb.Point{10.5, 32.5}, Max: orb.Point{12.5, 33.5}}
	for _, rtree := range []bool{true, false} {
		name := "fullscan"
		if rtree {
			name = "rtree"
		}
		b.Run(name, func(b *testing.B) {
			where, args := whereClause(geo.Filter{BBox: box}, rtree)
			var n int
			for b.Loop() {
				n = 0
				err := eachIncident(ctx, db.reader, `SELECT `+incidentColumns+` FROM incidents i`+where, args,
					func(geo.Incident) error { n++; return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "rows")
		})
	}
}

func TestFiltersAndDistances(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	barrier := geojson.NewFeature(orb.LineString{{11.0, 33.0}, {11.0, 32.0}})
	if err := db.PutLayer(ctx, geo.Layer{ID: "barrier", Title: "B", Kind: geo.KindBarrier, Features: []*geojson.Feature{barrier}}, 0); err != nil {
		t.Fatal(err)
	}
	// A border along lat 32.8 and a crossing at Ras Jedir's longitude.
	border := geojson.NewFeature(orb.LineString{{10.0, 32.8}, {13.0, 32.8}})
	if err := db.PutLayer(ctx, geo.Layer{ID: "border", Title: "Border", Kind: geo.KindBorder, Features: []*geojson.Feature{border}}, 1); err != nil {
		t.Fatal(err)
	}
	crossing := geojson.NewFeature(orb.Point{12.5, 32.8})
	if err := db.PutLayer(ctx, geo.Layer{ID: "crossings", Title: "Crossings", Kind: geo.KindCrossing, Features: []*geojson.Feature{crossing}}, 2); err != nil {
		t.Fatal(err)
	}
	three, ten := 3, 10
	a := incidentAt("Clash near the line", orb.Point{11.05, 32.5}, "2016-03-02")
	a.Fatalities, a.Actor2 = &ten, "Militants from Libya"
	b := incidentAt("Arrests in Tunis", orb.Point{10.17, 36.82}, "2016-02-20")
	b.EventType, b.SubEventType, b.DisorderType, b.Fatalities = "Strategic developments", "Arrests", geo.DisorderStrategic, &three
	c := incidentAt("Strike in Libya", orb.Point{12.49, 32.79}, "2016-02-19")
	c.Country, c.Summary = "LY", "A camp near Sabratha"
	if _, _, err := db.ImportIncidents(ctx, []geo.Incident{a, b, c}); err != nil {
		t.Fatal(err)
	}
	got, _ := db.Incident(ctx, 1)
	if got.BarrierKm == nil || *got.BarrierKm < 4.5 || *got.BarrierKm > 4.8 {
		t.Errorf("got barrier distance %v, want about 4.7 km", got.BarrierKm)
	}
	if got.BorderKm == nil || *got.BorderKm < 33 || *got.BorderKm > 34 || got.CrossingKm == nil || *got.CrossingKm < 135 || *got.CrossingKm > 145 {
		t.Errorf("got border %v and crossing %v km, want about 33 and 140", ptrString(got.BorderKm), ptrString(got.CrossingKm))
	}
	km := func(v float64) *float64 { return &v }
	tests := []struct {
		name string
		f    geo.Filter
		want []string
	}{
		{"near barrier", geo.Filter{NearBarrierKm: km(10)}, []string{"Clash near the line"}},
		{"near border", geo.Filter{NearBorderKm: km(40)}, []string{"Clash near the line", "Strike in Libya"}},
		{"near a crossing", geo.Filter{NearCrossingKm: km(5)}, []string{"Strike in Libya"}},
		{"near the border and the barrier", geo.Filter{NearBorderKm: km(40), NearBarrierKm: km(10)}, []string{"Clash near the line"}},
		{"min fatalities", geo.Filter{MinFatalities: &three}, []string{"Arrests in Tunis", "Clash near the line"}},
		{"actor", geo.Filter{Actor: "libya"}, []string{"Clash near the line"}},
		{"q in summary", geo.Filter{Query: "SABRATHA"}, []string{"Strike in Libya"}},
		{"country", geo.Filter{Countries: []string{"LY"}}, []string{"Strike in Libya"}},
		{"sub event type", geo.Filter{SubEventTypes: []string{"Arrests"}}, []string{"Arrests in Tunis"}},
		{"q with LIKE wildcards is literal", geo.Filter{Query: "%"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := db.Incidents(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, inc := range page.Incidents {
				titles = append(titles, inc.Title)
			}
			slices.Sort(titles)
			if !slices.Equal(titles, tt.want) {
				t.Errorf("got %v, want %v", titles, tt.want)
			}
		})
	}
	// Moving the barrier re-measures every incident.
	moved := geojson.NewFeature(orb.LineString{{12.49, 33.0}, {12.49, 32.0}})
	v1, _, _ := db.Version(ctx)
	if err := db.PutLayer(ctx, geo.Layer{ID: "barrier", Title: "B", Kind: geo.KindBarrier, Features: []*geojson.Feature{moved}}, 0); err != nil {
		t.Fatal(err)
	}
	page, _ := db.Incidents(ctx, geo.Filter{NearBarrierKm: km(1)})
	if page.NumberMatched != 1 || page.Incidents[0].Title != "Strike in Libya" {
		t.Errorf("after moving the barrier: got %d near it, want the strike", page.NumberMatched)
	}
	if v2, _, _ := db.Version(ctx); v2 <= v1 {
		t.Errorf("got version %d after a write, want more than %d", v2, v1)
	}
	e, err := db.IncidentsExtent(ctx)
	if err != nil || e.Count != 3 || e.Bound.Min[0] != 10.17 || e.First.Format(geo.DateLayout) != "2016-02-19" {
		t.Errorf("got extent %+v (%v), want 3 incidents from lon 10.17 and 2016-02-19", e, err)
	}
}

func TestAsOfShowsIncidentsAsTheyStood(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	clock := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	a := incidentAt("first title", orb.Point{11.2, 33.1}, "2016-03-02")
	b := incidentAt("later deleted", orb.Point{12.5, 32.8}, "2016-02-19")
	if _, _, err := db.ImportIncidents(ctx, []geo.Incident{a, b}); err != nil {
		t.Fatal(err)
	}
	t1 := clock
	clock = clock.Add(time.Hour)
	got, _ := db.Incident(ctx, 1)
	got.Title, got.Geometry = "corrected title", orb.Point{11.3, 33.2}
	if err := db.UpdateIncident(ctx, &got); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Millisecond) // a second change within the same second
	if err := db.DeleteIncident(ctx, 2); err != nil {
		t.Fatal(err)
	}
	titles := func(f geo.Filter) []string {
		page, err := db.Incidents(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, inc := range page.Incidents {
			out = append(out, inc.Title)
		}
		return out
	}
	if got := titles(geo.Filter{AsOf: t1.Add(time.Minute)}); !slices.Equal(got, []string{"later deleted", "first title"}) {
		t.Errorf("as of t1: got %v, want both as first written", got)
	}
	if got := titles(geo.Filter{AsOf: t1.Add(time.Hour + time.Microsecond)}); !slices.Equal(got, []string{"later deleted", "corrected title"}) {
		t.Errorf("between the two changes: got %v", got)
	}
	if got := titles(geo.Filter{}); !slices.Equal(got, []string{"corrected title"}) {
		t.Errorf("now: got %v", got)
	}
	if got := titles(geo.Filter{AsOf: t1.Add(-time.Minute)}); len(got) != 0 {
		t.Errorf("before anything: got %v", got)
	}
	// Filters apply to the old versions too: the old position is in this box.
	box := orb.Bound{Min: orb.Point{11.15, 33.05}, Max: orb.Point{11.25, 33.15}}
	if got := titles(geo.Filter{AsOf: t1.Add(time.Minute), BBox: &box}); !slices.Equal(got, []string{"first title"}) {
		t.Errorf("old position in bbox: got %v", got)
	}
}

func TestClustersAtZoom(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	var incs []geo.Incident
	// 30 near Ben Guerdane, 20 near Sabratha, one alone in Tunis.
	for i := range 30 {
		incs = append(incs, incidentAt(fmt.Sprint("bg ", i), orb.Point{11.2 + float64(i)*0.001, 33.1}, "2016-03-02"))
	}
	for i := range 20 {
		incs = append(incs, incidentAt(fmt.Sprint("sab ", i), orb.Point{12.48 + float64(i)*0.001, 32.79}, "2016-02-19"))
	}
	incs = append(incs, incidentAt("tunis", orb.Point{10.17, 36.82}, "2015-11-24"))
	if _, _, err := db.ImportIncidents(ctx, incs); err != nil {
		t.Fatal(err)
	}
	c, err := db.Clusters(ctx, geo.Filter{}, 6, 64, 10)
	if err != nil {
		t.Fatal(err)
	}
	var counts []int
	for _, cl := range c.Clusters {
		counts = append(counts, cl.Count)
	}
	if c.NumberMatched != 51 || !slices.Equal(counts, []int{30, 20}) || len(c.Singles) != 1 || c.Singles[0].Title != "tunis" {
		t.Errorf("zoom 6: got %d matched, clusters %v, %d singles; want 51, [30 20], tunis alone", c.NumberMatched, counts, len(c.Singles))
	}
	if b := c.Clusters[0].Bound; b.Min[0] != 11.2 || b.Max[0] < 11.228 {
		t.Errorf("got cluster bound %v, want the members' box", b)
	}
	// Few enough to send whole: no clusters at all.
	c, _ = db.Clusters(ctx, geo.Filter{}, 6, 64, 100)
	if len(c.Clusters) != 0 || len(c.Singles) != 51 {
		t.Errorf("under the limit: got %d clusters and %d singles, want every incident whole", len(c.Clusters), len(c.Singles))
	}
	// Deep enough, the Ben Guerdane group splits.
	c, _ = db.Clusters(ctx, geo.Filter{}, 16, 64, 10)
	if len(c.Clusters) < 3 {
		t.Errorf("zoom 16: got %d clusters, want the groups split up", len(c.Clusters))
	}
	st, err := db.Stats(ctx, geo.Filter{EventTypes: []string{"Riots"}})
	if err != nil || st.ByEventType["Battles"] != 51 || len(st.Spans) != 0 {
		t.Errorf("stats of riots: got %+v (%v), want 51 battles whatever the type filter, and no dates", st, err)
	}
	from, _ := time.Parse(geo.DateLayout, "2016-03-01")
	st, _ = db.Stats(ctx, geo.Filter{From: from})
	if len(st.Spans) != 3 {
		t.Errorf("stats from March: got %d date spans, want all 3 whatever the date filter", len(st.Spans))
	}
}

// Layers are queried like incidents: by box (across the antimeridian too),
// paged, counted, in the store.
func TestLayerFeaturesByBoxAndPage(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	var feats []*geojson.Feature
	for _, p := range []orb.Point{{10, 33}, {11, 33}, {12, 33}, {179.5, 0}, {-179.5, 0}} {
		feats = append(feats, geojson.NewFeature(p))
	}
	if err := db.PutLayer(ctx, geo.Layer{ID: "crossings", Title: "Crossings", Kind: geo.KindCrossing, Features: feats}, 0); err != nil {
		t.Fatal(err)
	}
	ids := func(p geo.FeaturePage) []int {
		var out []int
		for _, f := range p.Features {
			out = append(out, f.ID.(int))
		}
		return out
	}
	box := func(a, b, c, d float64) *orb.Bound { return &orb.Bound{Min: orb.Point{a, b}, Max: orb.Point{c, d}} }
	tests := []struct {
		name    string
		f       geo.Filter
		want    []int
		matched int
	}{
		{"all", geo.Filter{}, []int{1, 2, 3, 4, 5}, 5},
		{"box", geo.Filter{BBox: box(10.5, 32, 12.5, 34)}, []int{2, 3}, 2},
		{"antimeridian", geo.Filter{BBox: box(179, -1, -179, 1)}, []int{4, 5}, 2},
		{"page", geo.Filter{Limit: 2, Offset: 1}, []int{2, 3}, 5},
		{"past the end", geo.Filter{Offset: 10}, nil, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := db.LayerFeatures(ctx, "crossings", tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(page); !slices.Equal(got, tt.want) || page.NumberMatched != tt.matched {
				t.Errorf("got %v of %d, want %v of %d", got, page.NumberMatched, tt.want, tt.matched)
			}
		})
	}
	layers, err := db.Layers(ctx)
	if err != nil || len(layers) != 1 || layers[0].Count != 5 || layers[0].Bound.Min != (orb.Point{-179.5, 0}) {
		t.Errorf("got %+v, %v; want one layer of 5 features from -179.5,0", layers, err)
	}
}

// One write reads the clock once: created_at, updated_at, the version's
// valid_from and the data's modified_at are one instant, however slow the
// clock ticks between reads.
func TestOneClockPerWrite(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	tick := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	db.Now = func() time.Time { tick = tick.Add(time.Second); return tick }
	inc := incidentAt("Clash", orb.Point{11.2, 33.1}, "2016-03-02")
	if err := db.CreateIncident(ctx, &inc); err != nil {
		t.Fatal(err)
	}
	_, modified, err := db.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var validFrom string
	if err := db.reader.QueryRow(`SELECT valid_from FROM incident_versions WHERE id = ?`, inc.ID).Scan(&validFrom); err != nil {
		t.Fatal(err)
	}
	vf, _ := time.Parse(record.VersionLayout, validFrom)
	if !inc.CreatedAt.Equal(inc.UpdatedAt) || !inc.CreatedAt.Equal(modified) || !inc.CreatedAt.Equal(vf) {
		t.Errorf("got created %v, updated %v, modified %v, valid from %v; want one instant", inc.CreatedAt, inc.UpdatedAt, modified, vf)
	}
}

// Reads in a snapshot see one moment: a write that commits meanwhile shows
// in neither the data nor its version.
func TestSnapshotSeesOneMoment(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	first := incidentAt("First", orb.Point{11, 33}, "2016-03-02")
	if err := db.CreateIncident(ctx, &first); err != nil {
		t.Fatal(err)
	}
	snap, release, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	v1, _, err := db.Version(snap)
	if err != nil {
		t.Fatal(err)
	}
	second := incidentAt("Second", orb.Point{11, 33}, "2016-03-03")
	if err := db.CreateIncident(ctx, &second); err != nil {
		t.Fatal(err)
	}
	page, err := db.Incidents(snap, geo.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	v2, _, _ := db.Version(snap)
	if page.NumberMatched != 1 || v2 != v1 {
		t.Errorf("in the snapshot: got %d incidents at version %d (first read %d), want 1 at one version", page.NumberMatched, v2, v1)
	}
	if now, _ := db.Incidents(ctx, geo.Filter{}); now.NumberMatched != 2 {
		t.Errorf("outside the snapshot: got %d incidents, want 2", now.NumberMatched)
	}
}

// While one handle holds the write lock (an import in progress), another
// opens the database and reads at once, its writes queue behind the lock,
// and a write that waits too long says so.
func TestOpenReadAndQueueWhileAWriteHoldsTheLock(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lock.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	first := incidentAt("First", orb.Point{11, 33}, "2016-03-02")
	if err := a.CreateIncident(ctx, &first); err != nil {
		t.Fatal(err)
	}
	tx, err := a.BeginTx(ctx, false) // the "import": holds the write lock
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open while another writes: %v", err)
	}
	defer b.Close()
	if n, err := b.CountIncidents(ctx); err != nil || n != 1 {
		t.Errorf("read while another writes: got %d, %v", n, err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("open and read took %v while another wrote, want no wait", took)
	}
	// A write queues, and goes through when the lock is released.
	done := make(chan error, 1)
	go func() {
		second := incidentAt("Second", orb.Point{11, 33}, "2016-03-03")
		done <- b.CreateIncident(ctx, &second)
	}()
	time.Sleep(300 * time.Millisecond)
	tx.Rollback()
	if err := <-done; err != nil {
		t.Errorf("a queued write: got %v, want it done once the lock was released", err)
	}
	// One that waits past WriteWait gives up, saying why.
	wait := WriteWait
	WriteWait = 200 * time.Millisecond
	defer func() { WriteWait = wait }()
	c, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tx, err = a.BeginTx(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	third := incidentAt("Third", orb.Point{11, 33}, "2016-03-04")
	err = c.CreateIncident(ctx, &third)
	if geo.ErrorKind(err) != geo.EConflict || !strings.Contains(err.Error(), "busy with another write") {
		t.Errorf("a write that waited too long: got %v, want a conflict saying the database is busy", err)
	}
}

func ptrString(x *float64) string {
	if x == nil {
		return "nil"
	}
	return strconv.FormatFloat(*x, 'f', 1, 64)
}

// An incident keeps the time it was created through edits and through
// imports that replace it; updated_at moves with each write.
func TestCreatedAtStaysThroughEditsAndImports(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	at := func(h int) time.Time { return time.Date(2026, 1, 2, h, 0, 0, 0, time.UTC) }
	db.Now = func() time.Time { return at(1) }
	inc := incidentAt("kept", orb.Point{11.2, 33.1}, "2016-03-02")
	if err := db.CreateIncident(ctx, &inc); err != nil {
		t.Fatal(err)
	}
	check := func(when string, updated time.Time) {
		t.Helper()
		got, err := db.Incident(ctx, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.CreatedAt.Equal(at(1)) || !got.UpdatedAt.Equal(updated) {
			t.Errorf("after %s: created %v, updated %v; want %v and %v", when, got.CreatedAt, got.UpdatedAt, at(1), updated)
		}
	}
	db.Now = func() time.Time { return at(2) }
	inc.Title = "edited"
	if err := db.UpdateIncident(ctx, &inc); err != nil {
		t.Fatal(err)
	}
	check("an edit", at(2))
	db.Now = func() time.Time { return at(3) }
	inc.Title = "imported again"
	if _, _, err := db.ImportIncidents(ctx, []geo.Incident{inc}); err != nil {
		t.Fatal(err)
	}
	check("an import replacing it", at(3))
}

// SQLite does not count its memory, under a lock every allocation takes.
func TestSQLiteCountsNoMemory(t *testing.T) {
	db := openTestDB(t)
	if _, err := db.Incidents(context.Background(), geo.Filter{Limit: 10}); err != nil {
		t.Fatal(err)
	}
	if n := memoryCounted(); n != 0 {
		t.Errorf("SQLite counted %d bytes in use: its memory status is on", n)
	}
}

// A long read stops when its context is cancelled, though its transaction
// is not watched.
func TestLongReadStopsWhenCancelled(t *testing.T) {
	db := openTestDB(t)
	r := rand.New(rand.NewPCG(9, 9))
	incs := make([]geo.Incident, 3000)
	for i := range incs {
		incs[i] = randomIncident(r, i)
	}
	if _, _, err := db.ImportIncidents(context.Background(), incs); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	err := db.EachIncident(ctx, geo.Filter{}, func(geo.Incident) error {
		if n++; n == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n == len(incs) {
		t.Fatalf("read %d of %d incidents, then %v: want it stopped, context.Canceled", n, len(incs), err)
	}
}

// An import into an empty database opened Alone writes the file directly
// (no write-ahead log grows) and turns the log on again after it, whether
// it succeeds or fails; one into a database that another connection has
// open, or that holds incidents, goes through the log at once, without
// waiting for that connection.
func TestAloneImportWritesTheFileDirectly(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	rows := func(n, from int) func(put func(*geo.Incident) error) error {
		return func(put func(*geo.Incident) error) error {
			for i := range n {
				inc := randomIncident(r, from+i)
				if err := put(&inc); err != nil {
					return err
				}
			}
			return nil
		}
	}
	// walGrew imports n incidents and reports whether the log grew by
	// about their size, and that the log is on again after.
	walGrew := func(t *testing.T, db *DB, path string, read func(put func(*geo.Incident) error) error) (bool, error) {
		t.Helper()
		size := func() int64 {
			fi, err := os.Stat(path + "-wal")
			if err != nil {
				return 0
			}
			return fi.Size()
		}
		before := size()
		_, _, err := db.Import(ctx, read)
		var mode string
		if err := db.writer.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal mode after the import: %q (%v), want wal", mode, err)
		}
		return size()-before > 1<<20, err
	}
	open := func(t *testing.T, opts ...Option) (*DB, string) {
		path := filepath.Join(t.TempDir(), "alone.db")
		db, err := Open(ctx, path, opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, path
	}
	t.Run("new", func(t *testing.T) {
		db, path := open(t, Alone())
		if grew, err := walGrew(t, db, path, rows(3000, 0)); err != nil || grew {
			t.Errorf("an import into a new file: log grew %v (%v), want the file written directly", grew, err)
		}
		if n, err := db.CountIncidents(ctx); n != 3000 || err != nil {
			t.Errorf("%d incidents (%v), want 3000", n, err)
		}
		// Now it has incidents: the next import goes through the log.
		if grew, err := walGrew(t, db, path, rows(3000, 3000)); err != nil || !grew {
			t.Errorf("an import into a database with incidents: log grew %v (%v), want it to", grew, err)
		}
	})
	t.Run("without Alone", func(t *testing.T) {
		db, path := open(t)
		if grew, err := walGrew(t, db, path, rows(3000, 0)); err != nil || !grew {
			t.Errorf("log grew %v (%v), want it to", grew, err)
		}
	})
	t.Run("failed", func(t *testing.T) {
		db, path := open(t, Alone())
		bad := func(put func(*geo.Incident) error) error {
			if err := rows(3000, 0)(put); err != nil {
				return err
			}
			inc := incidentAt("bad", orb.LineString{{11, 33}}, "2016-02-01")
			return put(&inc)
		}
		if grew, err := walGrew(t, db, path, bad); geo.ErrorKind(err) != geo.EInvalid || grew {
			t.Fatalf("got %v, log grew %v; want invalid, the file written directly", err, grew)
		}
		if n, _ := db.CountIncidents(ctx); n != 0 {
			t.Errorf("%d incidents after a failed import, want 0", n)
		}
		if err := Check(ctx, path); err != nil {
			t.Error(err)
		}
	})
	t.Run("another connection", func(t *testing.T) {
		db, path := open(t, Alone())
		other, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if _, err := other.CountIncidents(ctx); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if grew, err := walGrew(t, db, path, rows(3000, 0)); err != nil || !grew {
			t.Errorf("with another connection open: log grew %v (%v), want it to", grew, err)
		}
		if d := time.Since(start); d > WriteWait/4 {
			t.Errorf("the import took %s: it waited for the other connection", d)
		}
		if n, err := other.CountIncidents(ctx); n != 3000 || err != nil {
			t.Errorf("the other connection counts %d (%v), want 3000", n, err)
		}
	})
}
