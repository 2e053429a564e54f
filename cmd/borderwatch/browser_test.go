package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"
)

// chromium finds a Chromium to drive. Without one the browser tests skip,
// unless BORDERWATCH_REQUIRE_BROWSER is set (as .ci/run does).
func chromium(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("BORDERWATCH_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if path, err := exec.LookPath(c); err == nil {
			return path
		}
	}
	msg := "no Chromium found (install Debian's chromium package, or set BORDERWATCH_CHROMIUM): browser tests skipped"
	if os.Getenv("BORDERWATCH_REQUIRE_BROWSER") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// browser is a headless Chromium tab that records JavaScript errors.
type browser struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func newBrowser(t *testing.T, width, height int) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	b := &browser{ctx: ctx}
	defer func() {
		// A window has a minimum width; the viewport is set exactly, and
		// phone sizes get touch as well.
		opts := []chromedp.EmulateViewportOption{}
		if width <= 480 {
			opts = append(opts, chromedp.EmulateTouch, chromedp.EmulatePortrait)
		}
		b.do(t, chromedp.EmulateViewport(int64(width), int64(height), opts...))
	}()
	// Console starts the browser and subscribes before any page loads.
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.mu.Lock()
				b.errors = append(b.errors, m.String())
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// do runs steps with a time limit of their own.
func (b *browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// get runs one action that returns a value.
func value[T any](t *testing.T, b *browser, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// openPopup clicks what sel selects and waits until the popup that opens has
// panned fully into view, as a person would.
func (b *browser) openPopup(t *testing.T, sel, popup string) {
	t.Helper()
	b.do(t, chromedp.Click(chromedp.CSS(sel)))
	b.waitPopup(t, popup)
}

func (b *browser) waitPopup(t *testing.T, popup string) {
	t.Helper()
	value(t, b, chromedp.Poll[bool](fmt.Sprintf(`(() => {
		const p = document.querySelector('.leaflet-popup');
		if (!p || !p.querySelector(%q)) return false;
		const r = p.getBoundingClientRect(), m = document.getElementById('map').getBoundingClientRect();
		return r.top >= m.top && r.bottom <= m.bottom + 1 && r.left >= m.left && r.right <= m.right + 1;
	})()`, popup)))
}

// closePopup closes the open popup, which may hide what is under it.
func (b *browser) closePopup(t *testing.T) {
	t.Helper()
	if value(t, b, chromedp.Evaluate[int](`document.querySelectorAll('.leaflet-popup-close-button').length`)) == 0 {
		return
	}
	b.do(t, chromedp.Click(chromedp.CSS(`.leaflet-popup-close-button`)))
	b.do(t, chromedp.WaitNotPresent(chromedp.CSS(`.leaflet-popup`)))
}

func (b *browser) jsErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

func TestBrowserMap(t *testing.T) {
	app := newTestApp(t, "none")
	// An incident whose title is markup: it must show as text.
	hostile := geo.Incident{
		Title: `<img src=x onerror="document.body.dataset.pwned=1">`, EventType: "Riots", SubEventType: "Mob violence",
		DisorderType: geo.DisorderDemonstrations, TimePrecision: 1, GeoPrecision: 1, Country: "TN",
		Actor1: `<b>bold</b>`, Geometry: orb.Point{9.5, 34.5}, EventDate: mustDate(t, "2016-03-05"),
		Sources: []geo.Source{{Publisher: "<i>x</i>", URL: "https://example.org/report"}},
	}
	if err := app.Store.CreateIncident(context.Background(), &hostile); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, 1280, 800)
	b.do(t,
		chromedp.Navigate(app.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	)
	bbox := value(t, b, chromedp.AttributeValue(chromedp.CSS(`#map`), "data-bbox")).Value

	t.Run("one marker per incident in view", func(t *testing.T) {
		inView := value(t, b, chromedp.Evaluate[int](`(() => {
			const box = document.getElementById('map').getBoundingClientRect();
			return [...document.querySelectorAll('.incident-marker')].filter((m) => {
				const r = m.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
				return x >= box.left && x <= box.right && y >= box.top && y <= box.bottom;
			}).length;
		})()`))
		fc := getCollection(t, app.URL+"/collections/incidents/items?bbox="+bbox)
		if inView != fc.NumberMatched || inView != 11 {
			t.Errorf("got %d markers in view, want the API's numberMatched %d for bbox %s (11 incidents)", inView, fc.NumberMatched, bbox)
		}
	})

	t.Run("barrier drawn as a path", func(t *testing.T) {
		length := value(t, b, chromedp.Evaluate[float64](`document.querySelector('path.barrier-line').getTotalLength()`))
		if length < 50 {
			t.Errorf("got a barrier path %.0f px long, want a visible line", length)
		}
	})

	t.Run("clicking a marker opens its popup with sources", func(t *testing.T) {
		b.openPopup(t, `.incident-marker[data-id="7"]`, ".incident-popup")
		title := value(t, b, chromedp.Text(chromedp.CSS(`.incident-popup .popup-title`)))
		href := value(t, b, chromedp.AttributeValue(chromedp.CSS(`.incident-popup .sources a`), "href")).Value
		if title != "Gun attack on a beach resort at Port El Kantaoui, Sousse" {
			t.Errorf("got popup title %q", title)
		}
		if !strings.HasPrefix(href, "https://www.aljazeera.com/") {
			t.Errorf("got source link %q, want the Al Jazeera report", href)
		}
	})

	t.Run("markup in data shows as text", func(t *testing.T) {
		// Popups panned the map: centre it on the hostile incident.
		b.do(t,
			chromedp.Navigate(app.URL+"/?view=8/34.5/9.5"),
			chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		)
		b.openPopup(t, fmt.Sprintf(`.incident-marker[data-id="%d"]`, hostile.ID), ".incident-popup")
		title := value(t, b, chromedp.Text(chromedp.CSS(`.incident-popup .popup-title`)))
		markup := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll('.incident-popup img, .incident-popup b, .incident-popup i').length`))
		pwned := value(t, b, chromedp.Evaluate[bool](`document.body.dataset.pwned === '1'`))
		if title != hostile.Title || markup != 0 || pwned {
			t.Errorf("got title %q, %d markup nodes in the popup, pwned=%v; want the title as text and no markup", title, markup, pwned)
		}
	})

	t.Run("barrier popup shows reported and measured lengths", func(t *testing.T) {
		// Popups panned the map: start again from the initial view.
		b.do(t,
			chromedp.Navigate(app.URL+"/"),
			chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		)
		// Click on the line itself, a quarter of the way along, away from
		// the marker of the incident drawn along it.
		xy := value(t, b, chromedp.Evaluate[[]float64](`(() => {
			const path = document.querySelector('path.barrier-line');
			const p = path.getPointAtLength(path.getTotalLength() / 4);
			const svg = path.ownerSVGElement, vb = svg.viewBox.baseVal, r = svg.getBoundingClientRect();
			return [r.left + (p.x - vb.x) * r.width / vb.width, r.top + (p.y - vb.y) * r.height / vb.height];
		})()`))
		b.do(t, chromedp.MouseClickXY(xy[0], xy[1]))
		b.waitPopup(t, ".barrier-popup")
		measured := value(t, b, chromedp.Text(chromedp.CSS(`[data-testid="measured-length"]`)))
		text := value(t, b, chromedp.Text(chromedp.CSS(`.barrier-popup`)))
		if !strings.Contains(measured, "km") || !strings.Contains(text, "250 km") || !strings.Contains(text, "200 km") {
			t.Errorf("got barrier popup %q, want reported 250 and 200 km beside the measured length", text)
		}
	})

	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("got JavaScript errors: %v", errs)
	}
}

func TestBrowserFilteredMapAndDownload(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 1024, 700)
	query := "event_type=Strategic+developments&datetime=2016-02-01/2016-02-29"
	b.do(t,
		chromedp.Navigate(app.URL+"/?"+query),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	)
	markers := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll('.incident-marker').length`))
	api := getCollection(t, app.URL+"/collections/incidents/items?"+query)
	if markers != api.NumberMatched || markers != 4 {
		t.Errorf("got %d markers, want the API's numberMatched %d (4)", markers, api.NumberMatched)
	}
	href := value(t, b, chromedp.AttributeValue(chromedp.CSS(`[data-testid="download-csv"]`), "href")).Value
	if strings.HasPrefix(href, "/") {
		href = app.URL + href
	}
	u, err := url.Parse(href)
	want, _ := url.ParseQuery(query)
	if err != nil || u.Path != "/export/incidents.csv" || !reflect.DeepEqual(u.Query(), want) {
		t.Fatalf("got download link %q, want the export with the map's filters", href)
	}
	res, body := get(t, href)
	if lines := strings.Count(strings.TrimSpace(body), "\n"); res.StatusCode != 200 || lines != 4 {
		t.Errorf("the download holds %d incidents, want the 4 on the map", lines)
	}
	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("got JavaScript errors: %v", errs)
	}
}

func TestBrowserIncidentPageAndPhone(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 360, 640)
	b.do(t,
		chromedp.Navigate(app.URL+"/incidents/1"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	)
	title := value(t, b, chromedp.Text(chromedp.CSS(`[data-testid="title"]`)))
	scrollWidth := value(t, b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	clientWidth := value(t, b, chromedp.Evaluate[int](`document.documentElement.clientWidth`))
	if title != "Armed clash with militants in El Amria" {
		t.Errorf("got title %q", title)
	}
	if scrollWidth > clientWidth {
		t.Errorf("at 360 px the page scrolls sideways: scrollWidth %d > clientWidth %d", scrollWidth, clientWidth)
	}
	b.do(t,
		chromedp.Navigate(app.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	)
	if markers := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll('.incident-marker').length`)); markers != 10 {
		t.Errorf("phone map: got %d markers, want 10", markers)
	}
	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("got JavaScript errors: %v", errs)
	}
}
