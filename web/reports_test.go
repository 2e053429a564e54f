package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
)

func reportFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/reports/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type draftsFC struct {
	Features []struct {
		ID         int64 `json:"id"`
		Properties struct {
			Title    string         `json:"title"`
			Evidence []geo.Evidence `json:"evidence"`
			Match    int64          `json:"matches_incident"`
			Known    bool           `json:"already_recorded"`
		} `json:"properties"`
	} `json:"features"`
}

func proposalCount(t *testing.T, app *testApp) int {
	t.Helper()
	ps, err := app.Store.Proposals(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(ps)
}

// POST /reports: scripts send a report with a token; a dry run answers the
// drafts and writes nothing; otherwise they wait for review, the report
// kept; the anonymous and bad input are refused with nothing written.
func TestReportsAPI(t *testing.T) {
	app := newTestApp(t, "none")
	token := "Bearer " + tokenFor(t, app, addUser(t, app, "nadia", geo.RoleContributor))
	text := "text/plain; charset=utf-8"

	// Anonymous: 401 before anything is read.
	if res, _ := call(t, app, "POST", "/reports?publisher=x", reportFile(t, "el-amria-article.txt"), "Content-Type", text); res.StatusCode != 401 {
		t.Errorf("anonymous POST /reports: got %d, want 401", res.StatusCode)
	}
	// A dry run of the seed report, by another outlet: seven drafts, each
	// matching the bundled incident it reports, with evidence.
	q := "/reports?dry_run=true&publisher=Another+outlet&published=2016-03-02"
	res, body := call(t, app, "POST", q, reportFile(t, "el-amria-article.txt"), "Authorization", token, "Content-Type", text)
	var fc draftsFC
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &fc) != nil || len(fc.Features) != 7 {
		t.Fatalf("dry run: got %d %.300s", res.StatusCode, body)
	}
	for i, want := range []int64{1, 2, 5, 3, 4, 9, 10} {
		f := fc.Features[i]
		if f.ID != want || f.Properties.Match != want || len(f.Properties.Evidence) < 3 || f.Properties.Known {
			t.Errorf("draft %d: id %d, %d pieces of evidence, known %v; want incident %d, new to it", i, f.ID, len(f.Properties.Evidence), f.Properties.Known, want)
		}
	}
	if n := proposalCount(t, app); n != 0 {
		t.Fatalf("a dry run wrote %d proposals", n)
	}
	// For real: 201, the report's address, seven proposals, nothing public yet.
	res, body = call(t, app, "POST", "/reports?publisher=Another+outlet&published=2016-03-02", reportFile(t, "el-amria-article.txt"), "Authorization", token, "Content-Type", text)
	if res.StatusCode != 201 || !strings.Contains(res.Header.Get("Location"), "/reports/") {
		t.Fatalf("POST /reports: got %d %s", res.StatusCode, body)
	}
	if n := proposalCount(t, app); n != 7 {
		t.Errorf("got %d proposals, want 7", n)
	}
	inc, err := app.Store.Incident(context.Background(), 1)
	if err != nil || len(inc.Sources) != 1 {
		t.Errorf("incident 1 has %d sources before review, want its 1", len(inc.Sources))
	}
	// The seed's own publisher: all of it is recorded already (409), nothing written.
	res, body = call(t, app, "POST", "/reports?publisher=tunisia-tn.com&published=2016-03-02&url="+url.QueryEscape("http://tunisia-tn.com/clashes-in-el-amria-as-militants-cross-into-tunisia-from-libya/"),
		reportFile(t, "el-amria-article.txt"), "Authorization", token, "Content-Type", text)
	if res.StatusCode != 409 || !strings.Contains(body, "recorded already") {
		t.Errorf("the seed again: got %d %s, want 409", res.StatusCode, body)
	}
	// Bad input: a clear problem, nothing written.
	for _, tt := range []struct {
		name, body, ct, query string
		status                int
		says                  string
	}{
		{"empty", "", text, "", 400, "empty"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00", text, "", 400, "not UTF-8"},
		{"French", "Des affrontements ont éclaté le lundi 7 mars à Ben Guerdane entre les forces de sécurité et des terroristes venus de Libye, selon le ministère de l'Intérieur.", text, "", 400, "French"},
		{"50 MB", strings.Repeat("Clashes in Ben Guerdane. ", 50<<20/25), text, "", 413, ""},
		{"a PDF", "%PDF-1.4", "application/pdf", "", 415, "text/plain"},
		{"a bad date", "Clashes broke out in Ben Guerdane.", text, "&published=2016-13-45", 400, "published"},
	} {
		res, body := call(t, app, "POST", "/reports?publisher=x"+tt.query, tt.body, "Authorization", token, "Content-Type", tt.ct)
		if res.StatusCode != tt.status || !strings.Contains(body, tt.says) {
			t.Errorf("%s: got %d %.200s, want %d saying %q", tt.name, res.StatusCode, body, tt.status, tt.says)
		}
	}
	if n := proposalCount(t, app); n != 7 {
		t.Errorf("bad input wrote proposals: %d, want still 7", n)
	}
}

// The "Read a report" page: contributors paste a report, see its drafts
// with their evidence, and propose them; the report's page marks the
// evidence; it refuses a post without a CSRF token and shows others'
// reports to no contributor.
func TestReadAReportPage(t *testing.T) {
	app := newTestApp(t, "none")
	addUser(t, app, "nadia", geo.RoleContributor)
	addUser(t, app, "omar", geo.RoleContributor)
	b := newBrowserClient(t, app)
	token := b.signIn(t, "nadia", testPassword)
	form := url.Values{"_csrf": {token}, "text": {reportFile(t, "ben-guerdane-attack.txt")}, "publisher": {"Test wire"}, "published": {"2016-03-07"}, "action": {"read"}}
	res, body := b.post(t, "/reports/new", form)
	if res.StatusCode != 200 || strings.Count(body, `data-testid="draft"`) != 4 || !strings.Contains(body, `<mark class="ev ev-0"`) || !strings.Contains(body, `data-testid="report-propose"`) {
		t.Fatalf("read: got %d, %d drafts: %.500s", res.StatusCode, strings.Count(body, `data-testid="draft"`), body)
	}
	if n := proposalCount(t, app); n != 0 {
		t.Fatalf("reading wrote %d proposals", n)
	}
	// No CSRF token: 403, nothing written.
	form.Set("action", "propose")
	bad := url.Values{}
	for k, v := range form {
		if k != "_csrf" {
			bad[k] = v
		}
	}
	if res, _ := b.post(t, "/reports/new", bad); res.StatusCode != 403 || proposalCount(t, app) != 0 {
		t.Errorf("propose without a CSRF token: got %d", res.StatusCode)
	}
	res, _ = b.post(t, "/reports/new", form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/reports/") {
		t.Fatalf("propose: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := proposalCount(t, app); n != 4 {
		t.Errorf("got %d proposals, want 4", n)
	}
	where := res.Header.Get("Location")
	status, page, _ := b.page(t, where)
	if status != 200 || strings.Count(page, `data-testid="report-proposal"`) != 4 || !strings.Contains(page, `data-fields="location"`) {
		t.Errorf("%s: got %d %.300s", where, status, page)
	}
	// An editor's review page shows each proposal's evidence in its report.
	addUser(t, app, "amira", geo.RoleEditor)
	e := newBrowserClient(t, app)
	e.signIn(t, "amira", testPassword)
	if status, review, _ := e.page(t, "/review"); status != 200 || strings.Count(review, `data-testid="proposal-evidence"`) != 4 || !strings.Contains(review, `data-fields="event_type"`) {
		t.Errorf("/review: got %d, %d evidence sections: %.400s", status, strings.Count(review, `data-testid="proposal-evidence"`), review)
	}
	// Another contributor may not see it.
	o := newBrowserClient(t, app)
	o.signIn(t, "omar", testPassword)
	if status, _, _ := o.page(t, where); status != 404 {
		t.Errorf("another contributor's GET %s: got %d, want 404", where, status)
	}
	// A file too large: the page says so; nothing is written.
	big := strings.Repeat("Clashes in Ben Guerdane. ", 3<<20/25)
	if res, body := b.postFile(t, "/reports/new", token, "big.txt", big); res.StatusCode != 400 || !strings.Contains(body, "larger than 2 MB") || proposalCount(t, app) != 4 {
		t.Errorf("a 3 MB upload: got %d %.200s", res.StatusCode, body)
	}
	// Script in a report is text on the page, never markup.
	form.Set("text", "Clashes broke out in Ben Guerdane on March 7, 2016 <script>alert(1)</script> between the army and militants.")
	form.Set("action", "read")
	if _, body := b.post(t, "/reports/new", form); strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;") {
		t.Errorf("a report's markup reaches the page unescaped")
	}
}

// postFile uploads a file to the report form, as a browser would.
func (b *browserClient) postFile(t *testing.T, path, csrf, name, content string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", csrf)
	w.WriteField("action", "read")
	w.WriteField("publisher", "x")
	f, _ := w.CreateFormFile("file", name)
	io.WriteString(f, content)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Accept", browserAccept)
	return b.send(t, req)
}
