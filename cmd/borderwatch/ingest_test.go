package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store"
)

func proposalsIn(t *testing.T, path string) []geo.Proposal {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ps, err := st.Proposals(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// borderwatch ingest: --dry-run prints the drafts as GeoJSON, matched to
// the bundled incidents, and writes nothing; without it, the drafts of a
// report wait for review as the account --as; bad input writes nothing.
func TestIngestCLI(t *testing.T) {
	app := newTestApp(t, "none") // a database with the bundled dataset
	db := app.DB
	addAccount(t, app, "sami", geo.RoleContributor)
	seed := "../../geo/report/testdata/el-amria-article.txt"
	attack := "../../geo/report/testdata/reports/ben-guerdane-attack.txt"

	code, out, errs := runCLI(t, "ingest", "--db", db, "--dry-run", "--publisher", "tunisia-tn.com", "--published", "2016-03-02", seed)
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			ID         int64          `json:"id"`
			Geometry   map[string]any `json:"geometry"`
			Properties struct {
				Title    string         `json:"title"`
				Evidence []geo.Evidence `json:"evidence"`
				Known    bool           `json:"already_recorded"`
			} `json:"properties"`
		} `json:"features"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &fc) != nil || fc.Type != "FeatureCollection" || len(fc.Features) != 7 {
		t.Fatalf("dry run: exit %d, %s %.300s", code, errs, out)
	}
	for i, want := range []int64{1, 2, 5, 3, 4, 9, 10} {
		if f := fc.Features[i]; f.ID != want || !f.Properties.Known || len(f.Properties.Evidence) < 3 || f.Geometry == nil {
			t.Errorf("draft %d: id %d, known %v, %d evidence; want bundled incident %d", i, f.ID, f.Properties.Known, len(f.Properties.Evidence), want)
		}
	}
	if ps := proposalsIn(t, db); len(ps) != 0 {
		t.Fatalf("a dry run wrote %d proposals", len(ps))
	}
	// A dry run against no database creates none.
	missing := filepath.Join(t.TempDir(), "none.db")
	if code, out, _ := runCLI(t, "ingest", "--db", missing, "--dry-run", "--published", "2016-03-02", seed); code != 0 || !strings.Contains(out, "Armed clash") || fileExists(missing) {
		t.Errorf("a dry run with no database: exit %d, created %v", code, fileExists(missing))
	}
	// Proposing needs an account.
	if code, _, errs := runCLI(t, "ingest", "--db", db, "--publisher", "Test wire", attack); code != 2 || !strings.Contains(errs, "--as") {
		t.Errorf("without --as: exit %d, %s", code, errs)
	}
	if code, _, errs := runCLI(t, "ingest", "--db", db, "--as", "nobody", "--publisher", "Test wire", attack); code != 1 || !strings.Contains(errs, "nobody") {
		t.Errorf("--as an unknown account: exit %d, %s", code, errs)
	}
	code, out, errs = runCLI(t, "ingest", "--db", db, "--as", "sami", "--publisher", "Test wire", "--published", "2016-03-07", attack)
	if code != 0 || !strings.Contains(out, "4 draft(s) proposed") {
		t.Fatalf("ingest: exit %d, %s %s", code, out, errs)
	}
	ps := proposalsIn(t, db)
	if len(ps) != 4 || ps[0].Author != "sami" || ps[0].ReportID == 0 || len(ps[0].Evidence) == 0 || ps[0].Status != geo.ProposalOpen {
		t.Fatalf("got %d proposals: %+v", len(ps), ps)
	}
	// Bad input: a clear message, nothing written; a good file beside a bad
	// one is still read.
	empty := writeFile(t, "empty.txt", "")
	french := writeFile(t, "fr.txt", "Des affrontements ont éclaté le lundi 7 mars à Ben Guerdane entre les forces de sécurité et des terroristes venus de Libye.")
	binary := writeFile(t, "x.bin", "\x00\x01\x02PNG")
	code, _, errs = runCLI(t, "ingest", "--db", db, "--as", "sami", "--publisher", "x", "--published", "2016-03-07", empty, french, binary, "no-such-file.txt")
	for _, want := range []string{"empty.txt: the report is empty", "fr.txt: the report reads as French", "x.bin: the report is not UTF-8 text", "no-such-file.txt"} {
		if !strings.Contains(errs, want) {
			t.Errorf("bad input: exit %d, %q lacks %q", code, errs, want)
		}
	}
	if code != 1 || len(proposalsIn(t, db)) != 4 {
		t.Errorf("bad input: exit %d, %d proposals; want 1, still 4", code, len(proposalsIn(t, db)))
	}
	if code, _, errs := runCLI(t, "ingest", "--db", db, "--dry-run", "--published", "7 March", attack); code != 1 || !strings.Contains(errs, "YYYY-MM-DD") {
		t.Errorf("a bad --published: exit %d, %s", code, errs)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
