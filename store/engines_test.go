package store_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/data"
	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store"
	"github.com/borderwatch/borderwatch/store/internal/core"
	"github.com/borderwatch/borderwatch/store/storetest"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

var types = []struct{ event, sub, disorder string }{
	{"Battles", "Armed clash", geo.DisorderPoliticalViolence},
	{"Explosions/Remote violence", "Air/drone strike", geo.DisorderPoliticalViolence},
	{"Violence against civilians", "Attack", geo.DisorderPoliticalViolence},
	{"Riots", "Violent demonstration", geo.DisorderDemonstrations},
	{"Protests", "Peaceful protest", geo.DisorderDemonstrations},
	{"Strategic developments", "Arrests", geo.DisorderStrategic},
}

var actors = []string{"Military Forces of Tunisia", "Islamic State (Libya)", "Protesters (Tunisia)", "LNA: Libyan National Army", "Civilians (Libya)"}

// randomIncident is an incident of a random type, date, place and shape,
// mostly over Tunisia and Libya, some anywhere (both sides of the
// antimeridian).
func randomIncident(r *rand.Rand, i int) geo.Incident {
	lon, lat := 9+r.Float64()*6, 30+r.Float64()*7
	if r.IntN(10) == 0 {
		lon, lat = -180+r.Float64()*360, -84+r.Float64()*168
	}
	var g orb.Geometry = orb.Point{lon, lat}
	switch r.IntN(10) {
	case 0:
		g = orb.LineString{{lon, lat}, {lon + r.Float64()*0.3, lat + r.Float64()*0.3}}
	case 1:
		g = orb.Polygon{{{lon, lat}, {lon + 0.2, lat}, {lon + 0.2, lat + 0.1}, {lon, lat}}}
	}
	t := types[r.IntN(len(types))]
	inc := geo.Incident{
		Title: fmt.Sprintf("Incident %d", i), Summary: fmt.Sprintf("near %s", []string{"Ben Guerdane", "Dhehiba", "Zuwara"}[r.IntN(3)]),
		EventDate:     time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(400)),
		TimePrecision: 1 + r.IntN(3), DisorderType: t.disorder, EventType: t.event, SubEventType: t.sub,
		Actor1: actors[r.IntN(len(actors))], Country: []string{"TN", "LY"}[r.IntN(2)], Geometry: g, GeoPrecision: 1 + r.IntN(3),
		Sources: []geo.Source{{Publisher: "Reuters", URL: "https://www.reuters.com/x"}},
	}
	if r.IntN(3) > 0 {
		n := r.IntN(20)
		inc.Fatalities = &n
	}
	return inc
}

// Two adapters, one behaviour: the same writes into SQLite and into
// PostgreSQL, then the same random questions of both (pages, counts,
// stats, clusters, pinned views, history) get the same answers.
func TestEnginesAgree(t *testing.T) {
	pg := storetest.Postgres(t)
	ctx := context.Background()
	var dbs []store.DB
	for _, addr := range []string{filepath.Join(t.TempDir(), "bw.db"), pg} {
		db, err := store.Open(ctx, addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := data.SeedLayers(ctx, db); err != nil {
			t.Fatal(err)
		}
		dbs = append(dbs, db)
	}
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) {
		for _, db := range dbs {
			db.SetClock(func() time.Time { return start.Add(d) })
		}
	}
	// The same writes into both, from the same random sequence.
	const n = 6000 // past the bulk import size: both engines sum the summaries once, at the end
	for i, db := range dbs {
		r := rand.New(rand.NewPCG(7, 11))
		at(0)
		incs := make([]geo.Incident, n)
		for j := range incs {
			incs[j] = randomIncident(r, j)
		}
		if _, _, err := db.ImportIncidents(ctx, incs); err != nil {
			t.Fatalf("engine %d: %v", i, err)
		}
		at(time.Hour)
		for j := range 300 {
			id := int64(1 + r.IntN(n))
			switch j % 3 {
			case 0:
				inc := randomIncident(r, n+j)
				inc.ID = id
				if err := db.UpdateIncident(ctx, &inc); err != nil && geo.ErrorKind(err) != geo.ENotFound {
					t.Fatal(err)
				}
			case 1:
				if err := db.DeleteIncident(ctx, id); err != nil && geo.ErrorKind(err) != geo.ENotFound {
					t.Fatal(err)
				}
			default:
				inc := randomIncident(r, n+j)
				if err := db.CreateIncident(ctx, &inc); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	sqlite, postgres := dbs[0], dbs[1]
	r := rand.New(rand.NewPCG(3, 5))
	for q := range 150 {
		f := randomFilter(r, start.Add(30*time.Minute))
		zoom := float64(2 + r.IntN(10))
		t.Run(fmt.Sprint(q), func(t *testing.T) {
			pa, err1 := sqlite.Incidents(ctx, f)
			pb, err2 := postgres.Incidents(ctx, f)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if pa.NumberMatched != pb.NumberMatched || !slices.Equal(ids(pa.Incidents), ids(pb.Incidents)) {
				t.Fatalf("%+v: sqlite %d %v, postgres %d %v", f, pa.NumberMatched, ids(pa.Incidents), pb.NumberMatched, ids(pb.Incidents))
			}
			if len(pa.Incidents) > 0 && !reflect.DeepEqual(pa.Incidents[0], pb.Incidents[0]) {
				t.Errorf("the first incident differs:\n%+v\n%+v", pa.Incidents[0], pb.Incidents[0])
			}
			sa, err1 := sqlite.Stats(ctx, f)
			sb, err2 := postgres.Stats(ctx, f)
			if err1 != nil || err2 != nil || !reflect.DeepEqual(sa, sb) {
				t.Errorf("%+v: stats differ (%v %v):\n%+v\n%+v", f, err1, err2, sa, sb)
			}
			ca, err1 := sqlite.Clusters(ctx, f, zoom, 64, 40)
			cb, err2 := postgres.Clusters(ctx, f, zoom, 64, 40)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if ca.NumberMatched != cb.NumberMatched || len(ca.Clusters) != len(cb.Clusters) || !slices.Equal(ids(ca.Singles), ids(cb.Singles)) {
				t.Fatalf("%+v at zoom %v: clusters differ: sqlite %d in %d clusters + %v, postgres %d in %d + %v", f, zoom,
					ca.NumberMatched, len(ca.Clusters), ids(ca.Singles), cb.NumberMatched, len(cb.Clusters), ids(cb.Singles))
			}
			for i := range ca.Clusters {
				a, b := ca.Clusters[i], cb.Clusters[i]
				if a.Count != b.Count || a.Bound != b.Bound || math.Abs(a.Center[0]-b.Center[0]) > 1e-9 || math.Abs(a.Center[1]-b.Center[1]) > 1e-9 {
					t.Fatalf("cluster %d: sqlite %+v, postgres %+v", i, a, b)
				}
			}
		})
	}
	// Each engine's summaries (kept by its triggers since the bulk import)
	// give what grouping the rows gives.
	for q := range 60 {
		f := geo.Filter{}
		if q%2 == 0 {
			f.EventTypes = []string{types[r.IntN(len(types))].event}
		}
		if q%3 == 0 {
			x, y := 8+r.Float64()*8, 29+r.Float64()*9
			f.BBox = &orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + 2, y + 1.5}}
		}
		zoom := float64(r.IntN(13))
		for _, db := range dbs {
			fromSummaries, err := db.Clusters(ctx, f, zoom, core.GridCellPx, 0)
			if err != nil {
				t.Fatal(err)
			}
			core.UseSummaries = false
			fromRows, err := db.Clusters(ctx, f, zoom, core.GridCellPx, 0)
			core.UseSummaries = true
			if err != nil {
				t.Fatal(err)
			}
			if fromSummaries.NumberMatched != fromRows.NumberMatched || len(fromSummaries.Clusters) != len(fromRows.Clusters) {
				t.Fatalf("%s, %+v at zoom %v: the summaries give %d in %d clusters, the rows %d in %d", db.Engine(), f, zoom,
					fromSummaries.NumberMatched, len(fromSummaries.Clusters), fromRows.NumberMatched, len(fromRows.Clusters))
			}
			for i, c := range fromSummaries.Clusters {
				if w := fromRows.Clusters[i]; c.Count != w.Count || c.Bound != w.Bound {
					t.Fatalf("%s, %+v at zoom %v: cluster %d is %+v from the summaries, %+v from the rows", db.Engine(), f, zoom, i, c, w)
				}
			}
		}
	}
	for id := int64(1); id <= n; id += 97 {
		ha, err1 := sqlite.History(ctx, id)
		hb, err2 := postgres.History(ctx, id)
		if geo.ErrorKind(err1) != geo.ErrorKind(err2) || !reflect.DeepEqual(ha, hb) {
			t.Errorf("incident %d's history differs: %v %v\n%+v\n%+v", id, err1, err2, ha, hb)
		}
	}
}

func randomFilter(r *rand.Rand, asOf time.Time) geo.Filter {
	var f geo.Filter
	if r.IntN(3) > 0 {
		w, h := 0.05+r.Float64()*4, 0.05+r.Float64()*3
		x, y := 8+r.Float64()*8, 29+r.Float64()*9
		f.BBox = &orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + w, y + h}}
		if r.IntN(15) == 0 { // across the antimeridian
			f.BBox = &orb.Bound{Min: orb.Point{170, -60}, Max: orb.Point{-170, 60}}
		}
		f.MarkerInBox = r.IntN(4) == 0
	}
	if r.IntN(3) == 0 {
		f.EventTypes = []string{types[r.IntN(len(types))].event}
	}
	if r.IntN(4) == 0 {
		f.From = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(300))
		f.To = f.From.AddDate(0, 0, r.IntN(120))
	}
	switch r.IntN(12) {
	case 0:
		f.Actor = "islamic state"
	case 1:
		f.Query = "guerdane"
	case 2:
		k := 5 + r.IntN(10)
		f.MinFatalities = &k
	case 3:
		km := 20 + r.Float64()*80
		f.NearBorderKm = &km
	case 4:
		f.Countries = []string{"LY"}
	case 5:
		f.SubEventTypes = []string{"Attack"}
	}
	if r.IntN(5) == 0 {
		f.AsOf = asOf
	}
	f.Newest = r.IntN(3) == 0
	f.Limit, f.Offset = 1+r.IntN(60), r.IntN(3)*10
	return f
}

func ids(incs []geo.Incident) []int64 {
	out := make([]int64, len(incs))
	for i, inc := range incs {
		out[i] = inc.ID
	}
	return out
}

// Many writers at once on PostgreSQL (it lets them in together, unlike
// SQLite's one writer): creates, checked edits, deletions and imports from
// eight goroutines. Every write either lands whole or is refused as stale;
// afterwards every live incident has exactly one current version and the
// summaries' counts are what grouping the rows gives.
func TestConcurrentWritersOnPostgreSQL(t *testing.T) {
	db, err := store.Open(context.Background(), storetest.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 1))
	seed := make([]geo.Incident, 400)
	for i := range seed {
		seed[i] = randomIncident(r, i)
	}
	if _, _, err := db.ImportIncidents(ctx, seed); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for w := range 8 {
		go func() {
			r := rand.New(rand.NewPCG(uint64(w), 2))
			for j := range 40 {
				id := int64(1 + r.IntN(len(seed)))
				var err error
				switch j % 4 {
				case 0:
					inc := randomIncident(r, 1000*w+j)
					err = db.CreateIncident(ctx, &inc)
				case 1:
					var inc geo.Incident
					var v int64
					if inc, v, err = db.IncidentVersion(ctx, id); err == nil {
						next := randomIncident(r, 1000*w+j)
						next.ID = inc.ID
						_, err = db.ReplaceIncident(ctx, &next, v)
					}
				case 2:
					err = db.DeleteIncident(ctx, id)
				default:
					batch := []geo.Incident{randomIncident(r, 1000*w+j), randomIncident(r, 1000*w+j+500)}
					batch[1].ID = id
					_, _, err = db.ImportIncidents(ctx, batch)
				}
				if k := geo.ErrorKind(err); err != nil && k != geo.ENotFound && k != geo.EStale {
					errs <- fmt.Errorf("writer %d, write %d: %w", w, j, err)
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.CountIncidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	live := 0
	for id := int64(1); id <= int64(len(seed))+8*40*2; id++ {
		h, err := db.History(ctx, id)
		if geo.ErrorKind(err) == geo.ENotFound {
			continue
		}
		current := 0
		for _, v := range h {
			if v.To.IsZero() {
				current++
			}
		}
		if _, err := db.Incident(ctx, id); err == nil {
			live++
			if current != 1 {
				t.Errorf("incident %d has %d current versions", id, current)
			}
		} else if current != 0 {
			t.Errorf("deleted incident %d has %d current versions", id, current)
		}
	}
	if live != n {
		t.Errorf("%d incidents stored, %d live by their histories", n, live)
	}
	for z := range core.GridMaxZoom + 1 {
		a, err1 := db.Clusters(ctx, geo.Filter{}, float64(z), core.GridCellPx, 0)
		core.UseSummaries = false
		b, err2 := db.Clusters(ctx, geo.Filter{}, float64(z), core.GridCellPx, 0)
		core.UseSummaries = true
		if err1 != nil || err2 != nil || a.NumberMatched != n || b.NumberMatched != n || len(a.Clusters) != len(b.Clusters) {
			t.Fatalf("zoom %d: summaries %d in %d clusters, rows %d in %d, stored %d (%v %v)", z, a.NumberMatched, len(a.Clusters), b.NumberMatched, len(b.Clusters), n, err1, err2)
		}
		for i := range a.Clusters {
			if a.Clusters[i].Count != b.Clusters[i].Count {
				t.Fatalf("zoom %d, cluster %d: %d from the summaries, %d from the rows", z, i, a.Clusters[i].Count, b.Clusters[i].Count)
			}
		}
	}
}

// The distances both engines store (measured by the app, so a "within N km"
// filter gives the same rows on both) agree with PostGIS's own geodesic
// ST_Distance on the WGS 84 spheroid to within 0.5 % (or 50 m): what a GIS
// user querying the PostgreSQL tables directly would get.
func TestDistancesAgreeWithPostGIS(t *testing.T) {
	addr := storetest.Postgres(t)
	ctx := context.Background()
	db, err := store.Open(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := data.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT i.id, k.kind, k.km, ST_Distance(i.geom::geography, k.lines::geography) / 1000
		FROM incidents i CROSS JOIN LATERAL (VALUES ('border', i.border_km), ('barrier', i.barrier_km), ('crossing', i.crossing_km)) AS k0(kind, km)
		JOIN LATERAL (SELECT k0.kind, k0.km, ST_Collect(f.geom) AS lines FROM layer_features f JOIN layers l ON l.id = f.layer_id
			WHERE l.kind = k0.kind) k ON true`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	worst, n := 0.0, 0
	for rows.Next() {
		var id int64
		var kind string
		var ours, postgis float64
		if err := rows.Scan(&id, &kind, &ours, &postgis); err != nil {
			t.Fatal(err)
		}
		n++
		diff := math.Abs(ours - postgis)
		if diff > max(0.05, 0.005*postgis) {
			t.Errorf("incident %d's distance to the %s: %.3f km stored, %.3f km by ST_Distance(geography)", id, kind, ours, postgis)
		}
		if postgis > 1 {
			worst = max(worst, diff/postgis)
		}
	}
	if n == 0 {
		t.Fatal("no distances compared")
	}
	t.Logf("%d distances compared; the largest difference from PostGIS's beyond 1 km: %.3f %%", n, 100*worst)
}
