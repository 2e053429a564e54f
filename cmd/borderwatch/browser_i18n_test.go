package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/i18n"
	"github.com/chromedp/chromedp"
)

var placeholderRE = regexp.MustCompile(`\{\w+\}`)

// untranslated are the English phrases a page in code must not show: the
// literal parts (six letters or more) of every English message, but those
// the catalog says are the same words in code on purpose.
func untranslated(t *testing.T, code string) []string {
	t.Helper()
	en, err := i18n.Catalog("en")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := i18n.Catalog(code)
	texts := func(raw json.RawMessage) []string {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return []string{s}
		}
		var forms map[string]string
		json.Unmarshal(raw, &forms)
		out := []string{}
		for _, f := range forms {
			out = append(out, f)
		}
		return out
	}
	var out []string
	same := i18n.Same(code)
	for k, v := range en {
		if slices.Contains(same, k) {
			continue
		}
		theirs := strings.Join(texts(other[k]), " ")
		for _, s := range texts(v) {
			for _, part := range placeholderRE.Split(s, -1) {
				part = strings.Trim(part, " .,:;()·")
				// A translation may keep a name ("… sur Borderwatch"): not the phrase.
				if len(part) >= 6 && strings.ContainsAny(part, "abcdefghijklmnopqrstuvwxyz") && (theirs == s || !strings.Contains(theirs, part)) {
					out = append(out, part)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// leftInEnglish lists the visible text of the page, outside the data's own
// words (marked lang=en) and scripts, that contains an English phrase.
const leftInEnglishJS = `((phrases) => {
	const out = [];
	const res = phrases.map((p) => [p, new RegExp('(^|[^A-Za-z])' + p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '($|[^A-Za-z])')]);
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		const e = n.parentElement;
		if (!e || e.closest('script, style, [lang=en], [translate=no], noscript') || !e.getClientRects().length || getComputedStyle(e).visibility === 'hidden') continue;
		const text = n.textContent;
		for (const [p, re] of res) if (re.test(text)) { out.push(p + ' in "' + text.trim().slice(0, 80) + '"'); break; }
	}
	return out;
})`

// Every main page in English, French and Arabic, at a laptop's and a
// phone's size: the page says its language and direction, nothing visible
// is left in English but the data's own words, no labels overlap, nothing
// scrolls sideways, and the Arabic layout is mirrored.
func TestBrowserEveryLanguage(t *testing.T) {
	app := newTestApp(t, "none")
	for _, code := range []string{"en", "fr", "ar"} {
		phrases := []string{}
		if code != "en" {
			phrases = untranslated(t, code)
		}
		list, _ := json.Marshal(phrases)
		for _, size := range [][2]int{{1280, 800}, {390, 844}} {
			b := newBrowser(t, size[0], size[1])
			for _, page := range screenPages {
				name := fmt.Sprintf("%s-%s-%dx%d", code, page.name, size[0], size[1])
				sep := "?"
				if strings.Contains(page.path, "?") {
					sep = "&"
				}
				b.do(t, chromedp.Navigate(app.URL+page.path+sep+"lang="+code), chromedp.WaitVisible(chromedp.CSS(`.leaflet-container`)))
				if page.name == "map" || page.name == "embed" {
					b.do(t, chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
				}
				b.do(t, chromedp.Sleep(300*time.Millisecond))
				dir := value(t, b, chromedp.Evaluate[string](`document.documentElement.lang + ' ' + document.documentElement.dir`))
				if want := code + map[bool]string{true: " rtl", false: " ltr"}[code == "ar"]; dir != want {
					t.Errorf("%s: <html lang dir> is %q, want %q", name, dir, want)
				}
				if left := value(t, b, chromedp.Evaluate[[]string](leftInEnglishJS+`(`+string(list)+`)`)); len(left) > 0 {
					t.Errorf("%s: left in English: %v", name, left)
				}
				l := value(t, b, chromedp.Evaluate[mapLayout](mapLayoutJS))
				if len(l.Meet) > 0 || l.Sideways > 0 || l.CreditsHeight > 20 {
					t.Errorf("%s: labels over each other %v, %.0f px sideways, credits %.0f px high", name, l.Meet, l.Sideways, l.CreditsHeight)
				}
				// Text cut off inside its box: buttons, links, labels, headings.
				clipped := value(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('button, label, h1, h2, dt, th, .leaflet-control a')]
					.filter((e) => !e.closest('.visually-hidden') && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden' && getComputedStyle(e).overflow !== 'visible' && e.scrollWidth > e.clientWidth + 1)
					.map((e) => e.textContent.trim().slice(0, 40))`))
				if len(clipped) > 0 {
					t.Errorf("%s: text cut off: %v", name, clipped)
				}
				if code == "ar" && page.name == "map" && size[0] == 1280 {
					m := value(t, b, chromedp.Evaluate[map[string]float64](`({
						panel: document.getElementById('panel').getBoundingClientRect().left,
						map: document.getElementById('map').getBoundingClientRect().left,
						zoom: document.querySelector('.leaflet-control-zoom').getBoundingClientRect().left,
						mid: document.getElementById('map').getBoundingClientRect().left + document.getElementById('map').getBoundingClientRect().width / 2,
					})`))
					if m["panel"] < m["map"] || m["zoom"] < m["mid"] {
						t.Errorf("%s: not mirrored: panel at x=%.0f, map at %.0f, zoom at %.0f (map's middle %.0f)", name, m["panel"], m["map"], m["zoom"], m["mid"])
					}
				}
				if errs := b.jsErrors(); len(errs) > 0 {
					t.Errorf("%s: JavaScript errors: %v", name, errs)
				}
				shot(t, b, "lang-"+name)
			}
		}
	}
}

// An Arabic embed in a 320 px column reads right to left: controls on the
// mirrored sides, the map clear, nothing sideways.
func TestBrowserArabicEmbedAt320(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 320, 480)
	b.do(t, chromedp.Navigate(app.URL+"/embed?lang=ar"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	b.do(t, chromedp.Sleep(300*time.Millisecond))
	v := value(t, b, chromedp.Evaluate[map[string]any](`({
		dir: document.documentElement.dir,
		zoom: document.querySelector('.leaflet-control-zoom').getBoundingClientRect().left,
		legend: document.querySelector('[data-testid=legend]').getBoundingClientRect().left,
		layers: document.querySelector('[data-testid=layer-toggle]').getBoundingClientRect().left,
		legendText: document.querySelector('.legend-toggle').textContent,
		link: document.querySelector('[data-testid=full-view]').textContent,
	})`))
	if v["dir"] != "rtl" || v["zoom"].(float64) < 160 || v["legend"].(float64) < 160 || v["layers"].(float64) > 160 {
		t.Errorf("the Arabic embed at 320 px: %v; want rtl, zoom and legend on the right, layers on the left", v)
	}
	if v["legendText"] != "مفتاح الخريطة" || v["link"] != "افتح الخريطة الكاملة على Borderwatch" {
		t.Errorf("the Arabic embed's words: %v", v)
	}
	l := value(t, b, chromedp.Evaluate[mapLayout](mapLayoutJS))
	if l.Uncovered < 0.8 || l.Sideways > 0 || l.CreditsHeight > 20 || len(l.Meet) > 0 {
		t.Errorf("the Arabic embed at 320 px: %+v", l)
	}
	if n := value(t, b, chromedp.Evaluate[int](`document.cookie.length`)); n != 0 {
		t.Errorf("the embed set a cookie")
	}
	shot(t, b, "lang-ar-embed-320x480")
}

// The switcher changes the language and remembers it; hreflang links name
// every version.
func TestBrowserLanguageSwitcher(t *testing.T) {
	app := newTestApp(t, "none")
	b := newBrowser(t, 1280, 800)
	b.do(t, chromedp.Navigate(app.URL+"/collections/incidents/items/3"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=lang-switch]`)))
	if n := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll('link[rel=alternate][hreflang]').length`)); n != 3 {
		t.Errorf("%d hreflang links, want 3", n)
	}
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid=lang-fr]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang=fr]`)))
	b.do(t, chromedp.Navigate(app.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	if got := value(t, b, chromedp.Evaluate[string](`document.documentElement.lang + ' ' + document.querySelector('[data-testid=match-count]').textContent`)); got != "fr 10 incidents correspondants" {
		t.Errorf("after choosing French, the map reads %q", got)
	}
}

// The editors' pages speak French and Arabic too: nothing visible left in
// English but the data's own words and the validation messages' details.
func TestBrowserEditorsPagesInEveryLanguage(t *testing.T) {
	app := newTestApp(t, "none")
	addAccount(t, app, "amira", geo.RoleAdmin)
	for _, code := range []string{"fr", "ar"} {
		list, _ := json.Marshal(untranslated(t, code))
		b := newBrowser(t, 1280, 900)
		b.signIn(t, app, "amira")
		for _, path := range []string{"/account", "/accounts", "/incidents/new", "/review", "/proposals", "/deleted", "/reports/new", "/collections/incidents/items/3/edit", "/collections/incidents/items/3/history", "/collections", "/conformance", "/openapi?f=html", "/login"} {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			b.do(t, chromedp.Navigate(app.URL+path+sep+"lang="+code), chromedp.WaitReady(chromedp.CSS(`main`)))
			if left := value(t, b, chromedp.Evaluate[[]string](leftInEnglishJS+`(`+string(list)+`)`)); len(left) > 0 {
				t.Errorf("%s %s: left in English: %v", code, path, left)
			}
		}
		shot(t, b, "lang-"+code+"-editor-login")
	}
}

// The editors' pages fit a phone in either direction: nothing scrolls
// sideways (the incident form's longitude and latitude once made it 563 px wide).
func TestBrowserEditorsPagesFitAPhone(t *testing.T) {
	app := newTestApp(t, "none")
	addAccount(t, app, "amira", geo.RoleAdmin)
	b := newBrowser(t, 390, 844)
	b.signIn(t, app, "amira")
	for _, code := range []string{"en", "ar"} {
		for _, path := range []string{"/incidents/new", "/collections/incidents/items/3/edit", "/reports/new", "/account", "/accounts", "/review", "/collections/incidents/items/3/history"} {
			b.do(t, chromedp.Navigate(app.URL+path+"?lang="+code), chromedp.WaitReady(chromedp.CSS(`main`)))
			if w := value(t, b, chromedp.Evaluate[float64](`document.documentElement.scrollWidth - innerWidth`)); w > 0 {
				t.Errorf("%s %s at 390 px scrolls %.0f px sideways", code, path, w)
			}
		}
	}
	shot(t, b, "lang-ar-editor-phone")
}
