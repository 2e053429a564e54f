package sqlite

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/core"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/paulmach/orb"
)

var summaryTypes = []string{"Battles", "Riots", "Protests", "Strategic developments"}

var summarySubTypes = map[string][2]string{
	"Battles":                {"Armed clash", geo.DisorderPoliticalViolence},
	"Riots":                  {"Violent demonstration", geo.DisorderDemonstrations},
	"Protests":               {"Peaceful protest", geo.DisorderDemonstrations},
	"Strategic developments": {"Arrests", geo.DisorderStrategic},
}

// randomIncident is an incident of a random type and date, mostly over
// Tunisia and Libya, some anywhere (both sides of the antimeridian), some
// lines and areas.
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
	inc := incidentAt(fmt.Sprint("r", i), g, time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(400)).Format(geo.DateLayout))
	inc.EventType = summaryTypes[r.IntN(len(summaryTypes))]
	inc.SubEventType, inc.DisorderType = summarySubTypes[inc.EventType][0], summarySubTypes[inc.EventType][1]
	inc.TimePrecision = 1 + r.IntN(3)
	return inc
}

// churn writes incidents every way the store writes them: a bulk import,
// small imports (new and replacing), creates, edits moving them and
// changing their type, deletions and reverts.
func churn(t *testing.T, db *DB, r *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	var big []geo.Incident
	for i := range bulkRows + 500 {
		big = append(big, randomIncident(r, i))
	}
	if _, _, err := db.ImportIncidents(ctx, big); err != nil {
		t.Fatal(err)
	}
	var small []geo.Incident
	for i := range 300 {
		inc := randomIncident(r, 10000+i)
		if i%3 == 0 {
			inc.ID = int64(1 + r.IntN(len(big))) // replaces one
		}
		small = append(small, inc)
	}
	if _, _, err := db.ImportIncidents(ctx, small); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		id := int64(1 + r.IntN(len(big)))
		switch i % 4 {
		case 0:
			inc := randomIncident(r, 20000+i)
			if err := db.CreateIncident(ctx, &inc); err != nil {
				t.Fatal(err)
			}
		case 1:
			inc := randomIncident(r, 20000+i)
			inc.ID = id
			if err := db.UpdateIncident(ctx, &inc); err != nil {
				t.Fatal(err)
			}
		case 2:
			if err := db.DeleteIncident(ctx, id); err != nil && geo.ErrorKind(err) == geo.EInternal {
				t.Fatal(err)
			}
		case 3:
			h, err := db.History(ctx, id)
			if err == nil && len(h) > 1 {
				if _, err := db.RevertIncident(ctx, id, h[r.IntN(len(h))].ID); err != nil && geo.ErrorKind(err) == geo.EInternal {
					t.Fatal(err)
				}
			}
		}
	}
}

// The cluster grid read from the summaries agrees with the same grid worked
// out from the rows, for random views, zooms and type filters, after every
// kind of write: counts and member ids exactly, boxes exactly, centres to
// rounding.
func TestClusterSummariesAgreeWithTheRows(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	r := rand.New(rand.NewPCG(3, 4))
	churn(t, db, r)
	tx, err := db.BeginTx(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	compared := 0
	for v := range 400 {
		z := r.IntN(GridMaxZoom + 1)
		f := geo.Filter{}
		if v%5 != 0 {
			lon, lat := 9+r.Float64()*6, 30+r.Float64()*7
			w := 360 / math.Exp2(float64(z)) * (0.5 + r.Float64()*3)
			f.BBox = &orb.Bound{Min: orb.Point{lon - w, max(-90, lat-w/2)}, Max: orb.Point{lon + w, min(90, lat+w/2)}}
			if f.BBox.Min[0] < -180 { // across the antimeridian
				f.BBox.Min[0] += 360
			}
			f.BBox.Max[0] = min(f.BBox.Max[0], 180)
		}
		if v%3 == 0 {
			f.EventTypes = []string{summaryTypes[r.IntN(2)], summaryTypes[2+r.IntN(2)]}
		}
		span := cellsOf(f.BBox, core.GridCells(z))
		fromSummary, err := summaryCells(ctx, tx, z, span, f.EventTypes)
		if err != nil {
			t.Fatal(err)
		}
		fromRows, err := queryCells(ctx, tx, f, span)
		if err != nil {
			t.Fatal(err)
		}
		byKey := func(cs []core.GridCell) []core.GridCell {
			slices.SortFunc(cs, func(a, b core.GridCell) int { return int(a.SumID - b.SumID) })
			return cs
		}
		a, b := byKey(fromSummary), byKey(fromRows)
		if len(a) != len(b) {
			t.Fatalf("view %d (zoom %d, %+v): %d cells from the summaries, %d from the rows", v, z, f, len(a), len(b))
		}
		for i := range a {
			if a[i].Count != b[i].Count || a[i].SumID != b[i].SumID || a[i].Bound != b[i].Bound ||
				math.Abs(a[i].Center[0]-b[i].Center[0]) > 1e-9 || math.Abs(a[i].Center[1]-b[i].Center[1]) > 1e-9 {
				t.Fatalf("view %d (zoom %d, %+v) cell %d: summaries %+v, rows %+v", v, z, f, i, a[i], b[i])
			}
			compared += a[i].Count
		}
	}
	if compared < 10000 {
		t.Errorf("compared %d members in all: the views missed the data", compared)
	}

	// Date ranges are grouped from the rows, through the dates' index or the
	// R*Tree, whichever reads less: both agree with the same view pinned to
	// now, which groups the current versions instead.
	now := time.Now().Add(time.Hour)
	paths := map[bool]int{}
	for v := range 200 {
		z := r.IntN(GridMaxZoom + 1)
		lon, lat := 9+r.Float64()*6, 30+r.Float64()*7
		w := 360 / math.Exp2(float64(z)) * (0.5 + r.Float64()*3)
		from := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(400))
		f := geo.Filter{BBox: &orb.Bound{Min: orb.Point{lon - w, max(-90, lat-w/2)}, Max: orb.Point{lon + w, min(90, lat+w/2)}},
			From: from, To: from.AddDate(0, 0, r.IntN(60))}
		f.BBox.Min[0], f.BBox.Max[0] = max(f.BBox.Min[0], -180), min(f.BBox.Max[0], 180)
		span := cellsOf(f.BBox, core.GridCells(z))
		got, err := queryCells(ctx, tx, f, span)
		if err != nil {
			t.Fatal(err)
		}
		pinned := f
		pinned.AsOf = now
		want, err := queryCells(ctx, tx, pinned, span)
		if err != nil {
			t.Fatal(err)
		}
		key := func(c core.GridCell) string { return fmt.Sprint(c.Count, c.Bound) }
		a, b := make([]string, len(got)), make([]string, len(want))
		for i := range got {
			a[i] = key(got[i])
		}
		for i := range want {
			b[i] = key(want[i])
		}
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Fatalf("view %d (zoom %d, %+v): grouped %v, pinned to now %v", v, z, f, a, b)
		}
		var inBox, scan int
		box, args := boxClause(span.Bound(), ownBox)
		tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM incidents_rtree WHERE `+box+`), (SELECT coalesce(sum(n), 0) FROM incident_spans WHERE date_first <= ?)`,
			append(args, f.To.Format(geo.DateLayout))...).Scan(&inBox, &scan)
		paths[scan < 3*inBox]++
	}
	if paths[true] == 0 || paths[false] == 0 {
		t.Errorf("the views took the dates' index %d times and the R*Tree %d times: want both paths tried", paths[true], paths[false])
	}
}

// A page of a box read through the R*Tree's own columns holds the same
// incidents, in the same order, as the rows give, and the same count; a
// pinned one too, through the versions' R*Tree, pinned at the moments
// versions began and just before.
func TestBoxPageAgreesWithTheRows(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	r := rand.New(rand.NewPCG(7, 8))
	churn(t, db, r)
	var pins []time.Time
	rows, err := db.reader.QueryContext(ctx, `SELECT DISTINCT valid_from FROM incident_versions`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var from string
		rows.Scan(&from)
		pin, _ := time.Parse(record.VersionLayout, from)
		pins = append(pins, pin, pin.Add(-time.Nanosecond))
	}
	rows.Close()
	if len(pins) < 6 {
		t.Fatalf("churn made versions at %d moments", len(pins)/2)
	}
	cells, counted := 0, 0
	for v := range 200 {
		lon, lat, w := 9+r.Float64()*6, 30+r.Float64()*7, r.Float64()*3
		f := geo.Filter{BBox: &orb.Bound{Min: orb.Point{lon - w, lat - w}, Max: orb.Point{lon + w, lat + w}},
			Limit: 1 + r.IntN(50), Offset: r.IntN(20), Newest: v%2 == 0}
		if v%10 == 5 { // across the antimeridian: east of Max[0] round to west of Min[0]
			f.BBox.Min[0], f.BBox.Max[0] = f.BBox.Max[0], f.BBox.Min[0]
		}
		if v%3 == 0 {
			f.EventTypes = []string{summaryTypes[r.IntN(len(summaryTypes))]}
		}
		if v%4 == 0 {
			f.From = time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
			f.To = f.From.AddDate(0, 0, r.IntN(100))
		}
		if r.IntN(2) == 0 {
			f.AsOf = pins[r.IntN(len(pins))]
		}
		page, err := db.Incidents(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var want []int64
		all := f
		all.Limit, all.Offset = 0, 0
		if err := db.EachIncident(ctx, all, func(inc geo.Incident) error { want = append(want, inc.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, inc := range page.Incidents {
			got = append(got, inc.ID)
		}
		wantPage := want[min(f.Offset, len(want)):min(f.Offset+f.Limit, len(want))]
		if page.NumberMatched != len(want) || !slices.Equal(got, wantPage) {
			t.Fatalf("view %d %+v: got %d matched, page %v; want %d, page %v", v, f, page.NumberMatched, got, len(want), wantPage)
		}
		if !f.AsOf.IsZero() {
			continue
		}
		// The cells count it exactly, whichever way boxPage counted.
		nf := f.Normalize()
		box, bargs := boxClause(nf.BBox, incidentBox)
		if q, args, ok := cellsCount(nf, box, bargs); ok && !hasDates(f) {
			var n int
			if err := db.reader.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != len(want) {
				t.Fatalf("view %d %+v: the cells count %d; want %d", v, f, n, len(want))
			}
			counted++
		}
		// Every way to the page gives it, whichever boxPage chose.
		for way, name := range []string{"dates", "R*Tree", "cells"} {
			if way == byCells && boxCells(f.BBox) == nil {
				continue
			}
			cells += way / byCells
			cond, cargs := spansWhere(nf)
			q, args := boxPageQuery(way, nf, box, bargs, cond, cargs)
			var p geo.Page
			if err := db.read(ctx, func(tx *Tx) error { return pageOf(ctx, tx, nf, `incidents`, `i.id`, q, args, &p) }); err != nil {
				t.Fatal(err)
			}
			got = got[:0]
			for _, inc := range p.Incidents {
				got = append(got, inc.ID)
			}
			if !slices.Equal(got, wantPage) {
				t.Fatalf("view %d %+v by %s: got page %v; want %v", v, f, name, got, wantPage)
			}
		}
	}
	if cells < 30 || counted < 20 {
		t.Errorf("%d views were read by cells and %d counted by them: want 30 and 20 or more", cells, counted)
	}
}

// What the triggers keep equals what a rebuild sums from scratch.
func TestSummariesMatchTheirRebuild(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	churn(t, db, rand.New(rand.NewPCG(5, 6)))
	read := func() (cells, spans, counts [][]any) {
		tx, err := db.BeginTx(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		table := func(q string, n int) (out [][]any) {
			rows, err := tx.QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				row := make([]any, n)
				ptrs := make([]any, n)
				for i := range row {
					ptrs[i] = &row[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				out = append(out, row)
			}
			return out
		}
		return table(`SELECT z, cx, cy, event_type, n, sum_id, round(sx, 6), round(sy, 6), min_x, min_y, max_x, max_y FROM cluster_cells ORDER BY 1, 2, 3, 4`, 12),
			table(`SELECT * FROM incident_spans ORDER BY 1, 2, 3`, 8),
			table(`SELECT * FROM cell_counts WHERE n > 0 ORDER BY 1, 2`, 3) // the triggers keep emptied cells at 0
	}
	cells, spans, counts := read()
	if err := db.write(ctx, func(tx *Tx) error { return rebuildSummaries(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
	cells2, spans2, counts2 := read()
	if len(cells) < 1000 || len(spans) < 100 || len(counts) < 1000 {
		t.Fatalf("got %d cells, %d spans and %d cell counts: too few to compare", len(cells), len(spans), len(counts))
	}
	eq := func(a, b [][]any) bool {
		return slices.EqualFunc(a, b, func(x, y []any) bool { return fmt.Sprint(x) == fmt.Sprint(y) })
	}
	if !eq(cells, cells2) {
		t.Errorf("the cluster grid the triggers kept (%d cells) differs from its rebuild (%d cells)", len(cells), len(cells2))
	}
	if !eq(spans, spans2) {
		t.Errorf("the date spans the triggers kept (%d) differ from their rebuild (%d)", len(spans), len(spans2))
	}
	if !eq(counts, counts2) {
		t.Errorf("the cell counts the triggers kept (%d) differ from their rebuild (%d)", len(counts), len(counts2))
	}
}

// A write shows in the clusters, the stats and the counts at once.
func TestWritesShowInSummariesAtOnce(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	counts := func() [4]int {
		c, err := db.Clusters(ctx, geo.Filter{}, 5, GridCellPx, 0)
		if err != nil {
			t.Fatal(err)
		}
		st, err := db.Stats(ctx, geo.Filter{EventTypes: []string{"Riots"}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.Incidents(ctx, geo.Filter{EventTypes: []string{"Riots"}})
		if err != nil {
			t.Fatal(err)
		}
		return [4]int{c.NumberMatched, st.NumberMatched, st.ByEventType["Riots"], p.NumberMatched}
	}
	inc := incidentAt("riot", orb.Point{11.2, 33.1}, "2016-03-02")
	inc.EventType, inc.SubEventType, inc.DisorderType = "Riots", "Violent demonstration", geo.DisorderDemonstrations
	if err := db.CreateIncident(ctx, &inc); err != nil {
		t.Fatal(err)
	}
	if got := counts(); got != [4]int{1, 1, 1, 1} {
		t.Errorf("after a create: clusters, stats, by type, items matched %v, want all 1", got)
	}
	inc.EventType, inc.SubEventType, inc.DisorderType = "Battles", "Armed clash", geo.DisorderPoliticalViolence
	if err := db.UpdateIncident(ctx, &inc); err != nil {
		t.Fatal(err)
	}
	if got := counts(); got != [4]int{1, 0, 0, 0} {
		t.Errorf("after it became a battle: got %v, want [1 0 0 0]", got)
	}
	if err := db.DeleteIncident(ctx, inc.ID); err != nil {
		t.Fatal(err)
	}
	if got := counts(); got != [4]int{0, 0, 0, 0} {
		t.Errorf("after a delete: got %v, want none", got)
	}
	// Imports: a small one kept row by row, a large one summed at its end.
	for _, size := range []int{3, bulkRows + 10} {
		before := counts()
		riots := make([]geo.Incident, size)
		for i := range riots {
			riots[i] = inc
			riots[i].ID = 0
			riots[i].EventType, riots[i].SubEventType, riots[i].DisorderType = "Riots", "Violent demonstration", geo.DisorderDemonstrations
		}
		if _, _, err := db.ImportIncidents(ctx, riots); err != nil {
			t.Fatal(err)
		}
		want := [4]int{before[0] + size, before[1] + size, before[2] + size, before[3] + size}
		if got := counts(); got != want {
			t.Errorf("after importing %d riots: got %v, want %v", size, got, want)
		}
	}
}
