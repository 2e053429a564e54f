package record

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
)

// decodeBoth reads s as sources and as tags both ways, failing when the
// fast reading gives other values than json.Unmarshal, or values where it
// gives an error.
func decodeBoth(t *testing.T, s string) {
	t.Helper()
	var fastSources, slowSources []geo.Source
	fastErr := decodeColumn(s, &fastSources)
	slowErr := json.Unmarshal([]byte(s), &slowSources)
	if (fastErr == nil) != (slowErr == nil) || !reflect.DeepEqual(fastSources, slowSources) {
		if s == "[]" || s == "null" || s == "{}" { // read as empty: the row's column, not any JSON
			return
		}
		t.Fatalf("sources %q: got %#v (%v), json.Unmarshal %#v (%v)", s, fastSources, fastErr, slowSources, slowErr)
	}
	var fastTags, slowTags []string
	fastErr = decodeColumn(s, &fastTags)
	slowErr = json.Unmarshal([]byte(s), &slowTags)
	if (fastErr == nil) != (slowErr == nil) || !reflect.DeepEqual(fastTags, slowTags) {
		if s == "[]" || s == "null" || s == "{}" {
			return
		}
		t.Fatalf("tags %q: got %#v (%v), json.Unmarshal %#v (%v)", s, fastTags, fastErr, slowTags, slowErr)
	}
}

func TestDecodeColumnsAsJSONDoes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	text := []string{"", "Reuters", "وكالة تونس", "a \"quoted\" <b>", "back\\slash", "\x01", "\xff", "é", "https://x.org/a?b=c&d"}
	pick := func() string { return text[r.IntN(len(text))] }
	for range 2000 {
		var sources []geo.Source
		for range r.IntN(4) {
			s := geo.Source{Publisher: pick(), Title: pick(), URL: pick(), Published: pick(), Note: pick()}
			if r.IntN(2) == 0 {
				s.Supports = []string{pick(), pick()}
			}
			sources = append(sources, s)
		}
		b, _ := json.Marshal(sources)
		decodeBoth(t, string(b))
		tags := make([]string, r.IntN(4))
		for i := range tags {
			tags[i] = pick()
		}
		b, _ = json.Marshal(tags)
		decodeBoth(t, string(b))
	}
	// as PostgreSQL's jsonb writes them, and texts the fast path leaves alone
	for _, s := range []string{`[{"url": "https://a", "title": "T", "publisher": "P"}, {"publisher": "Q", "supports": ["event_date"]}]`,
		`["a", "b"]`, `[{"publisher":"P","Publisher":"Q"}]`, `[{"publisher":"P","extra":1}]`, `[{"publisher":null}]`,
		`[{"publisher":"P"}`, `[{"publisher":"P"},]`, `[{"publisher":"P" "title":"T"}]`, `["a",]`, `["a" "b"]`, `[1]`, `[] x`,
		`[{"publisher":"P","supports":[]}]`, `[{"publisher":"P","supports":null}]`, `[{}]`, `[{"publisher":"P","publisher":"R"}]`} {
		decodeBoth(t, s)
	}
	var tags []string
	if err := decodeColumn(`["synthetic"]`, &tags); err != nil || !reflect.DeepEqual(tags, []string{"synthetic"}) {
		t.Fatalf("tags: %v, %v", tags, err)
	}
}

func FuzzDecodeColumns(f *testing.F) {
	for _, s := range []string{`[{"publisher":"Reuters","url":"https://x"}]`, `["a","b"]`, `[{"url": "u", "publisher": "p"}]`, `[{"publisher":"\u00e9"}]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		decodeBoth(t, s)
	})
}
