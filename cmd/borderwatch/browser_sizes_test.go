package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// screenSizes are the screens readers use: a small phone, a phone, an
// article's embed and a laptop.
var screenSizes = [][2]int{{320, 480}, {390, 844}, {800, 500}, {1280, 800}}

// screenPages are the pages with a map.
var screenPages = []struct{ name, path string }{
	{"map", "/"},
	{"embed", "/embed"},
	{"incident", "/collections/incidents/items/3"},
	{"items", "/collections/incidents/items?f=html"},
}

// mapLayoutJS measures a page at first paint: the share of the map not
// covered by its controls (sampled every 4 px, so that overlapping controls
// count once), the visible labels whose boxes meet, the height of the line
// of credits, and how far the page scrolls sideways.
const mapLayoutJS = `(() => {
	const map = document.querySelector('.leaflet-container').getBoundingClientRect();
	const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
	const controls = [...document.querySelectorAll('.leaflet-control')].filter(shown).map((e) => e.getBoundingClientRect());
	let all = 0, covered = 0;
	for (let x = map.left + 2; x < map.right; x += 4) for (let y = map.top + 2; y < map.bottom; y += 4) {
		all++;
		if (controls.some((r) => x >= r.left && x < r.right && y >= r.top && y < r.bottom)) covered++;
	}
	const labels = [...document.querySelectorAll('.leaflet-tooltip')].filter(shown).map((e) => [e.textContent, e.getBoundingClientRect()]);
	const meet = [];
	labels.forEach(([a, r], i) => labels.slice(i + 1).forEach(([b, s]) => {
		if (r.left < s.right && r.right > s.left && r.top < s.bottom && r.bottom > s.top) meet.push(a + ' / ' + b);
	}));
	const credits = document.querySelector('[data-testid=attribution]');
	return {
		uncovered: 1 - covered / all,
		labels: labels.length,
		meet,
		creditsHeight: credits.getBoundingClientRect().height,
		sideways: document.documentElement.scrollWidth - window.innerWidth,
	};
})()`

type mapLayout struct {
	Uncovered     float64  `json:"uncovered"`
	Labels        int      `json:"labels"`
	Meet          []string `json:"meet"`
	CreditsHeight float64  `json:"creditsHeight"`
	Sideways      float64  `json:"sideways"`
}

// Every page with a map, at every size, leaves at least 80 % of its map
// clear of controls at first paint, with no two labels over each other,
// credits on one line and nothing to scroll sideways (issue 15's "done
// when"). With BORDERWATCH_SCREENSHOTS set, each is saved for docs/screens.
func TestBrowserMapsFitEveryScreen(t *testing.T) {
	app := newTestApp(t, "none")
	for _, size := range screenSizes {
		b := newBrowser(t, size[0], size[1])
		for _, page := range screenPages {
			name := fmt.Sprintf("%s-%dx%d", page.name, size[0], size[1])
			b.do(t, chromedp.Navigate(app.URL+page.path), chromedp.WaitVisible(chromedp.CSS(`.leaflet-container`)))
			if page.name == "map" || page.name == "embed" {
				b.do(t, chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
			}
			value(t, b, chromedp.Poll[bool](`document.querySelector('[data-testid=attribution]') !== null`))
			b.do(t, chromedp.Sleep(300*time.Millisecond)) // labels settle after the markers
			l := value(t, b, chromedp.Evaluate[mapLayout](mapLayoutJS))
			t.Logf("%s: %.1f %% of the map clear, %d labels, credits %.0f px high", name, 100*l.Uncovered, l.Labels, l.CreditsHeight)
			if l.Uncovered < 0.8 {
				t.Errorf("%s: only %.1f %% of the map is clear of controls; want at least 80 %%", name, 100*l.Uncovered)
			}
			if len(l.Meet) > 0 {
				t.Errorf("%s: labels over each other: %s", name, strings.Join(l.Meet, "; "))
			}
			if l.CreditsHeight > 20 {
				t.Errorf("%s: the credits are %.0f px high; want one line", name, l.CreditsHeight)
			}
			if l.Sideways > 0 {
				t.Errorf("%s: the page scrolls %.0f px sideways", name, l.Sideways)
			}
			if errs := b.jsErrors(); len(errs) > 0 {
				t.Errorf("%s: JavaScript errors: %v", name, errs)
			}
			shot(t, b, name)
		}
	}
}

// touchDrag moves one finger through the points, pressing at the first and
// lifting at the last.
func touchDrag(points ...[2]float64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		for i, p := range points {
			typ := input.DispatchTouchEventTypeTouchMove
			if i == 0 {
				typ = input.DispatchTouchEventTypeTouchStart
			}
			if _, err := cdp.Call(ctx, tgt, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{{X: p[0], Y: p[1]}}}); err != nil {
				return err
			}
		}
		_, err := cdp.Call(ctx, tgt, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{}})
		return err
	})
}

// rectOf is the box of what sel selects: x, y, width, height.
func rectOf(t *testing.T, b *browser, sel string) [4]float64 {
	t.Helper()
	return value(t, b, chromedp.Evaluate[[4]float64](fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()`, sel)))
}

// On a phone the filters and the list are a bottom sheet: a bar under the
// timeline opens it over the lower part of the map, its filters work, an
// incident chosen from its list opens on the map with the sheet out of the
// way, and a swipe down folds it. The timeline takes a range from a thumb.
func TestBrowserPhoneBottomSheetAndThumbTimeline(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 390, 844)
	b.do(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	sheetOpen := func() bool {
		return value(t, b, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector('[data-testid=panel]')).visibility === 'visible'`))
	}
	bar := rectOf(t, b, `[data-testid=panel-toggle]`)
	if bottom := bar[1] + bar[3]; bottom < 843 || bar[3] < 44 {
		t.Errorf("the sheet's bar ends at y=%.0f and is %.0f px high; want it along the bottom of the screen, 44 px or more", bottom, bar[3])
	}
	if sheetOpen() {
		t.Fatal("the sheet is open at first; want it folded, the map whole")
	}
	all := value(t, b, chromedp.Evaluate[string](`document.querySelector('[data-testid=sheet-count]').textContent`))

	// A tap opens it over the lower part of the map, the top of the map still seen.
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=panel-toggle]`)))
	value(t, b, chromedp.Poll[bool](`getComputedStyle(document.querySelector('[data-testid=panel]')).visibility === 'visible' && document.querySelector('[data-testid=panel]').getBoundingClientRect().bottom <= innerHeight + 1`))
	b.do(t, chromedp.Sleep(300*time.Millisecond)) // the slide
	sheet := rectOf(t, b, `[data-testid=panel]`)
	if sheet[1] < 844*0.15 || sheet[1]+sheet[3] > 845 {
		t.Errorf("the open sheet spans y=%.0f to %.0f; want it over the lower part of the screen, the map's top still seen", sheet[1], sheet[1]+sheet[3])
	}
	shot(t, b, "sheet-open-390x844")

	// Its filters filter: one event type, and the bar's count follows.
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=filter-type-0]`)))
	value(t, b, chromedp.Poll[bool](`new URLSearchParams(location.search).has('event_type')`))
	value(t, b, chromedp.Poll[bool](fmt.Sprintf(`document.querySelector('[data-testid=sheet-count]').textContent !== %q`, all)))

	// An incident chosen from the list opens on the map, the sheet folded.
	b.do(t, chromedp.Click(chromedp.CSS(`.incident-list .list-item`)))
	b.waitPopup(t, ".popup-title")
	value(t, b, chromedp.Poll[bool](`getComputedStyle(document.querySelector('[data-testid=panel]')).visibility === 'hidden'`))
	b.closePopup(t)

	// A swipe down on its head folds it.
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=panel-toggle]`)))
	value(t, b, chromedp.Poll[bool](`getComputedStyle(document.querySelector('[data-testid=panel]')).visibility === 'visible'`))
	b.do(t, chromedp.Sleep(300*time.Millisecond))
	head := rectOf(t, b, `[data-testid=sheet-head]`)
	x, y := head[0]+head[2]/3, head[1]+head[3]/2
	b.do(t, touchDrag([2]float64{x, y}, [2]float64{x, y + 40}, [2]float64{x, y + 120}, [2]float64{x, y + 200}))
	value(t, b, chromedp.Poll[bool](`getComputedStyle(document.querySelector('[data-testid=panel]')).visibility === 'hidden'`))

	// A thumb drags a range across the timeline.
	chart := rectOf(t, b, `[data-testid=timeline-chart]`)
	if chart[3] < 44 {
		t.Errorf("the timeline's chart is %.0f px high on a phone; want at least 44 for a thumb", chart[3])
	}
	cy := chart[1] + chart[3]/2
	b.do(t, touchDrag([2]float64{chart[0] + chart[2]*0.5, cy}, [2]float64{chart[0] + chart[2]*0.7, cy}, [2]float64{chart[0] + chart[2]*0.9, cy}))
	value(t, b, chromedp.Poll[bool](`/^\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}$/.test(new URLSearchParams(location.search).get('datetime') || '')`))
	if errs := b.jsErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %v", errs)
	}
}

// The legend's state is part of the view: a shared link opens it as it was.
func TestBrowserLegendStateInTheURL(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 1280, 800)
	legendOpen := func() bool {
		return value(t, b, chromedp.Evaluate[bool](`!document.getElementById('legend-list').hidden`))
	}
	b.do(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	if !legendOpen() {
		t.Fatal("the legend is folded at 1280 px; want it open by default")
	}
	b.do(t, chromedp.Click(chromedp.CSS(`.legend-toggle`)))
	value(t, b, chromedp.Poll[bool](`new URLSearchParams(location.search).get('legend') === 'folded'`))
	url := value(t, b, chromedp.Evaluate[string](`location.href`))
	b.do(t, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	if legendOpen() {
		t.Errorf("%s opens with the legend open; want it folded, as shared", url)
	}
	// An embed keeps it too, the other way round on a small frame.
	b2 := newBrowser(t, 320, 480)
	b2.do(t, chromedp.Navigate(app.URL+"/embed?legend=open"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	if !value(t, b2, chromedp.Evaluate[bool](`!document.getElementById('legend-list').hidden`)) {
		t.Error("/embed?legend=open at 320 px opens with the legend folded")
	}
}
