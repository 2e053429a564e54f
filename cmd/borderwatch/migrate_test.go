package main

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/data"
	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store"
	"github.com/borderwatch/borderwatch/store/storetest"
	"github.com/paulmach/orb"
)

// A SQLite database with history, accounts, a token, a report's proposal
// and a deletion goes into PostgreSQL and back out into a new SQLite file:
// the exports' checksums, every incident's history, the accounts and the
// review queue come out the same, and the copies go on working (writes
// get new ids past the copied ones).
func TestMigrateBetweenSQLiteAndPostgreSQL(t *testing.T) {
	pg := storetest.Postgres(t)
	ctx := context.Background()
	dir := t.TempDir()
	orig := filepath.Join(dir, "orig.db")
	st, err := store.Open(ctx, orig)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := data.Seed(ctx, st); err != nil {
		t.Fatal(err)
	}
	u, err := st.AddUser(ctx, "amira", geo.RoleEditor, "$2a$10$hash")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateToken(ctx, u.ID, "qgis", "tokenhash", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	beforeEdit := time.Now()
	time.Sleep(2 * time.Millisecond)
	edit := geo.WithEdit(ctx, geo.Edit{Author: "amira", Summary: "the hotel's name"})
	inc, v, err := st.IncidentVersion(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	inc.Title = "Attack on the Riu Imperial Marhaba hotel"
	if _, err := st.ReplaceIncident(edit, &inc, v); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteIncidentAt(edit, 3, 0); err != nil {
		t.Fatal(err)
	}
	draft := inc
	draft.ID, draft.Title = 0, "A draft from a report"
	if err := st.ProposeReport(ctx, &geo.Report{Text: "text", Publisher: "TAP", AuthorID: u.ID, Author: "amira"},
		[]geo.Proposal{{AuthorID: u.ID, Author: "amira", Summary: "from a report", Incident: draft}}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	back := filepath.Join(dir, "back.db")
	for _, step := range [][2]string{{orig, pg}, {pg, back}} {
		code, out, errOut := runCLI(t, "migrate", "--from", step[0], "--to", step[1])
		if code != 0 || !strings.Contains(out, "the same from both") || !strings.Contains(out, "incident_versions") {
			t.Fatalf("migrate %s → %s: exit %d\n%s%s", engine(step[0]), engine(step[1]), code, out, errOut)
		}
		t.Logf("migrate %s → %s:\n%s", engine(step[0]), engine(step[1]), out)
	}
	// Into a database that holds data: refused, nothing written.
	if code, _, errOut := runCLI(t, "migrate", "--from", orig, "--to", back); code == 0 || !strings.Contains(errOut, "not empty") {
		t.Errorf("migrate into a full database: exit %d, %s", code, errOut)
	}

	a, b, p := openStore(t, orig), openStore(t, back), openStore(t, pg)
	for _, id := range []int64{3, 7} {
		ha, _ := a.History(ctx, id)
		hb, _ := b.History(ctx, id)
		hp, _ := p.History(ctx, id)
		if len(ha) < 2 || !reflect.DeepEqual(ha, hb) || !reflect.DeepEqual(ha, hp) {
			t.Errorf("incident %d's history differs after the round trip:\n%+v\n%+v", id, ha, hb)
		}
	}
	// Pinned views read the copied versions (on SQLite, through the R*Tree
	// rebuilt for them) as the original does.
	region := orb.Bound{Min: orb.Point{7, 19}, Max: orb.Point{26, 38}}
	for _, pin := range []time.Time{beforeEdit, time.Now()} {
		var pages [][]string
		for _, db := range []store.DB{a, b, p} {
			page, err := db.Incidents(ctx, geo.Filter{AsOf: pin, BBox: &region, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			titles := []string{fmt.Sprint(page.NumberMatched)}
			for _, inc := range page.Incidents {
				titles = append(titles, inc.Title)
			}
			pages = append(pages, titles)
		}
		if !slices.Equal(pages[0], pages[1]) || !slices.Equal(pages[0], pages[2]) || slices.Contains(pages[0], inc.Title) == pin.Equal(beforeEdit) {
			t.Errorf("the view as of %s differs after the round trip:\n%q\n%q\n%q", pin, pages[0], pages[1], pages[2])
		}
	}
	for _, db := range []store.DB{b, p} {
		if got, _, err := db.UserByName(ctx, "AMIRA"); err != nil || got.ID != u.ID {
			t.Errorf("%s: the account: %+v %v", db.Engine(), got, err)
		}
		if user, err := db.TokenUser(ctx, "tokenhash"); err != nil || user.Name != "amira" {
			t.Errorf("%s: the token signs in no one: %v", db.Engine(), err)
		}
		ps, err := db.Proposals(ctx, geo.ProposalOpen, 0)
		if err != nil || len(ps) != 1 || ps[0].ReportID == 0 || ps[0].Incident.Title != "A draft from a report" {
			t.Errorf("%s: the review queue: %+v %v", db.Engine(), ps, err)
		}
		if del, _ := db.DeletedIncidents(ctx); len(del) != 1 || del[0].Incident.ID != 3 {
			t.Errorf("%s: deleted incidents: %+v", db.Engine(), del)
		}
		// The copy takes new writes, with ids after the copied ones.
		fresh := inc
		fresh.ID = 0
		if _, err := db.AddIncident(ctx, &fresh); err != nil || fresh.ID <= 10 {
			t.Errorf("%s: a new incident after the copy: id %d, %v", db.Engine(), fresh.ID, err)
		}
	}
}

func engine(addr string) string {
	if store.IsPostgres(addr) {
		return "postgres"
	}
	return "sqlite"
}

func openStore(t *testing.T, addr string) store.DB {
	t.Helper()
	st, err := store.Open(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
