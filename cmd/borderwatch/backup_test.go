package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/store"
)

// Drill: a backup taken while the server writes is whole and consistent;
// restored, it exports byte for byte as the backup does; restored into a
// live database, the live data becomes the backup's.
func TestBackupDuringWritesThenRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	st, _, err := open(ctx, live, testWebConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	template, err := st.Incident(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	// The server's writes, going on throughout.
	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			inc := template
			inc.ID = 0
			if err := st.CreateIncident(ctx, &inc); err != nil {
				t.Errorf("a write during the backup failed: %v", err)
				return
			}
			written.Add(1)
		}
	}()
	for written.Load() < 20 { // let some writes land first
		time.Sleep(time.Millisecond)
	}
	before := 10 + int(written.Load())
	mid := filepath.Join(dir, "mid.db")
	code, out, stderr := runCLI(t, "backup", "--db", live, mid)
	after := 10 + int(written.Load())
	close(stop)
	wg.Wait()
	if code != 0 || !strings.Contains(out, "integrity ok") {
		t.Fatalf("backup during writes: exit %d, %s %s", code, out, stderr)
	}
	if err := store.Check(ctx, mid); err != nil {
		t.Errorf("the backup taken during writes: %v", err)
	}
	if n := countIncidents(t, mid); n < before || n > after {
		t.Errorf("the backup holds %d incidents, want between %d and %d", n, before, after)
	}
	t.Logf("%d writes while the backup ran; it holds %d incidents", after-before, countIncidents(t, mid))

	// Restored into a new file, the copy exports as the backup does.
	restored := filepath.Join(dir, "restored.db")
	if code, out, stderr := runCLI(t, "restore", "--db", restored, mid); code != 0 {
		t.Fatalf("restore: exit %d, %s %s", code, out, stderr)
	}
	_, fromBackup, _ := runCLI(t, "export", "--db", mid)
	_, fromRestored, _ := runCLI(t, "export", "--db", restored)
	if fromBackup == "" || fromBackup != fromRestored {
		t.Errorf("the restored copy exports %d bytes, the backup %d: want them identical", len(fromRestored), len(fromBackup))
	}

	// With the writes over, a backup is the live data, byte for byte.
	quiet := filepath.Join(dir, "quiet.db")
	if code, _, stderr := runCLI(t, "backup", "--db", live, quiet); code != 0 {
		t.Fatal(stderr)
	}
	_, liveExport, _ := runCLI(t, "export", "--db", live)
	_, quietExport, _ := runCLI(t, "export", "--db", quiet)
	if liveExport != quietExport {
		t.Error("a backup of a quiet database does not export as the database does")
	}

	// Restored into the live database (still open), the data is the backup's.
	if code, _, stderr := runCLI(t, "restore", "--db", live, mid); code != 0 {
		t.Fatal(stderr)
	}
	if n, _ := st.CountIncidents(ctx); n != countIncidents(t, mid) {
		t.Errorf("after restoring into the live database: the server sees %d incidents, want the backup's %d", n, countIncidents(t, mid))
	}
	if _, liveExport, _ = runCLI(t, "export", "--db", live); liveExport != fromBackup {
		t.Error("after restoring into the live database, it does not export as the backup does")
	}
	if err := store.Check(ctx, live); err != nil {
		t.Error(err)
	}
}

func TestBackupAndRestoreRefuse(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	st, _, err := open(context.Background(), live, testWebConfig())
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	notDB := writeFile(t, "notes.txt", "not a database\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"backup over a file", []string{"backup", "--db", live, notDB}, "exists: a backup never overwrites a file"},
		{"backup of nothing", []string{"backup", "--db", filepath.Join(dir, "none.db"), filepath.Join(dir, "x.db")}, "no database at"},
		{"restore from a text file", []string{"restore", "--db", live, notDB}, "nothing was restored"},
		{"restore from nothing", []string{"restore", "--db", live, filepath.Join(dir, "none.db")}, "nothing was restored"},
		{"backup without a file", []string{"backup", "--db", live}, "Usage: borderwatch backup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code == 0 || !strings.Contains(stderr, tt.want) {
				t.Errorf("got exit %d, %q; want a failure saying %q", code, stderr, tt.want)
			}
		})
	}
	if b, _ := os.ReadFile(notDB); string(b) != "not a database\n" {
		t.Error("a refused backup changed the file it was pointed at")
	}
	if n := countIncidents(t, live); n != 10 {
		t.Errorf("after refused restores: got %d incidents, want the 10 there were", n)
	}
}
