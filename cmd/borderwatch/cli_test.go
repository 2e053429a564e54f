package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/borderwatch/borderwatch/store"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func countIncidents(t *testing.T, path string) int {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.CountIncidents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const goodFeature = `{"type":"Feature","geometry":{"type":"Point","coordinates":[11.22,33.14]},"properties":{"title":"%s","event_date":"2016-03-07","time_precision":1,"disorder_type":"Political violence","event_type":"Battles","sub_event_type":"Armed clash","actor1":"Military Forces of Tunisia","country":"TN","geo_precision":1,"sources":[{"publisher":"Reuters","url":"https://www.reuters.com/"}]}}`

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportListsEveryBadFeatureAndWritesNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	bad := `{"type":"FeatureCollection","features":[` +
		strings.Replace(goodFeature, "%s", "fine", 1) + `,` +
		strings.Replace(strings.Replace(goodFeature, "%s", "out of range", 1), "[11.22,33.14]", "[11.22,133.14]", 1) + `,` +
		strings.Replace(strings.Replace(goodFeature, "%s", "bad type", 1), `"Battles"`, `"Skirmish"`, 1) + `]}`
	code, _, stderr := runCLI(t, "import", "--db", db, writeFile(t, "bad.geojson", bad))
	if code != 1 {
		t.Errorf("got exit code %d, want 1", code)
	}
	for _, want := range []string{"feature 1: invalid incident: geometry: Point latitude 133.14 is outside [-90, 90]", `feature 2: invalid incident: event_type: unknown event type "Skirmish"`, "2 of 3 features are invalid; nothing was imported"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("got stderr %q, want it to contain %q", stderr, want)
		}
	}
	if strings.Contains(stderr, "feature 0") {
		t.Errorf("got stderr %q, want the good feature not reported", stderr)
	}
	if _, err := os.Stat(db); err == nil && countIncidents(t, db) != 0 {
		t.Error("a refused import wrote incidents")
	}
}

func TestImportErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing file", []string{"import", "--db", db, "/no/such/file.geojson"}, 1, "cannot read /no/such/file.geojson"},
		{"malformed JSON", []string{"import", "--db", db, writeFile(t, "m.geojson", `{"type":"FeatureCollection",`)}, 1, "not GeoJSON"},
		{"not features", []string{"import", "--db", db, writeFile(t, "p.geojson", `{"type":"Point","coordinates":[1,2]}`)}, 1, "expected a GeoJSON FeatureCollection or Feature"},
		{"no file argument", []string{"import", "--db", db}, 2, "Usage: borderwatch import"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("got exit %d and %q, want exit %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

func TestImportThenExportRoundTrips(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	file := writeFile(t, "good.geojson", `{"type":"FeatureCollection","features":[`+
		strings.Replace(goodFeature, "%s", "first", 1)+`,`+strings.Replace(goodFeature, "%s", "second", 1)+`]}`)
	// Flags after the file work too.
	code, stdout, stderr := runCLI(t, "import", file, "--db", db)
	if code != 0 || !strings.Contains(stdout, "imported 2 incidents") {
		t.Fatalf("got exit %d, %q %q; want 2 imported", code, stdout, stderr)
	}
	t.Setenv("BORDERWATCH_DB", db)
	code, exported, stderr := runCLI(t, "export")
	if code != 0 {
		t.Fatalf("export: got exit %d, %s", code, stderr)
	}
	var fc featureCollection
	if err := json.Unmarshal([]byte(exported), &fc); err != nil || len(fc.Features) != 2 {
		t.Fatalf("export: got %v (%d features), want GeoJSON with 2 features", err, len(fc.Features))
	}
	// What we export re-imports to the same data, without duplicates.
	again := filepath.Join(t.TempDir(), "again.geojson")
	os.WriteFile(again, []byte(exported), 0o644)
	if code, _, stderr := runCLI(t, "import", again); code != 0 {
		t.Fatalf("re-import: got exit %d, %s", code, stderr)
	}
	if n := countIncidents(t, db); n != 2 {
		t.Errorf("after re-importing the export: got %d incidents, want 2", n)
	}
	_, exported2, _ := runCLI(t, "export")
	// updated_at records the re-import; everything else must be the same.
	stamp := regexp.MustCompile(`"updated_at":"[^"]*"`)
	if stamp.ReplaceAllString(exported2, "") != stamp.ReplaceAllString(exported, "") {
		t.Errorf("exporting after re-import gives different data:\n%s\n%s", exported, exported2)
	}
}

func TestExportRefusesMissingDatabase(t *testing.T) {
	code, _, stderr := runCLI(t, "export", "--db", filepath.Join(t.TempDir(), "none.db"))
	if code != 1 || !strings.Contains(stderr, "no database at") {
		t.Errorf("got exit %d, %q; want 1 and a clear message", code, stderr)
	}
}

func TestSeedingTwiceNeverDuplicates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seed.db")
	for range 2 {
		st, _, err := open(context.Background(), path, testWebConfig())
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
	if n := countIncidents(t, path); n != 10 {
		t.Errorf("after two starts: got %d incidents, want the 10 bundled ones", n)
	}
}
