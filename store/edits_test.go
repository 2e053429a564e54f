package store

import (
	"context"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

func TestEditsHistoryRevertAndRestore(t *testing.T) {
	db := openTestDB(t)
	as := func(who, why string) context.Context {
		return geo.WithEdit(context.Background(), geo.Edit{Author: who, Summary: why})
	}
	inc := incidentAt("Clash near Ben Guerdane", orb.Point{11.2, 33.1}, "2016-03-07")
	v1, err := db.AddIncident(as("amira", "from the Reuters report"), &inc)
	if err != nil {
		t.Fatal(err)
	}
	inc.Title, inc.Geometry = "Clash in Ben Guerdane", orb.Point{11.23, 33.13}
	v2, err := db.ReplaceIncident(as("bilel", "place per the AFP report"), &inc, v1)
	if err != nil || v2 == v1 {
		t.Fatalf("replace: %d %v", v2, err)
	}
	// A write against the old version is refused and changes nothing.
	stale := inc
	stale.Title = "a stale edit"
	if _, err := db.ReplaceIncident(as("sami", "stale"), &stale, v1); geo.ErrorKind(err) != geo.EStale {
		t.Errorf("a stale replace: got %v, want stale", err)
	}
	if err := db.DeleteIncidentAt(as("sami", "stale"), inc.ID, v1); geo.ErrorKind(err) != geo.EStale {
		t.Errorf("a stale delete: got %v, want stale", err)
	}
	if got, v, _ := db.IncidentVersion(context.Background(), inc.ID); got.Title != "Clash in Ben Guerdane" || v != v2 {
		t.Errorf("after the stale writes: %q at version %d", got.Title, v)
	}
	time.Sleep(2 * time.Millisecond)
	beforeDelete := time.Now()
	time.Sleep(2 * time.Millisecond)
	if err := db.DeleteIncidentAt(as("amira", "duplicate of incident 4"), inc.ID, v2); err != nil {
		t.Fatal(err)
	}
	deleted, err := db.DeletedIncidents(context.Background())
	if err != nil || len(deleted) != 1 || deleted[0].Author != "amira" || deleted[0].Summary != "duplicate of incident 4" || deleted[0].Incident.Title != "Clash in Ben Guerdane" {
		t.Fatalf("deleted incidents: %+v %v", deleted, err)
	}
	// as_of shows what was public: the incident before its deletion.
	if got, err := db.IncidentAt(context.Background(), inc.ID, beforeDelete); err != nil || got.Title != "Clash in Ben Guerdane" {
		t.Errorf("as of before the deletion: %q %v", got.Title, err)
	}
	// Restoring brings back the first version's content as a new version.
	v4, err := db.RevertIncident(as("amira", "not a duplicate after all"), inc.ID, v1)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := db.History(context.Background(), inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ change, author, title string }{
		{geo.ChangeCreate, "amira", "Clash near Ben Guerdane"},
		{geo.ChangeEdit, "bilel", "Clash in Ben Guerdane"},
		{geo.ChangeDelete, "amira", "Clash in Ben Guerdane"},
		{geo.ChangeRestore, "amira", "Clash near Ben Guerdane"},
	}
	if len(hist) != len(want) {
		t.Fatalf("got %d versions, want %d", len(hist), len(want))
	}
	for i, w := range want {
		if h := hist[i]; h.Change != w.change || h.Author != w.author || h.Incident.Title != w.title {
			t.Errorf("version %d: %s by %s %q, want %s by %s %q", i, h.Change, h.Author, h.Incident.Title, w.change, w.author, w.title)
		}
	}
	if hist[3].ID != v4 || !hist[3].To.IsZero() {
		t.Errorf("the restore is not the current version")
	}
	if d := geo.Diff(hist[0].Incident, hist[1].Incident); len(d) != 2 || d[0].Field != "title" || d[1].New != "moved 4.4 km north-east" {
		t.Errorf("the diff of the edit: %+v", d)
	}
	if len(db.mustDeleted(t)) != 0 {
		t.Error("a restored incident is still listed as deleted")
	}
	db.Close()
	if err := Check(context.Background(), db.path); err != nil {
		t.Error(err)
	}
}

func (db *DB) mustDeleted(t *testing.T) []geo.Version {
	d, err := db.DeletedIncidents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}
