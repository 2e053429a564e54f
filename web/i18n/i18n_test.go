package i18n_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/borderwatch/borderwatch/web/i18n"
)

// formsOf are the plural categories CLDR gives each language.
var formsOf = map[string][]string{
	"en": {"one", "other"},
	"fr": {"one", "many", "other"},
	"ar": {"zero", "one", "two", "few", "many", "other"},
}

var (
	placeholder = regexp.MustCompile(`\{\w+\}`)
	verb        = regexp.MustCompile(`%[a-z]`)
)

func placeholders(raw json.RawMessage) []string {
	var s string
	var forms map[string]string
	if json.Unmarshal(raw, &s) != nil {
		json.Unmarshal(raw, &forms)
		for _, f := range forms {
			s += f
		}
	}
	out := slices.Compact(slices.Sorted(slices.Values(placeholder.FindAllString(s, -1))))
	return slices.DeleteFunc(out, func(p string) bool { return p == "{n}" }) // a form may spell the number out
}

// Every catalog has every key of English, no other, each plural with all
// its language's forms, and the same placeholders.
func TestCatalogsAreComplete(t *testing.T) {
	en, err := i18n.Catalog("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range i18n.Langs {
		c, err := i18n.Catalog(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range en {
			w, ok := c[k]
			if !ok {
				t.Errorf("%s lacks %q", l.Code, k)
				continue
			}
			if !slices.Equal(placeholders(v), placeholders(w)) {
				t.Errorf("%s %q has placeholders %v, English %v", l.Code, k, placeholders(w), placeholders(v))
			}
			var forms map[string]string
			if json.Unmarshal(w, &forms) == nil {
				for _, f := range formsOf[l.Code] {
					if forms[f] == "" {
						t.Errorf("%s %q lacks the plural form %q", l.Code, k, f)
					}
				}
			}
		}
		for k := range c {
			if _, ok := en[k]; !ok {
				t.Errorf("%s has %q, which English lacks", l.Code, k)
			}
		}
		// A problem's translation keeps its format's verbs, in order.
		for k := range c {
			if strings.HasPrefix(k, "problem:") {
				var s string
				json.Unmarshal(c[k], &s)
				if a, b := verb.FindAllString(strings.TrimPrefix(k, "problem:"), -1), verb.FindAllString(s, -1); !slices.Equal(a, b) {
					t.Errorf("%s %q has the verbs %v, want %v", l.Code, k, b, a)
				}
			}
		}
		// A message left in English is a translation forgotten, unless
		// locales/same.json says the words are the same on purpose.
		if l.Code != "en" {
			for k := range maps.Keys(en) {
				if string(en[k]) == string(c[k]) && !slices.Contains(i18n.Same(l.Code), k) {
					t.Errorf("%s %q is the English %s", l.Code, k, en[k])
				}
			}
		}
	}
}

// Plural forms for 0, 1, 2, 3, 11 and 100: Arabic's six all differ.
func TestPlurals(t *testing.T) {
	want := map[string][]string{
		"en": {"0 incidents match", "1 incident matches", "2 incidents match", "3 incidents match", "11 incidents match", "100 incidents match"},
		"fr": {"0 incident correspondant", "1 incident correspondant", "2 incidents correspondants", "3 incidents correspondants", "11 incidents correspondants", "100 incidents correspondants"},
		"ar": {"لا توجد حوادث مطابقة", "حادثة واحدة مطابقة", "حادثتان مطابقتان", "3 حوادث مطابقة", "11 حادثة مطابقة", "100 حادثة مطابقة"},
	}
	for code, ws := range want {
		l, _ := i18n.ByCode(code)
		ctx := i18n.With(context.Background(), l)
		for i, n := range []int{0, 1, 2, 3, 11, 100} {
			if got := i18n.N(ctx, "js.match", n); got != ws[i] {
				t.Errorf("%s, %d: %q, want %q", code, n, got, ws[i])
			}
		}
	}
	// Numbers and months per locale: Arabic as written in Tunisia, Latin digits.
	for code, want := range map[string]string{"en": "1,234,567", "fr": "1\u00a0234\u00a0567", "ar": "1.234.567"} {
		l, _ := i18n.ByCode(code)
		if got := i18n.Number(i18n.With(context.Background(), l), 1234567); got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
}

// The language: lang= first, then the person's choice, then
// Accept-Language, then English.
func TestNegotiate(t *testing.T) {
	for _, tt := range []struct {
		url, cookie, accept, want string
		fromURL                   bool
	}{
		{"/?lang=ar", "fr", "fr-FR", "ar", true},
		{"/", "fr", "ar", "fr", false},
		{"/", "", "ar-TN,ar;q=0.9,fr;q=0.8", "ar", false},
		{"/", "", "fr-CH, en;q=0.5", "fr", false},
		{"/", "", "de-DE", "en", false},
		{"/?lang=xx", "zz", "", "en", false},
	} {
		r := httptest.NewRequest("GET", tt.url, nil)
		if tt.cookie != "" {
			r.Header.Set("Cookie", i18n.CookieName+"="+tt.cookie)
		}
		if tt.accept != "" {
			r.Header.Set("Accept-Language", tt.accept)
		}
		if l, fromURL := i18n.Negotiate(r); l.Code != tt.want || fromURL != tt.fromURL {
			t.Errorf("%s cookie %q Accept-Language %q: %s (from the URL %v), want %s", tt.url, tt.cookie, tt.accept, l.Code, fromURL, tt.want)
		}
	}
}
