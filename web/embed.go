package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/i18n"
	"github.com/labstack/echo/v4"
)

// embeddable says whether path answers pages that other sites may frame.
func embeddable(path string) bool { return path == "/embed" || path == "/oembed" }

// frameAncestors is the CSP frame-ancestors source list for embeds.
func (s *Server) frameAncestors() string {
	if len(s.cfg.EmbedOrigins) == 0 {
		return "*"
	}
	return strings.Join(s.cfg.EmbedOrigins, " ")
}

var incidentPath = regexp.MustCompile(`^/(?:collections/incidents/items|incidents)/([1-9][0-9]*)$`)

// handleOEmbed answers oEmbed 1.0 (https://oembed.com) for map, embed and
// incident URLs of this site with a rich type: an iframe of the embed view.
func (s *Server) handleOEmbed(c echo.Context) error {
	q := c.QueryParams()
	if f := q.Get("format"); f != "" && f != "json" {
		return echo.NewHTTPError(http.StatusNotImplemented, fmt.Sprintf("oEmbed format %q is not supported; use json", f))
	}
	raw := q.Get("url")
	if raw == "" {
		return &geo.Error{Kind: geo.EInvalid, Message: "invalid query parameters", Problems: []geo.Problem{{Field: "url", Reason: "is required"}}}
	}
	u, err := url.Parse(raw)
	base, _ := url.Parse(s.baseURL(c))
	if err != nil || !u.IsAbs() || !strings.EqualFold(u.Host, base.Host) {
		return geo.Errorf(geo.ENotFound, "no embeddable view at %q: oEmbed answers for this site's map, embed and incident URLs", raw)
	}
	path := strings.TrimPrefix(u.Path, strings.TrimRight(base.Path, "/"))
	if path == "" {
		path = "/"
	}
	embed := u.Query()
	// The snippet speaks the page's language: the URL's lang=, else this request's.
	lang := i18n.From(c.Request().Context())
	if l, ok := i18n.ByCode(embed.Get("lang")); ok {
		lang = l
	}
	title := i18n.T(i18n.With(c.Request().Context(), lang), "oembed.title")
	switch {
	case path == "/" || path == "/embed":
		if _, err := parseFilter(embed, pageScopes); err != nil {
			return geo.Errorf(geo.ENotFound, "no embeddable view at %q: %s", raw, geo.ErrorMessage(err))
		}
		if t := embed.Get("title"); t != "" {
			title = t
		}
	case incidentPath.MatchString(path):
		id, _ := strconv.ParseInt(incidentPath.FindStringSubmatch(path)[1], 10, 64)
		inc, err := s.cfg.Store.Incident(c.Request().Context(), id)
		if err != nil {
			return err
		}
		embed = url.Values{"incident": {strconv.FormatInt(id, 10)}}
		if lang.Code != i18n.Default.Code {
			embed.Set("lang", lang.Code)
		}
		title = inc.Title
	default:
		return geo.Errorf(geo.ENotFound, "no embeddable view at %q: oEmbed answers for this site's map, embed and incident URLs", raw)
	}
	width, height := 640, 480
	if mw, err := strconv.Atoi(q.Get("maxwidth")); err == nil && mw > 0 && mw < width {
		width, height = mw, mw*3/4
	}
	if mh, err := strconv.Atoi(q.Get("maxheight")); err == nil && mh > 0 && mh < height {
		height = mh
		if width > mh*4/3 {
			width = mh * 4 / 3
		}
	}
	src := withQuery(s.baseURL(c)+"/embed", embed)
	iframe := fmt.Sprintf(`<iframe src="%s" width="%d" height="%d" title="%s" style="border:0" loading="lazy" allowfullscreen></iframe>`,
		html.EscapeString(src), width, height, html.EscapeString(title))
	return writeJSON(c, http.StatusOK, mediaJSON, oembedJSON{
		Version: "1.0", Type: "rich", Title: title,
		ProviderName: "Borderwatch", ProviderURL: s.baseURL(c) + "/",
		Width: width, Height: height, HTML: iframe, CacheAge: 3600,
	})
}
