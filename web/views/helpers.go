package views

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"

	"github.com/borderwatch/borderwatch/static"
)

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// propText shows a property value as text: strings as they are, the rest as JSON.
func propText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return "—"
	case float64:
		return fmt.Sprint(v)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func rawFeature(b []byte) json.RawMessage { return b }

// htmlOf turns a JSON link into its HTML alternate.
func htmlOf(href string) string {
	u, err := url.Parse(href)
	if err != nil {
		return href
	}
	q := u.Query()
	q.Set("f", "html")
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// asset is the address of the static file at p by its content-hashed name,
// which the server lets browsers cache for good.
func asset(p string) string { return static.Load().URL(p) }
