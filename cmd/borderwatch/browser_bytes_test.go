package main

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// firstView is what one page load fetched over the network, from the
// browser's own Resource Timing (transferSize: headers and compressed body,
// 0 when served from the cache).
type firstView struct {
	Requests int     `json:"requests"`
	Bytes    float64 `json:"bytes"`
	Static   int     `json:"static"` // /static/ files fetched over the network
}

const measureView = `(() => {
  const all = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
  const net = all.filter((e) => e.transferSize > 0);
  return {
    requests: net.length,
    bytes: net.reduce((n, e) => n + e.transferSize, 0),
    static: net.filter((e) => new URL(e.name).pathname.startsWith('/static/')).length,
  };
})()`

// The map's first view over the bundled data stays under 120 KB and a few
// requests, and the next view fetches no static file again: they are named
// by their content hash and cached for good.
func TestBrowserFirstViewBytes(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 1280, 800)
	view := func() firstView {
		b.do(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
		return value(t, b, chromedp.Evaluate[firstView](measureView))
	}
	first := view()
	fmt.Printf("first view of the map: %d requests, %.1f KB over the network (%d static files)\n", first.Requests, first.Bytes/1024, first.Static)
	if first.Bytes > 120*1024 || first.Static < 5 {
		t.Errorf("first view: %.1f KB in %d requests (%d static), want under 120 KB", first.Bytes/1024, first.Requests, first.Static)
	}
	again := view()
	fmt.Printf("second view: %d requests, %.1f KB (%d static files)\n", again.Requests, again.Bytes/1024, again.Static)
	if again.Static != 0 {
		t.Errorf("second view fetched %d static files again, want them all from the cache", again.Static)
	}
}
