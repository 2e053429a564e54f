package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store"
	"github.com/borderwatch/borderwatch/store/storetest"
	"github.com/paulmach/orb"
)

// TestEnginesBenchmark sets SQLite and PostgreSQL + PostGIS side by side on
// one machine, in one run, over n synthetic incidents: `borderwatch import`
// of one GeoJSON file into each (rows/s, peak RSS), `borderwatch export` of
// each (median of 3, interleaved), and the two questions the map asks on
// every move, 300 times each with the same random views: a 1 % box's first
// 100 incidents with their count, and a 1280×800 view's clusters at zoom 5
// to 12 (p50 and p95). It needs BORDERWATCH_TEST_POSTGRES and runs only when
// asked:
//
//	BORDERWATCH_BENCH_ENGINES=1000000 go test -run TestEnginesBenchmark -v -timeout 120m ./cmd/borderwatch
//
// (`go tool -modfile=tools.mod task bench:engines` does this.)
func TestEnginesBenchmark(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("BORDERWATCH_BENCH_ENGINES"))
	if n <= 0 {
		t.Skip("set BORDERWATCH_BENCH_ENGINES=ROWS to run this benchmark")
	}
	pg := storetest.Postgres(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "borderwatch")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "incidents.geojson")
	writeSynthetic(t, file, n, "geojson", 1)
	engines := []struct{ name, addr string }{{"sqlite", filepath.Join(dir, "bench.db")}, {"postgres", pg}}

	fmt.Printf("\n%d incidents, SQLite and PostgreSQL %s on one machine\n", n, serverVersion(t, pg))
	fmt.Printf("%-10s %-28s %12s %12s %12s\n", "engine", "", "seconds", "rows/s", "peak RSS MB")
	imported := map[string]float64{}
	for _, e := range engines {
		w, rss := runTo(t, "", bin, "import", "--db", e.addr, file)
		imported[e.name] = w
		fmt.Printf("%-10s %-28s %12.1f %12.0f %12.1f\n", e.name, "borderwatch import", w, float64(n)/w, rss)
	}
	os.Remove(file)
	exported := map[string][]float64{}
	out := filepath.Join(dir, "out.geojson")
	for range 3 {
		for _, e := range engines {
			w, _ := runTo(t, out, bin, "export", "--db", e.addr)
			exported[e.name] = append(exported[e.name], w)
			os.Remove(out)
		}
	}
	for _, e := range engines {
		w := median(exported[e.name])
		fmt.Printf("%-10s %-28s %12.1f %12.0f\n", e.name, "borderwatch export (median)", w, float64(n)/w)
	}

	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 10))
	type view struct {
		box  orb.Bound
		zoom float64
	}
	boxes, views := make([]orb.Bound, 300), make([]view, 300)
	for i := range boxes {
		x, y := 9.5+r.Float64()*3.6, 30.5+r.Float64()*5.4 // 0.4° × 0.6°: about 1 % of the data
		boxes[i] = orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + 0.4, y + 0.6}}
		z := 5 + r.IntN(8)
		var b orb.Bound
		fmt.Sscanf(strings.ReplaceAll(viewBox(9.5+r.Float64()*4, 30.5+r.Float64()*6, z), ",", " "), "%f %f %f %f", &b.Min[0], &b.Min[1], &b.Max[0], &b.Max[1])
		views[i] = view{b, float64(z)}
	}
	fmt.Printf("\n%-10s %-28s %10s %10s\n", "engine", "300 random questions", "p50 ms", "p95 ms")
	p50 := map[string][2]float64{}
	for _, e := range engines {
		st, err := store.Open(ctx, e.addr, store.Mapped())
		if err != nil {
			t.Fatal(err)
		}
		var boxMs, clusterMs []float64
		matched := 0
		for i := range boxes {
			start := time.Now()
			page, err := st.Incidents(ctx, geo.Filter{BBox: &boxes[i], Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			boxMs = append(boxMs, ms(time.Since(start)))
			matched += page.NumberMatched
			start = time.Now()
			if _, err := st.Clusters(ctx, geo.Filter{BBox: &views[i].box}, views[i].zoom, 64, 200); err != nil {
				t.Fatal(err)
			}
			clusterMs = append(clusterMs, ms(time.Since(start)))
		}
		st.Close()
		slices.Sort(boxMs)
		slices.Sort(clusterMs)
		fmt.Printf("%-10s %-28s %10.2f %10.2f   (%d matched a box on average)\n", e.name, "1 % box, first 100 + count", boxMs[150], boxMs[284], matched/len(boxes))
		fmt.Printf("%-10s %-28s %10.2f %10.2f\n", e.name, "clusters of a view, z5–12", clusterMs[150], clusterMs[284])
		p50[e.name] = [2]float64{boxMs[150], clusterMs[150]}
	}
	fmt.Printf("\nPostgreSQL ÷ SQLite: import time %.2fx, export time %.2fx, box p50 %.2fx, clusters p50 %.2fx\n",
		imported["postgres"]/imported["sqlite"], median(exported["postgres"])/median(exported["sqlite"]),
		p50["postgres"][0]/p50["sqlite"][0], p50["postgres"][1]/p50["sqlite"][1])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// serverVersion is the PostgreSQL and PostGIS versions at addr.
func serverVersion(t *testing.T, addr string) string {
	out, err := exec.Command("psql", addr, "-Atc", "SELECT current_setting('server_version') || ' + PostGIS ' || postgis_lib_version()").CombinedOutput()
	if err != nil {
		return "(version unknown)"
	}
	return strings.TrimSpace(string(out))
}
