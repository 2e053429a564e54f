package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// readyMessage is what an embed posts to the page around it once drawn.
type readyMessage struct {
	Frame string `json:"frame"`
	Data  struct {
		Type          string   `json:"type"`
		Markers       int      `json:"markers"`
		NumberMatched int      `json:"numberMatched"`
		Cookies       int      `json:"cookies"`
		Origins       []string `json:"origins"`
	} `json:"data"`
}

func TestBrowserEmbedFromAnotherSite(t *testing.T) {
	app := newTestApp(t, "none")
	query := "near_barrier_km=30&datetime=2016-02-01/2016-03-31"
	embed := app.URL + "/embed?" + query
	// A news site on another origin (localhost, not 127.0.0.1) frames the
	// embed at two sizes, and the full map, which must refuse.
	news := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!DOCTYPE html><html><body>
<script>
window.ready = [];
window.addEventListener('message', (e) => {
  const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === e.source);
  window.ready.push({ frame: frame ? frame.id : '?', data: e.data });
  document.body.dataset.ready = String(window.ready.length);
});
</script>
<h1>An article</h1>
<iframe id="phone" src="%[1]s" width="360" height="640" title="Map, phone size"></iframe>
<iframe id="wide" src="%[1]s" width="1200" height="700" title="Map, wide"></iframe>
<iframe id="full" src="%[2]s/" width="400" height="300" title="The full site"></iframe>
</body></html>`, embed, app.URL)
	}))
	defer news.Close()
	newsURL := strings.Replace(news.URL, "127.0.0.1", "localhost", 1)

	b := newBrowser(t, 1300, 1800)
	b.do(t, chromedp.Navigate(newsURL))
	value(t, b, chromedp.Poll[bool](`document.body.dataset.ready === '2'`))
	msgs := value(t, b, chromedp.Evaluate[[]readyMessage](`window.ready`))
	api := getCollection(t, app.URL+"/collections/incidents/items?"+query)
	frames := map[string]bool{}
	for _, m := range msgs {
		frames[m.Frame] = true
		if m.Data.Type != "borderwatch:ready" || m.Data.Markers != api.NumberMatched || m.Data.Markers != 4 {
			t.Errorf("%s: got %+v, want %d markers, the API's numberMatched", m.Frame, m.Data, api.NumberMatched)
		}
		if m.Data.Cookies != 0 {
			t.Errorf("%s: the embed has cookies", m.Frame)
		}
		for _, o := range m.Data.Origins {
			if o != app.URL {
				t.Errorf("%s: the embed loaded from %s, want nothing but its own site", m.Frame, o)
			}
		}
	}
	if !frames["phone"] || !frames["wide"] || frames["full"] {
		t.Errorf("got ready messages from %v, want the phone and wide embeds only", frames)
	}
	// The full site refused to be framed: Chromium reports the CSP violation.
	time.Sleep(300 * time.Millisecond)
	refused := false
	for _, e := range b.jsErrors() {
		if strings.Contains(e, "frame-ancestors 'self'") {
			refused = true
		}
	}
	if !refused {
		t.Errorf("the full map was framed by another site; console: %v", b.jsErrors())
	}
}

func TestBrowserEmbedLayoutAtPhoneSize(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 360, 640)
	b.do(t,
		chromedp.Navigate(app.URL+"/embed?title=Incidents+near+the+barrier&caption=Source:+news+reports&near_barrier_km=30"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	)
	check := value(t, b, chromedp.Evaluate[map[string]any](`(() => {
		const r = (s) => document.querySelector(s).getBoundingClientRect();
		const legendList = document.querySelector('#legend-list');
		return {
			scroll: document.documentElement.scrollWidth > document.documentElement.clientWidth,
			mapHeight: r('#map').height,
			attribution: r('[data-testid=attribution]').bottom <= window.innerHeight && r('[data-testid=attribution]').height > 0,
			legendCollapsed: legendList.hidden,
			fullView: document.querySelector('[data-testid=full-view]').href,
			caption: document.querySelector('[data-testid=embed-caption]').textContent,
		};
	})()`))
	if check["scroll"] == true || check["mapHeight"].(float64) < 300 || check["attribution"] != true || check["legendCollapsed"] != true {
		t.Errorf("at 360×640: %v; want no sideways scroll, a tall map, the attribution in view and the legend collapsed", check)
	}
	if full, _ := url.Parse(check["fullView"].(string)); full.Path != "/" || full.Query().Get("near_barrier_km") != "30" || full.Query().Get("title") != "" {
		t.Errorf("got full-view link %v, want the same view on the map page", check["fullView"])
	}
	// The legend opens by keyboard.
	b.do(t, chromedp.Focus(chromedp.CSS(`.legend-toggle`)), chromedp.KeyEvent("\r"))
	if hidden := value(t, b, chromedp.Evaluate[bool](`document.querySelector('#legend-list').hidden`)); hidden {
		t.Error("Enter on the legend button does not open the legend")
	}
	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("got JavaScript errors: %v", errs)
	}
}

// A pin holds everywhere a reader can go from a pinned embed: its popup,
// the popup's "Full record" link, that page and its GeoJSON all show the
// pinned version and say so, after the incident was edited by an import.
func TestBrowserAsOfShowsTheOldVersion(t *testing.T) {
	app := newTestApp(t, "none")
	pinned := time.Now().UTC().Format(time.RFC3339Nano)
	time.Sleep(10 * time.Millisecond)
	const before, after = "Gun attack on a beach resort at Port El Kantaoui, Sousse", "Changed after the article was published"
	_, feature := get(t, app.URL+"/collections/incidents/items/7")
	edited := strings.Replace(feature, before, after, 1)
	if code, out, stderr := runCLI(t, "import", "--db", app.DB, writeFile(t, "edit.geojson", edited)); code != 0 || !strings.Contains(out, "1 replaced") {
		t.Fatalf("the edit by import: exit %d %s %s", code, out, stderr)
	}
	b := newBrowser(t, 800, 600)
	for _, tt := range []struct{ query, want string }{
		{"incident=7&as_of=" + url.QueryEscape(pinned), before},
		{"incident=7", after},
	} {
		pin := strings.Contains(tt.query, "as_of")
		b.do(t,
			chromedp.Navigate(app.URL+"/embed?"+tt.query),
			chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		)
		b.waitPopup(t, ".incident-popup")
		title := value(t, b, chromedp.Text(chromedp.CSS(`.incident-popup .popup-title`)))
		pinnedNote := value(t, b, chromedp.Evaluate[bool](`!!document.querySelector('[data-testid=as-of]')`))
		popupNote := value(t, b, chromedp.Evaluate[bool](`!!document.querySelector('[data-testid=popup-as-of]')`))
		if title != tt.want || pinnedNote != pin || popupNote != pin {
			t.Errorf("%s: got %q (as-of notes: page %v, popup %v), want %q", tt.query, title, pinnedNote, popupNote, tt.want)
		}
		// The pinned map draws clusters or markers, and counts what stood then.
		shown := value(t, b, chromedp.Evaluate[string](`document.getElementById('map').dataset.shown`))
		if shown == "" || shown == "0" {
			t.Errorf("%s: the map shows %q features", tt.query, shown)
		}
		// The popup's "Full record" link keeps the pin, and its page too.
		href := value(t, b, chromedp.Evaluate[string](`document.querySelector('.incident-popup [data-testid=full-record]').href`))
		if strings.Contains(href, "as_of=") != pin {
			t.Errorf("%s: the Full record link is %s", tt.query, href)
		}
		b.do(t, chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
		page := value(t, b, chromedp.Text(chromedp.CSS(`[data-testid=title]`)))
		pageNote := value(t, b, chromedp.Evaluate[bool](`!!document.querySelector('[data-testid=as-of]')`))
		if page != tt.want || pageNote != pin {
			t.Errorf("%s: the Full record page shows %q (as-of note %v), want %q", tt.query, page, pageNote, tt.want)
		}
		// And the record's GeoJSON, from that page's link.
		jsonHref := value(t, b, chromedp.Evaluate[string](`document.querySelector('[data-testid=incident-geojson]').href`))
		var f struct {
			Properties struct{ Title string }
			AsOf       string
		}
		if _, body := get(t, jsonHref); json.Unmarshal([]byte(body), &f) != nil || f.Properties.Title != tt.want || (f.AsOf != "") != pin {
			t.Errorf("%s: the record's GeoJSON (%s) is titled %q with asOf %q, want %q", tt.query, jsonHref, f.Properties.Title, f.AsOf, tt.want)
		}
	}
	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("got JavaScript errors: %v", errs)
	}
}

func TestBrowserURLStateRoundTrips(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 1200, 800)
	b.do(t,
		chromedp.Navigate(app.URL+"/?event_type=Strategic+developments"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	)
	start := value(t, b, chromedp.Location())
	// Zoom in, hide the places, open an incident.
	b.do(t, chromedp.Click(chromedp.CSS(`.leaflet-control-zoom-in`)))
	value(t, b, chromedp.Poll[bool](`location.search.includes('view=')`))
	b.do(t, chromedp.Click(chromedp.CSS(`input[data-layer="places"]`)))
	b.openPopup(t, `.incident-marker[data-id="2"]`, ".incident-popup")
	value(t, b, chromedp.Poll[bool](`location.search.includes('incident=2')`))
	state := value(t, b, chromedp.Location())
	u, _ := url.Parse(state)
	if q := u.Query(); q.Get("event_type") != "Strategic developments" || q.Get("view") == "" || strings.Contains(q.Get("layers"), "places") || !strings.Contains(q.Get("layers"), "barrier") {
		t.Fatalf("got URL %s, want the filter, the view, the layers without places and the incident", state)
	}
	view := u.Query().Get("view")

	// Loading that URL restores the view.
	b2 := newBrowser(t, 1200, 800)
	b2.do(t, chromedp.Navigate(state), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	b2.waitPopup(t, ".incident-popup")
	restored := value(t, b2, chromedp.Evaluate[map[string]any](`({
		title: document.querySelector('.incident-popup .popup-title').textContent,
		places: document.querySelector('input[data-layer="places"]').checked,
		labels: document.querySelectorAll('.place-label').length,
		markers: document.querySelectorAll('.incident-marker').length,
		view: new URLSearchParams(location.search).get('view'),
	})`))
	if restored["title"] != "Ras Jedir border crossing closed" || restored["places"] != false || restored["labels"] != 0.0 ||
		restored["markers"].(float64) < 1 || restored["view"] != view {
		t.Errorf("restored %v, want the same popup, places hidden, markers, view %s", restored, view)
	}

	// Back steps through the history: popup closed, then places shown again.
	b.do(t, chromedp.NavigateBack())
	value(t, b, chromedp.Poll[bool](`!document.querySelector('.incident-popup') && !location.search.includes('incident=')`))
	b.do(t, chromedp.NavigateBack())
	value(t, b, chromedp.Poll[bool](`document.querySelector('input[data-layer="places"]').checked && document.querySelectorAll('.place-label').length > 0`))
	b.do(t, chromedp.NavigateForward())
	value(t, b, chromedp.Poll[bool](`!document.querySelector('input[data-layer="places"]').checked`))
	_ = start
	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("got JavaScript errors: %v", errs)
	}
}

func TestBrowserShareDialog(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 1200, 900)
	b.do(t,
		chromedp.Navigate(app.URL+"/?near_barrier_km=10"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid=share-button]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=share-dialog]`)),
	)
	fields := func() map[string]string {
		return value(t, b, chromedp.Evaluate[map[string]string](`({
			permalink: document.querySelector('[data-testid=share-permalink]').value,
			iframe: document.querySelector('[data-testid=share-iframe]').value,
			responsive: document.querySelector('[data-testid=share-responsive]').value,
			csv: document.querySelector('[data-testid=share-csv]').href,
		})`))
	}
	f := fields()
	if !strings.HasPrefix(f["permalink"], app.URL+"/?near_barrier_km=10") ||
		!strings.Contains(f["iframe"], `<iframe src="`+app.URL+`/embed?near_barrier_km=10`) || !strings.Contains(f["iframe"], `title="`) ||
		!strings.Contains(f["responsive"], "padding-bottom:75.00%") || f["csv"] != app.URL+"/export/incidents.csv?near_barrier_km=10" {
		t.Errorf("share dialog: %v", f)
	}
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=share-pin]`)))
	f = fields()
	pu, _ := url.Parse(f["permalink"])
	at, err := time.Parse(time.RFC3339Nano, pu.Query().Get("as_of"))
	if err != nil || time.Since(at) > time.Minute || !strings.Contains(f["iframe"], "as_of=") || !strings.Contains(f["csv"], "as_of=") {
		t.Errorf("pinned: %v", f)
	}
	// The pinned permalink opens and says it is pinned.
	b.do(t, chromedp.Navigate(f["permalink"]), chromedp.WaitVisible(chromedp.CSS(`[data-testid=as-of]`)))
	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("got JavaScript errors: %v", errs)
	}
}
