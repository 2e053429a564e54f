// Package webtest holds the HTTP helpers that the tests of web and of the
// command share: requests, and the shapes of the answers they read.
package webtest

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/data"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web"
)

// BrowserAccept is what Chromium asks for when it loads a page.
const BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

// Get fetches url with the given header name/value pairs and returns the
// response and its body.
func Get(tb testing.TB, url string, header ...string) (*http.Response, string) {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// GetJSON fetches url, wants a 200 and decodes its JSON into v.
func GetJSON(tb testing.TB, url string, v any, header ...string) *http.Response {
	tb.Helper()
	res, body := Get(tb, url, header...)
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: got %d %s", url, res.StatusCode, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		tb.Fatalf("GET %s: %v in %s", url, err, body)
	}
	return res
}

// FeatureCollection is a GeoJSON FeatureCollection with OGC API's counts.
type FeatureCollection struct {
	Type           string    `json:"type"`
	NumberMatched  int       `json:"numberMatched"`
	NumberReturned int       `json:"numberReturned"`
	Features       []Feature `json:"features"`
}

// Feature is a GeoJSON Feature.
type Feature struct {
	Type       string          `json:"type"`
	ID         json.Number     `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
}

// GetCollection fetches a GeoJSON FeatureCollection, wanting a 200 and
// GeoJSON's media type.
func GetCollection(tb testing.TB, url string) FeatureCollection {
	tb.Helper()
	res, body := Get(tb, url)
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: got %d %s, want 200", url, res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/geo+json" {
		tb.Errorf("GET %s: got Content-Type %q, want application/geo+json", url, ct)
	}
	var fc FeatureCollection
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&fc); err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	return fc
}

// Link is an OGC API link.
type Link struct {
	Href, Rel, Type string
}

// Rels maps each rel to its first link.
func Rels(links []Link) map[string]Link {
	m := map[string]Link{}
	for _, l := range links {
		if _, ok := m[l.Rel]; !ok {
			m[l.Rel] = l
		}
	}
	return m
}

// Config is a server configuration for tests: quiet, offline tiles.
func Config() web.Config {
	return web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Tiles: "none", Gazetteer: data.Gazetteer}
}

// Date reads a YYYY-MM-DD date.
func Date(tb testing.TB, s string) time.Time {
	tb.Helper()
	d, err := time.Parse(geo.DateLayout, s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// SyncBuffer is a log sink that a server's goroutines may share.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
