package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/chromedp/chromedp"
)

// A contributor pastes the seed report into "Read a report" and sees its
// drafts with the evidence marked in the report; the one event the
// database lacks (here the El Amria clash, removed first) is proposed; an
// editor sees its evidence on the review page and approves it; the public
// map then shows it.
func TestBrowserReadAReportToThePublicMap(t *testing.T) {
	app := newTestApp(t, "none")
	ctx := context.Background()
	if err := app.Store.DeleteIncident(ctx, 1); err != nil {
		t.Fatal(err)
	}
	addAccount(t, app, "sami", geo.RoleContributor)
	addAccount(t, app, "amira", geo.RoleEditor)
	seed, err := os.ReadFile("../../geo/report/testdata/el-amria-article.txt")
	if err != nil {
		t.Fatal(err)
	}
	sami := newBrowser(t, 1280, 900)
	sami.signIn(t, app, "sami")
	sami.do(t,
		chromedp.Click(chromedp.CSS(`[data-testid=read-report]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=report-form]`)),
		chromedp.SetValue(chromedp.CSS(`#report-text`), string(seed)),
		chromedp.SendKeys(chromedp.CSS(`#report-publisher`), "tunisia-tn.com"),
		chromedp.SetValue(chromedp.CSS(`#report-published`), "2016-03-02"),
		chromedp.Click(chromedp.CSS(`[data-testid=report-read]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=draft]`)),
	)
	v := value(t, sami, chromedp.Evaluate[map[string]any](`({
		drafts: document.querySelectorAll('[data-testid=draft]').length,
		known: document.querySelectorAll('[data-testid=draft-known]').length,
		marks: document.querySelectorAll('[data-testid=report-text] mark').length,
		first: document.querySelector('[data-testid=draft] h3').textContent,
		location: [...document.querySelectorAll('[data-testid=report-text] mark[data-draft="1"]')].filter((m) => m.dataset.fields.split(' ').includes('location')).map((m) => m.textContent).join('|'),
		marked: [...document.querySelectorAll('[data-testid=report-text] mark')].every((m) => getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)'),
	})`))
	if v["drafts"].(float64) != 7 || v["known"].(float64) != 6 || v["marks"].(float64) < 20 || v["location"] != "El Amria" || v["marked"] != true {
		t.Fatalf("the drafts: %v; want 7, six recorded already, the clash's place marked as El Amria", v)
	}
	if !strings.Contains(v["first"].(string), "Armed clash: El Amria") {
		t.Errorf("the first draft is %q", v["first"])
	}
	shot(t, sami, "report-drafts")
	sami.do(t,
		chromedp.Click(chromedp.CSS(`[data-testid=report-propose]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=report-page]`)),
	)
	if n := value(t, sami, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=report-proposal]').length`)); n != 1 {
		t.Fatalf("the report's page lists %d proposals, want the one new event", n)
	}
	before := publicCount(t, app, "El+Amria")
	if n := publicCount(t, app, "El+Amria"); n != before {
		t.Fatalf("the public sees the draft before review (%d)", n)
	}

	amira := newBrowser(t, 1280, 900)
	amira.signIn(t, app, "amira")
	amira.do(t,
		chromedp.Navigate(app.URL+"/review"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=proposal-evidence]`)),
		chromedp.Click(chromedp.CSS(`[data-testid=proposal-evidence] summary`)),
	)
	fields := value(t, amira, chromedp.Evaluate[string](`[...document.querySelectorAll('[data-testid=proposal-evidence] mark')].map((m) => m.dataset.fields).join(' ')`))
	for _, f := range []string{"event_type", "event_date", "location", "actor1", "injuries"} {
		if !strings.Contains(fields, f) {
			t.Errorf("the review page marks %q; want %s among them", fields, f)
		}
	}
	shot(t, amira, "report-review")
	amira.do(t,
		chromedp.Click(chromedp.CSS(`[data-testid=approve]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=review-empty]`)),
	)
	if n := publicCount(t, app, "El+Amria"); n != before+1 {
		t.Fatalf("after approval the public sees %d El Amria incidents, want %d", n, before+1)
	}
	id := "11" // the bundled ten, and this one
	amira.do(t,
		chromedp.Navigate(app.URL+"/?incident="+id),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	)
	amira.waitPopup(t, ".incident-popup")
	if title := value(t, amira, chromedp.Text(chromedp.CSS(`.leaflet-popup .popup-title`))); !strings.Contains(title, "El Amria") {
		t.Errorf("the public map's popup reads %q", title)
	}
	shot(t, amira, "report-on-the-map")
	if errs := append(sami.jsErrors(), amira.jsErrors()...); len(errs) > 0 {
		t.Errorf("JavaScript errors: %v", errs)
	}
}
