package auth

import (
	"net/http"
	"strings"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// CSRFField is the form field (and X-CSRF-Token the header) that carries the
// token; CSRFContextKey is where handlers find it for their forms.
const (
	CSRFField      = "_csrf"
	CSRFContextKey = "csrf"
)

// CSRF protects every write that a browser could be tricked into sending:
// all but those authenticated by a Bearer token, which a browser never adds
// on its own. Such a write must come from this site (Sec-Fetch-Site and
// Origin, when the browser sends them) and carry the token of the
// double-submit cookie (echo's CSRF middleware), always: the fetch-metadata
// check alone does not stand in for it. origin is the site's own origin,
// scheme://host, for the request.
func CSRF(secure bool, origin func(echo.Context) string) echo.MiddlewareFunc {
	tokens := middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:" + CSRFField + ",header:X-CSRF-Token",
		CookieName:     "bw_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteLaxMode,
		CookieSecure:   secure,
		ContextKey:     CSRFContextKey,
		ErrorHandler: func(error, echo.Context) error {
			return geo.Errorf(geo.EForbidden, "missing or wrong CSRF token: reload the page and try again")
		},
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		withTokens := tokens(next)
		return func(c echo.Context) error {
			r := c.Request()
			if ViaOf(r.Context()) == ByToken {
				return next(c)
			}
			if !safe(r.Method) {
				if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
					return geo.Errorf(geo.EForbidden, "a write from another site is refused")
				}
				if o := r.Header.Get(echo.HeaderOrigin); o != "" && !strings.EqualFold(o, origin(c)) {
					return geo.Errorf(geo.EForbidden, "a write from another origin (%s) is refused", o)
				}
			}
			// The token is checked whatever the fetch metadata said.
			r.Header.Del("Sec-Fetch-Site")
			return withTokens(c)
		}
	}
}

func safe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// CSRFToken is the token a page puts in its forms.
func CSRFToken(c echo.Context) string {
	s, _ := c.Get(CSRFContextKey).(string)
	return s
}
