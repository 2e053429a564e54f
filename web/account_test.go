package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/auth"
)

const testPassword = "correct horse battery"

// addUser makes an account in the test app's database.
func addUser(t *testing.T, app *testApp, name string, role geo.Role) geo.User {
	t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u, err := app.Store.AddUser(context.Background(), name, role, hash)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// browserClient keeps cookies and does not follow redirects, as a test of
// what a browser is told.
type browserClient struct {
	*http.Client
	base string
}

func newBrowserClient(t *testing.T, app *testApp) *browserClient {
	jar, _ := cookiejar.New(nil)
	return &browserClient{&http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, app.URL}
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// page GETs a page as a browser and returns its status, body and CSRF token.
func (b *browserClient) page(t *testing.T, path string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	req.Header.Set("Accept", browserAccept)
	res, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	token := ""
	if m := csrfInput.FindStringSubmatch(string(body)); m != nil {
		token = m[1]
	}
	return res.StatusCode, string(body), token
}

// post submits a form as a browser would, with extra headers.
func (b *browserClient) post(t *testing.T, path string, form url.Values, headers ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", browserAccept)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.send(t, req)
}

// send sends req as b, and returns the response and its body.
func (b *browserClient) send(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// signIn signs b in as name and returns the CSRF token of its pages.
func (b *browserClient) signIn(t *testing.T, name, password string) string {
	t.Helper()
	_, _, token := b.page(t, "/login")
	res, body := b.post(t, "/login", url.Values{"_csrf": {token}, "name": {name}, "password": {password}, "next": {"/account"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
		t.Fatalf("sign in as %s: got %d %s", name, res.StatusCode, body)
	}
	return token
}

func TestSignInAndOut(t *testing.T) {
	app := newTestApp(t, "none")
	addUser(t, app, "amira", geo.RoleEditor)
	b := newBrowserClient(t, app)

	// Anonymous: the account page sends to sign in.
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/account", nil)
	req.Header.Set("Accept", browserAccept)
	if res, _ := b.Do(req); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Faccount" {
		t.Errorf("anonymous /account: got %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	// No CSRF token: 403, whatever the password.
	if res, _ := b.post(t, "/login", url.Values{"name": {"amira"}, "password": {testPassword}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("sign in without a CSRF token: got %d, want 403", res.StatusCode)
	}
	_, _, token := b.page(t, "/login")
	// A wrong password and an unknown name read the same.
	_, wrong := b.post(t, "/login", url.Values{"_csrf": {token}, "name": {"amira"}, "password": {"not the password"}})
	_, unknown := b.post(t, "/login", url.Values{"_csrf": {token}, "name": {"nobody"}, "password": {"not the password"}})
	msg := regexp.MustCompile(`data-testid="login-error">([^<]*)<`)
	if m1, m2 := msg.FindStringSubmatch(wrong), msg.FindStringSubmatch(unknown); m1 == nil || m2 == nil || m1[1] != m2[1] {
		t.Errorf("a wrong password and an unknown name differ: %v, %v", m1, m2)
	}
	// A good sign-in: a session cookie, HttpOnly and SameSite=Lax.
	res, _ := b.post(t, "/login", url.Values{"_csrf": {token}, "name": {"Amira"}, "password": {testPassword}, "next": {"//evil.example/"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
		t.Fatalf("sign in: got %d to %q (a next off the site must go to /account)", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == auth.SessionCookie {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure || len(session.Value) < 40 {
		t.Errorf("the session cookie: %+v", session)
	}
	if status, body, _ := b.page(t, "/account"); status != 200 || !strings.Contains(body, "amira") || !strings.Contains(body, "<strong>editor</strong>") {
		t.Errorf("the account page: %d", status)
	}
	// An editor may not manage accounts.
	if status, _, _ := b.page(t, "/accounts"); status != http.StatusForbidden {
		t.Errorf("an editor on /accounts: got %d, want 403", status)
	}
	// Signing out ends the session on the server.
	_, _, token = b.page(t, "/account")
	if res, _ := b.post(t, "/logout", url.Values{"_csrf": {token}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign out: got %d", res.StatusCode)
	}
	if status, _, _ := b.page(t, "/account"); status != http.StatusSeeOther {
		t.Errorf("after signing out: /account got %d, want a redirect to sign in", status)
	}
}

func TestFailedSignInsAreLimited(t *testing.T) {
	app := newTestApp(t, "none")
	addUser(t, app, "amira", geo.RoleEditor)
	b := newBrowserClient(t, app)
	_, _, token := b.page(t, "/login")
	for i := range 10 {
		if res, _ := b.post(t, "/login", url.Values{"_csrf": {token}, "name": {"amira"}, "password": {"wrong password " + string(rune('a'+i))}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d, want 401", i+1, res.StatusCode)
		}
	}
	// The eleventh try is refused even with the right password.
	res, body := b.post(t, "/login", url.Values{"_csrf": {token}, "name": {"amira"}, "password": {testPassword}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "too many failed sign-ins") {
		t.Errorf("after 10 failures: got %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	// Another account from the same address is limited too (per address).
	addUser(t, app, "bilel", geo.RoleEditor)
	if res, _ := b.post(t, "/login", url.Values{"_csrf": {token}, "name": {"bilel"}, "password": {testPassword}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("another account from the same address: got %d, want 429", res.StatusCode)
	}
}

func TestWritesFromOtherSitesAreRefused(t *testing.T) {
	app := newTestApp(t, "none")
	addUser(t, app, "root", geo.RoleAdmin)
	b := newBrowserClient(t, app)
	token := b.signIn(t, "root", testPassword)
	form := url.Values{"_csrf": {token}, "name": {"mallory"}, "role": {"admin"}, "password": {testPassword}}
	for _, h := range [][]string{
		{"Origin", "https://evil.example"},
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
	} {
		if res, _ := b.post(t, "/accounts", form, h...); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %s: got %d, want 403", h[0], h[1], res.StatusCode)
		}
	}
	// Fetch metadata saying same-origin does not stand in for the token.
	if res, _ := b.post(t, "/accounts", url.Values{"name": {"mallory"}, "role": {"admin"}, "password": {testPassword}}, "Sec-Fetch-Site", "same-origin"); res.StatusCode != http.StatusForbidden {
		t.Errorf("same-origin without a token: got %d, want 403", res.StatusCode)
	}
	if _, _, err := app.Store.UserByName(context.Background(), "mallory"); geo.ErrorKind(err) != geo.ENotFound {
		t.Error("a refused write made the account")
	}
	// From this site, with the token, it works.
	if res, body := b.post(t, "/accounts", form, "Origin", app.URL, "Sec-Fetch-Site", "same-origin"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("adding an account: got %d %s", res.StatusCode, body)
	}
}

func TestTokensAndDisabledAccounts(t *testing.T) {
	app := newTestApp(t, "none")
	addUser(t, app, "root", geo.RoleAdmin)
	addUser(t, app, "sami", geo.RoleContributor)
	sami := newBrowserClient(t, app)
	token := sami.signIn(t, "sami", testPassword)
	res, body := sami.post(t, "/account/tokens", url.Values{"_csrf": {token}, "name": {"QGIS"}, "days": {"30"}})
	m := regexp.MustCompile(`data-testid="new-token">(bw_[A-Za-z0-9_-]+)<`).FindStringSubmatch(body)
	if res.StatusCode != http.StatusCreated || m == nil {
		t.Fatalf("create a token: got %d, no token shown", res.StatusCode)
	}
	bearer := func(tok string) int {
		req, _ := http.NewRequest(http.MethodGet, app.URL+"/account", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := bearer(m[1]); got != 200 {
		t.Errorf("the new token: got %d, want 200", got)
	}
	if got := bearer("bw_not-a-token"); got != http.StatusUnauthorized {
		t.Errorf("a wrong token: got %d, want 401", got)
	}
	// The token is shown once: the page lists it without its secret.
	if _, page, _ := sami.page(t, "/account"); strings.Contains(page, m[1]) || !strings.Contains(page, "QGIS") {
		t.Error("the account page shows the token's secret again, or not its name")
	}
	// Disabling the account ends its session and its tokens at once.
	root := newBrowserClient(t, app)
	rootToken := root.signIn(t, "root", testPassword)
	if res, _ := root.post(t, "/accounts/sami/disable", url.Values{"_csrf": {rootToken}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: got %d", res.StatusCode)
	}
	if got := bearer(m[1]); got != http.StatusUnauthorized {
		t.Errorf("the token of a disabled account: got %d, want 401", got)
	}
	if status, _, _ := sami.page(t, "/account"); status != http.StatusSeeOther {
		t.Errorf("the session of a disabled account: got %d, want a redirect to sign in", status)
	}
	// An admin cannot disable or demote themselves.
	if res, _ := root.post(t, "/accounts/root/disable", url.Values{"_csrf": {rootToken}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("disabling oneself: got %d, want 400", res.StatusCode)
	}
	if res, _ := root.post(t, "/accounts/root/role", url.Values{"_csrf": {rootToken}, "role": {"editor"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("demoting oneself: got %d, want 400", res.StatusCode)
	}
	// A short password is refused with the reason.
	if res, body := root.post(t, "/accounts", url.Values{"_csrf": {rootToken}, "name": {"nour"}, "role": {"editor"}, "password": {"short"}}); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "at least 12 characters") {
		t.Errorf("a short password: got %d", res.StatusCode)
	}
}

// Behind an HTTPS proxy (--base-url https://…), the cookies are Secure, and a
// write must come from that origin.
func TestCookiesAreSecureBehindHTTPS(t *testing.T) {
	cfg := testWebConfig()
	cfg.BaseURL = "https://maps.example.org"
	app := newTestAppWith(t, cfg)
	addUser(t, app, "amira", geo.RoleEditor)
	b := newBrowserClient(t, app)
	_, _, token := b.page(t, "/login")
	// The browser's Origin is the public one, not the proxy's upstream.
	res, _ := b.post(t, "/login", url.Values{"_csrf": {token}, "name": {"amira"}, "password": {testPassword}}, "Origin", "https://maps.example.org")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", res.StatusCode)
	}
	for _, c := range res.Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure behind HTTPS", c.Name)
		}
	}
	if res, _ := b.post(t, "/login", url.Values{"_csrf": {token}, "name": {"amira"}, "password": {testPassword}}, "Origin", "http://maps.example.org"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a write from the http origin: got %d, want 403", res.StatusCode)
	}
}

// The editors' form says what is wrong in the reader's language.
func TestFormProblemsInTheReadersLanguage(t *testing.T) {
	app := newTestApp(t, "none")
	addUser(t, app, "amira", geo.RoleEditor)
	b := newBrowserClient(t, app)
	token := b.signIn(t, "amira", testPassword)
	res, body := b.post(t, "/incidents/new?lang=fr", url.Values{"_csrf": {token}, "title": {""}, "event_date": {"2016-03-02"}, "fatalities": {"-3"}, "why": {""}})
	for _, want := range []string{"Rien n’a été enregistré", "ne doit pas être vide", "ne doit pas être négatif", "dites pourquoi"} {
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("a bad form in French: %d, lacks %q", res.StatusCode, want)
		}
	}
}

// Error pages speak the reader's language, their details too.
func TestErrorPagesInTheReadersLanguage(t *testing.T) {
	app := newTestApp(t, "none")
	for path, want := range map[string][]string{
		"/collections/incidents/items/999?lang=ar": {`dir="rtl"`, "غير موجود", "الحادثة 999 غير موجودة"},
		"/no/such/page?lang=fr":                    {"Introuvable", "Il n’y a pas de page à cette adresse."},
	} {
		res, body := get(t, app.URL+path, "Accept", browserAccept)
		for _, w := range want {
			if res.StatusCode != http.StatusNotFound || !strings.Contains(body, w) {
				t.Errorf("%s: %d, lacks %q", path, res.StatusCode, w)
			}
		}
	}
}
