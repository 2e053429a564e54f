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

	"github.com/borderwatch/borderwatch/data"
	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store"
	"github.com/borderwatch/borderwatch/web"
	"github.com/paulmach/orb"
)

// TestExportBenchmark compares `borderwatch export` with `ogr2ogr -f GeoJSON`
// reading a GeoPackage of the same rows, in one run: wall time, rows/s and
// peak resident memory of each process. It runs only when asked:
//
//	BORDERWATCH_BENCH_EXPORT=1000000 go test -run TestExportBenchmark -v -timeout 60m ./cmd/borderwatch
//
// (`go tool -modfile=tools.mod task bench:export` does this.) With
// BORDERWATCH_BENCH_DB=path the database is kept there and, when it
// exists, used again rather than made (about four minutes at 1 000 000).
func TestExportBenchmark(t *testing.T) {
	n, dir, bin := benchSetup(t, "BORDERWATCH_BENCH_EXPORT")
	db := os.Getenv("BORDERWATCH_BENCH_DB")
	if db == "" {
		db = filepath.Join(dir, "bench.db")
	}
	if _, err := os.Stat(db); err != nil {
		start := time.Now()
		fillSynthetic(t, db, n)
		t.Logf("made %d synthetic incidents in %s", n, time.Since(start).Round(time.Second))
	}

	// The same rows in a GeoPackage, through our own export (not timed).
	geojson := filepath.Join(dir, "seed.geojson")
	runTo(t, geojson, bin, "export", "--db", db)
	gpkg := filepath.Join(dir, "bench.gpkg")
	if out, err := exec.Command("ogr2ogr", "-f", "GPKG", gpkg, geojson, "-nln", "incidents").CombinedOutput(); err != nil {
		t.Fatalf("make GeoPackage: %v\n%s", err, out)
	}
	os.Remove(geojson)

	out := filepath.Join(dir, "out.geojson")
	compare(t, n, "borderwatch export", "ogr2ogr -f GeoJSON", map[string]func() (float64, float64){
		"borderwatch export": func() (float64, float64) { defer os.Remove(out); return runTo(t, out, bin, "export", "--db", db) },
		"ogr2ogr -f GeoJSON": func() (float64, float64) {
			defer os.Remove(out)
			return runTo(t, "", "ogr2ogr", "-f", "GeoJSON", out, gpkg, "incidents")
		},
	})
}

// TestImportBenchmark compares `borderwatch import` of a GeoJSON file of n
// synthetic incidents into a new database with `ogr2ogr -f GPKG` of the
// same file, in one run: wall time, rows/s and peak resident memory.
//
//	BORDERWATCH_BENCH_IMPORT=1000000 go test -run TestImportBenchmark -v -timeout 60m ./cmd/borderwatch
//
// (`go tool -modfile=tools.mod task bench:import` does this.)
func TestImportBenchmark(t *testing.T) {
	n, dir, bin := benchSetup(t, "BORDERWATCH_BENCH_IMPORT")
	file := filepath.Join(dir, "incidents.geojson")
	writeSynthetic(t, file, n, "geojson", 1)
	if fi, err := os.Stat(file); err == nil {
		fmt.Printf("%s: %d incidents, %.0f MB\n", filepath.Base(file), n, float64(fi.Size())/1e6)
	}
	db, gpkg := filepath.Join(dir, "bench.db"), filepath.Join(dir, "bench.gpkg")
	fresh := func(paths ...string) {
		for _, p := range paths {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(p + suffix)
			}
		}
	}
	compare(t, n, "borderwatch import", "ogr2ogr -f GPKG", map[string]func() (float64, float64){
		"borderwatch import": func() (float64, float64) { fresh(db); return runTo(t, os.DevNull, bin, "import", "--db", db, file) },
		"ogr2ogr -f GPKG": func() (float64, float64) {
			fresh(gpkg)
			return runTo(t, "", "ogr2ogr", "-f", "GPKG", gpkg, file, "-nln", "incidents")
		},
	})
}

// benchSetup reads the number of rows from the environment variable env
// (skipping when it is unset), needs GDAL, and builds the binary into a
// temporary directory.
func benchSetup(t *testing.T, env string) (n int, dir, bin string) {
	n, _ = strconv.Atoi(os.Getenv(env))
	if n <= 0 {
		t.Skip("set " + env + "=ROWS to run this benchmark")
	}
	gdal(t)
	dir = t.TempDir()
	bin = filepath.Join(dir, "borderwatch")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return n, dir, bin
}

// compare runs ours and theirs three times each, interleaved, and prints
// the medians of wall time, rows/s and peak RSS, and the ratio of speeds.
func compare(t *testing.T, n int, ours, theirs string, run map[string]func() (wall, rss float64)) {
	type result struct{ wall, rss []float64 }
	results := map[string]*result{ours: {}, theirs: {}}
	for range 3 {
		for _, name := range []string{ours, theirs} {
			w, rss := run[name]()
			results[name].wall = append(results[name].wall, w)
			results[name].rss = append(results[name].rss, rss)
		}
	}
	fmt.Printf("\n%d incidents, 3 runs each, medians:\n%-22s %10s %12s %12s\n", n, "", "seconds", "rows/s", "peak RSS MB")
	for _, name := range []string{ours, theirs} {
		r := results[name]
		w, m := median(r.wall), median(r.rss)
		fmt.Printf("%-22s %10.2f %12.0f %12.1f\n", name, w, float64(n)/w, m)
	}
	fmt.Printf("%s is %.2fx the speed of %s\n", ours, median(results[theirs].wall)/median(results[ours].wall), theirs)
}

// runTo runs a command, its stdout into file (if given), and returns its
// wall time in seconds and peak RSS in MB. The peak is the process's VmHWM,
// polled from /proc: rusage's maxrss would report this test's own memory,
// which a child started by Go inherits until it execs.
func runTo(t *testing.T, file string, name string, args ...string) (float64, float64) {
	t.Helper()
	cmd := exec.Command(name, args...)
	if file != "" {
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd.Stdout = f
	}
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	var peakKB int
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return time.Since(start).Seconds(), float64(peakKB) / 1024
		case <-tick.C:
			if b, err := os.ReadFile(status); err == nil {
				for _, line := range strings.Split(string(b), "\n") {
					if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
						kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
						peakKB = max(peakKB, kb)
					}
				}
			}
		}
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// fillSynthetic writes n incidents shaped like the real ones (sources,
// actors, summaries) over Tunisia and Libya, with the bundled layers.
func fillSynthetic(t *testing.T, path string, n int) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	layers, _ := data.Layers()
	for i, l := range layers {
		if err := st.PutLayer(ctx, l, i); err != nil {
			t.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(7, 11))
	_, _, err = st.Import(ctx, func(put func(*geo.Incident) error) error {
		for i := range n {
			inc := syntheticIncident(r, i)
			if err := put(&inc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

var syntheticTypes = []struct{ event, sub, disorder string }{
	{"Battles", "Armed clash", geo.DisorderPoliticalViolence},
	{"Explosions/Remote violence", "Air/drone strike", geo.DisorderPoliticalViolence},
	{"Violence against civilians", "Attack", geo.DisorderPoliticalViolence},
	{"Strategic developments", "Arrests", geo.DisorderStrategic},
}

// syntheticIncident is the i-th of a run of incidents shaped like the real
// ones (sources, actors, summaries) over Tunisia and Libya, with no id.
func syntheticIncident(r *rand.Rand, i int) geo.Incident {
	ty := syntheticTypes[r.IntN(len(syntheticTypes))]
	var fat *int
	if r.IntN(3) > 0 {
		f := r.IntN(20)
		fat = &f
	}
	return geo.Incident{
		Title:     fmt.Sprintf("%s near Ben Guerdane #%d", ty.sub, i),
		Summary:   "Synthetic incident for benchmarks: security forces and suspected militants, reported by local sources.",
		EventDate: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(730)), TimePrecision: 1 + r.IntN(3),
		DisorderType: ty.disorder, EventType: ty.event, SubEventType: ty.sub,
		Actor1: "Military Forces of Tunisia", AssocActor1: "National Guard of Tunisia", Actor2: "Suspected militants",
		Fatalities: fat, Location: "Ben Guerdane", Admin1: "Medenine", Country: "TN",
		Geometry:     orb.Point{9.5 + r.Float64()*4, 30.5 + r.Float64()*6},
		GeoPrecision: 1 + r.IntN(3),
		Sources:      []geo.Source{{Publisher: "Reuters", Title: "Report", URL: "https://www.reuters.com/article/" + strconv.Itoa(i), Published: "2016-03-02"}},
		Tags:         []string{"synthetic"},
	}
}

// writeSynthetic writes n synthetic incidents (no ids) as an import file in
// format (geojson or csv); seed picks the run.
func writeSynthetic(t testing.TB, path string, n int, format string, seed uint64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := web.NewIncidentWriter(f, format)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 11))
	for i := range n {
		if err := w.Incident(syntheticIncident(r, i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
