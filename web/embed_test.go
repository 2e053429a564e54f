package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/web"
)

func TestFramingRules(t *testing.T) {
	app := newTestApp(t, "none")
	res, body := get(t, app.URL+"/embed?event_type=Battles&title=Clashes", "Accept", browserAccept)
	csp := res.Header.Get("Content-Security-Policy")
	if res.StatusCode != 200 || !strings.Contains(csp, "frame-ancestors *") || res.Header.Get("X-Frame-Options") != "" {
		t.Errorf("embed: got %d, CSP %q, X-Frame-Options %q; want any site allowed to frame it", res.StatusCode, csp, res.Header.Get("X-Frame-Options"))
	}
	if strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("embed CSP %q allows inline scripts", csp)
	}
	if !strings.Contains(body, `<h1 class="embed-title" data-testid="embed-title">Clashes</h1>`) || strings.Contains(body, `<header class="site">`) {
		t.Error("embed: want the title and no site header")
	}
	if res.Header.Get("Set-Cookie") != "" {
		t.Error("embed sets a cookie")
	}
	for _, path := range []string{"/", "/collections", "/collections/incidents/items/1"} {
		res, _ := get(t, app.URL+path, "Accept", browserAccept)
		if !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'self'") || res.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
			t.Errorf("%s may be framed by other sites", path)
		}
	}
	if res, body := get(t, app.URL+"/embed?colour=red", "Accept", browserAccept); res.StatusCode != 400 || !strings.Contains(body, "colour") {
		t.Errorf("embed with a bad parameter: got %d", res.StatusCode)
	}

	// With an allow-list, only those origins may frame embeds.
	cfg := testWebConfig()
	cfg.EmbedOrigins = []string{"https://news.example.org", "https://blog.example.com"}
	res, _ = get(t, newTestAppWith(t, cfg).URL+"/embed")
	if csp := res.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors https://news.example.org https://blog.example.com") {
		t.Errorf("with --embed-origins: got CSP %q", csp)
	}
	if _, err := web.New(web.Config{Store: app.Store, EmbedOrigins: []string{"news.example.org"}}); err == nil {
		t.Error("an embed origin without a scheme is accepted")
	}
}

func TestOEmbed(t *testing.T) {
	app := newTestApp(t, "none")
	type oembed struct {
		Version, Type, HTML, Title, ProviderName string
		ProviderURL                              string `json:"provider_url"`
		Width, Height                            int
	}
	tests := []struct {
		name, target string
		maxwidth     string
		wantSrc      string
	}{
		{"map view", app.URL + "/?event_type=Battles&datetime=2016-02-01/2016-03-31", "", "/embed?datetime=2016-02-01%2F2016-03-31&amp;event_type=Battles"},
		{"embed view", app.URL + "/embed?near_barrier_km=10", "400", "/embed?near_barrier_km=10"},
		{"incident", app.URL + "/collections/incidents/items/7", "", "/embed?incident=7"},
		{"old incident permalink", app.URL + "/incidents/7", "", "/embed?incident=7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{"url": {tt.target}, "format": {"json"}}
			if tt.maxwidth != "" {
				q.Set("maxwidth", tt.maxwidth)
			}
			var o oembed
			getJSON(t, app.URL+"/oembed?"+q.Encode(), &o)
			// Required by the oEmbed spec for every response, and for type rich.
			if o.Version != "1.0" || o.Type != "rich" || o.HTML == "" || o.Width <= 0 || o.Height <= 0 {
				t.Fatalf("got %+v, want version 1.0, type rich, html, width and height", o)
			}
			if !strings.Contains(o.HTML, `<iframe src="`+app.URL+tt.wantSrc) || !strings.Contains(o.HTML, `title="`) {
				t.Errorf("got html %s, want an iframe of %s with a title", o.HTML, tt.wantSrc)
			}
			if tt.maxwidth != "" && o.Width > 400 {
				t.Errorf("got width %d, want at most maxwidth 400", o.Width)
			}
		})
	}
	for _, bad := range []string{"https://elsewhere.example.org/", app.URL + "/collections", app.URL + "/collections/incidents/items/999", app.URL + "/?colour=red"} {
		if res, _ := get(t, app.URL+"/oembed?url="+url.QueryEscape(bad)); res.StatusCode != 404 {
			t.Errorf("oEmbed for %s: got %d, want 404", bad, res.StatusCode)
		}
	}
	if res, _ := get(t, app.URL+"/oembed?format=xml&url="+url.QueryEscape(app.URL+"/")); res.StatusCode != 501 {
		t.Errorf("oEmbed as XML: got %d, want 501", res.StatusCode)
	}
	// Pages advertise it.
	for _, path := range []string{"/", "/embed", "/collections/incidents/items/7"} {
		_, body := get(t, app.URL+path, "Accept", browserAccept)
		if !strings.Contains(body, `<link rel="alternate" type="application/json+oembed" href="`+app.URL+`/oembed?format=json&amp;url=`) {
			t.Errorf("%s does not advertise oEmbed", path)
		}
	}
}

func TestAsOfPinsTheAPI(t *testing.T) {
	app := newTestApp(t, "none")
	pinned := time.Now().UTC().Format(time.RFC3339Nano)
	time.Sleep(10 * time.Millisecond)
	inc, err := app.Store.Incident(context.Background(), 7)
	if err != nil {
		t.Fatal(err)
	}
	inc.Title = "Edited later"
	if err := app.Store.UpdateIncident(context.Background(), &inc); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.DeleteIncident(context.Background(), 6); err != nil {
		t.Fatal(err)
	}
	old := getCollection(t, app.URL+"/collections/incidents/items?as_of="+url.QueryEscape(pinned))
	now := getCollection(t, app.URL+"/collections/incidents/items")
	if old.NumberMatched != 10 || now.NumberMatched != 9 {
		t.Errorf("got %d as of the pin and %d now, want 10 and 9", old.NumberMatched, now.NumberMatched)
	}
	for _, f := range old.Features {
		if f.ID.String() == "7" && f.Properties["title"] != "Gun attack on a beach resort at Port El Kantaoui, Sousse" {
			t.Errorf("as of the pin, incident 7 is titled %q", f.Properties["title"])
		}
	}
	_, body := get(t, app.URL+"/export/incidents.csv?as_of="+url.QueryEscape(pinned))
	if strings.Contains(body, "Edited later") || !strings.Contains(body, "Bardo") {
		t.Error("the pinned download is not the pinned data")
	}
	_, body = get(t, app.URL+"/embed?as_of="+url.QueryEscape(pinned), "Accept", browserAccept)
	if !strings.Contains(body, "Data as of ") {
		t.Error("a pinned embed does not say so")
	}
	q := "?as_of=" + url.QueryEscape(pinned)
	// One incident, as JSON: the pinned version, and it says so.
	var one struct {
		Properties map[string]any
		AsOf       string
		Links      []web.Link
	}
	if res, b := get(t, app.URL+"/collections/incidents/items/7"+q); res.StatusCode != 200 || json.Unmarshal([]byte(b), &one) != nil {
		t.Fatalf("pinned incident 7: %d %s", res.StatusCode, b)
	}
	if one.Properties["title"] != "Gun attack on a beach resort at Port El Kantaoui, Sousse" || one.AsOf == "" || !strings.Contains(one.Links[0].Href, "as_of=") {
		t.Errorf("pinned incident 7: title %q, asOf %q, self link %q; want the old title, the pin and a link that keeps it", one.Properties["title"], one.AsOf, one.Links[0].Href)
	}
	// A deleted incident is there as of the pin, and gone now.
	if res, _ := get(t, app.URL+"/collections/incidents/items/6"+q); res.StatusCode != 200 {
		t.Errorf("pinned deleted incident 6: got %d, want 200", res.StatusCode)
	}
	if res, _ := get(t, app.URL+"/collections/incidents/items/6"); res.StatusCode != 404 {
		t.Errorf("deleted incident 6 now: got %d, want 404", res.StatusCode)
	}
	if res, b := get(t, app.URL+"/collections/incidents/items/7?as_of=2000-01-01T00:00:00Z"); res.StatusCode != 404 || !strings.Contains(b, "did not exist at 2000-01-01") {
		t.Errorf("incident 7 before it was added: got %d %s", res.StatusCode, b)
	}
	if res, b := get(t, app.URL+"/collections/crossings/items/1"+q); res.StatusCode != 400 || !strings.Contains(b, "as_of") {
		t.Errorf("a pin on a layer feature: got %d %s, want 400 naming as_of", res.StatusCode, b)
	}
	// As a page: the old record, a note, and links that keep the pin.
	_, page := get(t, app.URL+"/collections/incidents/items/7"+q, "Accept", browserAccept)
	if !strings.Contains(page, "Gun attack on a beach resort") || strings.Contains(page, "Edited later") || !strings.Contains(page, "This record as of ") ||
		!strings.Contains(page, `/collections/incidents/items/7?as_of=`) {
		t.Error("the pinned incident page does not show the pinned record, say so, and keep the pin in its links")
	}
	_, page = get(t, app.URL+"/collections/incidents/items"+q, "Accept", browserAccept)
	if !strings.Contains(page, "Data as of ") || !strings.Contains(page, `/collections/incidents/items/7?as_of=`) {
		t.Error("the pinned list page does not say so or drops the pin from its links")
	}
	// Clusters and counts, pinned, count what stood then.
	var cl struct {
		NumberMatched int
		AsOf          string
	}
	if _, b := get(t, app.URL+"/collections/incidents/clusters"+q+"&zoom=5"); json.Unmarshal([]byte(b), &cl) != nil || cl.NumberMatched != 10 || cl.AsOf == "" {
		t.Errorf("pinned clusters: got %s, want 10 matched and the pin", b)
	}
	var st struct {
		NumberMatched int
		ByEventType   map[string]int
		AsOf          string
	}
	if _, b := get(t, app.URL+"/collections/incidents/stats"+q); json.Unmarshal([]byte(b), &st) != nil || st.NumberMatched != 10 || st.AsOf == "" {
		t.Errorf("pinned stats: got %s, want 10 matched and the pin", b)
	}
	// The oEmbed answer for a pinned view embeds the pinned view.
	if _, b := get(t, app.URL+"/oembed?format=json&url="+url.QueryEscape(app.URL+"/"+q)); !strings.Contains(b, "as_of=") {
		t.Errorf("oEmbed of a pinned view drops the pin: %s", b)
	}

	var p web.Problem
	res, b := get(t, app.URL+"/collections/incidents/items?as_of=yesterday")
	json.Unmarshal([]byte(b), &p)
	if res.StatusCode != http.StatusBadRequest || len(p.Errors) == 0 || p.Errors[0].Field != "as_of" {
		t.Errorf("a bad as_of: got %d %s", res.StatusCode, b)
	}
}

// An embed whose link has a mistake shows a short notice that fits the
// frame, with a link to the map without the mistake, never a bare error.
func TestEmbedWithABadParameterFitsTheFrame(t *testing.T) {
	app := newTestApp(t, "none")
	res, body := get(t, app.URL+"/embed?event_type=Battles&colour=red&bbox=1,2,3", "Accept", browserAccept)
	if res.StatusCode != 400 || !strings.Contains(body, `data-testid="embed-problem"`) || !strings.Contains(body, "colour: unknown parameter") {
		t.Fatalf("got %d: %.300s", res.StatusCode, body)
	}
	if !strings.Contains(body, `href="`+app.URL+`/?event_type=Battles"`) || strings.Contains(body, "site") && strings.Contains(body, `<header class="site">`) {
		t.Errorf("the notice does not link to the map without the mistakes, or shows the site's chrome: %s", body)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") {
		t.Errorf("the notice cannot be framed: %s", csp)
	}
	// The legend's state is checked like any other parameter.
	if res, body := get(t, app.URL+"/embed?legend=sideways", "Accept", browserAccept); res.StatusCode != 400 || !strings.Contains(body, "legend must be open or folded") {
		t.Errorf("legend=sideways: got %d: %.300s", res.StatusCode, body)
	}
	for _, ok := range []string{"open", "folded"} {
		if res, _ := get(t, app.URL+"/embed?legend="+ok, "Accept", browserAccept); res.StatusCode != 200 {
			t.Errorf("legend=%s: got %d", ok, res.StatusCode)
		}
	}
}

// oEmbed answers in the language of the page it embeds, or of the request.
func TestOEmbedSpeaksThePagesLanguage(t *testing.T) {
	app := newTestApp(t, "none")
	var doc struct{ Title, HTML string }
	getJSON(t, app.URL+"/oembed?url="+url.QueryEscape(app.URL+"/?lang=ar&event_type=Battles"), &doc)
	if doc.Title != "Borderwatch: حوادث على الحدود التونسية الليبية" || !strings.Contains(doc.HTML, "lang=ar") {
		t.Errorf("an Arabic map's oEmbed: %q %s", doc.Title, doc.HTML)
	}
	getJSON(t, app.URL+"/oembed?lang=fr&url="+url.QueryEscape(app.URL+"/collections/incidents/items/3"), &doc)
	if !strings.Contains(doc.HTML, "lang=fr") {
		t.Errorf("an incident's oEmbed asked in French: %s", doc.HTML)
	}
}
