package sqlite

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/core"
	"github.com/paulmach/orb"
)

// scaleDB opens a database of n synthetic incidents over Tunisia and Libya,
// made once and kept in BORDERWATCH_BENCH_DIR when that is set (a million
// take a few minutes to make).
func scaleDB(b *testing.B, n int) *DB {
	dir := os.Getenv("BORDERWATCH_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("scale-%d.db", n))
	_, statErr := os.Stat(path)
	db, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if statErr == nil {
		return db
	}
	r := rand.New(rand.NewPCG(uint64(n), 1))
	incs := make([]geo.Incident, n)
	for i := range incs {
		incs[i] = randomIncident(r, i)
		incs[i].Geometry = orb.Point{9.5 + r.Float64()*4, 30.5 + r.Float64()*6}
		incs[i].EventDate = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(730))
	}
	if _, _, err := db.ImportIncidents(context.Background(), incs); err != nil {
		b.Fatal(err)
	}
	return db
}

// benchSizes are the sizes BenchmarkScale runs at: BORDERWATCH_BENCH_SIZES,
// comma-separated, or 10 000 and 100 000.
func benchSizes(b *testing.B) []int {
	v := os.Getenv("BORDERWATCH_BENCH_SIZES")
	if v == "" {
		v = "10000,100000"
	}
	var out []int
	for _, s := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			b.Fatalf("BORDERWATCH_BENCH_SIZES: %q is not a size", s)
		}
		out = append(out, n)
	}
	return out
}

// BenchmarkScale measures what the map asks on every move, read from the
// summaries and the R*Tree's own columns ("summaries") beside the queries
// over the rows that they replace ("rows"), in the same run, at each size:
//
//	clusters: random 1280×800 views at zoom 5 to 12, 64 px cells
//	stats:    counts by type and the timeline, no filter / a type / 6 months
//	box-page: the first 100 of a 0.4° box (about 1% of the data) with its count
//
//	go tool -modfile=tools.mod task bench:scale   (SIZES=10000,100000,1000000)
func BenchmarkScale(b *testing.B) {
	ctx := context.Background()
	from := time.Date(2015, 6, 1, 0, 0, 0, 0, time.UTC)
	stats := []geo.Filter{{}, {EventTypes: []string{"Battles"}}, {From: from, To: from.AddDate(0, 6, 0)}}
	for _, n := range benchSizes(b) {
		db := scaleDB(b, n)
		for _, summaries := range []bool{true, false} {
			name := "rows"
			if summaries {
				name = "summaries"
			}
			core.UseSummaries = summaries
			b.Run(fmt.Sprintf("n=%d/clusters/%s", n, name), func(b *testing.B) {
				r := rand.New(rand.NewPCG(5, 6))
				for b.Loop() {
					z := 5 + r.IntN(8)
					lon, lat := 9.5+r.Float64()*4, 30.5+r.Float64()*6
					dx := 640 * 360 / (256 * math.Exp2(float64(z)))
					dy := 400 * 360 / (256 * math.Exp2(float64(z))) * math.Cos(lat*math.Pi/180)
					f := geo.Filter{BBox: &orb.Bound{Min: orb.Point{lon - dx, lat - dy}, Max: orb.Point{lon + dx, lat + dy}}}
					if _, err := db.Clusters(ctx, f, float64(z), GridCellPx, 2000); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("n=%d/stats/%s", n, name), func(b *testing.B) {
				i := 0
				for b.Loop() {
					if _, err := db.Stats(ctx, stats[i%len(stats)]); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
			b.Run(fmt.Sprintf("n=%d/box-page/%s", n, name), func(b *testing.B) {
				r := rand.New(rand.NewPCG(7, 8))
				for b.Loop() {
					lon, lat := 9.7+r.Float64()*3.6, 30.7+r.Float64()*5.6
					f := geo.Filter{BBox: &orb.Bound{Min: orb.Point{lon - 0.2, lat - 0.2}, Max: orb.Point{lon + 0.2, lat + 0.2}}, Limit: 100}
					if _, err := db.Incidents(ctx, f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		core.UseSummaries = true
	}
}

// BenchmarkAsOfBoxPage pins a page of a box (0.4°, about 1% of the data)
// to a moment in the history of 100 000 incidents with five versions each,
// beside the same page of the current data, in the same run:
//
//	go test -run '^$' -bench AsOfBoxPage ./store
func BenchmarkAsOfBoxPage(b *testing.B) {
	ctx := context.Background()
	db := openTestDB(b)
	r := rand.New(rand.NewPCG(9, 10))
	const n = 100_000
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	var pins []time.Time
	for version := range 5 {
		incs := make([]geo.Incident, n)
		for i := range incs {
			incs[i] = randomIncident(r, i)
			incs[i].Geometry = orb.Point{9.5 + r.Float64()*4, 30.5 + r.Float64()*6}
			if version > 0 {
				incs[i].ID = int64(i + 1) // a new version of each
			}
		}
		if _, _, err := db.ImportIncidents(ctx, incs); err != nil {
			b.Fatal(err)
		}
		pins = append(pins, clock)
		clock = clock.Add(time.Hour)
	}
	for _, tt := range []struct {
		name string
		asOf time.Time
	}{{"current", time.Time{}}, {"as_of", pins[2].Add(time.Minute)}} {
		b.Run(tt.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(7, 8))
			matched := 0
			for b.Loop() {
				lon, lat := 9.7+r.Float64()*3.6, 30.7+r.Float64()*5.6
				f := geo.Filter{BBox: &orb.Bound{Min: orb.Point{lon - 0.2, lat - 0.2}, Max: orb.Point{lon + 0.2, lat + 0.2}}, Limit: 100, AsOf: tt.asOf}
				p, err := db.Incidents(ctx, f)
				if err != nil {
					b.Fatal(err)
				}
				matched = p.NumberMatched
			}
			b.ReportMetric(float64(matched), "matched")
		})
	}
}
