package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/auth"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const editPassword = "correct horse battery"

func addAccount(t *testing.T, app *testApp, name string, role geo.Role) {
	t.Helper()
	hash, err := auth.HashPassword(editPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Store.AddUser(context.Background(), name, role, hash); err != nil {
		t.Fatal(err)
	}
}

// signIn signs the browser in through the sign-in page.
func (b *browser) signIn(t *testing.T, app *testApp, name string) {
	t.Helper()
	b.do(t,
		chromedp.Navigate(app.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=login-form]`)),
		chromedp.SendKeys(chromedp.CSS(`#login-name`), name),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), editPassword),
		chromedp.Submit(chromedp.CSS(`[data-testid=login-form]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=account]`)),
	)
}

func publicCount(t *testing.T, app *testApp, q string) int {
	t.Helper()
	return getCollection(t, app.URL+"/collections/incidents/items?q="+q).NumberMatched
}

// The editing round trip in the browser: a contributor places a new
// incident with the map picker and proposes it; the public does not see it;
// an editor approves it from /review; the public sees it; the editor edits
// it, its history shows both versions with the diff, the editor reverts;
// a second editor's stale save gets the 409 page.
func TestBrowserEditingRoundTrip(t *testing.T) {
	app := newTestApp(t, "none")
	addAccount(t, app, "sami", geo.RoleContributor)
	addAccount(t, app, "amira", geo.RoleEditor)
	addAccount(t, app, "bilel", geo.RoleEditor)

	sami := newBrowser(t, 1280, 900)
	sami.signIn(t, app, "sami")
	start := time.Now()
	sami.do(t,
		chromedp.Click(chromedp.CSS(`[data-testid=new-incident]`)),
		chromedp.WaitVisible(chromedp.CSS(`#picker[data-ready=true]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Shots fired at a National Guard patrol near Ras Jedir"),
		chromedp.SetValue(chromedp.CSS(`#f-event_date`), "2016-03-03"),
		chromedp.SetValue(chromedp.CSS(`#f-event_type`), "Battles"),
		chromedp.SendKeys(chromedp.CSS(`#f-actor1`), "National Guard of Tunisia"),
		chromedp.SendKeys(chromedp.CSS(`#f-location`), "Ras Jedir"),
		// Place it by clicking the small map, as a person does.
		chromedp.Click(chromedp.CSS(`#picker`)),
		chromedp.WaitVisible(chromedp.CSS(`#picker[data-placed=true]`)),
		chromedp.SendKeys(chromedp.CSS(`[name=source_publisher]`), "Mosaique FM"),
		chromedp.SendKeys(chromedp.CSS(`[name=source_url]`), "https://www.mosaiquefm.net/fr/"),
		chromedp.SendKeys(chromedp.CSS(`#f-why`), "reported by Mosaique FM"),
	)
	shot(t, sami, "form")
	lon := value(t, sami, chromedp.Value(chromedp.CSS(`#f-lon`)))
	if lon == "" {
		t.Fatal("clicking the map did not place the incident")
	}
	sami.do(t,
		chromedp.Click(chromedp.CSS(`[data-testid=save]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=my-proposals]`)),
	)
	if status := value(t, sami, chromedp.Evaluate[string](`document.querySelector('[data-testid=my-proposal]').dataset.status`)); status != "open" {
		t.Fatalf("the proposal is %q, want open", status)
	}
	if n := publicCount(t, app, "patrol+near+Ras+Jedir"); n != 0 {
		t.Fatalf("the public sees the proposal (%d)", n)
	}

	amira := newBrowser(t, 1280, 900)
	amira.signIn(t, app, "amira")
	amira.do(t,
		chromedp.Navigate(app.URL+"/review"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=proposal]`)),
	)
	if n := value(t, amira, chromedp.Text(chromedp.CSS(`[data-testid=review-count]`))); n != "1" {
		t.Errorf("the review count is %q, want 1", n)
	}
	amira.do(t,
		chromedp.Click(chromedp.CSS(`[data-testid=approve]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=review-empty]`)),
	)
	if n := publicCount(t, app, "patrol+near+Ras+Jedir"); n != 1 {
		t.Fatalf("after approval the public sees %d, want 1", n)
	}
	t.Logf("proposal to public: %s (sign-in, form, map click, review, approve)", time.Since(start).Round(time.Millisecond))
	fc := getCollection(t, app.URL+"/collections/incidents/items?q=patrol+near+Ras+Jedir")
	id := fc.Features[0].ID.String()

	// The editor edits it; the history shows both versions and the diff.
	amira.do(t,
		chromedp.Navigate(app.URL+"/collections/incidents/items/"+id+"/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#picker[data-ready=true]`)),
		chromedp.SetValue(chromedp.CSS(`#f-title`), "Shots fired at a National Guard patrol at Ras Jedir"),
		chromedp.SendKeys(chromedp.CSS(`#f-why`), "at, not near"),
		chromedp.Click(chromedp.CSS(`[data-testid=save]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=incident]`)),
		chromedp.Navigate(app.URL+"/collections/incidents/items/"+id+"/history"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=history]`)),
	)
	if n := value(t, amira, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=version]').length`)); n != 2 {
		t.Errorf("the history shows %d versions, want 2", n)
	}
	diff := value(t, amira, chromedp.Text(chromedp.CSS(`[data-testid=version] [data-testid=changes]`)))
	if !strings.Contains(diff, "near Ras Jedir") || !strings.Contains(diff, "at Ras Jedir") || !strings.Contains(diff, "title") {
		t.Errorf("the newest version's diff: %q", diff)
	}
	// Revert to the first version.
	amira.do(t,
		chromedp.SendKeys(chromedp.CSS(`[data-testid=version]:last-child input[name=summary]`), "back to the report's words"),
		chromedp.Click(chromedp.CSS(`[data-testid=version]:last-child [data-testid=revert]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=version][data-change=revert]`)),
	)
	if n := publicCount(t, app, "patrol+near+Ras+Jedir"); n != 1 {
		t.Errorf("after the revert the public title is not the first one's")
	}

	// Two editors open the form; the first saves; the second's save is stale.
	bilel := newBrowser(t, 1280, 900)
	bilel.signIn(t, app, "bilel")
	for _, b := range []*browser{amira, bilel} {
		b.do(t,
			chromedp.Navigate(app.URL+"/collections/incidents/items/"+id+"/edit"),
			chromedp.WaitVisible(chromedp.CSS(`#picker[data-ready=true]`)),
		)
	}
	amira.do(t,
		chromedp.SetValue(chromedp.CSS(`#f-fatalities`), "0"),
		chromedp.SendKeys(chromedp.CSS(`#f-why`), "no one was hurt"),
		chromedp.Click(chromedp.CSS(`[data-testid=save]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=incident]`)),
	)
	bilel.do(t,
		chromedp.SetValue(chromedp.CSS(`#f-admin1`), "Medenine"),
		chromedp.SendKeys(chromedp.CSS(`#f-why`), "governorate"),
		chromedp.Click(chromedp.CSS(`[data-testid=save]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=conflict]`)),
	)
	shot(t, bilel, "conflict")
	page := value(t, bilel, chromedp.Text(chromedp.CSS(`[data-testid=conflict]`)))
	if !strings.Contains(page, "amira saved a newer version") || !strings.Contains(page, "fatalities") || !strings.Contains(page, "Medenine") {
		t.Errorf("the 409 page does not show both changes: %q", page)
	}
	// Saving the merged form now succeeds.
	bilel.do(t,
		chromedp.Click(chromedp.CSS(`[data-testid=save]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=incident]`)),
	)
	inc, err := app.Store.Incident(context.Background(), atoi(t, id))
	if err != nil || inc.Admin1 != "Medenine" || inc.Fatalities == nil || *inc.Fatalities != 0 {
		t.Errorf("after merging: admin1 %q, fatalities %v (%v)", inc.Admin1, inc.Fatalities, err)
	}
	for _, b := range []*browser{sami, amira, bilel} {
		for _, e := range b.jsErrors() {
			if !strings.Contains(e, "status of 409") { // the conflict page's own status
				t.Errorf("JavaScript error: %v", e)
			}
		}
	}
}

// shot saves a full-page screenshot to $BORDERWATCH_SCREENSHOTS/NAME.png (.jpg),
// when that is set, for a person to look at.
func shot(t *testing.T, b *browser, name string) {
	dir := os.Getenv("BORDERWATCH_SCREENSHOTS")
	if dir == "" {
		return
	}
	// PNG, or JPEG at BORDERWATCH_SCREENSHOT_QUALITY (below 100) for docs.
	quality, ext := 100, ".png"
	if q, err := strconv.Atoi(os.Getenv("BORDERWATCH_SCREENSHOT_QUALITY")); err == nil && q > 0 && q < 100 {
		quality, ext = q, ".jpg"
	}
	// The whole page; a page that fits the window as the window shows it
	// (Chromium's capture beyond the window shifts right-to-left pages).
	fits := value(t, b, chromedp.Evaluate[bool](`document.documentElement.scrollHeight <= innerHeight + 1`))
	img := value(t, b, func(ctx context.Context, tgt *chromedp.Target) ([]byte, error) {
		format, q := page.CaptureScreenshotFormatPng, int64(quality)
		if quality < 100 {
			format = page.CaptureScreenshotFormatJpeg
		}
		r, err := cdp.Call(ctx, tgt, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: format, Quality: &q, CaptureBeyondViewport: boolPtr(!fits)})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
	if err := os.WriteFile(filepath.Join(dir, name+ext), img, 0o644); err != nil {
		t.Fatal(err)
	}
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func boolPtr(v bool) *bool { return &v }
