package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/borderwatch/borderwatch/data"
	"github.com/borderwatch/borderwatch/store"
	"github.com/borderwatch/borderwatch/store/storetest"
	"github.com/borderwatch/borderwatch/web"
	"github.com/borderwatch/borderwatch/web/webtest"
)

// testApp is the server on a random port over a fresh database in
// t.TempDir() holding the bundled dataset.
type testApp struct {
	URL   string
	Store store.DB
}

func newTestApp(tb testing.TB, tiles string) *testApp {
	tb.Helper()
	cfg := testWebConfig()
	cfg.Tiles = tiles
	return newTestAppWith(tb, cfg)
}

func newTestAppWith(tb testing.TB, cfg web.Config) *testApp {
	tb.Helper()
	return newTestAppOn(tb, storetest.Addr(tb), cfg)
}

// newTestAppOn is the server over the database at addr, seeded if empty.
func newTestAppOn(tb testing.TB, addr string, cfg web.Config) *testApp {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, addr)
	if err != nil {
		tb.Fatal(err)
	}
	if cfg.Now != nil { // one clock for the data and the server
		st.SetClock(cfg.Now)
	}
	if _, err := data.Seed(ctx, st); err != nil {
		tb.Fatal(err)
	}
	cfg.Store, cfg.DataAttribution = st, data.Attribution
	srv, err := web.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	tb.Cleanup(func() { ts.Close(); st.Close() })
	return &testApp{URL: ts.URL, Store: st}
}

var testWebConfig = webtest.Config

const browserAccept = webtest.BrowserAccept

type (
	featureCollection = webtest.FeatureCollection
	link              = webtest.Link
)

var (
	get           = webtest.Get
	getCollection = webtest.GetCollection
	rels          = webtest.Rels
)

func getJSON(tb testing.TB, url string, v any, header ...string) *http.Response {
	tb.Helper()
	return webtest.GetJSON(tb, url, v, header...)
}

var mustDate = webtest.Date

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
