package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/web"
	"github.com/chromedp/chromedp"
)

// scaleApp serves a database of BORDERWATCH_SCALE_ROWS synthetic incidents
// (100 000 by default), made once per run, or kept at BORDERWATCH_SCALE_DB
// and made only when that file does not exist yet (a million take minutes).
var scaleApp = sync.OnceValues(func() (string, error) {
	db, err := scaleDB()
	if err != nil {
		return "", err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, srv, err := open(context.Background(), db, web.Config{Logger: log, Tiles: "none"})
	if err != nil {
		return "", err
	}
	_ = st // kept open for the run
	return httptest.NewServer(srv).URL, nil
})

func scaleDB() (string, error) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("BORDERWATCH_SCALE_ROWS")); err == nil && v > 0 {
		n = v
	}
	db := os.Getenv("BORDERWATCH_SCALE_DB")
	if db != "" {
		if _, err := os.Stat(db); err == nil {
			return db, nil
		}
	} else {
		dir, err := os.MkdirTemp("", "borderwatch-scale")
		if err != nil {
			return "", err
		}
		db = filepath.Join(dir, "scale.db")
	}
	fillSynthetic(&testing.T{}, db, n)
	return db, nil
}

// viewBox is the box a 1280×800 map shows at zoom z around (lon, lat).
func viewBox(lon, lat float64, z int) string {
	degPerPx := 360 / (256 * math.Exp2(float64(z)))
	dx, dy := 640*degPerPx, 400*degPerPx*math.Cos(lat*math.Pi/180)
	clamp := func(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
	return fmt.Sprintf("%.5f,%.5f,%.5f,%.5f", clamp(lon-dx, -180, 180), clamp(lat-dy, -85, 85), clamp(lon+dx, -180, 180), clamp(lat+dy, -85, 85))
}

// BenchmarkClusters asks for the clusters of random map views (zoom 5 to
// 12 over Tunisia and Libya) over 100 000 incidents, as the map does on every
// move, and reports the median and 95th percentile response times and the
// most features one response held.
//
//	go test -run '^$' -bench Clusters -benchtime 400x ./cmd/borderwatch
func BenchmarkClusters(b *testing.B) {
	base, err := scaleApp()
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	var times []float64
	most := 0
	for b.Loop() {
		z := 5 + r.IntN(8)
		url := fmt.Sprintf("%s/collections/incidents/clusters?zoom=%d&bbox=%s", base, z, viewBox(9.5+r.Float64()*4, 30.5+r.Float64()*6, z))
		start := time.Now()
		res, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		var fc struct{ Features []json.RawMessage }
		err = json.NewDecoder(res.Body).Decode(&fc)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("%s: %d %v", url, res.StatusCode, err)
		}
		times = append(times, float64(time.Since(start).Microseconds())/1000)
		most = max(most, len(fc.Features))
	}
	slices.Sort(times)
	b.ReportMetric(times[len(times)/2], "p50-ms")
	b.ReportMetric(times[len(times)*95/100], "p95-ms")
	b.ReportMetric(float64(most), "max-features")
}

// TestBrowserTimeToMarkers measures, in Chromium, the time from navigation to
// markers drawn on the map over 100 000 incidents (median of 5 loads). Run:
//
//	BORDERWATCH_BENCH_BROWSER=1 go test -run TestBrowserTimeToMarkers -v ./cmd/borderwatch
func TestBrowserTimeToMarkers(t *testing.T) {
	if os.Getenv("BORDERWATCH_BENCH_BROWSER") == "" {
		t.Skip("set BORDERWATCH_BENCH_BROWSER=1 to measure the map over 100 000 incidents")
	}
	base, err := scaleApp()
	if err != nil {
		t.Fatal(err)
	}
	var ms []float64
	var drawn int
	for range 5 {
		b := newBrowser(t, 1280, 800)
		b.do(t, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
		ms = append(ms, value(t, b, chromedp.Evaluate[float64](`window.borderwatchReadyAt`)))
		drawn = value(t, b, chromedp.Evaluate[int](`document.querySelectorAll('.incident-marker, .cluster-marker').length`))
	}
	slices.Sort(ms)
	var st struct{ NumberMatched int }
	if res, err := http.Get(base + "/collections/incidents/stats"); err == nil {
		json.NewDecoder(res.Body).Decode(&st)
		res.Body.Close()
	}
	fmt.Printf("navigation to markers drawn over %d incidents: median %.0f ms (min %.0f, max %.0f), %d markers and clusters drawn\n", st.NumberMatched, ms[2], ms[0], ms[4], drawn)
}
