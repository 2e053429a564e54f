package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/store"
	"github.com/borderwatch/borderwatch/web/webtest"
)

// Drill: a bounded load test against a live server while it writes and ten
// `borderwatch import` processes write into the same file at once. No
// request fails, no import is lost, and the database ends whole and in
// step. It reports the throughput and the readers' p50 and p99.
// BORDERWATCH_LOAD_READERS and BORDERWATCH_LOAD_SECONDS change its size.
func TestLoadWithConcurrentWriters(t *testing.T) {
	if testing.Short() {
		t.Skip("a load drill")
	}
	readers, seconds := 64, 10
	if v, err := strconv.Atoi(os.Getenv("BORDERWATCH_LOAD_READERS")); err == nil && v > 0 {
		readers = v
	}
	if v, err := strconv.Atoi(os.Getenv("BORDERWATCH_LOAD_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	const imports, rowsEach, synthetic = 10, 2000, 20_000
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	fillSynthetic(t, db, synthetic)
	files := make([]string, imports)
	for i := range files {
		files[i] = filepath.Join(dir, fmt.Sprintf("import%d.geojson", i))
		writeSynthetic(t, files[i], rowsEach, "geojson", uint64(100+i))
	}
	var logs webtest.SyncBuffer
	cfg := testWebConfig()
	cfg.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, srv, err := open(ctx, db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	n0, err := st.CountIncidents(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// What readers ask for: the map's requests, pages, items, one record,
	// downloads of a view.
	paths := []func(z int, box string, id int) string{
		func(z int, box string, _ int) string {
			return fmt.Sprintf("/collections/incidents/clusters?zoom=%d&bbox=%s", z, box)
		},
		func(_ int, box string, _ int) string { return "/collections/incidents/items?limit=50&bbox=" + box },
		func(int, string, int) string { return "/collections/incidents/items?event_type=Battles&limit=10" },
		func(_ int, _ string, id int) string { return "/collections/incidents/items/" + strconv.Itoa(id) },
		func(_ int, box string, _ int) string { return "/collections/incidents/stats?bbox=" + box },
		func(_ int, box string, _ int) string { return "/export/incidents.csv?limit=200&bbox=" + box },
		func(int, string, int) string { return "/collections/incidents/items?f=html&limit=20" },
		func(int, string, int) string { return "/?f=json" },
		func(int, string, int) string { return "/" },
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: readers}}
	var writing atomic.Bool // the second phase: writers at work
	var stopped atomic.Bool // after the imports end and the time is up
	var (
		mu       sync.Mutex
		samples  [2][]float64 // by phase: quiet, writing
		failures []string
		failed   atomic.Int64
		wg       sync.WaitGroup
	)
	fail := func(s string) {
		failed.Add(1)
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, s)
		}
	}
	for g := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 1))
			var mine [2][]float64
			for !stopped.Load() {
				z := 5 + r.IntN(8)
				path := paths[r.IntN(len(paths))](z, viewBox(9.5+r.Float64()*4, 30.5+r.Float64()*6, z), 1+r.IntN(n0))
				sent, phase := time.Now(), writing.Load()
				res, err := client.Get(ts.URL + path)
				if err != nil {
					fail(fmt.Sprintf("%s: %v", path, err))
					continue
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err != nil || res.StatusCode != http.StatusOK {
					fail(fmt.Sprintf("%s: %d %v", path, res.StatusCode, err))
					continue
				}
				if phase == writing.Load() { // not one that straddles the phases
					i := map[bool]int{false: 0, true: 1}[phase]
					mine[i] = append(mine[i], float64(time.Since(sent).Microseconds())/1000)
				}
			}
			mu.Lock()
			samples[0] = append(samples[0], mine[0]...)
			samples[1] = append(samples[1], mine[1]...)
			mu.Unlock()
		}()
	}

	// Readers alone first, to compare with.
	const quiet = 4 * time.Second
	time.Sleep(quiet)
	writing.Store(true)
	start := time.Now()

	// The server's own writes, one incident at a time, throughout.
	template, err := st.Incident(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var own atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stopped.Load() {
			inc := template
			inc.ID = 0
			if err := st.CreateIncident(ctx, &inc); err != nil {
				fail(fmt.Sprintf("the server's write: %v", err))
				return
			}
			own.Add(1)
			time.Sleep(10 * time.Millisecond)
		}
	}()

	// Ten imports at once, as processes of their own.
	var iwg sync.WaitGroup
	for _, file := range files {
		iwg.Add(1)
		go func() {
			defer iwg.Done()
			if out, err := command("import", "--db", db, file).CombinedOutput(); err != nil {
				fail(fmt.Sprintf("import %s: %v\n%s", filepath.Base(file), err, out))
			}
		}()
	}
	iwg.Wait()
	importsTook := time.Since(start)
	time.Sleep(time.Until(start.Add(time.Duration(seconds) * time.Second)))
	stopped.Store(true)
	wg.Wait()
	took := time.Since(start)

	for _, f := range failures {
		t.Error(f)
	}
	if n, err := st.CountIncidents(ctx); err != nil || n != n0+imports*rowsEach+int(own.Load()) {
		t.Errorf("got %d incidents (%v), want %d before + %d imported + %d written by the server", n, err, n0, imports*rowsEach, own.Load())
	}
	if err := store.Check(ctx, db); err != nil {
		t.Error(err)
	}
	if l := logs.String(); l != "" {
		t.Errorf("the server logged warnings or errors:\n%.2000s", l)
	}
	report := func(xs []float64, d time.Duration) string {
		if len(xs) == 0 {
			t.Fatal("no request succeeded")
		}
		slices.Sort(xs)
		pct := func(p int) float64 { return xs[(len(xs)-1)*p/100] }
		return fmt.Sprintf("%d requests, %.0f req/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms", len(xs), float64(len(xs))/d.Seconds(), pct(50), pct(99), xs[len(xs)-1])
	}
	t.Logf("%d readers over %d incidents, %d failed requests", readers, n0, failed.Load())
	t.Logf("readers alone for %s: %s", quiet, report(samples[0], quiet))
	t.Logf("with %d imports of %d rows (all done %.1f s in) and %d writes by the server, for %.1f s: %s",
		imports, rowsEach, importsTook.Seconds(), own.Load(), took.Seconds(), report(samples[1], took))
}
