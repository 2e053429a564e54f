package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/borderwatch/borderwatch/web"
)

func TestLandingConformanceAndCollections(t *testing.T) {
	app := newTestApp(t, "none")
	var landing struct{ Links []link }
	getJSON(t, app.URL+"/", &landing, "Accept", "application/json")
	l := rels(landing.Links)
	for _, rel := range []string{"self", "alternate", "service-desc", "service-doc", "conformance", "data"} {
		if !strings.HasPrefix(l[rel].Href, app.URL+"/") {
			t.Errorf("landing: got %s link %q, want an absolute URL on this site", rel, l[rel].Href)
		}
	}
	if res, body := get(t, app.URL+"/", "Accept", browserAccept); !strings.Contains(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, `id="map"`) {
		t.Error("a browser asking for / does not get the map page")
	}

	var conf struct{ ConformsTo []string }
	getJSON(t, app.URL+"/conformance", &conf)
	for _, c := range []string{"core", "oas30", "geojson", "html"} {
		if !slices.Contains(conf.ConformsTo, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"+c) {
			t.Errorf("conformance lacks %s: %v", c, conf.ConformsTo)
		}
	}
	for _, c := range []string{"create-replace-delete", "update"} {
		if !slices.Contains(conf.ConformsTo, "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/"+c) {
			t.Errorf("conformance lacks Part 4's %s: %v", c, conf.ConformsTo)
		}
	}

	var cols struct {
		Collections []struct {
			ID     string
			Extent struct {
				Spatial  struct{ BBox [][]float64 }
				Temporal struct{ Interval [][]string }
			}
			Links []link
		}
	}
	getJSON(t, app.URL+"/collections", &cols)
	var ids []string
	for _, c := range cols.Collections {
		ids = append(ids, c.ID)
		if len(c.Extent.Spatial.BBox) != 1 || len(c.Extent.Spatial.BBox[0]) != 4 {
			t.Errorf("%s: got spatial extent %v", c.ID, c.Extent.Spatial.BBox)
		}
		if rels(c.Links)["items"].Href == "" {
			t.Errorf("%s: no items link", c.ID)
		}
	}
	if !slices.Equal(ids, []string{"incidents", "incident-points", "basemap", "border", "barrier", "crossings", "places"}) {
		t.Errorf("got collections %v", ids)
	}
	inc := cols.Collections[0]
	if got := inc.Extent.Temporal.Interval; len(got) != 1 || got[0][0] != "2015-03-18T00:00:00Z" || got[0][1] != "2016-03-02T23:59:59Z" {
		t.Errorf("incidents: got temporal extent %v, want 2015-03-18 to 2016-03-02 from the data", got)
	}
	if b := inc.Extent.Spatial.BBox[0]; b[0] != 10.134 || b[3] != 36.81897 {
		t.Errorf("incidents: got bbox %v, want it from the data (Bardo's lon 10.134, Tunis's lat 36.81897)", b)
	}
	var one struct{ ID string }
	getJSON(t, app.URL+"/collections/barrier", &one)
	if one.ID != "barrier" {
		t.Errorf("got collection %q", one.ID)
	}
}

func TestItemsPagingLinks(t *testing.T) {
	app := newTestApp(t, "none")
	var page struct {
		NumberMatched, NumberReturned int
		TimeStamp                     string
		Links                         []link
		Features                      []struct{ ID int }
	}
	url := app.URL + "/collections/incidents/items?limit=3&event_type=Strategic+developments"
	var seen []int
	for n := 0; url != "" && n < 10; n++ {
		getJSON(t, url, &page)
		if page.NumberMatched != 5 || page.TimeStamp == "" {
			t.Fatalf("got numberMatched %d, timeStamp %q; want 5 and a time", page.NumberMatched, page.TimeStamp)
		}
		for _, f := range page.Features {
			seen = append(seen, f.ID)
		}
		l := rels(page.Links)
		if l["self"].Type != "application/geo+json" || l["alternate"].Type != "text/html" {
			t.Errorf("got links %v", page.Links)
		}
		if (len(seen) > 3) != (l["prev"].Href != "") {
			t.Errorf("after %d features: prev link %q", len(seen), l["prev"].Href)
		}
		url = l["next"].Href
		if url != "" && !strings.Contains(url, "event_type=Strategic+developments") {
			t.Errorf("next link %q lost the filter", url)
		}
	}
	if len(seen) != 5 {
		t.Errorf("following next links: got %v, want the 5 strategic developments", seen)
	}
}

func TestFilterParametersOnItems(t *testing.T) {
	app := newTestApp(t, "none")
	tests := []struct {
		query string
		want  int
	}{
		{"near_barrier_km=10", 2}, // the Ras Jedir closure, the barrier announcement
		{"near_barrier_km=30", 4}, // and at Ben Guerdane, 23 km away: El Amria, the arrests
		{"near_barrier_km=30&datetime=2016-03-01/2016-03-31", 2},
		{"min_fatalities=20", 3},    // Bardo 22, Sousse 38, Sabratha 50
		{"actor=national+guard", 2}, // El Amria, the arrests
		{"country=LY", 2},
		{"q=sabratha", 3},
		{"sub_event_type=Armed+clash", 1},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			fc := getCollection(t, app.URL+"/collections/incidents/items?"+tt.query)
			if fc.NumberMatched != tt.want {
				var titles []string
				for _, f := range fc.Features {
					titles = append(titles, f.Properties["title"].(string))
				}
				t.Errorf("got %d (%v), want %d", fc.NumberMatched, titles, tt.want)
			}
		})
	}
	res, body := get(t, app.URL+"/collections/barrier/items?event_type=Battles")
	if res.StatusCode != 400 || !strings.Contains(body, "applies to incidents only") {
		t.Errorf("an incident filter on a layer: got %d %s, want 400 saying why", res.StatusCode, body)
	}
}

func TestOpenAPIDeclaresEveryParameter(t *testing.T) {
	app := newTestApp(t, "none")
	var doc struct {
		OpenAPI string
		Paths   map[string]map[string]struct {
			Parameters []struct {
				Ref string `json:"$ref"`
			}
		}
		Components struct {
			Parameters map[string]struct {
				Name   string
				In     string
				Schema map[string]any
			}
		}
	}
	res := getJSON(t, app.URL+"/openapi", &doc)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.oai.openapi+json") || !strings.HasPrefix(doc.OpenAPI, "3.0") {
		t.Errorf("got %s, OpenAPI %q", res.Header.Get("Content-Type"), doc.OpenAPI)
	}
	for _, p := range []string{"/", "/conformance", "/collections", "/collections/{collectionId}", "/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}"} {
		if _, ok := doc.Paths[p]["get"]; !ok {
			t.Errorf("OpenAPI lacks GET %s", p)
		}
	}
	var declared []string
	for _, p := range doc.Paths["/collections/{collectionId}/items"]["get"].Parameters {
		name := strings.TrimPrefix(p.Ref, "#/components/parameters/")
		if doc.Components.Parameters[name].In == "query" {
			declared = append(declared, name)
		}
	}
	slices.Sort(declared)
	want := []string{"actor", "as_of", "bbox", "country", "datetime", "event_type", "f", "lang", "limit", "min_fatalities", "near_barrier_km", "near_border_km", "near_crossing_km", "offset", "q", "sortby", "sub_event_type"}
	if !slices.Equal(declared, want) {
		t.Errorf("items declares %v, want %v", declared, want)
	}
	limit := doc.Components.Parameters["limit"].Schema
	if limit["minimum"] != 1.0 || limit["maximum"] != 10000.0 {
		t.Errorf("got limit schema %v, want minimum 1 and maximum 10000", limit)
	}
	// Every declared parameter is accepted: none gets "unknown parameter".
	for _, name := range declared {
		_, body := get(t, app.URL+"/collections/incidents/items?"+name+"=x")
		if strings.Contains(body, "unknown parameter") {
			t.Errorf("declared parameter %s is refused as unknown", name)
		}
	}
}

func TestConditionalGETAndCORS(t *testing.T) {
	app := newTestApp(t, "none")
	url := app.URL + "/collections/incidents/items?limit=2"
	res, _ := get(t, url, "Origin", "https://news.example.org")
	etag, modified := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
	if etag == "" || modified == "" {
		t.Fatalf("got ETag %q, Last-Modified %q", etag, modified)
	}
	if res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("got Access-Control-Allow-Origin %q, want *", res.Header.Get("Access-Control-Allow-Origin"))
	}
	if res, _ := get(t, url, "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: got %d, want 304", res.StatusCode)
	}
	if res, _ := get(t, url, "If-Modified-Since", modified); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since: got %d, want 304", res.StatusCode)
	}
	// A change makes the old validators stale.
	inc, err := app.Store.Incident(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	inc.ID = 0
	if err := app.Store.CreateIncident(context.Background(), &inc); err != nil {
		t.Fatal(err)
	}
	if res, _ := get(t, url, "If-None-Match", etag); res.StatusCode != http.StatusOK || res.Header.Get("ETag") == etag {
		t.Errorf("after an import: got %d with ETag %q, want 200 and a new ETag", res.StatusCode, res.Header.Get("ETag"))
	}
}

func TestBaseURLMakesLinksRightBehindAProxy(t *testing.T) {
	cfg := testWebConfig()
	cfg.BaseURL = "https://maps.example.org/borderwatch/"
	app := newTestAppWith(t, cfg)
	var page struct{ Links []link }
	getJSON(t, app.URL+"/collections/incidents/items?limit=1", &page)
	if got := rels(page.Links)["next"].Href; !strings.HasPrefix(got, "https://maps.example.org/borderwatch/collections/incidents/items?") {
		t.Errorf("got next link %q, want it under the base URL", got)
	}
	if _, err := web.New(web.Config{Store: app.Store, BaseURL: "maps.example.org"}); err == nil {
		t.Error("a relative base URL is accepted")
	}
}

func TestHTMLForEveryResource(t *testing.T) {
	app := newTestApp(t, "none")
	for _, path := range []string{"/collections", "/collections/incidents", "/collections/incidents/items", "/collections/incidents/items/1",
		"/collections/barrier/items", "/collections/barrier/items/1", "/conformance", "/openapi"} {
		res, body := get(t, app.URL+path, "Accept", browserAccept)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "</html>") {
			t.Errorf("GET %s as a browser: got %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if res2, _ := get(t, app.URL+path+"?f=json"); !strings.Contains(res2.Header.Get("Content-Type"), "json") {
			t.Errorf("GET %s?f=json: got %s", path, res2.Header.Get("Content-Type"))
		}
	}
	res, body := get(t, app.URL+"/collections/incidents/items?f=html&event_type=Battles")
	if res.StatusCode != 200 || !strings.Contains(body, "Armed clash with militants in El Amria") || strings.Contains(body, "Bardo") {
		t.Error("the items page does not list exactly the filtered incidents")
	}
	if !strings.Contains(body, `href="/export/incidents.csv?event_type=Battles"`) {
		t.Error("the items page's download links lose the filter")
	}
}

func TestExports(t *testing.T) {
	app := newTestApp(t, "none")
	res, body := get(t, app.URL+"/export/incidents.csv?country=LY")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("got %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, `attachment; filename="borderwatch-incidents_country-ly_`) || !strings.HasSuffix(cd, `.csv"`) {
		t.Errorf("got Content-Disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range []string{"event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "iso", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities"} {
		if !slices.Contains(rows[0], col) {
			t.Errorf("CSV lacks ACLED column %s", col)
		}
	}
	if len(rows) != 3 {
		t.Errorf("got %d rows for country=LY, want a header and 2 incidents", len(rows))
	}
	res, body = get(t, app.URL+"/export/incidents.geojson?near_barrier_km=30")
	var fc featureCollection
	json.Unmarshal([]byte(body), &fc)
	if res.Header.Get("Content-Type") != "application/geo+json" || len(fc.Features) != 4 {
		t.Errorf("GeoJSON export near the barrier: got %s with %d features, want 4", res.Header.Get("Content-Type"), len(fc.Features))
	}
	if res, _ := get(t, app.URL+"/export/incidents.xml"); res.StatusCode != 404 {
		t.Errorf("an unknown format: got %d, want 404", res.StatusCode)
	}
	if res, _ := get(t, app.URL+"/export/incidents.csv?limit=x"); res.StatusCode != 400 {
		t.Errorf("a bad filter: got %d, want 400", res.StatusCode)
	}
	if res, body := get(t, app.URL+"/export/barrier.csv"); res.StatusCode != 200 || !strings.Contains(body, "LINESTRING") {
		t.Errorf("barrier CSV: got %d", res.StatusCode)
	}
}

func TestHEADAnswersLikeGET(t *testing.T) {
	app := newTestApp(t, "none")
	for _, path := range []string{"/", "/collections", "/collections/incidents/items", "/collections/incidents/items/1", "/export/incidents.csv", "/embed", "/static/css/app.css"} {
		req, _ := http.NewRequest(http.MethodHead, app.URL+path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") == "" {
			t.Errorf("HEAD %s: got %d %q, want 200 with the GET's headers", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
}
