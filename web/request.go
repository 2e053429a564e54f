package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// Media types.
const (
	mediaJSON    = "application/json"
	mediaHTML    = "text/html"
	mediaOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
	mediaCSV     = "text/csv"
	mediaGeoJSON = "application/geo+json"
	mediaProblem = "application/problem+json"
)

const formatKey = "borderwatch.format"

// format is what the request asks for, "html" or "json", negotiated once
// per request.
func format(c echo.Context) string {
	if f, ok := c.Get(formatKey).(string); ok {
		return f
	}
	f := negotiate(c.Request())
	c.Set(formatKey, f)
	return f
}

func wantsHTML(c echo.Context) bool { return format(c) == "html" }

// negotiate picks html or json: f wins, then Accept. HTML goes only to
// clients that name it and like it at least as much as any JSON they name
// (browsers); */*, no Accept at all, and every API client get JSON.
func negotiate(r *http.Request) string {
	switch r.URL.Query().Get("f") {
	case "html":
		return "html"
	case "json", "geojson":
		return "json"
	}
	html, json := -1.0, -1.0
	htmlAt, jsonAt := 0, 0
	for i, part := range strings.Split(r.Header.Get("Accept"), ",") {
		media, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
					q = f
				}
			}
		}
		media = strings.ToLower(strings.TrimSpace(media))
		switch {
		case media == "text/html" || media == "application/xhtml+xml":
			if q > html {
				html, htmlAt = q, i
			}
		case strings.Contains(media, "json"):
			if q > json {
				json, jsonAt = q, i
			}
		}
	}
	if html > 0 && (html > json || (html == json && htmlAt < jsonAt)) {
		return "html"
	}
	return "json"
}

// wantsProblemJSON says whether an error goes to this request as a JSON
// problem: API paths unless HTML is asked for, and clients that prefer JSON.
func wantsProblemJSON(r *http.Request) bool {
	if r.URL.Query().Get("f") == "html" {
		return false
	}
	api := strings.HasPrefix(r.URL.Path, "/collections") || strings.HasPrefix(r.URL.Path, "/export/") ||
		r.URL.Path == "/conformance" || r.URL.Path == "/openapi"
	if api && negotiate(r) == "json" {
		return true
	}
	if r.URL.Query().Get("f") == "json" {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "json") && !strings.Contains(accept, "text/html")
}

// baseURL is the absolute URL the site is reached at, from --base-url or
// from the request.
func (s *Server) baseURL(c echo.Context) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimRight(s.cfg.BaseURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// Link is an OGC API link.
type Link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// selfLinks are a resource's self link in JSON (of the given media type)
// and its HTML alternate, keeping the request's other parameters.
func selfLinks(href string, q url.Values, media, title string) []Link {
	return []Link{
		{Href: withQuery(href, withParam(q, "f", "json")), Rel: "self", Type: media, Title: title},
		{Href: withQuery(href, withParam(q, "f", "html")), Rel: "alternate", Type: mediaHTML, Title: title + " as HTML"},
	}
}

// withQuery returns href with q, if any.
func withQuery(href string, q url.Values) string {
	if enc := q.Encode(); enc != "" {
		return href + "?" + enc
	}
	return href
}

// withParam returns a copy of q with name set to v ("" removes it).
func withParam(q url.Values, name, v string) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[k] = vs
	}
	if v == "" {
		out.Del(name)
	} else {
		out.Set(name, v)
	}
	return out
}

// without returns a copy of q without the given names.
func without(q url.Values, names ...string) url.Values {
	out := url.Values{}
	for k, vs := range q {
		if !slices.Contains(names, k) {
			out[k] = vs
		}
	}
	return out
}

// pinQuery keeps only the pin (as_of) of q, for links out of a pinned view.
func pinQuery(q url.Values) url.Values {
	out := url.Values{}
	if v := q.Get("as_of"); v != "" {
		out.Set("as_of", v)
	}
	return out
}
