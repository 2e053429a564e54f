package sqlite

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// pinViews are map views over Tunisia and Libya at several zooms.
var pinViews = []struct {
	zoom float64
	box  orb.Bound
}{
	{5, orb.Bound{Min: orb.Point{-5, 20}, Max: orb.Point{30, 42}}},
	{7, orb.Bound{Min: orb.Point{8, 30}, Max: orb.Point{15, 36}}},
	{9, orb.Bound{Min: orb.Point{10.5, 32.5}, Max: orb.Point{12.5, 33.5}}},
	{12, orb.Bound{Min: orb.Point{11.0, 33.0}, Max: orb.Point{11.3, 33.2}}},
}

// A view pinned to a moment clusters and counts exactly as the current view
// did at that moment, after later edits, deletions and additions, over
// 100 000 incidents (BORDERWATCH_PIN_ROWS changes the number).
func TestPinnedClustersAreTheViewAtThatMoment(t *testing.T) {
	if testing.Short() {
		t.Skip("100 000 incidents")
	}
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("BORDERWATCH_PIN_ROWS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	db := openTestDB(t)
	r := rand.New(rand.NewPCG(3, 4))
	incs := make([]geo.Incident, n)
	for i := range incs {
		incs[i] = incidentAt(fmt.Sprint("synthetic ", i), orb.Point{9.5 + r.Float64()*4, 30.5 + r.Float64()*6}, "2016-02-01")
	}
	if _, _, err := db.ImportIncidents(ctx, incs); err != nil {
		t.Fatal(err)
	}
	type view struct {
		clusters geo.Clusters
		stats    geo.Stats
	}
	look := func(f geo.Filter) []view {
		var out []view
		for _, v := range pinViews {
			f.BBox = &v.box
			cl, err := db.Clusters(ctx, f, v.zoom, 64, 2000)
			if err != nil {
				t.Fatal(err)
			}
			st, err := db.Stats(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, view{cl, st})
		}
		return out
	}
	then := look(geo.Filter{})
	time.Sleep(2 * time.Millisecond)
	pin := time.Now()
	time.Sleep(2 * time.Millisecond)

	// Later: a thousand incidents moved and retyped, 200 deleted, 500 added.
	moved := make([]geo.Incident, 1000)
	for i := range moved {
		inc, err := db.Incident(ctx, int64(1+i*(n/1000)))
		if err != nil {
			t.Fatal(err)
		}
		inc.Geometry = orb.Point{11 + r.Float64()*0.3, 33 + r.Float64()*0.2}
		inc.EventType, inc.SubEventType, inc.DisorderType = "Riots", "Mob violence", geo.DisorderPoliticalViolence
		moved[i] = inc
	}
	if _, _, err := db.ImportIncidents(ctx, moved); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if err := db.DeleteIncident(ctx, int64(2+i*(n/200))); err != nil {
			t.Fatal(err)
		}
	}
	added := make([]geo.Incident, 500)
	for i := range added {
		added[i] = incidentAt("added later", orb.Point{11 + r.Float64()*0.3, 33 + r.Float64()*0.2}, "2016-02-01")
	}
	if _, _, err := db.ImportIncidents(ctx, added); err != nil {
		t.Fatal(err)
	}

	pinned, now := look(geo.Filter{AsOf: pin}), look(geo.Filter{})
	for i, v := range pinViews {
		if !reflect.DeepEqual(pinned[i].clusters, then[i].clusters) {
			t.Errorf("zoom %v: pinned clusters (%d matched, %d clusters) differ from the view at the pin (%d, %d)", v.zoom,
				pinned[i].clusters.NumberMatched, len(pinned[i].clusters.Clusters), then[i].clusters.NumberMatched, len(then[i].clusters.Clusters))
		}
		if !reflect.DeepEqual(pinned[i].stats, then[i].stats) {
			t.Errorf("zoom %v: pinned stats %d %v differ from the view at the pin %d %v", v.zoom,
				pinned[i].stats.NumberMatched, pinned[i].stats.ByEventType, then[i].stats.NumberMatched, then[i].stats.ByEventType)
		}
		if reflect.DeepEqual(now[i].stats, then[i].stats) {
			t.Errorf("zoom %v: the current view did not change with the edits: the test shows nothing", v.zoom)
		}
		t.Logf("zoom %v: %d matched at the pin in %d clusters, %d now", v.zoom, pinned[i].clusters.NumberMatched, len(pinned[i].clusters.Clusters), now[i].clusters.NumberMatched)
	}
}

// BenchmarkClustersPinned compares the clusters of map views pinned to a
// moment (read from the versions through their R*Tree in space and time)
// with the same views of the current data, over 100 000 incidents of
// which 10 000 were edited after the pin.
//
//	go test -run '^$' -bench ClustersPinned -count 5 ./store
func BenchmarkClustersPinned(b *testing.B) {
	db, err := benchDB()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	pin := pinnedOnce(b, db)
	for _, tt := range []struct {
		name string
		f    geo.Filter
	}{{"current", geo.Filter{}}, {"pinned", geo.Filter{AsOf: pin}}} {
		b.Run(tt.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				v := pinViews[i%len(pinViews)]
				f := tt.f
				f.BBox = &v.box
				if _, err := db.Clusters(ctx, f, v.zoom, 64, 2000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var pinTime time.Time

// pinnedOnce pins the bench database's data, then edits a tenth of it.
func pinnedOnce(b *testing.B, db *DB) time.Time {
	if !pinTime.IsZero() {
		return pinTime
	}
	ctx := context.Background()
	pinTime = time.Now()
	time.Sleep(2 * time.Millisecond)
	var edits []geo.Incident
	for id := int64(1); id <= 100_000; id += 10 {
		inc, err := db.Incident(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		inc.Title += " (edited)"
		edits = append(edits, inc)
	}
	if _, _, err := db.ImportIncidents(ctx, edits); err != nil {
		b.Fatal(err)
	}
	return pinTime
}

// A database from before migration 006 gets its versions' marker points and
// index entries, and its incidents their distances to the crossings, on open.
func TestOpenFillsWhatMigration006Adds(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	crossing := geojson.NewFeature(orb.Point{11.5, 33.1})
	if err := db.PutLayer(ctx, geo.Layer{ID: "crossings", Title: "Crossings", Kind: geo.KindCrossing, Features: []*geojson.Feature{crossing}}, 0); err != nil {
		t.Fatal(err)
	}
	a := incidentAt("before the edit", orb.Point{11.2, 33.1}, "2016-03-07")
	if err := db.CreateIncident(ctx, &a); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	pin := time.Now()
	time.Sleep(2 * time.Millisecond)
	a.Title = "after the edit"
	if err := db.UpdateIncident(ctx, &a); err != nil {
		t.Fatal(err)
	}
	// As a database written before 006 would be.
	if _, err := db.writer.ExecContext(ctx, `UPDATE incident_versions SET px = NULL, py = NULL, mx = NULL, my = NULL;
		DELETE FROM incident_versions_rtree; UPDATE incidents SET crossing_km = NULL; UPDATE incident_versions SET crossing_km = NULL`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	box := orb.Bound{Min: orb.Point{11, 33}, Max: orb.Point{11.4, 33.2}}
	cl, err := db.Clusters(ctx, geo.Filter{AsOf: pin, BBox: &box}, 9, 64, 2000)
	if err != nil || cl.NumberMatched != 1 || len(cl.Singles) != 1 || cl.Singles[0].Title != "before the edit" {
		t.Errorf("pinned clusters after the fill: %+v, %v; want the incident before the edit", cl, err)
	}
	got, err := db.Incident(ctx, a.ID)
	if err != nil || got.CrossingKm == nil || *got.CrossingKm < 27 || *got.CrossingKm > 29 {
		t.Errorf("the distance to the crossing after the fill: %v (%v), want about 28 km", ptrString(got.CrossingKm), err)
	}
}

// A record from another dataset is named by its id there: importing it
// again updates it; that id cannot move to another incident.
func TestExternalIDsUpdateRatherThanDuplicate(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	a := incidentAt("from ACLED", orb.Point{11.2, 33.1}, "2016-03-07")
	a.ExternalID, a.ACLED = "TUN9001", map[string]string{"region": "Northern Africa"}
	if _, _, err := db.ImportIncidents(ctx, []geo.Incident{a}); err != nil {
		t.Fatal(err)
	}
	a.Title = "from ACLED, updated"
	created, updated, err := db.ImportIncidents(ctx, []geo.Incident{a})
	if err != nil || created != 0 || updated != 1 {
		t.Fatalf("re-import: %d new, %d updated, %v; want 0 and 1", created, updated, err)
	}
	got, err := db.Incident(ctx, 1)
	if err != nil || got.Title != "from ACLED, updated" || got.ExternalID != "TUN9001" || got.ACLED["region"] != "Northern Africa" {
		t.Errorf("got %+v, %v", got, err)
	}
	b := incidentAt("another", orb.Point{11.2, 33.1}, "2016-03-07")
	if err := db.CreateIncident(ctx, &b); err != nil {
		t.Fatal(err)
	}
	b.ExternalID = "TUN9001"
	if _, _, err := db.ImportIncidents(ctx, []geo.Incident{b}); geo.ErrorKind(err) != geo.EConflict {
		t.Errorf("moving TUN9001 to incident %d: got %v, want a conflict", b.ID, err)
	}
	if n, _ := db.CountIncidents(ctx); n != 2 {
		t.Errorf("got %d incidents, want 2", n)
	}
}

// The versions' R*Tree carries each version's own values, however it got
// there: written version by version (churn), or rebuilt from the version
// rows by migration 013 in place of the R*Tree that came before it.
func TestVersionsRTreeCarriesTheVersions(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	churn(t, db, rand.New(rand.NewPCG(5, 6)))
	const rtreeColumns = `version_id, min_x, max_x, min_y, max_y, min_t, max_t, ` + versionRTreeColumns
	carried := func() (all []string) {
		t.Helper()
		var wrong, missing int
		if err := db.writer.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM incident_versions_rtree r JOIN incident_versions v USING (version_id)
			 WHERE r.valid_from IS NOT v.valid_from OR r.valid_to IS NOT v.valid_to OR r.id IS NOT v.id
			    OR r.event_date IS NOT v.event_date OR r.date_first IS NOT v.date_first OR r.date_last IS NOT v.date_last
			    OR r.event_type IS NOT v.event_type),
			(SELECT count(*) FROM incident_versions v WHERE (v.valid_to IS NULL OR v.valid_to > v.valid_from)
			    AND v.version_id NOT IN (SELECT version_id FROM incident_versions_rtree))`).Scan(&wrong, &missing); err != nil {
			t.Fatal(err)
		}
		if wrong > 0 || missing > 0 {
			t.Fatalf("%d versions carried with other values than their rows', %d not indexed", wrong, missing)
		}
		// (Versions that never stood, ended as they began, may be left out.)
		rows, err := db.writer.QueryContext(ctx, `SELECT `+rtreeColumns+` FROM incident_versions_rtree
			WHERE valid_to IS NULL OR valid_to > valid_from ORDER BY version_id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			v := make([]any, 14)
			p := make([]any, len(v))
			for i := range v {
				p[i] = &v[i]
			}
			rows.Scan(p...)
			all = append(all, fmt.Sprint(v...))
		}
		return all
	}
	written := carried()
	var ended int
	db.writer.QueryRowContext(ctx, `SELECT count(*) FROM incident_versions_rtree WHERE valid_to IS NOT NULL`).Scan(&ended)
	if len(written) < bulkRows || ended < 50 {
		t.Fatalf("churn left %d versions indexed, %d of them ended", len(written), ended)
	}
	// As a database written before 013 would be, then migrated.
	migration, err := migrations.ReadFile("migrations/013_versions_rtree_columns.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.writer.ExecContext(ctx, `CREATE TABLE kept AS SELECT version_id, min_x, max_x, min_y, max_y, min_t, max_t FROM incident_versions_rtree;
		DROP TABLE incident_versions_rtree;
		CREATE VIRTUAL TABLE incident_versions_rtree USING rtree (version_id, min_x, max_x, min_y, max_y, min_t, max_t);
		INSERT INTO incident_versions_rtree SELECT * FROM kept; DROP TABLE kept;`+string(migration)); err != nil {
		t.Fatal(err)
	}
	if migrated := carried(); !slices.Equal(migrated, written) {
		t.Fatalf("after migration 013: %d entries, %d before, or other values", len(migrated), len(written))
	}
}

// A version is written from the row the write made (not copied from the
// table): after every kind of write, each incident's current version holds
// exactly its row, value and type, column by column.
func TestCurrentVersionsAreTheirRows(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	churn(t, db, rand.New(rand.NewPCG(7, 8)))
	var cond []string
	for _, c := range strings.Split(versionColumns, ",") {
		c = strings.TrimSpace(c)
		cond = append(cond, `v.`+c+` IS NOT i.`+c+` OR typeof(v.`+c+`) <> typeof(i.`+c+`)`)
	}
	var current, differ int
	if err := db.writer.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(`+strings.Join(cond, ` OR `)+`), 0)
		FROM incidents i JOIN incident_versions v ON v.id = i.id AND v.valid_to IS NULL`).Scan(&current, &differ); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.CountIncidents(ctx); current != n || differ > 0 {
		t.Errorf("%d of %d incidents have a current version; %d of those differ from their rows", current, n, differ)
	}
}

// An import whose context ends while it writes keeps nothing and says so,
// though its rows' statements run unwatched (the context is checked before
// each).
func TestImportCancelledKeepsNothing(t *testing.T) {
	db := openTestDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	r := rand.New(rand.NewPCG(9, 10))
	after := 0 // incidents read after the cancel
	_, _, err := db.Import(ctx, func(put func(*geo.Incident) error) error {
		for i := range 3 * bulkRows {
			if i == 2*bulkRows {
				cancel()
			}
			if i >= 2*bulkRows {
				after++
			}
			inc := randomIncident(r, i)
			if err := put(&inc); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if after > 1000 { // the next row's write sees it; reading stops a few batches on
		t.Errorf("read %d incidents after the cancel, want it to stop within a few batches", after)
	}
	if n, _ := db.CountIncidents(context.Background()); n != 0 {
		t.Errorf("%d incidents kept after a cancelled import, want 0", n)
	}
}
