package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// runCLIInput runs the command with input on its standard input.
func runCLIInput(t *testing.T, input string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(input), &out, &errb)
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
	if code, _, stderr := runCLI(t, "import", "--db", db, writeFile(t, "one.geojson", strings.Replace(goodFeature, "%s", "already there", 1))); code != 0 {
		t.Fatalf("first import: exit code %d: %s", code, stderr)
	}
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
	if n := countIncidents(t, db); n != 1 {
		t.Errorf("after a refused import: got %d incidents, want the 1 imported before", n)
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
		{"JSON nested 100 000 deep in a feature", []string{"import", "--db", db, writeFile(t, "deep1.geojson", `{"type":"FeatureCollection","features":[`+strings.Replace(goodFeature, `"%s"`, strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000), 1)+`]}`)}, 1, "JSON nested more than 10000 levels deep at byte"},
		{"JSON nested 100 000 deep as the features", []string{"import", "--db", db, writeFile(t, "deep2.geojson", `{"type":"FeatureCollection","features":`+strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000)+`}`)}, 1, "JSON nested more than 10000 levels deep"},
		{"coordinates nested 100 000 deep", []string{"import", "--db", db, writeFile(t, "deep3.geojson", `{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":`+strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000)+`}}`)}, 1, "JSON nested more than 10000 levels deep"},
		{"objects nested 100 000 deep", []string{"import", "--db", db, writeFile(t, "deep4.geojson", strings.Repeat(`{"a":`, 100_000)+"1"+strings.Repeat("}", 100_000))}, 1, "JSON nested more than 10000 levels deep"},
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

// A restart never duplicates the bundled data nor undoes an edit made since.
func TestSeedingTwiceNeverDuplicates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "seed.db")
	st, _, err := open(ctx, path, testWebConfig())
	if err != nil {
		t.Fatal(err)
	}
	inc, err := st.Incident(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	inc.Title = "Edited after the first start"
	if err := st.UpdateIncident(ctx, &inc); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, _, err = open(ctx, path, testWebConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got, err := st.Incident(ctx, 1); err != nil || got.Title != inc.Title {
		t.Errorf("after a restart: got title %q (%v), want the edit %q kept", got.Title, err, inc.Title)
	}
	if n := countIncidents(t, path); n != 10 {
		t.Errorf("after two starts: got %d incidents, want the 10 bundled ones", n)
	}
}

// A database made by an import before the first start gets the context
// layers, and its incidents their distances; serving it adds no bundled
// incidents.
func TestImportIntoANewDatabaseMeasuresDistances(t *testing.T) {
	db := filepath.Join(t.TempDir(), "new.db")
	file := writeFile(t, "one.geojson", fmt.Sprintf(goodFeature, "Clash"))
	if code, out, stderr := runCLI(t, "import", "--db", db, file); code != 0 {
		t.Fatalf("import: exit %d %s %s", code, out, stderr)
	}
	_, out, _ := runCLI(t, "export", "--db", db)
	for _, p := range []string{`"border_km"`, `"barrier_km"`, `"crossing_km"`} {
		if !strings.Contains(out, p) {
			t.Errorf("the imported incident has no %s: %s", p, out)
		}
	}
	st, _, err := open(context.Background(), db, testWebConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, _ := st.CountIncidents(context.Background()); n != 1 {
		t.Errorf("after the first start: %d incidents, want the one imported", n)
	}
	if n, _ := st.CountLayers(context.Background()); n < 5 {
		t.Errorf("after the first start: %d layers, want the bundled ones", n)
	}
}

func TestCSVExportReimportsToTheSameData(t *testing.T) {
	app := newTestApp(t, "none")
	_, csvBody := get(t, app.URL+"/export/incidents.csv")
	_, before := get(t, app.URL+"/export/incidents.geojson")
	db := filepath.Join(t.TempDir(), "copy.db")
	if code, out, stderr := runCLI(t, "import", "--db", db, writeFile(t, "all.csv", csvBody)); code != 0 {
		t.Fatalf("import CSV: exit %d %s %s", code, out, stderr)
	}
	code, after, _ := runCLI(t, "export", "--db", db)
	if code != 0 {
		t.Fatal("export failed")
	}
	var a, b featureCollection
	json.Unmarshal([]byte(before), &a)
	json.Unmarshal([]byte(after), &b)
	if len(a.Features) != 10 || len(b.Features) != 10 {
		t.Fatalf("got %d and %d features, want 10 each", len(a.Features), len(b.Features))
	}
	for i := range a.Features {
		if a.Features[i].Properties["crossing_km"] == nil || b.Features[i].Properties["border_km"] == nil {
			t.Errorf("feature %d: the distances are missing: %v", i, b.Features[i].Properties)
		}
		for _, p := range []string{"created_at", "updated_at"} {
			delete(a.Features[i].Properties, p) // the copy has new timestamps
			delete(b.Features[i].Properties, p)
		}
		ja, _ := json.Marshal(a.Features[i])
		jb, _ := json.Marshal(b.Features[i])
		if string(ja) != string(jb) {
			t.Errorf("feature %d differs after a CSV round trip:\n%s\n%s", i, ja, jb)
		}
	}
}

func TestImportACLEDStyleCSV(t *testing.T) {
	acled := "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,country,iso,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities\n" +
		"TUN1,2016-03-07,2016,1,Political violence,Battles,Armed clash,Military Forces of Tunisia (2014-2019),,1,Islamic State (Tunisia),Tunisia,788,Medenine,Ben Gardane,33.1378,11.2196,1,Reuters; AFP,Militants attack army and police posts in Ben Gardane.,55\n" +
		"TUN2,2016-03-08,2016,1,Political violence,Battles,Skirmish,X,,1,,Tunisia,788,Medenine,Ben Gardane,33.1378,11.2196,1,Reuters,,\n"
	db := filepath.Join(t.TempDir(), "acled.db")
	code, _, stderr := runCLI(t, "import", "--db", db, writeFile(t, "acled.csv", acled))
	if code != 1 || !strings.Contains(stderr, `row 2 (line 3): invalid incident: sub_event_type: "Skirmish" is not a sub-event type of "Battles"`) {
		t.Fatalf("got exit %d, %q; want row 2 refused", code, stderr)
	}
	acled = strings.Split(acled, "TUN2")[0]
	if code, _, stderr := runCLI(t, "import", "--db", db, writeFile(t, "acled.csv", acled)); code != 0 {
		t.Fatalf("got exit %d, %s", code, stderr)
	}
	_, out, _ := runCLI(t, "export", "--db", db)
	for _, want := range []string{`"title":"Armed clash in Ben Gardane"`, `"country":"TN"`, `"fatalities":55`, `"publisher":"AFP"`} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	os.Remove(db)
}

func TestHelpListsTheCommands(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, stderr := runCLI(t, args...)
		if code != 0 || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		for _, want := range []string{"serve", "import", "export", "backup", "restore", "GeoJSON or CSV"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: the help does not name %q:\n%s", args, want, out)
			}
		}
	}
}

// A server that cannot listen leaves its database alone: no file made, no
// data loaded.
func TestServeBindsItsPortBeforeTouchingTheDatabase(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	db := filepath.Join(t.TempDir(), "new.db")
	code, _, stderr := runCLI(t, "serve", "--addr", l.Addr().String(), "--db", db, "--tiles", "none")
	if code != 1 || !strings.Contains(stderr, "address already in use") {
		t.Errorf("got exit %d, %q; want exit 1 naming the port in use", code, stderr)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the database was made (%v) though the server could not listen", err)
	}
}

// An ACLED file as ACLED writes it: imported, imported again (no duplicate:
// event_id_cnty names the record), exported with ACLED's 31 columns in
// ACLED's order and the same values, then ours. Dates as ACLED's export tool
// writes them ("07 March 2016") import to the same data.
func TestACLEDFileRoundTrips(t *testing.T) {
	fixture := "testdata/acled-tunisia-libya.csv"
	want := readCSV(t, fixture)
	db := filepath.Join(t.TempDir(), "acled.db")
	for i := range 2 {
		code, out, stderr := runCLI(t, "import", "--db", db, fixture)
		if code != 0 {
			t.Fatalf("import %d: exit %d %s %s", i+1, code, out, stderr)
		}
		if wantOut := []string{"10 new, 0 replaced", "0 new, 10 replaced"}[i]; !strings.Contains(out, wantOut) {
			t.Errorf("import %d: got %q, want %q", i+1, out, wantOut)
		}
	}
	if n := countIncidents(t, db); n != 10 {
		t.Errorf("after importing the file twice: %d incidents, want 10", n)
	}
	// The history names the import and its summary.
	if code, _, stderr := runCLI(t, "import", "--db", db, "--author", "acled-sync", "--message", "ACLED weekly update", fixture); code != 0 {
		t.Fatal(stderr)
	}
	hst, _ := store.Open(context.Background(), db)
	hist, err := hst.History(context.Background(), 1)
	hst.Close()
	if err != nil || len(hist) != 3 || hist[0].Author != "import" || hist[0].Summary != "imported from acled-tunisia-libya.csv" ||
		hist[2].Author != "acled-sync" || hist[2].Summary != "ACLED weekly update" {
		t.Errorf("the history of an imported incident: %+v %v", hist, err)
	}
	// The event id is shown on the incident's page and in its GeoJSON.
	st, srv, err := open(context.Background(), db, testWebConfig())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer func() { ts.Close(); st.Close() }()
	if _, page := get(t, ts.URL+"/collections/incidents/items/1", "Accept", browserAccept); !strings.Contains(page, `<dd data-testid="event-id">LBY9001 `) {
		t.Error("the incident page does not show its event_id_cnty")
	}
	if _, one := get(t, ts.URL+"/collections/incidents/items/1"); !strings.Contains(one, `"event_id_cnty":"LBY9001"`) || !strings.Contains(one, `"region":"Northern Africa"`) {
		t.Errorf("the incident's GeoJSON lacks its event_id_cnty or ACLED columns: %.300s", one)
	}
	code, out, stderr := runCLI(t, "export", "--db", db, "--format", "csv")
	if code != 0 {
		t.Fatalf("export: exit %d %s", code, stderr)
	}
	got, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("exported %d lines, want %d", len(got), len(want))
	}
	for i := range want {
		if !slices.Equal(got[i][:len(want[i])], want[i]) {
			t.Errorf("line %d differs in ACLED's columns:\n got %q\nwant %q", i+1, got[i][:len(want[i])], want[i])
		}
	}
	if !slices.Equal(got[0][len(want[0]):], geo.CSVHeader[len(geo.ACLEDHeader):]) {
		t.Errorf("our columns after ACLED's: got %v", got[0][len(want[0]):])
	}

	// ACLED's export tool writes dates as "07 March 2016": the same data.
	tool := strings.Clone(readFile(t, fixture))
	for _, row := range want[1:] {
		d, _ := time.Parse(geo.DateLayout, row[1])
		tool = strings.Replace(tool, ","+row[1]+",", ","+d.Format("02 January 2006")+",", 1)
	}
	if !strings.Contains(tool, "07 March 2016") {
		t.Fatal("the export-tool variant has no such date")
	}
	db2 := filepath.Join(t.TempDir(), "tool.db")
	if code, out, stderr := runCLI(t, "import", "--db", db2, writeFile(t, "tool.csv", tool)); code != 0 {
		t.Fatalf("import with export-tool dates: exit %d %s %s", code, out, stderr)
	}
	if _, out2, _ := runCLI(t, "export", "--db", db2, "--format", "csv"); stripTimes(out2) != stripTimes(out) {
		t.Error("dates as ACLED's export tool writes them import to other data")
	}
}

// --skip-invalid imports the valid rows and lists the rest; without it,
// nothing is imported.
func TestImportSkipInvalid(t *testing.T) {
	bad := strings.Replace(readFile(t, "testdata/acled-tunisia-libya.csv"), "2016-03-21", "31 February 2016", 1)
	file := writeFile(t, "bad.csv", bad)
	db := filepath.Join(t.TempDir(), "skip.db")
	code, _, stderr := runCLI(t, "import", "--db", db, file)
	if code != 1 || !strings.Contains(stderr, "row 9 (line 10): invalid incident: event_date:") || !strings.Contains(stderr, "nothing was imported") {
		t.Errorf("without --skip-invalid: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(db); err == nil && countIncidents(t, db) != 0 {
		t.Error("without --skip-invalid, rows were imported")
	}
	code, out, stderr := runCLI(t, "import", "--skip-invalid", "--db", db, file)
	if code != 0 || !strings.Contains(out, "imported 9 incidents") || !strings.Contains(out, "skipped 1 invalid row") ||
		!strings.Contains(stderr, `row 9 (line 10): invalid incident: event_date: must be a real date as YYYY-MM-DD or as ACLED's export writes it (07 March 2016), got "31 February 2016"`) {
		t.Errorf("with --skip-invalid: exit %d, %q, %q", code, out, stderr)
	}
	if n := countIncidents(t, db); n != 9 {
		t.Errorf("with --skip-invalid: %d incidents, want 9", n)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(readFile(t, path))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// stripTimes drops the created_at and updated_at cells of a CSV export.
func stripTimes(body string) string {
	recs, _ := csv.NewReader(strings.NewReader(body)).ReadAll()
	var b strings.Builder
	for _, r := range recs {
		b.WriteString(strings.Join(r[:len(r)-2], "|") + "\n")
	}
	return b.String()
}

// The first admin is made on the command line, with the password on
// standard input; accounts are listed, changed and disabled there too, and
// a token made there works as a Bearer token until the account is disabled.
func TestUserAndTokenCommands(t *testing.T) {
	app := newTestApp(t, "none")
	db := app.DB
	if code, out, stderr := runCLIInput(t, "a long enough password\n", "user", "add", "--db", db, "--role", "admin", "--password-stdin", "root"); code != 0 || out != "added root (admin)\n" {
		t.Fatalf("user add: exit %d %q %q", code, out, stderr)
	}
	for _, tt := range []struct {
		name, input string
		args        []string
		code        int
		want        string
	}{
		{"short password", "short\n", []string{"user", "add", "--db", db, "--role", "editor", "--password-stdin", "nour"}, 1, "at least 12 characters"},
		{"no --password-stdin", "", []string{"user", "add", "--db", db, "--role", "editor", "nour"}, 1, "--password-stdin"},
		{"bad role", "a long enough password\n", []string{"user", "add", "--db", db, "--role", "boss", "--password-stdin", "nour"}, 1, `unknown role "boss"`},
		{"taken name", "a long enough password\n", []string{"user", "add", "--db", db, "--role", "editor", "--password-stdin", "ROOT"}, 1, "exists already"},
		{"unknown subcommand", "", []string{"user", "frob"}, 2, "unknown subcommand"},
		{"set-role of nobody", "", []string{"user", "set-role", "--db", db, "nobody", "editor"}, 1, `no account named "nobody"`},
		{"token for nobody", "", []string{"token", "create", "--db", db, "--user", "nobody"}, 1, `no account named "nobody"`},
	} {
		code, out, stderr := runCLIInput(t, tt.input, tt.args...)
		if code != tt.code || !strings.Contains(out+stderr, tt.want) {
			t.Errorf("%s: exit %d %q %q; want exit %d and %q", tt.name, code, out, stderr, tt.code, tt.want)
		}
	}
	runCLIInput(t, "another long password\n", "user", "add", "--db", db, "--role", "contributor", "--password-stdin", "sami")
	if code, out, _ := runCLI(t, "user", "set-role", "--db", db, "sami", "editor"); code != 0 || !strings.Contains(out, "sami is now editor") {
		t.Errorf("set-role: %d %q", code, out)
	}
	code, out, _ := runCLI(t, "token", "create", "--db", db, "--user", "sami", "--expires", "24h")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	if code != 0 || !strings.HasPrefix(token, "bw_") {
		t.Fatalf("token create: %d %q", code, out)
	}
	call := func() int {
		res, _ := get(t, app.URL+"/account", "Authorization", "Bearer "+token)
		return res.StatusCode
	}
	if got := call(); got != 200 {
		t.Errorf("the CLI's token: got %d, want 200", got)
	}
	if code, out, _ := runCLI(t, "user", "disable", "--db", db, "sami"); code != 0 || !strings.Contains(out, "disabled sami") {
		t.Errorf("disable: %d %q", code, out)
	}
	if got := call(); got != 401 {
		t.Errorf("the token of a disabled account: got %d, want 401", got)
	}
	if code, out, _ := runCLI(t, "user", "list", "--db", db); code != 0 || !regexp.MustCompile(`(?m)^root\s+admin\s+active`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^sami\s+editor\s+disabled`).MatchString(out) {
		t.Errorf("user list: %q", out)
	}
	if code, out, stderr := runCLIInput(t, "a new long password\n", "user", "password", "--db", db, "--password-stdin", "root"); code != 0 || !strings.Contains(out, "changed the password of root") {
		t.Errorf("user password: %d %q %q", code, out, stderr)
	}
}
