package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Controls fold on narrow screens and on every small map; the credits are
// one line until their ⓘ opens them (issue 15, in part).
func TestBrowserControlsFoldAndCreditsAreOneLine(t *testing.T) {
	app := newTestApp(t, "none")
	for _, tt := range []struct {
		w, h   int
		path   string
		folded bool
	}{
		{390, 844, "/", true},
		{320, 480, "/", true},
		{800, 500, "/embed", true},
		{1280, 800, "/", false},
		{1280, 800, "/collections/incidents/items/3", true}, // a small map
		{390, 844, "/collections/incidents/items?f=html", true},
	} {
		name := fmt.Sprintf("%dx%d %s", tt.w, tt.h, tt.path)
		b := newBrowser(t, tt.w, tt.h)
		b.do(t, chromedp.Navigate(app.URL+tt.path), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
		v := value(t, b, chromedp.Evaluate[map[string]any](`({
			listShown: !document.querySelector('[data-testid=layer-control]').hidden,
			toggleShown: !document.querySelector('[data-testid=layer-toggle]').hidden,
			creditsHeight: document.querySelector('[data-testid=attribution]').getBoundingClientRect().height,
			creditsLeft: document.querySelector('[data-testid=attribution]').getBoundingClientRect().left,
			mapLeft: document.querySelector('.leaflet-container').getBoundingClientRect().left,
			download: !!document.querySelector('.bw-download'),
		})`))
		if v["listShown"] == tt.folded || v["toggleShown"] != tt.folded {
			t.Errorf("%s: layer list shown %v, its button %v; want folded %v", name, v["listShown"], v["toggleShown"], tt.folded)
		}
		if h := v["creditsHeight"].(float64); h > 20 || v["creditsLeft"].(float64) < v["mapLeft"].(float64) {
			t.Errorf("%s: the credits are %.0f px high from x=%v (the map from %v); want one line inside the map", name, h, v["creditsLeft"], v["mapLeft"])
		}
		if v["download"] == true {
			t.Errorf("%s: a download box over the map; want the downloads in the panel and the share dialog", name)
		}
		// The folded list opens on a click; the credits open whole.
		if tt.folded {
			b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=layer-toggle]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=layer-control]`)))
		}
		b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=attribution-toggle]`)))
		if h := value(t, b, chromedp.Evaluate[float64](`document.querySelector('[data-testid=attribution]').getBoundingClientRect().height`)); tt.w < 900 && h <= 20 {
			t.Errorf("%s: the opened credits are %.0f px high; want them whole, over several lines", name, h)
		}
		if errs := b.jsErrors(); len(errs) > 0 {
			t.Errorf("%s: JavaScript errors: %v", name, errs)
		}
	}
}

// No two visible place labels overlap each other or a marker, at any of
// the sizes readers use.
func TestBrowserLabelsDoNotCollide(t *testing.T) {
	app := newTestApp(t, "none")
	for _, size := range [][2]int{{390, 844}, {800, 500}, {1280, 800}} {
		b := newBrowser(t, size[0], size[1])
		b.do(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
		// Let the labels settle after the markers are drawn.
		value(t, b, chromedp.Poll[bool](`document.querySelectorAll('.leaflet-tooltip.place-label').length > 0`))
		b.do(t, chromedp.Sleep(300*time.Millisecond))
		overlaps := value(t, b, chromedp.Evaluate[[]string](`(() => {
			const vis = [...document.querySelectorAll('.leaflet-tooltip.place-label')].filter((l) => getComputedStyle(l).visibility !== 'hidden');
			const marks = [...document.querySelectorAll('.incident-marker, .cluster-marker, .crossing-icon')];
			const hit = (a, b) => a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
			const out = [];
			vis.forEach((l, i) => {
				const r = l.getBoundingClientRect();
				vis.slice(i + 1).forEach((m) => { if (hit(r, m.getBoundingClientRect())) out.push(l.textContent + ' / ' + m.textContent); });
				marks.forEach((m) => { if (hit(r, m.getBoundingClientRect())) out.push(l.textContent + ' / a marker'); });
			});
			return out;
		})()`))
		if len(overlaps) > 0 {
			t.Errorf("%dx%d: labels overlap: %v", size[0], size[1], overlaps)
		}
		// The timeline's date labels too: apart, and inside the axis.
		ticks := value(t, b, chromedp.Evaluate[[]string](`(() => {
			const axis = document.querySelector('[data-testid=timeline-axis]').getBoundingClientRect();
			const ts = [...document.querySelectorAll('[data-testid=timeline-axis] .tick')].map((e) => [e.textContent, e.getBoundingClientRect()]);
			const out = [];
			ts.forEach(([text, r], i) => {
				if (r.left < axis.left || r.right > axis.right) out.push(text + ' is cut off');
				if (i > 0 && ts[i - 1][1].right > r.left) out.push(ts[i - 1][0] + ' / ' + text);
			});
			return ts.length < 2 ? ['only ' + ts.length + ' labels'] : out;
		})()`))
		if len(ticks) > 0 {
			t.Errorf("%dx%d: timeline labels: %v", size[0], size[1], ticks)
		}
	}
}

// The timeline has a date axis, Play skips the weeks in which nothing
// happened and shows a playhead, and one bar stays a bar.
func TestBrowserTimelineAxisAndPlay(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 1280, 800)
	b.do(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	if n := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=timeline-axis] .tick').length`)); n < 4 {
		t.Errorf("the axis has %d ticks, want a handful", n)
	}
	// The first incident is the Bardo attack (week of 16 March 2015), the
	// next the Sousse attack (June): Play goes from one to the other.
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=timeline-play]`)))
	value(t, b, chromedp.Poll[bool](`document.querySelector('[data-testid=timeline-label]').textContent.startsWith('2015-03-16')`))
	value(t, b, chromedp.Poll[bool](`!document.querySelector('[data-testid=timeline-label]').textContent.startsWith('2015-03-16')`))
	label := value(t, b, chromedp.Text(chromedp.CSS(`[data-testid=timeline-label]`)))
	if label < "2015-06-22" {
		t.Errorf("after the Bardo week Play shows %q; want the Sousse week, skipping the empty ones", label)
	}
	if n := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=playhead]').length`)); n != 1 {
		t.Errorf("%d playheads while playing, want 1", n)
	}
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=timeline-play]`)))
	// A one-day filter draws the day as one bar, not the chart's width.
	b.do(t, chromedp.Navigate(app.URL+"/?q=Sousse"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	frac := value(t, b, chromedp.Evaluate[float64](`(() => { const bars = document.querySelectorAll('.timeline-chart .bin-hit');
		return bars.length === 1 ? bars[0].getBoundingClientRect().width / document.querySelector('.timeline-chart').getBoundingClientRect().width : -1; })()`))
	if frac < 0 || frac > 0.2 {
		t.Errorf("one day's bar takes %.2f of the chart, want a narrow bar", frac)
	}
}

// Every incident's popup, opened at phone and desktop sizes, lies wholly
// inside the map and clear of every control.
func TestBrowserPopupsClearOfControls(t *testing.T) {
	app := newTestApp(t, "none")
	for _, size := range [][2]int{{390, 844}, {1280, 800}} {
		b := newBrowser(t, size[0], size[1])
		for id := 1; id <= 10; id++ {
			b.do(t, chromedp.Navigate(fmt.Sprintf("%s/?incident=%d", app.URL, id)), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
			b.waitPopup(t, ".incident-popup")
			b.do(t, chromedp.Sleep(400*time.Millisecond)) // the pan ends
			over := value(t, b, chromedp.Evaluate[[]string](`(() => {
				const p = document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
				const m = document.getElementById('map').getBoundingClientRect();
				const out = [];
				if (p.top < m.top || p.bottom > m.bottom + 1 || p.left < m.left || p.right > m.right + 1) out.push('outside the map');
				for (const c of document.querySelectorAll('.leaflet-control')) {
					const r = c.getBoundingClientRect();
					if (getComputedStyle(c).visibility !== 'hidden' && r.width && r.height && p.left < r.right && p.right > r.left && p.top < r.bottom && p.bottom > r.top) out.push(c.className);
				}
				return out;
			})()`))
			if len(over) > 0 {
				t.Errorf("%dx%d incident %d: the popup is %v", size[0], size[1], id, over)
			}
		}
	}
}

// On a touch screen every control on and under the map, the timeline's and
// the panel's toggle included, is at least 44 × 44 px; links in the line
// of credits are text, WCAG 2.5.8's inline exception.
func TestBrowserTouchTargets(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 390, 844)
	b.do(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	small := value(t, b, chromedp.Evaluate[[]string](`(() => {
		const sel = '#map a, #map button, .timeline button, [data-testid=panel-toggle]';
		return [...document.querySelectorAll(sel)]
			.filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden' && !e.closest('.leaflet-popup'))
			.filter((e) => !(e.tagName === 'A' && e.closest('.bw-attribution')))
			.map((e) => [e, e.getBoundingClientRect()])
			.filter(([, r]) => r.width < 44 || r.height < 44)
			.map(([e, r]) => (e.textContent.trim() || e.getAttribute('aria-label') || e.className) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
	})()`))
	if len(small) > 0 {
		t.Errorf("controls smaller than 44 × 44 px on a phone: %v", small)
	}
	shot(t, b, "map-phone-touch")
}
