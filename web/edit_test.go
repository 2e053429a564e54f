package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/auth"
)

// tokenFor makes an API token for an account.
func tokenFor(t *testing.T, app *testApp, u geo.User) string {
	t.Helper()
	token, hash := auth.NewSecret("bw_")
	if _, err := app.Store.CreateToken(context.Background(), u.ID, "test", hash, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	return token
}

// call sends one API request: method, path, body, headers in pairs.
func call(t *testing.T, app *testApp, method, path, body string, header ...string) (*http.Response, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, app.URL+path, r)
	req.Header.Set("Accept", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// featureOf is incident id's GeoJSON with its ETag.
func featureOf(t *testing.T, app *testApp, id string) (string, string) {
	t.Helper()
	res, body := call(t, app, "GET", "/collections/incidents/items/"+id, "")
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", id, res.StatusCode, body)
	}
	return body, res.Header.Get("ETag")
}

func TestEditingOverOGCAPIPart4(t *testing.T) {
	app := newTestApp(t, "none")
	editor := "Bearer " + tokenFor(t, app, addUser(t, app, "amira", geo.RoleEditor))
	gj := "application/geo+json"

	body, etag := featureOf(t, app, "7")
	if !strings.HasPrefix(etag, `"`) {
		t.Fatalf("the item's ETag %q is not strong", etag)
	}
	edited := strings.Replace(body, "Gun attack on a beach resort", "Gun attack on the Riu Imperial Marhaba hotel", 1)
	// PUT needs If-Match: 428 without, 412 when stale, 200 when current.
	if res, _ := call(t, app, "PUT", "/collections/incidents/items/7", edited, "Authorization", editor, "Content-Type", gj); res.StatusCode != 428 {
		t.Errorf("PUT without If-Match: got %d, want 428", res.StatusCode)
	}
	if res, _ := call(t, app, "PUT", "/collections/incidents/items/7", edited, "Authorization", editor, "Content-Type", gj, "If-Match", `"1"`); res.StatusCode != 412 {
		t.Errorf("PUT with a stale If-Match: got %d, want 412", res.StatusCode)
	}
	res, out := call(t, app, "PUT", "/collections/incidents/items/7", edited, "Authorization", editor, "Content-Type", gj, "If-Match", etag,
		"Edit-Summary", "the hotel's name, per Wikipedia")
	if res.StatusCode != 200 || !strings.Contains(out, "Riu Imperial Marhaba") || res.Header.Get("ETag") == etag {
		t.Fatalf("PUT: got %d %s (ETag %s)", res.StatusCode, out, res.Header.Get("ETag"))
	}
	// PATCH with a JSON merge patch.
	etag = res.Header.Get("ETag")
	res, out = call(t, app, "PATCH", "/collections/incidents/items/7", `{"properties":{"injuries":39}}`, "Authorization", editor,
		"Content-Type", "application/merge-patch+json", "If-Match", etag, "Edit-Summary", "injuries per Wikipedia")
	if res.StatusCode != 200 || !strings.Contains(out, `"injuries":39`) || !strings.Contains(out, "Riu Imperial Marhaba") {
		t.Fatalf("PATCH: got %d %s", res.StatusCode, out)
	}
	// A bad body is a 400 naming the field, and nothing is written.
	etag = res.Header.Get("ETag")
	res, out = call(t, app, "PATCH", "/collections/incidents/items/7", `{"properties":{"event_date":"2015-02-30"}}`, "Authorization", editor,
		"Content-Type", "application/merge-patch+json", "If-Match", etag)
	if res.StatusCode != 400 || !strings.Contains(out, `"field":"event_date"`) {
		t.Errorf("a bad PATCH: got %d %s", res.StatusCode, out)
	}
	if _, e := featureOf(t, app, "7"); e != etag {
		t.Error("a refused PATCH changed the incident")
	}
	if res, _ := call(t, app, "PUT", "/collections/incidents/items/7", edited, "Authorization", editor, "Content-Type", "text/plain", "If-Match", etag); res.StatusCode != 415 {
		t.Errorf("PUT as text/plain: got %d, want 415", res.StatusCode)
	}
	// POST creates: 201 with Location and ETag.
	create := strings.Replace(strings.Replace(body, `"id":7,`, "", 1), "Gun attack on a beach resort", "A new incident", 1)
	res, out = call(t, app, "POST", "/collections/incidents/items", create, "Authorization", editor, "Content-Type", gj, "Edit-Summary", "new")
	if res.StatusCode != 201 || res.Header.Get("Location") == "" || res.Header.Get("ETag") == "" {
		t.Fatalf("POST: got %d %s", res.StatusCode, out)
	}
	if res, _ := call(t, app, "GET", strings.TrimPrefix(res.Header.Get("Location"), app.URL), ""); res.StatusCode != 200 {
		t.Errorf("the new incident's Location: got %d", res.StatusCode)
	}
	// DELETE: 204, then 404 for the public; the history keeps every version.
	if res, _ := call(t, app, "DELETE", "/collections/incidents/items/7", "", "Authorization", editor, "If-Match", etag, "Edit-Summary", "test deletion"); res.StatusCode != 204 {
		t.Fatalf("DELETE: got %d", res.StatusCode)
	}
	if res, _ := call(t, app, "GET", "/collections/incidents/items/7", ""); res.StatusCode != 404 {
		t.Errorf("a deleted incident: got %d, want 404", res.StatusCode)
	}
	var hist struct {
		Versions []struct {
			Version int64
			User    string
			Summary string
			Change  string
			Changes []geo.FieldChange
		}
	}
	res, out = call(t, app, "GET", "/collections/incidents/items/7/history", "", "Authorization", editor)
	if res.StatusCode != 200 || json.Unmarshal([]byte(out), &hist) != nil || len(hist.Versions) != 4 {
		t.Fatalf("history: %d %s", res.StatusCode, out)
	}
	if v := hist.Versions[1]; v.User != "amira" || v.Summary != "the hotel's name, per Wikipedia" || v.Change != "edit" || len(v.Changes) != 1 || v.Changes[0].Field != "title" {
		t.Errorf("the PUT's version: %+v", v)
	}
	if v := hist.Versions[3]; v.Change != "delete" || v.Summary != "test deletion" {
		t.Errorf("the deletion: %+v", v)
	}
	// The public cannot read the history.
	if res, _ := call(t, app, "GET", "/collections/incidents/items/7/history", ""); res.StatusCode != 401 {
		t.Errorf("history, anonymous: got %d, want 401", res.StatusCode)
	}
	// Restore the first version: a new version, the incident is back.
	res, out = call(t, app, "POST", "/collections/incidents/items/7/revert?version="+itoa(hist.Versions[0].Version), "", "Authorization", editor, "Edit-Summary", "restored")
	if res.StatusCode != 200 || !strings.Contains(out, "Gun attack on a beach resort") {
		t.Errorf("restore: got %d %s", res.StatusCode, out)
	}
}

func TestContributorsPropose(t *testing.T) {
	app := newTestApp(t, "none")
	editor := "Bearer " + tokenFor(t, app, addUser(t, app, "amira", geo.RoleEditor))
	sami := "Bearer " + tokenFor(t, app, addUser(t, app, "sami", geo.RoleContributor))
	nour := "Bearer " + tokenFor(t, app, addUser(t, app, "nour", geo.RoleContributor))
	gj := "application/geo+json"
	v0, _, _ := app.Store.Version(context.Background())
	body, etag := featureOf(t, app, "1")
	create := strings.Replace(strings.Replace(body, `"id":1,`, "", 1), "Armed clash with militants in El Amria", "Proposed: a second clash", 1)
	res, out := call(t, app, "POST", "/collections/incidents/items", create, "Authorization", sami, "Content-Type", gj, "Edit-Summary", "Mosaique FM, 3 March")
	if res.StatusCode != 202 || !strings.Contains(res.Header.Get("Location"), "/proposals/") {
		t.Fatalf("a contributor's POST: got %d %s", res.StatusCode, out)
	}
	loc := strings.TrimPrefix(res.Header.Get("Location"), app.URL)
	// Invisible to the public everywhere, the data version included.
	for _, path := range []string{"/collections/incidents/items?q=second+clash", "/export/incidents.csv?q=second+clash", "/collections/incidents/stats?q=second+clash"} {
		if _, b := call(t, app, "GET", path, ""); strings.Contains(b, "Proposed: a second clash") || strings.Contains(b, `"numberMatched":1`) {
			t.Errorf("%s shows the proposal", path)
		}
	}
	if v, _, _ := app.Store.Version(context.Background()); v != v0 {
		t.Error("a proposal changed the public data's version (its ETags)")
	}
	// Its author and editors see it; another contributor does not.
	for who, want := range map[string]int{sami: 200, editor: 200, nour: 404, "": 401} {
		if res, _ := call(t, app, "GET", loc, "", "Authorization", who); res.StatusCode != want {
			t.Errorf("GET the proposal as %.12s: got %d, want %d", who, res.StatusCode, want)
		}
	}
	// A contributor may not approve (403) nor delete (403).
	if res, _ := call(t, app, "POST", loc+"/approve", "", "Authorization", sami); res.StatusCode != 403 {
		t.Errorf("a contributor approving: got %d, want 403", res.StatusCode)
	}
	if res, _ := call(t, app, "DELETE", "/collections/incidents/items/1", "", "Authorization", sami, "If-Match", etag); res.StatusCode != 403 {
		t.Errorf("a contributor deleting: got %d, want 403", res.StatusCode)
	}
	// An editor approves: it is public.
	if res, out := call(t, app, "POST", loc+"/approve", "", "Authorization", editor); res.StatusCode != 200 || !strings.Contains(out, "Proposed: a second clash") {
		t.Fatalf("approve: %d %s", res.StatusCode, out)
	}
	if _, b := call(t, app, "GET", "/collections/incidents/items?q=second+clash", ""); !strings.Contains(b, `"numberMatched":1`) {
		t.Error("an approved proposal is not public")
	}
	// A change proposed and rejected: the author reads why.
	change := strings.Replace(body, "Armed clash with militants in El Amria", "Retitled", 1)
	res, _ = call(t, app, "PUT", "/collections/incidents/items/1", change, "Authorization", sami, "Content-Type", gj, "If-Match", etag)
	if res.StatusCode != 202 {
		t.Fatalf("a contributor's PUT: got %d", res.StatusCode)
	}
	loc = strings.TrimPrefix(res.Header.Get("Location"), app.URL)
	if res, out := call(t, app, "POST", loc+"/reject", `{"reason":"the report does not say so"}`, "Authorization", editor, "Content-Type", "application/json"); res.StatusCode != 200 || !strings.Contains(out, `"status":"rejected"`) {
		t.Errorf("reject: %d %s", res.StatusCode, out)
	}
	if _, out := call(t, app, "GET", "/proposals", "", "Authorization", sami); !strings.Contains(out, "the report does not say so") {
		t.Errorf("the author's proposals do not show the reason: %s", out)
	}
	if _, b := featureOf(t, app, "1"); strings.Contains(b, "Retitled") {
		t.Error("a rejected change was published")
	}
}

// The authorisation matrix: every mutating route × every kind of asker.
// Each refused request leaves the data, the proposals and the accounts as
// they were.
func TestAuthorisationMatrix(t *testing.T) {
	app := newTestApp(t, "none")
	ctx := context.Background()
	users := map[string]geo.User{}
	for name, role := range map[string]geo.Role{"sami": geo.RoleContributor, "amira": geo.RoleEditor, "root": geo.RoleAdmin, "gone": geo.RoleEditor, "old": geo.RoleEditor} {
		users[name] = addUser(t, app, name, role)
	}
	tokens := map[string]string{}
	for _, n := range []string{"sami", "amira", "root", "gone", "old"} {
		tokens[n] = tokenFor(t, app, users[n])
	}
	if err := app.Store.SetDisabled(ctx, "gone", true); err != nil {
		t.Fatal(err)
	}
	toks, _ := app.Store.Tokens(ctx, users["old"].ID)
	app.Store.RevokeToken(ctx, users["old"].ID, toks[0].ID)
	// An editor signed in with a cookie, who sends no CSRF token; and an expired session.
	cookieEditor := newBrowserClient(t, app)
	cookieEditor.signIn(t, "amira", testPassword)
	expired, hash := auth.NewSecret("")
	app.Store.CreateSession(ctx, users["amira"].ID, hash, time.Now().Add(-time.Minute))

	type asker struct {
		name   string
		header []string
		client *http.Client
	}
	// Answers as they are, redirects included.
	direct := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	askers := []asker{
		{"anonymous", nil, direct},
		{"contributor", []string{"Authorization", "Bearer " + tokens["sami"]}, direct},
		{"editor", []string{"Authorization", "Bearer " + tokens["amira"]}, direct},
		{"admin", []string{"Authorization", "Bearer " + tokens["root"]}, direct},
		{"cookie without CSRF", nil, cookieEditor.Client},
		{"expired session", []string{"Cookie", auth.SessionCookie + "=" + expired}, direct},
		{"revoked token", []string{"Authorization", "Bearer " + tokens["old"]}, direct},
		{"disabled user", []string{"Authorization", "Bearer " + tokens["gone"]}, direct},
	}
	// Each route makes a fresh request (a current If-Match, an open proposal).
	feature, _ := featureOf(t, app, "3")
	newFeature := strings.Replace(feature, `"id":3,`, "", 1)
	proposal := func() string {
		p := geo.Proposal{AuthorID: users["sami"].ID, Author: "sami", Summary: "x"}
		p.Incident, _ = app.Store.Incident(ctx, 3)
		p.Incident.ID = 0
		if err := app.Store.Propose(ctx, &p); err != nil {
			t.Fatal(err)
		}
		return itoa(p.ID)
	}
	etag := func() string { _, e := featureOf(t, app, "3"); return e }
	routes := []struct {
		name                string
		req                 func() (method, path, body string, header []string)
		contributor, editor int
		admin               int
	}{
		{"POST items", func() (string, string, string, []string) {
			return "POST", "/collections/incidents/items", newFeature, []string{"Content-Type", "application/geo+json"}
		}, 202, 201, 201},
		{"PUT item", func() (string, string, string, []string) {
			return "PUT", "/collections/incidents/items/3", feature, []string{"Content-Type", "application/geo+json", "If-Match", etag()}
		}, 202, 200, 200},
		{"PATCH item", func() (string, string, string, []string) {
			return "PATCH", "/collections/incidents/items/3", `{"properties":{"notes":"x"}}`, []string{"Content-Type", "application/merge-patch+json", "If-Match", etag()}
		}, 202, 200, 200},
		{"DELETE item", func() (string, string, string, []string) {
			inc, _ := app.Store.Incident(ctx, 3)
			inc.ID = 0
			app.Store.CreateIncident(ctx, &inc)
			_, e := featureOf(t, app, itoa(inc.ID))
			return "DELETE", "/collections/incidents/items/" + itoa(inc.ID), "", []string{"If-Match", e}
		}, 403, 204, 204},
		{"revert", func() (string, string, string, []string) {
			h, _ := app.Store.History(ctx, 3)
			return "POST", "/collections/incidents/items/3/revert?version=" + itoa(h[0].ID), "", nil
		}, 403, 200, 200},
		{"approve", func() (string, string, string, []string) {
			return "POST", "/proposals/" + proposal() + "/approve", "", nil
		}, 403, 200, 200},
		{"reject", func() (string, string, string, []string) {
			return "POST", "/proposals/" + proposal() + "/reject", `{"reason":"no"}`, []string{"Content-Type", "application/json"}
		}, 403, 200, 200},
		{"add account", func() (string, string, string, []string) {
			return "POST", "/accounts", url.Values{"name": {"n" + itoa(time.Now().UnixNano())}, "role": {"editor"}, "password": {testPassword}}.Encode(),
				[]string{"Content-Type", "application/x-www-form-urlencoded"}
		}, 403, 403, 303},
		{"disable account", func() (string, string, string, []string) {
			name := "v" + itoa(time.Now().UnixNano())
			addUser(t, app, name, geo.RoleContributor)
			return "POST", "/accounts/" + name + "/disable", "", nil
		}, 403, 403, 303},
		{"create own token", func() (string, string, string, []string) {
			return "POST", "/account/tokens", "name=t&days=1", []string{"Content-Type", "application/x-www-form-urlencoded"}
		}, 201, 201, 201},
	}
	// What a refusal must leave alone.
	state := func() string {
		v, _, _ := app.Store.Version(ctx)
		ps, _ := app.Store.Proposals(ctx, "", 0)
		us, _ := app.Store.Users(ctx)
		open := 0
		for _, p := range ps {
			if p.Status == geo.ProposalOpen {
				open++
			}
		}
		disabled := 0
		for _, u := range us {
			if u.Disabled {
				disabled++
			}
		}
		return itoa(v) + "/" + itoa(int64(len(ps))) + "/" + itoa(int64(open)) + "/" + itoa(int64(len(us))) + "/" + itoa(int64(disabled))
	}
	checked, refused := 0, 0
	for _, r := range routes {
		for _, a := range askers {
			want := map[string]int{"anonymous": 401, "expired session": 401, "revoked token": 401, "disabled user": 401,
				"cookie without CSRF": 403, "contributor": r.contributor, "editor": r.editor, "admin": r.admin}[a.name]
			method, path, body, header := r.req()
			before := state()
			req, _ := http.NewRequest(method, app.URL+path, strings.NewReader(body))
			req.Header.Set("Accept", "application/json")
			for i := 0; i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			for i := 0; i+1 < len(a.header); i += 2 {
				req.Header.Set(a.header[i], a.header[i+1])
			}
			res, err := a.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			checked++
			if res.StatusCode != want {
				t.Errorf("%s as %s: got %d, want %d: %.200s", r.name, a.name, res.StatusCode, want, b)
			}
			if want >= 400 {
				refused++
				if after := state(); after != before {
					t.Errorf("%s as %s was refused but changed the state from %s to %s", r.name, a.name, before, after)
				}
			}
		}
	}
	t.Logf("%d routes × %d askers: %d requests checked, %d refused with nothing written", len(routes), len(askers), checked, refused)
}

// An editor may change a proposal before approving it; the change is what
// is published, still credited to its proposer.
func TestApproveWithEdits(t *testing.T) {
	app := newTestApp(t, "none")
	addUser(t, app, "amira", geo.RoleEditor)
	sami := addUser(t, app, "sami", geo.RoleContributor)
	inc, _ := app.Store.Incident(context.Background(), 1)
	inc.ID, inc.Title = 0, "A proposed clash"
	p := geo.Proposal{AuthorID: sami.ID, Author: "sami", Summary: "from a report", Incident: inc}
	if err := app.Store.Propose(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	b := newBrowserClient(t, app)
	b.signIn(t, "amira", testPassword)
	status, page, token := b.page(t, "/proposals/"+itoa(p.ID)+"/edit")
	if status != 200 || !strings.Contains(page, `value="A proposed clash"`) {
		t.Fatalf("the review form: %d", status)
	}
	form := url.Values{"_csrf": {token}, "title": {"A clash, as the editor words it"}, "event_date": {"2016-03-02"}, "time_precision": {"1"},
		"disorder_type": {"Political violence"}, "event_type": {"Battles"}, "sub_event_type": {"Armed clash"}, "actor1": {"Military Forces of Tunisia"},
		"country": {"TN"}, "lon": {"11.2"}, "lat": {"33.1"}, "geo_precision": {"2"}, "why": {"from a report"},
		"source_publisher": {"tunisia-tn.com"}, "source_url": {"http://tunisia-tn.com/"}}
	res, body := b.post(t, "/proposals/"+itoa(p.ID)+"/approve", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve with edits: %d %.300s", res.StatusCode, body)
	}
	got, _ := app.Store.Proposal(context.Background(), p.ID)
	if got.Status != geo.ProposalApproved {
		t.Fatalf("the proposal is %s", got.Status)
	}
	page2 := getCollection(t, app.URL+"/collections/incidents/items?q=as+the+editor+words+it")
	if page2.NumberMatched != 1 {
		t.Errorf("the edited proposal is not public")
	}
	id, _ := page2.Features[0].ID.Int64()
	hist, _ := app.Store.History(context.Background(), id)
	if len(hist) != 1 || hist[0].Author != "sami" || !strings.Contains(hist[0].Summary, "approved by amira") {
		t.Errorf("the approved version: %+v", hist)
	}
}

// BenchmarkEditOverAPI is one edit end to end over HTTP: GET the item for
// its ETag, PUT it back changed with If-Match (a version written, the R*Tree
// and the history in step), beside the GET alone.
//
//	go test -run '^$' -bench EditOverAPI ./web
func BenchmarkEditOverAPI(b *testing.B) {
	app := newTestApp(b, "none")
	hash, _ := auth.HashPassword(testPassword)
	u, _ := app.Store.AddUser(context.Background(), "amira", geo.RoleEditor, hash)
	token, th := auth.NewSecret("bw_")
	app.Store.CreateToken(context.Background(), u.ID, "bench", th, time.Now().Add(time.Hour))
	get := func() (string, string) {
		res, err := http.Get(app.URL + "/collections/incidents/items/1")
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return string(body), res.Header.Get("ETag")
	}
	b.Run("get", func(b *testing.B) {
		for b.Loop() {
			get()
		}
	})
	b.Run("get+put", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			body, etag := get()
			req, _ := http.NewRequest("PUT", app.URL+"/collections/incidents/items/1", strings.NewReader(strings.Replace(body, `"notes":"`, `"notes":"`+itoa(int64(i))+` `, 1)))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/geo+json")
			req.Header.Set("If-Match", etag)
			res, err := http.DefaultClient.Do(req)
			if err != nil || res.StatusCode != 200 {
				b.Fatalf("PUT: %v %v", res.StatusCode, err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	})
}

// An editor deletes from the edit page; the deletion is listed, and the
// public no longer sees the incident.
func TestDeleteFromTheEditPage(t *testing.T) {
	app := newTestApp(t, "none")
	addUser(t, app, "amira", geo.RoleEditor)
	b := newBrowserClient(t, app)
	b.signIn(t, "amira", testPassword)
	status, page, token := b.page(t, "/collections/incidents/items/5/edit")
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)
	if status != 200 || m == nil || !strings.Contains(page, `data-testid="delete-form"`) {
		t.Fatalf("the edit page: %d", status)
	}
	if res, _ := b.post(t, "/collections/incidents/items/5/delete", url.Values{"_csrf": {token}, "version": {m[1]}}); res.StatusCode != 400 {
		t.Errorf("deleting without a reason: got %d, want 400", res.StatusCode)
	}
	if res, _ := b.post(t, "/collections/incidents/items/5/delete", url.Values{"_csrf": {token}, "version": {m[1]}, "why": {"a duplicate"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: got %d", res.StatusCode)
	}
	if res, _ := call(t, app, "GET", "/collections/incidents/items/5", ""); res.StatusCode != 404 {
		t.Errorf("the deleted incident: got %d, want 404", res.StatusCode)
	}
	if _, page, _ := b.page(t, "/deleted"); !strings.Contains(page, "a duplicate") || !strings.Contains(page, "deleted by amira") {
		t.Error("the deleted list does not show the deletion")
	}
}

// A data response answered from the response cache is never older than
// the data: an edit shows at once, on the same URL.
func TestCachedResponsesFollowTheData(t *testing.T) {
	app := newTestApp(t, "none")
	editor := "Bearer " + tokenFor(t, app, addUser(t, app, "amira", geo.RoleEditor))
	path := "/collections/incidents/items?bbox=11,32,12,34&limit=5"
	_, first := call(t, app, "GET", path, "")
	_, again := call(t, app, "GET", path, "")
	if first != again {
		t.Fatal("the same request, the same data: different bodies")
	}
	body, etag := featureOf(t, app, "1")
	edited := strings.Replace(body, "Armed clash with militants in El Amria", "Armed clash in El Amria, retitled", 1)
	if res, out := call(t, app, "PUT", "/collections/incidents/items/1", edited, "Authorization", editor, "Content-Type", "application/geo+json", "If-Match", etag, "Edit-Summary", "a test"); res.StatusCode != 200 {
		t.Fatalf("PUT: %d %s", res.StatusCode, out)
	}
	if _, after := call(t, app, "GET", path, ""); !strings.Contains(after, "retitled") {
		t.Errorf("after an edit the same URL still answers the old data")
	}
}
