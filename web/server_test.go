package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web"
	"github.com/borderwatch/borderwatch/web/webtest"
	"github.com/paulmach/orb"
)

func TestIncidentItemsAreRFC7946(t *testing.T) {
	app := newTestApp(t, "none")
	fc := getCollection(t, app.URL+"/collections/incidents/items")
	if fc.Type != "FeatureCollection" || fc.NumberMatched != 10 || fc.NumberReturned != 10 || len(fc.Features) != 10 {
		t.Fatalf("got %s with %d matched, %d returned, %d features; want a FeatureCollection of the 10 bundled incidents",
			fc.Type, fc.NumberMatched, fc.NumberReturned, len(fc.Features))
	}
	for _, f := range fc.Features {
		if f.Type != "Feature" {
			t.Errorf("feature %s: got type %q", f.ID, f.Type)
		}
		if _, err := f.ID.Int64(); err != nil {
			t.Errorf("got feature id %q, want an integer", f.ID)
		}
		var g struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		}
		json.Unmarshal(f.Geometry, &g)
		if g.Type == "Point" {
			var c []float64
			json.Unmarshal(g.Coordinates, &c)
			if len(c) != 2 || c[0] < 9 || c[0] > 13 || c[1] < 30 || c[1] > 38 {
				t.Errorf("feature %s: got coordinates %v, want [lon, lat] in Tunisia or Libya", f.ID, c)
			}
		}
		for _, part := range strings.FieldsFunc(string(g.Coordinates), func(r rune) bool { return strings.ContainsRune("[],", r) }) {
			if i := strings.IndexByte(part, '.'); i >= 0 && len(part)-i-1 > 6 {
				t.Errorf("feature %s: got coordinate %s, want at most 6 decimals", f.ID, part)
			}
		}
		if len(f.Properties["sources"].([]any)) == 0 {
			t.Errorf("feature %s cites no source", f.ID)
		}
	}
}

func TestIncidentItemsBBoxAndPaging(t *testing.T) {
	app := newTestApp(t, "none")
	// Around Ben Guerdane and Ras Jedir: the El Amria clash, the closure, the arrests.
	fc := getCollection(t, app.URL+"/collections/incidents/items?bbox=11.1,33.0,11.6,33.3")
	var ids []string
	for _, f := range fc.Features {
		ids = append(ids, f.ID.String())
	}
	slices.Sort(ids)
	// 9 is the barrier announcement, drawn along the barrier, whose box reaches here.
	if want := []string{"1", "2", "4", "9"}; !slices.Equal(ids, want) {
		t.Errorf("got ids %v, want %v", ids, want)
	}
	page := getCollection(t, app.URL+"/collections/incidents/items?limit=3&offset=9")
	if page.NumberMatched != 10 || page.NumberReturned != 1 {
		t.Errorf("limit 3 offset 9: got %d matched, %d returned; want 10 and 1", page.NumberMatched, page.NumberReturned)
	}
	strikes := getCollection(t, app.URL+"/collections/incidents/items?event_type=Explosions/Remote+violence&datetime=2016-01-01/..")
	if strikes.NumberMatched != 1 || strikes.Features[0].Properties["sub_event_type"] != "Air/drone strike" {
		t.Errorf("explosions since 2016: got %d, want the Sabratha airstrike", strikes.NumberMatched)
	}
}

func TestBadQueriesGetProblems(t *testing.T) {
	app := newTestApp(t, "none")
	tests := []struct {
		path   string
		status int
		field  string
	}{
		{"/collections/incidents/items?bbox=1,2,3", 400, "bbox"},
		{"/collections/incidents/items?bbox=1,95,3,96", 400, "bbox"},
		{"/collections/incidents/items?limit=abc", 400, "limit"},
		{"/collections/incidents/items?event_type=Skirmish", 400, "event_type"},
		{"/collections/incidents/items?datetime=yesterday", 400, "datetime"},
		{"/collections/incidents/items?colour=red", 400, "colour"},
		{"/collections/nowhere/items", 404, ""},
		{"/collections/incidents/items/999", 404, ""},
		{"/collections/incidents/items/abc", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, body := get(t, app.URL+tt.path)
			if res.StatusCode != tt.status {
				t.Fatalf("got %d, want %d", res.StatusCode, tt.status)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("got Content-Type %q, want application/problem+json", ct)
			}
			var p web.Problem
			if err := json.Unmarshal([]byte(body), &p); err != nil || p.Status != tt.status || p.Detail == "" {
				t.Fatalf("got %s, want a problem with status and detail", body)
			}
			if tt.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tt.field) {
				t.Errorf("got %s, want a problem naming %s", body, tt.field)
			}
		})
	}
	if res, _ := get(t, app.URL+"/collections/incidents/items?limit=50000"); res.StatusCode != 200 {
		t.Errorf("a large limit: got %d, want 200 (clamped, not refused)", res.StatusCode)
	}
}

func TestBarrierShowsMeasuredAndReportedLengths(t *testing.T) {
	app := newTestApp(t, "none")
	fc := getCollection(t, app.URL+"/collections/barrier/items")
	if len(fc.Features) != 1 {
		t.Fatalf("got %d barrier features, want 1", len(fc.Features))
	}
	p := fc.Features[0].Properties
	measured, _ := p["measured_length_km"].(json.Number).Float64()
	barrier, err := app.Store.LayerFeature(context.Background(), "barrier", 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := geo.LengthKm(barrier.Geometry); measured < want-0.1 || measured > want+0.1 {
		t.Errorf("got measured_length_km %v, want the haversine length %.1f", measured, want)
	}
	reported := p["reported_lengths"].([]any)
	var kms []string
	for _, r := range reported {
		kms = append(kms, r.(map[string]any)["km"].(json.Number).String())
	}
	if !slices.Contains(kms, "250") || !slices.Contains(kms, "200") {
		t.Errorf("got reported lengths %v, want 250 (the article) and 200 (other reports)", kms)
	}
	for _, id := range []string{"border", "crossings", "basemap", "places"} {
		if fc := getCollection(t, app.URL+"/collections/"+id+"/items"); len(fc.Features) == 0 {
			t.Errorf("collection %s: got no features", id)
		}
	}
}

func TestPagesEscapeDataAndSetCSP(t *testing.T) {
	app := newTestApp(t, "none")
	ctx := context.Background()
	inc := geo.Incident{
		Title: `<img src=x onerror=alert(1)>`, EventType: "Battles", SubEventType: "Armed clash",
		DisorderType: geo.DisorderPoliticalViolence, TimePrecision: 1, GeoPrecision: 1, Country: "TN",
		Actor1: `<script>alert(2)</script>`, Geometry: orb.Point{11.22, 33.14},
		Sources: []geo.Source{{Publisher: `"><b>x</b>`, URL: "https://example.org/?q=<x>"}},
	}
	inc.EventDate = mustDate(t, "2016-03-03")
	if err := app.Store.CreateIncident(ctx, &inc); err != nil {
		t.Fatal(err)
	}
	res, body := get(t, app.URL+"/incidents/"+itoa(inc.ID), "Accept", browserAccept)
	if res.StatusCode != 200 || res.Request.URL.Path != "/collections/incidents/items/"+itoa(inc.ID) {
		t.Fatalf("got %d, want 200", res.StatusCode)
	}
	for _, bad := range []string{"<img src=x", "<script>alert", "<b>x</b>"} {
		if strings.Contains(body, bad) {
			t.Errorf("incident page contains unescaped %q", bad)
		}
	}
	if !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("incident page does not show the title as text")
	}
	if !strings.Contains(body, "El Amria") || !strings.Contains(body, "Within 50 km") {
		t.Error("incident page near Ben Guerdane does not list El Amria within 50 km")
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'self'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("got CSP %q, want it to contain %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("got CSP %q, want no unsafe-inline", csp)
	}
	res, body = get(t, app.URL+"/collections/incidents/items/9999", "Accept", browserAccept)
	if res.StatusCode != 404 || !strings.Contains(body, "incident 9999 not found") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("missing incident page: got %d %s, want a readable 404 page", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestTilesSettingReachesCSPAndMap(t *testing.T) {
	app := newTestApp(t, "https://{s}.tile.example.org/{z}/{x}/{y}.png")
	res, body := get(t, app.URL+"/", "Accept", browserAccept)
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https://*.tile.example.org") {
		t.Errorf("got CSP %q, want img-src to allow the tile server", csp)
	}
	if !strings.Contains(body, `https://{s}.tile.example.org/{z}/{x}/{y}.png`) {
		t.Error("map page does not hand the tile URL to the map")
	}
	offline := newTestApp(t, "none")
	res, body = get(t, offline.URL+"/", "Accept", browserAccept)
	if strings.Contains(body, `"tiles"`) || !strings.Contains(res.Header.Get("Content-Security-Policy"), "img-src 'self' data:;") {
		t.Error("--tiles none still configures a tile server")
	}
}

func TestStaticAssetsAreEmbedded(t *testing.T) {
	app := newTestApp(t, "none")
	for _, path := range []string{"/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/LICENSE", "/static/js/map.js", "/static/css/app.css"} {
		res, _ := get(t, app.URL+path)
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "public, max-age=300" {
			t.Errorf("GET %s: got %d, %q; want 200, cached for five minutes", path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
	if res, _ := get(t, app.URL+"/static/js/"); res.StatusCode != 404 {
		t.Errorf("directory listing: got %d, want 404", res.StatusCode)
	}
	for _, enc := range []string{"br", "gzip"} {
		res, _ := get(t, app.URL+"/static/vendor/leaflet/leaflet.js", "Accept-Encoding", "deflate, "+enc+";q=0.8")
		if res.Header.Get("Content-Encoding") != enc || !slices.Contains(res.Header.Values("Vary"), "Accept-Encoding") {
			t.Errorf("Accept-Encoding %s: got %q, want the script so compressed", enc, res.Header.Get("Content-Encoding"))
		}
	}
	if res, _ := get(t, app.URL+"/static/vendor/leaflet/leaflet.js", "Accept-Encoding", "br;q=0, identity"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("br;q=0: got %q, want no compression", res.Header.Get("Content-Encoding"))
	}

	// The pages name every file by its content hash; those addresses are
	// cached for good, and modules find one another through the import map.
	_, page := get(t, app.URL+"/?f=html")
	hashed := regexp.MustCompile(`/static/[a-z/]+\.[0-9a-f]{10}\.(js|css)`).FindAllString(page, -1)
	if len(hashed) < 4 || !strings.Contains(page, `<script type="importmap">{"imports":{`) {
		t.Fatalf("the map page names %v and no import map, want hashed styles, Leaflet and modules", hashed)
	}
	for _, path := range hashed {
		res, body := get(t, app.URL+path)
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || body == "" {
			t.Errorf("GET %s: got %d, %q", path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
		if res, _ := get(t, app.URL+path, "If-None-Match", res.Header.Get("ETag")); res.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s again with its ETag: got %d, want 304", path, res.StatusCode)
		}
	}
	if res, _ := get(t, app.URL+"/static/js/map.0000000000.js"); res.StatusCode != 404 {
		t.Errorf("a stale hash: got %d, want 404", res.StatusCode)
	}
}

// QGIS types a layer by its first feature and drops the rest: the points
// collection has every incident as a point, selected by its marker point.
func TestIncidentPointsHoldEveryIncidentAsAPoint(t *testing.T) {
	app := newTestApp(t, "none")
	all := getCollection(t, app.URL+"/collections/incident-points/items")
	if all.NumberMatched != 10 || len(all.Features) != 10 {
		t.Fatalf("got %d of %d, want all 10 incidents", len(all.Features), all.NumberMatched)
	}
	for _, f := range all.Features {
		var g struct{ Type string }
		json.Unmarshal(f.Geometry, &g)
		if g.Type != "Point" {
			t.Errorf("incident %s: got a %s, want a Point", f.ID, g.Type)
		}
	}
	// The barrier's line (incident 9) starts near Ras Jedir; its marker is
	// its middle vertex, far south.
	box := "11.4,33.1,11.6,33.2"
	lines := getCollection(t, app.URL+"/collections/incidents/items?bbox="+box)
	points := getCollection(t, app.URL+"/collections/incident-points/items?bbox="+box)
	has9 := func(fc featureCollection) bool {
		return slices.ContainsFunc(fc.Features, func(f webtest.Feature) bool { return f.ID.String() == "9" })
	}
	if !has9(lines) || has9(points) {
		t.Errorf("a box around the line's start: got the line %v and its point %v, want the line only", has9(lines), has9(points))
	}
	if res, body := get(t, app.URL+"/collections/incident-points/items/9"); res.StatusCode != 200 || !strings.Contains(body, `"geometry":{"type":"Point","coordinates":[11.544075,32.46811]}`) {
		t.Errorf("incident 9 as a point: got %d %s", res.StatusCode, body)
	}
	if res, body := get(t, app.URL+"/export/incident-points.geojson?event_type=Strategic+developments"); res.StatusCode != 200 || strings.Contains(body, "LineString") {
		t.Errorf("the points download: got %d with a line in it", res.StatusCode)
	}
}
