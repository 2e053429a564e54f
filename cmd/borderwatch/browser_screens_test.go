package main

import (
	"fmt"
	"testing"

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
		if tt.path == "/" && v["download"] == (tt.folded) {
			t.Errorf("%s: the download box over the map: %v; want it only on wide screens", name, v["download"])
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
