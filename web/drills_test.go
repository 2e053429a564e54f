package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web"
	"github.com/borderwatch/borderwatch/web/webtest"
	"github.com/paulmach/orb"
)

// A client that goes away is not a fault: no "internal error", no 500.
func TestClientGoneIsNotAFault(t *testing.T) {
	app := newTestApp(t, "none")
	var logs webtest.SyncBuffer
	cfg := testWebConfig()
	cfg.Store, cfg.Logger = app.Store, slog.New(slog.NewJSONHandler(&logs, nil))
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/collections/incidents/items", "/collections/incidents/clusters?zoom=5", "/export/incidents.csv"} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx))
		if rec.Code != 499 {
			t.Errorf("%s: got %d, want 499 (client closed request)", path, rec.Code)
		}
	}
	if l := logs.String(); strings.Contains(l, `"level":"ERROR"`) || strings.Contains(l, "internal error") || !strings.Contains(l, `"status":499`) {
		t.Errorf("got logs %s, want the requests at INFO with status 499 and no error", l)
	}
}

// manyIncidents adds n copies of incident 1 spread over the region.
func manyIncidents(t *testing.T, app *testApp, n int) {
	t.Helper()
	inc, err := app.Store.Incident(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	incs := make([]geo.Incident, n)
	for i := range incs {
		incs[i] = inc
		incs[i].ID = 0
		incs[i].Geometry = orb.Point{10 + float64(i%1000)/500, 32 + float64(i/1000%100)/50}
	}
	if _, _, err := app.Store.ImportIncidents(context.Background(), incs); err != nil {
		t.Fatal(err)
	}
}

// Downloads run for as long as they make progress, past the per-request
// timeout; one that stalls is cut, and that is not logged as a fault.
func TestDownloadsRunWhileTheyMakeProgress(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 30 000 incidents")
	}
	var logs webtest.SyncBuffer
	cfg := testWebConfig()
	// Long enough for the first rows to come on a busy machine (the export
	// sorts before its first byte), far shorter than the whole download.
	cfg.RequestTimeout = time.Second
	cfg.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	app := newTestAppWith(t, cfg)
	t0 := time.Now()
	manyIncidents(t, app, 30000)
	t.Logf("import: %v", time.Since(t0))

	start := time.Now()
	res, err := http.Get(app.URL + "/export/incidents.geojson")
	if err != nil {
		t.Fatal(err, logs.String())
	}
	var fc struct{ Features []json.RawMessage }
	err = json.NewDecoder(res.Body).Decode(&fc)
	res.Body.Close()
	took := time.Since(start)
	if err != nil || len(fc.Features) != 30010 {
		t.Fatalf("got %d features (%v) after %v, want all 30 010", len(fc.Features), err, took)
	}
	t.Logf("download: %v", took)
	if took < cfg.RequestTimeout {
		t.Logf("the download took %v, less than the timeout: this run proves less", took)
	}

	// A client that stops reading: the server gives up after the idle time.
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/export/incidents.csv", nil)
	req.Header.Set("Accept-Encoding", "identity") // no gzip: the bytes must fill the socket's buffers
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 1024)
	io.ReadFull(res.Body, head)
	time.Sleep(3 * time.Second) // stalled, far past the idle time
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err == nil {
		t.Error("a stalled download came through whole, want it cut")
	}
	time.Sleep(100 * time.Millisecond)
	if l := logs.String(); !strings.Contains(l, "download ended early") || strings.Contains(l, `"level":"ERROR"`) {
		t.Errorf("got logs %s, want the stalled download logged as ended early, not as an error", l)
	}
}
