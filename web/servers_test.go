package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/storetest"
)

// Two app servers on one PostgreSQL database, as behind a load balancer:
// each sees the other's writes at once, and of two racing edits of one
// incident one wins and the other is refused; no update is lost.
func TestTwoServersOnOneDatabase(t *testing.T) {
	addr := storetest.Postgres(t)
	a := newTestAppOn(t, addr, testWebConfig())
	b := newTestAppOn(t, addr, testWebConfig()) // finds the data seeded: seeds nothing
	if n, _ := b.Store.CountIncidents(t.Context()); n != 10 {
		t.Fatalf("the second server sees %d incidents, want the 10 seeded once", n)
	}
	editor := "Bearer " + tokenFor(t, a, addUser(t, a, "amira", geo.RoleEditor))
	gj := "application/geo+json"

	// A write through one server is read through the other at once: the
	// item, the collection's ETag, and a token made on the first.
	list, _ := call(t, b, "GET", "/collections/incidents/items", "")
	body, etag := featureOf(t, b, "7")
	edited := strings.Replace(body, "Gun attack on a beach resort", "Attack on the Riu Imperial Marhaba hotel", 1)
	res, out := call(t, b, "PUT", "/collections/incidents/items/7", edited, "Authorization", editor, "Content-Type", gj, "If-Match", etag)
	if res.StatusCode != 200 {
		t.Fatalf("PUT through b with a's token: %d %s", res.StatusCode, out)
	}
	if got, e := featureOf(t, a, "7"); !strings.Contains(got, "Riu Imperial Marhaba") || e != res.Header.Get("ETag") {
		t.Errorf("a does not see b's write at once (ETag %s, b's %s)", e, res.Header.Get("ETag"))
	}
	if res, _ := call(t, a, "GET", "/collections/incidents/items", ""); res.Header.Get("ETag") == list.Header.Get("ETag") {
		t.Error("a's collection ETag did not change with b's write")
	}

	// Racing edits with the same If-Match, one through each server.
	for round := range 5 {
		body, etag := featureOf(t, a, "7")
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for i, app := range []*testApp{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				edit := strings.Replace(body, "Marhaba hotel", fmt.Sprintf("Marhaba hotel (round %d, server %d)", round, i), 1)
				res, _ := call(t, app, "PUT", "/collections/incidents/items/7", edit, "Authorization", editor, "Content-Type", gj, "If-Match", etag)
				codes[i] = res.StatusCode
			}()
		}
		wg.Wait()
		won, refused := 0, 0
		for _, c := range codes {
			switch c {
			case http.StatusOK:
				won++
			case http.StatusPreconditionFailed, http.StatusConflict:
				refused++
			}
		}
		if won != 1 || refused != 1 {
			t.Fatalf("round %d: racing edits got %v, want one 200 and one 412 or 409", round, codes)
		}
	}
	hist, err := a.Store.History(t.Context(), 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1+1+5 { // seeded, b's edit, one winner a round
		t.Errorf("history has %d versions, want 7: an edit was lost or doubled", len(hist))
	}
}
