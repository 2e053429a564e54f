package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/views"
	"github.com/labstack/echo/v4"
)

// Problem is an RFC 9457 problem details object.
type Problem struct {
	Type     string        `json:"type"`
	Title    string        `json:"title"`
	Status   int           `json:"status"`
	Detail   string        `json:"detail,omitempty"`
	Instance string        `json:"instance,omitempty"`
	Errors   []geo.Problem `json:"errors,omitempty"`
}

// statusOf maps a domain error kind to its HTTP status: the one place it is done.
func statusOf(kind string) int {
	switch kind {
	case geo.EInvalid:
		return http.StatusBadRequest
	case geo.ENotFound:
		return http.StatusNotFound
	case geo.EConflict:
		return http.StatusConflict
	case geo.EUnauthorized:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// handleError turns any error from a handler into a problem (for the API
// and clients asking for JSON) or an HTML page (for people). Internal
// errors are logged here, once, and shown without details.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		// Already answered: the request logger hands errors on once more.
		return
	}
	// The request's context may be cancelled by now (timeouts end with the
	// handler); the error page must still be written.
	c.SetRequest(c.Request().WithContext(context.WithoutCancel(c.Request().Context())))
	status, detail := http.StatusInternalServerError, "internal error"
	var problems []geo.Problem
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		status = he.Code
		detail = http.StatusText(status)
		if m, ok := he.Message.(string); ok {
			detail = m
		}
	default:
		status = statusOf(geo.ErrorKind(err))
		detail = geo.ErrorMessage(err)
		problems = geo.ErrorProblems(err)
	}
	if status >= 500 {
		s.log.Error("internal error", "uri", c.Request().RequestURI, "err", err)
	}
	// Validators and caching describe the data, not this error.
	c.Response().Header().Del("ETag")
	c.Response().Header().Del("Last-Modified")
	c.Response().Header().Set("Cache-Control", "no-store")
	if wantsJSON(c.Request()) && c.Request().URL.Query().Get("f") != "html" {
		p := Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail,
			Instance: c.Request().URL.RequestURI(), Errors: problems}
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(status)
		if c.Request().Method != http.MethodHead {
			_ = jsonEncoder(c.Response()).Encode(p)
		}
		return
	}
	if err := s.render(c, status, views.ErrorPage(status, http.StatusText(status), detail)); err != nil {
		s.log.Error("render error page", "err", err)
	}
}

// wantsJSON is true for API paths and for clients that prefer JSON.
func wantsJSON(r *http.Request) bool {
	api := strings.HasPrefix(r.URL.Path, "/collections") || strings.HasPrefix(r.URL.Path, "/export/") ||
		r.URL.Path == "/conformance" || r.URL.Path == "/openapi"
	if api && negotiate(r, false) == "json" {
		return true
	}
	if r.URL.Query().Get("f") == "json" {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "json") && !strings.Contains(accept, "text/html")
}
