package main

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/borderwatch/borderwatch/store"
	"github.com/borderwatch/borderwatch/store/storetest"
	"github.com/borderwatch/borderwatch/web/webtest"
)

// testApp runs the app as "serve" wires it, on a random port, over a fresh
// database in t.TempDir() holding the bundled dataset.
type testApp struct {
	URL   string
	Store store.DB
	DB    string // the database: a file, or a PostgreSQL address
}

func newTestApp(tb testing.TB, tiles string) *testApp {
	tb.Helper()
	cfg := testWebConfig()
	cfg.Tiles = tiles
	db := storetest.Addr(tb)
	st, srv, err := open(context.Background(), db, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	tb.Cleanup(func() { ts.Close(); st.Close() })
	return &testApp{URL: ts.URL, Store: st, DB: db}
}

var testWebConfig = webtest.Config

const browserAccept = webtest.BrowserAccept

type featureCollection = webtest.FeatureCollection

var (
	get           = webtest.Get
	getCollection = webtest.GetCollection
)

var mustDate = webtest.Date

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
