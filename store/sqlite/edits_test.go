package sqlite

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

// A proposal is invisible until approved; approval publishes it as a
// version by its author; a rejected one keeps its reason.
func TestProposalsWaitForReview(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	sami, _ := db.AddUser(ctx, "sami", geo.RoleContributor, "h")
	inc := incidentAt("Proposed clash", orb.Point{11.2, 33.1}, "2016-03-07")
	p := geo.Proposal{AuthorID: sami.ID, Author: "sami", Summary: "from a Mosaique FM report", Incident: inc}
	if err := db.Propose(ctx, &p); err != nil {
		t.Fatal(err)
	}
	v0, _, _ := db.Version(ctx)
	if n, _ := db.CountIncidents(ctx); n != 0 {
		t.Errorf("a proposal is counted as an incident")
	}
	if page, _ := db.Incidents(ctx, geo.Filter{}); page.NumberMatched != 0 {
		t.Errorf("a proposal is listed")
	}
	open, _ := db.Proposals(ctx, geo.ProposalOpen, 0)
	if len(open) != 1 || open[0].Incident.Title != "Proposed clash" {
		t.Fatalf("open proposals: %+v", open)
	}
	got, err := db.ApproveProposal(ctx, p.ID, "amira", nil)
	if err != nil || got.ID == 0 {
		t.Fatalf("approve: %+v %v", got, err)
	}
	if v, _, _ := db.Version(ctx); v <= v0 {
		t.Error("an approval did not change the data version")
	}
	hist, _ := db.History(ctx, got.ID)
	if len(hist) != 1 || hist[0].Author != "sami" || hist[0].Summary != "from a Mosaique FM report (proposed by sami, approved by amira)" {
		t.Errorf("the approved version: %+v", hist)
	}
	if _, err := db.ApproveProposal(ctx, p.ID, "amira", nil); geo.ErrorKind(err) != geo.EConflict {
		t.Errorf("approving twice: got %v, want a conflict", err)
	}
	// A change proposed against an old version is stale.
	_, v1, _ := db.IncidentVersion(ctx, got.ID)
	change := got
	change.Title = "A clash, retitled"
	q := geo.Proposal{IncidentID: got.ID, BaseVersion: v1, AuthorID: sami.ID, Author: "sami", Summary: "title", Incident: change}
	if err := db.Propose(ctx, &q); err != nil {
		t.Fatal(err)
	}
	got.Title = "Edited meanwhile"
	if _, err := db.ReplaceIncident(geo.WithEdit(ctx, geo.Edit{Author: "amira"}), &got, v1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ApproveProposal(ctx, q.ID, "amira", nil); geo.ErrorKind(err) != geo.EStale {
		t.Errorf("approving a stale change: got %v, want stale", err)
	}
	if err := db.RejectProposal(ctx, q.ID, "amira", "the incident was retitled meanwhile"); err != nil {
		t.Fatal(err)
	}
	mine, _ := db.Proposals(ctx, "", sami.ID)
	if len(mine) != 2 || mine[0].Status != geo.ProposalRejected || mine[0].Reason != "the incident was retitled meanwhile" {
		t.Errorf("sami's proposals: %+v", mine)
	}
}
