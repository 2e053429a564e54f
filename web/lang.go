package web

import (
	"net/http"

	"github.com/borderwatch/borderwatch/web/i18n"
	"github.com/labstack/echo/v4"
)

// language finds the request's language (lang=, the person's choice, then
// Accept-Language), puts it and the page's versions in other languages in
// the request's context, and remembers a choice made with lang= on the
// site's own pages (never in embeds, which set no cookies).
func (s *Server) language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		l, fromURL := i18n.Negotiate(r)
		ctx := i18n.With(r.Context(), l)
		alts := make([]i18n.Alternate, 0, len(i18n.Langs))
		for _, other := range i18n.Langs {
			q := r.URL.Query()
			q.Set("lang", other.Code)
			alts = append(alts, i18n.Alternate{Lang: other, Href: s.baseURL(c) + r.URL.Path + "?" + q.Encode(), Current: other.Code == l.Code})
		}
		c.SetRequest(r.WithContext(i18n.WithAlternates(ctx, alts)))
		if fromURL && !embeddable(r.URL.Path) && wantsHTML(c) {
			if old, err := r.Cookie(i18n.CookieName); err != nil || old.Value != l.Code {
				c.SetCookie(&http.Cookie{Name: i18n.CookieName, Value: l.Code, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
			}
		}
		h := c.Response().Header()
		h.Add("Vary", "Accept-Language")
		h.Add("Vary", "Cookie")
		return next(c)
	}
}

// englishDataAttribution is the bundled data's credit, which the map says
// in the reader's language.
const englishDataAttribution = "Incidents: the news reports cited on each incident"
