package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/store"
)

// TestMain lets a test run this test binary as the borderwatch command, in
// a process of its own that it can kill: with BORDERWATCH_RUN_MAIN=1 the
// arguments are the command's.
func TestMain(m *testing.M) {
	if os.Getenv("BORDERWATCH_RUN_MAIN") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// command is borderwatch with args, run as a process of its own.
func command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "BORDERWATCH_RUN_MAIN=1")
	return cmd
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// Drill: kill -9 at any moment of a large import leaves the database as it
// was before or as it is after, never between: it opens, passes SQLite's
// integrity check, and its R*Tree and versions are in step with its rows.
// BORDERWATCH_CRASH_ROWS and BORDERWATCH_CRASH_KILLS change its size.
func TestKillDuringImportLeavesBeforeOrAfter(t *testing.T) {
	if testing.Short() {
		t.Skip("a drill of large imports")
	}
	rows, kills := 200_000, 6
	if v, err := strconv.Atoi(os.Getenv("BORDERWATCH_CRASH_ROWS")); err == nil && v > 0 {
		rows = v
	}
	if v, err := strconv.Atoi(os.Getenv("BORDERWATCH_CRASH_KILLS")); err == nil && v > 0 {
		kills = v
	}
	killDuringImport(t, rows, kills, true)
}

// The same drill for an import into a new file, which writes the file
// directly under a rollback journal (sqlite.Alone): killed, it is rolled
// back from the journal when the file is next opened.
func TestKillDuringImportIntoNewFile(t *testing.T) {
	if testing.Short() {
		t.Skip("a drill of large imports")
	}
	killDuringImport(t, 40_000, 4, false)
}

// killDuringImport imports rows synthetic incidents once to the end, then
// kills the same import at kills moments spread over its run, into a copy
// of the bundled dataset (existing) or into a new file.
func killDuringImport(t *testing.T, rows, kills int, existing bool) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "import.geojson")
	writeSynthetic(t, file, rows, "geojson", 1)
	before, n0 := "", 0
	if existing {
		before = filepath.Join(dir, "before.db")
		st, _, err := open(ctx, before, testWebConfig()) // the bundled dataset
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		n0 = countIncidents(t, before)
	}
	fresh := func(db string) {
		if before != "" {
			copyFile(t, before, db)
		}
	}

	// One import left to finish: how long it takes, and what "after" is.
	done := filepath.Join(dir, "done.db")
	fresh(done)
	start := time.Now()
	if out, err := command("import", "--db", done, file).CombinedOutput(); err != nil {
		t.Fatalf("the import to compare with: %v\n%s", err, out)
	}
	full := time.Since(start)
	n1 := countIncidents(t, done)
	if n1 != n0+rows {
		t.Fatalf("a whole import: %d incidents, want %d", n1, n0+rows)
	}
	if err := store.Check(ctx, done); err != nil {
		t.Fatalf("a whole import: %v", err)
	}
	t.Logf("%d rows import in %s; before %d incidents, after %d", rows, full.Round(time.Millisecond), n0, n1)

	// Killed at moments spread over the whole run, parsing to commit.
	seen, journals := map[int]int{}, 0
	seed := uint64(time.Now().UnixNano())
	r := rand.New(rand.NewPCG(seed, 0))
	t.Logf("kill moments from seed %d", seed)
	for k := range kills {
		// One moment in each of kills equal slots of the run.
		at := time.Duration(float64(full) * (float64(k) + r.Float64()) / float64(kills))
		db := filepath.Join(dir, fmt.Sprintf("kill%d.db", k))
		fresh(db)
		cmd := command("import", "--db", db, file)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(at)
		cmd.Process.Kill() // SIGKILL
		cmd.Wait()
		if _, err := os.Stat(db + "-journal"); err == nil {
			journals++ // a rollback journal: the file was being written directly
		}
		// The database opens (the WAL is recovered, or the journal rolled
		// back), it is whole and in step.
		st, err := store.Open(ctx, db)
		if err != nil {
			t.Fatalf("kill at %s: the database does not open: %v", at, err)
		}
		n, err := st.CountIncidents(ctx)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Check(ctx, db); err != nil {
			t.Errorf("kill at %s: %v", at, err)
		}
		if n != n0 && n != n1 {
			t.Errorf("kill at %s: %d incidents, want %d (before) or %d (after)", at, n, n0, n1)
		}
		seen[n]++
		t.Logf("killed at %s (%.0f%% of the run): %d incidents, integrity ok", at.Round(time.Millisecond), 100*float64(at)/float64(full), n)
	}
	t.Logf("outcomes: %d before, %d after; %d kills left a rollback journal", seen[n0], seen[n1], journals)
	if !existing && journals == 0 {
		t.Error("no kill left a rollback journal: the import into a new file did not write it directly")
	}
	if existing && journals > 0 {
		t.Error("an import into a database with incidents wrote it directly, not through the write-ahead log")
	}
}
