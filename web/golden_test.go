package web_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from what the server answers")

// goldenHost stands for the test server's random address in golden files.
const goldenHost = "http://borderwatch.test"

// TestGolden pins every resource in every format it speaks, byte for byte
// (JSON indented for readable diffs): a change in any body shows up here.
// After an intended change, run go test ./web -run TestGolden -update and
// read the diff.
func TestGolden(t *testing.T) {
	cfg := testWebConfig()
	cfg.Now = func() time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }
	app := newTestAppWith(t, cfg)
	tests := []struct{ name, path, accept string }{
		{"landing.json", "/", "application/json"},
		{"map.html", "/?event_type=Battles", browserAccept},
		{"conformance.json", "/conformance", ""},
		{"conformance.html", "/conformance?f=html", ""},
		{"openapi.json", "/openapi", ""},
		{"openapi.html", "/openapi?f=html", ""},
		{"collections.json", "/collections", ""},
		{"collections.html", "/collections", browserAccept},
		{"collection-incidents.json", "/collections/incidents", ""},
		{"collection-barrier.html", "/collections/barrier?f=html", ""},
		{"items-incidents.json", "/collections/incidents/items?limit=2&offset=1&event_type=Battles,Strategic+developments", ""},
		{"items-incidents.html", "/collections/incidents/items?limit=3&f=html", ""},
		{"items-incident-points.json", "/collections/incident-points/items?bbox=11.4,32,11.5,33.2", ""},
		{"items-crossings.json", "/collections/crossings/items?bbox=11,32,12.5,34", ""},
		{"items-crossings.html", "/collections/crossings/items?f=html", ""},
		{"item-incident.json", "/collections/incidents/items/3", ""},
		{"item-incident.html", "/collections/incidents/items/3", browserAccept},
		{"item-barrier.json", "/collections/barrier/items/1", ""},
		{"item-barrier.html", "/collections/barrier/items/1?f=html", ""},
		{"clusters-z5.json", "/collections/incidents/clusters?zoom=5&bbox=7,29,16,37", ""},
		{"stats.json", "/collections/incidents/stats?country=TN", ""},
		{"export-incidents.geojson", "/export/incidents.geojson?near_barrier_km=30", ""},
		{"export-incidents.csv", "/export/incidents.csv?datetime=2016-03-01/2016-03-31", ""},
		{"export-crossings.csv", "/export/crossings.csv", ""},
		{"embed.html", "/embed?event_type=Battles&title=Clashes", browserAccept},
		{"oembed.json", "/oembed?url=" + goldenHost + "/embed%3Fevent_type%3DBattles", ""},
		{"problem-bad-filter.json", "/collections/incidents/items?bbox=1,2,3&colour=red", ""},
		{"problem-not-found.html", "/collections/nope?f=html", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			if tt.accept != "" {
				header = []string{"Accept", tt.accept}
			}
			path := strings.ReplaceAll(tt.path, goldenHost, app.URL)
			res, body := get(t, app.URL+path, header...)
			body = strings.NewReplacer(app.URL, goldenHost, url.QueryEscape(app.URL), url.QueryEscape(goldenHost)).Replace(body)
			body = assetHash.ReplaceAllString(body, ".HASH.") // the files' hashes change with them
			ct := res.Header.Get("Content-Type")
			if strings.Contains(ct, "json") {
				var buf bytes.Buffer
				if err := json.Indent(&buf, []byte(body), "", "  "); err != nil {
					t.Fatalf("%s: not JSON: %v", tt.path, err)
				}
				body = buf.String() + "\n"
			}
			got := fmt.Sprintf("GET %s\n%d %s\nContent-Disposition: %s\n\n%s", tt.path, res.StatusCode, ct, res.Header.Get("Content-Disposition"), body)
			file := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test ./web -run TestGolden -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s (go test ./web -run TestGolden -update rewrites it):\n%s", tt.path, file, firstDiff(string(want), got))
			}
		})
	}
}

var assetHash = regexp.MustCompile(`\.[0-9a-f]{10}\.`)

// firstDiff shows the first line where want and got differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			j := 0 // the first differing byte, shown with some context
			for j < min(len(a), len(b)) && a[j] == b[j] {
				j++
			}
			from := max(0, j-60)
			return fmt.Sprintf("line %d, byte %d:\nwant …%q\ngot  …%q", i+1, j+1, a[from:min(len(a), j+80)], b[from:min(len(b), j+80)])
		}
	}
	return ""
}
