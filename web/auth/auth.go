// Package auth signs people in and tells who is asking: passwords
// (bcrypt), server-side sessions in a cookie, API tokens, roles checked per
// route, CSRF protection for cookie-authenticated writes, and a limit on
// failed logins. Secrets are only ever stored hashed.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"
)

// SessionCookie names the session cookie.
const SessionCookie = "bw_session"

// HashPassword hashes a new password with bcrypt, after checking its length.
func HashPassword(pw string) (string, error) {
	if err := geo.ValidatePassword(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// dummyHash is compared against when there is no such account, so that a
// wrong name takes as long as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such account, no such password"), bcrypt.DefaultCost)

// CheckPassword reports whether pw matches hash ("" compares against a dummy).
func CheckPassword(hash, pw string) bool {
	if hash == "" {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// NewSecret makes a random secret of 256 bits (a session id or an API
// token, prefixed) and the hash under which it is stored.
func NewSecret(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret is how a secret is stored and looked up: SHA-256, enough for
// 256 random bits.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

type userKey struct{}
type viaKey struct{}

// Via says how a request was authenticated.
type Via int

const (
	Anonymous Via = iota
	BySession     // the session cookie: writes need a CSRF token
	ByToken       // Authorization: Bearer
)

// WithUser records who is asking, and how.
func WithUser(ctx context.Context, u geo.User, via Via) context.Context {
	return context.WithValue(context.WithValue(ctx, userKey{}, u), viaKey{}, via)
}

// UserOf returns who is asking, if anyone signed in.
func UserOf(ctx context.Context) (geo.User, bool) {
	u, ok := ctx.Value(userKey{}).(geo.User)
	return u, ok
}

// ViaOf says how the request was authenticated.
func ViaOf(ctx context.Context) Via {
	v, _ := ctx.Value(viaKey{}).(Via)
	return v
}

// Identify finds who is asking: a Bearer token (which must be valid: a
// wrong one is a 401, never anonymous) or a session cookie (an expired or
// unknown one is anonymous, and the cookie is cleared).
func Identify(accounts geo.Accounts) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			ctx := r.Context()
			if h := r.Header.Get(echo.HeaderAuthorization); h != "" {
				token, ok := strings.CutPrefix(h, "Bearer ")
				if !ok || token == "" {
					return geo.Errorf(geo.EUnauthorized, "the Authorization header must be \"Bearer\" and a token")
				}
				u, err := accounts.TokenUser(ctx, HashSecret(strings.TrimSpace(token)))
				if err != nil {
					return err
				}
				c.SetRequest(r.WithContext(WithUser(ctx, u, ByToken)))
				return next(c)
			}
			if ck, err := r.Cookie(SessionCookie); err == nil && ck.Value != "" {
				u, err := accounts.SessionUser(ctx, HashSecret(ck.Value))
				switch {
				case err == nil:
					c.SetRequest(r.WithContext(WithUser(ctx, u, BySession)))
				case geo.ErrorKind(err) == geo.EUnauthorized:
					ClearSession(c, false)
				default:
					return err
				}
			}
			return next(c)
		}
	}
}

// Require lets through only people with at least role min: anonymous
// requests get 401, lesser roles 403.
func Require(min geo.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u, ok := UserOf(c.Request().Context())
			if !ok {
				return geo.Errorf(geo.EUnauthorized, "sign in first")
			}
			if !u.Role.AtLeast(min) {
				return geo.Errorf(geo.EForbidden, "this needs the %s role; you are %s", min, u.Role)
			}
			return next(c)
		}
	}
}

// SetSession gives the browser a session cookie: HttpOnly, SameSite=Lax,
// Secure when the site is served over HTTPS.
func SetSession(c echo.Context, id string, expires time.Time, secure bool) {
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: id, Path: "/", Expires: expires, MaxAge: int(time.Until(expires).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure})
}

// ClearSession tells the browser to drop its session cookie.
func ClearSession(c echo.Context, secure bool) {
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure})
}

// Limiter refuses sign-ins after too many failures for one account or from
// one address within a window.
type Limiter struct {
	Accounts geo.Accounts
	Max      int
	Window   time.Duration
	Now      func() time.Time
}

// Keys are what failures are counted under.
func Keys(name, address string) []string {
	return []string{"account:" + strings.ToLower(name), "address:" + address}
}

// Check returns an ETooMany error, with when to retry, when any key is over
// the limit.
func (l Limiter) Check(ctx context.Context, keys []string) (retryAfter time.Duration, err error) {
	now := l.Now()
	for _, k := range keys {
		n, oldest, err := l.Accounts.LoginFailures(ctx, k, now.Add(-l.Window))
		if err != nil {
			return 0, err
		}
		if n >= l.Max {
			wait := oldest.Add(l.Window).Sub(now).Round(time.Second) + time.Second
			return wait, geo.Errorf(geo.ETooMany, "too many failed sign-ins; try again in %s", wait)
		}
	}
	return 0, nil
}

// ErrBadLogin is the one answer to a wrong name or password: it says
// nothing of whether the account exists.
var ErrBadLogin = errors.New("wrong account name or password")
