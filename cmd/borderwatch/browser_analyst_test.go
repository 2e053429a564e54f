package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/paulmach/orb"
)

// panelCounts reads what the page says: incidents matching, and in view.
func panelCounts(t *testing.T, b *browser) (matched, inView int, search, bbox string) {
	t.Helper()
	v := value(t, b, chromedp.Evaluate[map[string]string](`({
		matched: document.querySelector('[data-testid=match-count]').dataset.count || '',
		inView: document.querySelector('[data-testid=list-count]').dataset.count || '',
		search: location.search,
		bbox: document.getElementById('map').dataset.bbox,
	})`))
	matched, _ = strconv.Atoi(v["matched"])
	inView, _ = strconv.Atoi(v["inView"])
	return matched, inView, v["search"], v["bbox"]
}

// apiFilters is the page URL's filters, for asking the API the same.
func apiFilters(search string) url.Values {
	q, _ := url.ParseQuery(strings.TrimPrefix(search, "?"))
	for _, k := range []string{"view", "layers", "incident"} {
		q.Del(k)
	}
	return q
}

func TestBrowserFiltersAgreeWithTheAPI(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 1280, 850)
	b.do(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))

	check := func(step string, wantMatched int) {
		t.Helper()
		matched, inView, search, bbox := panelCounts(t, b)
		q := apiFilters(search)
		api := getCollection(t, app.URL+"/collections/incidents/items?"+q.Encode())
		q.Set("bbox", bbox)
		view := getCollection(t, app.URL+"/collections/incidents/items?"+q.Encode())
		if matched != api.NumberMatched || matched != wantMatched || inView != view.NumberMatched {
			t.Errorf("%s: page says %d match and %d in view; the API says %d and %d (want %d)", step, matched, inView, api.NumberMatched, view.NumberMatched, wantMatched)
		}
		shown := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll('.incident-list li').length`))
		if shown != min(inView, 100) {
			t.Errorf("%s: the list shows %d rows, want %d", step, shown, min(inView, 100))
		}
	}
	check("at first", 10)

	// Strategic developments only (the sixth type), by keyboard.
	b.do(t, chromedp.Focus(chromedp.CSS(`[data-testid=filter-type-5]`)), chromedp.KeyEvent(" "))
	value(t, b, chromedp.Poll[bool](`location.search.includes('event_type=Strategic') && document.querySelector('[data-testid=match-count]').dataset.count === '5'`))
	check("strategic developments", 5)
	// And within 30 km of the barrier.
	b.do(t, chromedp.SendKeys(chromedp.CSS(`[data-testid=filter-near-barrier]`), "30\t"))
	value(t, b, chromedp.Poll[bool](`document.querySelector('[data-testid=match-count]').dataset.count === '3'`))
	check("and near the barrier", 3)
	if markers := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll('.incident-marker').length`)); markers != 3 {
		t.Errorf("near the barrier: got %d markers, want 3", markers)
	}
	href := value(t, b, chromedp.AttributeValue(chromedp.CSS(`[data-testid=download-csv]`), "href")).Value
	if u, _ := url.Parse(href); u.Query().Get("near_barrier_km") != "30" || u.Query().Get("event_type") != "Strategic developments" {
		t.Errorf("the download %q does not follow the filters", href)
	}
	// Back undoes the last filter.
	b.do(t, chromedp.NavigateBack())
	value(t, b, chromedp.Poll[bool](`document.querySelector('[data-testid=match-count]').dataset.count === '5' && document.querySelector('[data-testid=filter-near-barrier]').value === ''`))
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=filter-reset]`)))
	value(t, b, chromedp.Poll[bool](`document.querySelector('[data-testid=match-count]').dataset.count === '10'`))
	check("cleared", 10)
	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("got JavaScript errors: %v", errs)
	}
}

func TestBrowserTimelineBrushAndPlay(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 1280, 850)
	b.do(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	marks := value(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid=timeline-mark] title')].map((t) => t.textContent)`))
	if len(marks) != 1 || !strings.Contains(marks[0], "2016-03-02: Ras Jedir: closed") {
		t.Errorf("got timeline marks %v, want the Ras Jedir closure", marks)
	}
	// Drag across the last tenth of the chart: the weeks of early 2016.
	r := value(t, b, chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector('[data-testid=timeline-chart]').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`))
	y := r[1] + r[3]/2
	x1, x2 := r[0]+r[2]*0.9, r[0]+r[2]-2
	b.do(t,
		chromedp.MouseEvent(chromedp.MouseMoved, x1, y),
		chromedp.MouseEvent(chromedp.MousePressed, x1, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, (x1+x2)/2, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, x2, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, x2, y, chromedp.ButtonLeft),
	)
	value(t, b, chromedp.Poll[bool](`location.search.includes('datetime=')`))
	value(t, b, chromedp.Poll[bool](`document.querySelector('[data-testid=match-count]').dataset.count !== '10'`))
	matched, _, search, _ := panelCounts(t, b)
	api := getCollection(t, app.URL+"/collections/incidents/items?"+apiFilters(search).Encode())
	if matched != api.NumberMatched || matched >= 10 || matched == 0 {
		t.Errorf("after brushing %s: page says %d, API %d; want a smaller, equal count", search, matched, api.NumberMatched)
	}
	// Play steps the range forward; pause stops it where it is.
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=timeline-clear]`)))
	value(t, b, chromedp.Poll[bool](`!location.search.includes('datetime=')`))
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=timeline-play]`)))
	value(t, b, chromedp.Poll[bool](`location.search.includes('datetime=')`))
	first := value(t, b, chromedp.Location())
	value(t, b, chromedp.Poll[bool](fmt.Sprintf(`location.href !== %q`, first)))
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=timeline-play]`)))
	paused := value(t, b, chromedp.Location())
	if label := value(t, b, chromedp.Evaluate[string](`document.querySelector('[data-testid=timeline-play]').getAttribute('aria-label')`)); label != "Play through time" {
		t.Errorf("after pause: the button says %q, want Play through time", label)
	}
	b.do(t, chromedp.Sleep(2*time.Second)) // more than two steps of play
	if now := value(t, b, chromedp.Location()); now != paused {
		t.Errorf("after pause: the view moved on from %s to %s", paused, now)
	}
	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("got JavaScript errors: %v", errs)
	}
}

func TestBrowserClustersExpandOnClick(t *testing.T) {
	app := newTestApp(t, "none")
	// 3000 more incidents around Ben Guerdane: too many to send whole.
	r := rand.New(rand.NewPCG(3, 4))
	var incs []geo.Incident
	for i := range 3000 {
		inc := geo.Incident{Title: fmt.Sprint("synthetic ", i), EventDate: mustDate(t, "2016-03-03"), TimePrecision: 1,
			DisorderType: geo.DisorderPoliticalViolence, EventType: "Battles", SubEventType: "Armed clash", Actor1: "A",
			Country: "TN", GeoPrecision: 1, Geometry: orb.Point{10.8 + r.Float64()*0.8, 32.9 + r.Float64()*0.5},
			Sources: []geo.Source{{Publisher: "test"}}}
		incs = append(incs, inc)
	}
	if _, _, err := app.Store.ImportIncidents(context.Background(), incs); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, 1280, 850)
	b.do(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	state := func() (clusters, counted, singles int, zoom float64) {
		v := value(t, b, chromedp.Evaluate[[]float64](`[
			document.querySelectorAll('.cluster-marker').length,
			[...document.querySelectorAll('.cluster-marker')].reduce((n, m) => n + Number(m.dataset.count || 0), 0),
			document.querySelectorAll('.incident-marker').length,
			Number(new URLSearchParams(location.search).get('view')?.split('/')[0] || 0),
		]`))
		return int(v[0]), int(v[1]), int(v[2]), v[3]
	}
	clusters, counted, singles, _ := state()
	if clusters == 0 || counted+singles != 3010 {
		t.Fatalf("got %d clusters holding %d, and %d single markers; want clusters, and 3010 incidents in all", clusters, counted, singles)
	}
	if clusters+singles > 3000 {
		t.Errorf("the browser holds %d markers, want a few thousand at most", clusters+singles)
	}
	// Clicking the biggest cluster zooms in on it.
	big := value(t, b, chromedp.Evaluate[string](`(() => {
		const all = [...document.querySelectorAll('.cluster-marker')];
		all.sort((a, b) => Number(b.dataset.count) - Number(a.dataset.count));
		all[0].id = 'biggest';
		return all[0].dataset.count;
	})()`))
	b.do(t, chromedp.Click(chromedp.CSS(`#biggest`)))
	value(t, b, chromedp.Poll[bool](`location.search.includes('view=')`))
	value(t, b, chromedp.Poll[bool](`!document.getElementById('biggest')`))
	_, _, _, zoom := state()
	if zoom < 8 {
		t.Errorf("after clicking a cluster of %s: zoom %v, want the map zoomed in on it", big, zoom)
	}
	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("got JavaScript errors: %v", errs)
	}
}

func TestBrowserAnalystMapAtPhoneWidth(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 360, 640)
	b.do(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	v := value(t, b, chromedp.Evaluate[map[string]any](`({
		scroll: document.documentElement.scrollWidth > document.documentElement.clientWidth,
		panelShown: getComputedStyle(document.getElementById('panel')).visibility !== 'hidden',
		mapHeight: document.getElementById('map').getBoundingClientRect().height,
		timeline: document.getElementById('timeline').getBoundingClientRect().height,
	})`))
	if v["scroll"] != false || v["panelShown"] != false || v["mapHeight"].(float64) < 200 || v["timeline"].(float64) < 60 {
		t.Errorf("at 360 px: %v; want no sideways scroll, the panel folded, the map and the timeline shown", v)
	}
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=panel-toggle]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=filter-q]`)))
	// Keyboard: the sheet folds on Escape, a marker takes focus and Enter opens it.
	b.do(t, chromedp.KeyEvent(kb.Escape))
	value(t, b, chromedp.Poll[bool](`getComputedStyle(document.getElementById('panel')).visibility === 'hidden'`))
	b.do(t, chromedp.Focus(chromedp.CSS(`.incident-marker[data-id="7"]`)), chromedp.KeyEvent("\r"))
	b.waitPopup(t, ".incident-popup")
	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("got JavaScript errors: %v", errs)
	}
}

// The panel edits the filters as they are now, not as the page was loaded:
// a sort order chosen since survives the next filter edit, and parameters
// cleared since do not come back.
func TestBrowserFilterEditsKeepTheCurrentState(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 1280, 850)
	b.do(t, chromedp.Navigate(app.URL+"/?country=TN"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))

	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=list-sort]`)))
	value(t, b, chromedp.Poll[bool](`location.search.includes('sortby=-event_date')`))
	b.do(t, chromedp.Focus(chromedp.CSS(`[data-testid=filter-type-5]`)), chromedp.KeyEvent(" "))
	value(t, b, chromedp.Poll[bool](`location.search.includes('event_type=Strategic')`))
	if q := value(t, b, chromedp.Evaluate[string](`location.search`)); !strings.Contains(q, "sortby=-event_date") || !strings.Contains(q, "country=TN") {
		t.Errorf("after newest first, then a type: got %s, want the sort order and the country kept", q)
	}

	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=filter-reset]`)))
	value(t, b, chromedp.Poll[bool](`location.search === '' || !location.search.includes('country')`))
	b.do(t, chromedp.Focus(chromedp.CSS(`[data-testid=filter-type-0]`)), chromedp.KeyEvent(" "))
	value(t, b, chromedp.Poll[bool](`location.search.includes('event_type=')`))
	if q := value(t, b, chromedp.Evaluate[string](`location.search`)); strings.Contains(q, "country=") || strings.Contains(q, "sortby=") || strings.Contains(q, "Strategic") {
		t.Errorf("after clearing, then a type: got %s, want none of the cleared parameters back", q)
	}
	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("got JavaScript errors: %v", errs)
	}
}

// The share dialog's downloads carry the view's filters only: a heading or
// caption given for the embed is not a filter, and /export refuses it.
func TestBrowserShareDownloadsAreValid(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 1280, 850)
	b.do(t, chromedp.Navigate(app.URL+"/?event_type=Battles&title=Old"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=share-button]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=share-dialog]`)),
		chromedp.SendKeys(chromedp.CSS(`#share-heading`), "Clashes"),
		chromedp.SendKeys(chromedp.CSS(`#share-caption`), "Source: Borderwatch"))
	for _, id := range []string{"share-geojson", "share-csv"} {
		href := value(t, b, chromedp.Evaluate[string](`document.querySelector('[data-testid=`+id+`]').href`))
		u, err := url.Parse(href)
		if err != nil || u.Query().Get("event_type") != "Battles" || u.Query().Has("title") || u.Query().Has("caption") {
			t.Errorf("%s: got %q, want the filters without title or caption", id, href)
			continue
		}
		if res, body := get(t, app.URL+u.RequestURI()); res.StatusCode != 200 {
			t.Errorf("%s: GET %s: got %d %s", id, u.RequestURI(), res.StatusCode, body)
		}
	}
}
