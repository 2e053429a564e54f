// Package i18n speaks the reader's language: English, French or Arabic.
// Messages live in one catalog per language (locales/*.json), each a key
// with its text or, for counts, its plural forms by CLDR category (Arabic
// has six: zero, one, two, few, many, other). Numbers and dates are
// formatted per locale with golang.org/x/text; the browser gets the same
// catalog and uses Intl.
package i18n

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales/*.json
var files embed.FS

// Lang is one of the languages Borderwatch speaks.
type Lang struct {
	Code   string // en, fr, ar: what lang= takes and <html lang> says
	Name   string // the language's own name, for the switcher
	Short  string // the switcher's label on a narrow screen
	Dir    string // ltr or rtl
	Locale string // the locale numbers and dates follow (Arabic as in Tunisia: Latin digits)
	tag    language.Tag
}

// Langs are the languages, English (the default) first. To add one: a
// line here and locales/CODE.json with every key of en.json.
var Langs = []Lang{
	{Code: "en", Name: "English", Short: "EN", Dir: "ltr", Locale: "en", tag: language.English},
	{Code: "fr", Name: "Français", Short: "FR", Dir: "ltr", Locale: "fr", tag: language.French},
	{Code: "ar", Name: "العربية", Short: "عر", Dir: "rtl", Locale: "ar-TN", tag: language.MustParse("ar-TN")},
}

// Default is English.
var Default = Langs[0]

// ByCode returns the language with code, if Borderwatch speaks it.
func ByCode(code string) (Lang, bool) {
	i := slices.IndexFunc(Langs, func(l Lang) bool { return l.Code == code })
	if i < 0 {
		return Lang{}, false
	}
	return Langs[i], true
}

// Codes lists the languages' codes.
func Codes() []string {
	out := make([]string, len(Langs))
	for i, l := range Langs {
		out[i] = l.Code
	}
	return out
}

var matcher = language.NewMatcher([]language.Tag{language.English, language.French, language.Arabic})

// CookieName is where the switcher remembers a person's choice.
const CookieName = "bw_lang"

// Negotiate picks the language of a request: lang= in the URL (so an embed
// or a permalink carries it), else the person's choice (the cookie), else
// Accept-Language, else English. fromURL says whether lang= chose it.
func Negotiate(r *http.Request) (l Lang, fromURL bool) {
	if l, ok := ByCode(r.URL.Query().Get("lang")); ok {
		return l, true
	}
	if c, err := r.Cookie(CookieName); err == nil {
		if l, ok := ByCode(c.Value); ok {
			return l, false
		}
	}
	if h := r.Header.Get("Accept-Language"); h != "" {
		tags, _, _ := language.ParseAcceptLanguage(h)
		if len(tags) > 0 {
			_, i, conf := matcher.Match(tags...)
			if conf != language.No {
				return Langs[i], false
			}
		}
	}
	return Default, false
}

type ctxKey struct{}

// With returns ctx speaking l.
func With(ctx context.Context, l Lang) context.Context { return context.WithValue(ctx, ctxKey{}, l) }

// From is the language of ctx (English when none was set).
func From(ctx context.Context) Lang {
	if l, ok := ctx.Value(ctxKey{}).(Lang); ok {
		return l
	}
	return Default
}

// entry is a message: its text, or its plural forms.
type entry struct {
	text  string
	forms map[string]string
}

func (e *entry) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &e.text)
	}
	return json.Unmarshal(b, &e.forms)
}

var (
	loadOnce sync.Once
	catalogs map[string]map[string]entry
	raw      map[string]map[string]json.RawMessage
	loadErr  error
)

func load() {
	catalogs, raw = map[string]map[string]entry{}, map[string]map[string]json.RawMessage{}
	for _, l := range Langs {
		b, err := files.ReadFile("locales/" + l.Code + ".json")
		if err != nil {
			loadErr = err
			return
		}
		var c map[string]entry
		var r map[string]json.RawMessage
		if err := json.Unmarshal(b, &c); err != nil {
			loadErr = fmt.Errorf("locales/%s.json: %w", l.Code, err)
			return
		}
		json.Unmarshal(b, &r)
		catalogs[l.Code], raw[l.Code] = c, r
	}
}

// Same lists the keys whose translation into code is, on purpose, the
// English words (locales/same.json): any other identical one is a
// translation forgotten.
func Same(code string) []string {
	b, _ := files.ReadFile("locales/same.json")
	var all map[string]json.RawMessage
	json.Unmarshal(b, &all)
	var keys []string
	json.Unmarshal(all[code], &keys)
	return keys
}

// Catalog returns the messages of code, as its file has them (for tests
// and the browser).
func Catalog(code string) (map[string]json.RawMessage, error) {
	loadOnce.Do(load)
	return raw[code], loadErr
}

func lookup(l Lang, key string) (entry, bool) {
	loadOnce.Do(load)
	if e, ok := catalogs[l.Code][key]; ok {
		return e, true
	}
	e, ok := catalogs[Default.Code][key]
	return e, ok
}

// T is the message key in ctx's language, with {name} placeholders filled
// from pairs of args: T(ctx, "match", "n", "3"). A key no catalog has is
// shown as itself, so that tests find it.
func T(ctx context.Context, key string, args ...string) string {
	e, ok := lookup(From(ctx), key)
	if !ok {
		return key
	}
	text := e.text
	if e.forms != nil {
		text = e.forms["other"]
	}
	return fill(text, args)
}

// N is the plural message key for the count n, its form chosen by the
// language's CLDR rules, {n} written in its locale.
func N(ctx context.Context, key string, n int, args ...string) string {
	l := From(ctx)
	e, ok := lookup(l, key)
	if !ok {
		return key
	}
	text := e.text
	if e.forms != nil {
		text = e.forms[Form(l, n)]
		if text == "" {
			text = e.forms["other"]
		}
	}
	return fill(text, append([]string{"n", Number(ctx, n)}, args...))
}

// Form is the CLDR plural category of n in l: zero, one, two, few, many
// or other.
func Form(l Lang, n int) string {
	abs := n
	if abs < 0 {
		abs = -abs
	}
	switch plural.Cardinal.MatchPlural(l.tag, abs, 0, 0, 0, 0) {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	}
	return "other"
}

func fill(text string, args []string) string {
	for i := 0; i+1 < len(args); i += 2 {
		text = strings.ReplaceAll(text, "{"+args[i]+"}", args[i+1])
	}
	return text
}

// Number writes n for a reader of ctx's language: 1,234 / 1 234 / 1.234.
func Number(ctx context.Context, n int) string {
	return message.NewPrinter(From(ctx).tag).Sprintf("%d", n)
}

// Decimal writes x with one decimal in ctx's locale.
func Decimal(ctx context.Context, x float64) string {
	return message.NewPrinter(From(ctx).tag).Sprintf("%.1f", x)
}

var months = map[string][]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	// The Maghreb's month names, as Tunisian and Libyan papers write them.
	"ar": {"جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
}

// MonthYear writes a month: March 2016, mars 2016, مارس 2016.
func MonthYear(ctx context.Context, t time.Time) string {
	return months[From(ctx).Code][t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// Isolate wraps s in Unicode's first-strong isolate and pop directional
// isolate, so that data in one direction reads right inside a message in
// another ("سجل «U.S. airstrike…»").
func Isolate(s string) string { return "\u2068" + s + "\u2069" }

// Alternate is a page in another language: for hreflang links and the
// switcher.
type Alternate struct {
	Lang    Lang
	Href    string
	Current bool
}

type altKey struct{}

// WithAlternates records the page's versions in each language.
func WithAlternates(ctx context.Context, alts []Alternate) context.Context {
	return context.WithValue(ctx, altKey{}, alts)
}

// Alternates are the page's versions in each language.
func Alternates(ctx context.Context) []Alternate {
	alts, _ := ctx.Value(altKey{}).([]Alternate)
	return alts
}

// Messages are the catalog entries whose keys start with one of prefixes,
// in l, falling back to English: what the browser gets.
func Messages(l Lang, prefixes ...string) map[string]json.RawMessage {
	loadOnce.Do(load)
	out := map[string]json.RawMessage{}
	for _, code := range []string{Default.Code, l.Code} {
		for k, v := range raw[code] {
			for _, p := range prefixes {
				if strings.HasPrefix(k, p) {
					out[k] = v
				}
			}
		}
	}
	return out
}
