package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/i18n"
	"github.com/labstack/echo/v4"
)

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
	case geo.EForbidden:
		return http.StatusForbidden
	case geo.ETooMany:
		return http.StatusTooManyRequests
	case geo.EStale:
		return http.StatusPreconditionFailed
	case geo.ENeedsVersion:
		return http.StatusPreconditionRequired
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
	if clientGone(c, err) {
		// Not a fault: the client closed the connection (a closed tab, a
		// proxy's timeout). Say so, as nginx does, and write nothing more.
		s.log.Info("client closed the request", "uri", c.Request().RequestURI)
		c.Response().WriteHeader(statusClientClosed)
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
	case errors.Is(err, context.DeadlineExceeded):
		status, detail = http.StatusServiceUnavailable, "the request took too long; try a smaller selection"
		s.log.Warn("request timed out", "uri", c.Request().RequestURI)
	default:
		status = statusOf(geo.ErrorKind(err))
		detail = geo.ErrorMessage(err)
		problems = geo.ErrorProblems(err)
	}
	if status >= 500 && status != http.StatusServiceUnavailable {
		s.log.Error("internal error", "uri", c.Request().RequestURI, "err", err)
	}
	if status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="borderwatch"`)
	}
	// Validators and caching describe the data, not this error.
	c.Response().Header().Del("ETag")
	c.Response().Header().Del("Last-Modified")
	c.Response().Header().Set("Cache-Control", "no-store")
	if wantsProblemJSON(c.Request()) {
		writeProblem(c, Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail,
			Instance: c.Request().URL.RequestURI(), Errors: problems})
		return
	}
	// People read the detail in their language, where the catalog has it.
	if status == http.StatusNotFound && detail == http.StatusText(status) {
		detail = i18n.T(c.Request().Context(), "error.no_page")
	}
	var ge *geo.Error
	if errors.As(err, &ge) && ge.Format != "" {
		if tr := i18n.T(c.Request().Context(), "problem:"+ge.Format); tr != "problem:"+ge.Format {
			detail = fmt.Sprintf(tr, ge.Args...)
		}
	}
	if err := s.errorHTML(c, status, detail); err != nil {
		s.log.Error("render error page", "err", err)
	}
}

// statusClientClosed is nginx's status for a request whose client went away.
const statusClientClosed = 499

// clientGone says whether err comes from the client's leaving: the
// request's context is cancelled, not timed out.
func clientGone(c echo.Context, err error) bool {
	return errors.Is(err, context.Canceled) && errors.Is(c.Request().Context().Err(), context.Canceled)
}
