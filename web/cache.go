package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/web/i18n"
	"github.com/labstack/echo/v4"
)

// conditional gives data responses an ETag and Last-Modified from the
// store's data version, and answers 304 when the client's copy is current.
func (s *Server) conditional(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return next(c)
		}
		// One snapshot for the request: the ETag names the version of the
		// data the body is made from, even while an import commits.
		ctx, release, err := s.cfg.Store.Snapshot(r.Context())
		if err != nil {
			return err
		}
		defer release()
		c.SetRequest(r.WithContext(ctx))
		version, modified, err := s.cfg.Store.Version(ctx)
		if err != nil {
			return err
		}
		format := format(c)
		// Pages differ by language; the data does not.
		variant := format
		if format == "html" {
			variant += "-" + i18n.From(r.Context()).Code
		}
		etag := `W/"` + s.etagSalt + "-" + strconv.FormatInt(version, 10) + "-" + variant + `"`
		h := c.Response().Header()
		h.Set("ETag", etag)
		h.Add("Vary", "Accept")
		h.Set("Cache-Control", "public, no-cache") // always revalidate: imports change data at any time
		if !modified.IsZero() {
			h.Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
		}
		if inm := r.Header.Get("If-None-Match"); inm != "" {
			if etagMatch(inm, etag) {
				return c.NoContent(http.StatusNotModified)
			}
		} else if ims := r.Header.Get("If-Modified-Since"); ims != "" && !modified.IsZero() {
			if t, err := http.ParseTime(ims); err == nil && !modified.Truncate(time.Second).After(t) {
				return c.NoContent(http.StatusNotModified)
			}
		}
		return s.cached(c, etag, next)
	}
}

// cached answers a data request from the response cache when it holds the
// same request made from the same data, and keeps what it answers
// otherwise. Downloads stream past it.
func (s *Server) cached(c echo.Context, etag string, next echo.HandlerFunc) error {
	r := c.Request()
	if s.responses == nil || strings.HasPrefix(r.URL.Path, "/export/") {
		return next(c)
	}
	// Everything the body may depend on: the address (links), the
	// language, what the client accepts.
	key := s.baseURL(c) + r.URL.RequestURI() + "\x00" + i18n.From(r.Context()).Code + "\x00" + r.Header.Get("Accept")
	if hit, ok := s.responses.get(key, etag); ok {
		h := c.Response().Header()
		for k, v := range hit.header {
			h[k] = v
		}
		c.Response().WriteHeader(hit.status)
		if r.Method == http.MethodHead {
			return nil
		}
		_, err := c.Response().Write(hit.body)
		return err
	}
	w := &capture{ResponseWriter: c.Response().Writer, limit: 1 << 20, buf: buffers.Get().(*bytes.Buffer)}
	defer w.release()
	c.Response().Writer = w
	err := next(c)
	c.Response().Writer = w.ResponseWriter
	if err == nil && w.status == http.StatusOK && !w.over && r.Method == http.MethodGet && c.Response().Header().Get("Set-Cookie") == "" {
		keep := http.Header{}
		for _, k := range cacheHeaders {
			if v := c.Response().Header().Values(k); len(v) > 0 {
				keep[k] = v
			}
		}
		s.responses.put(&cachedResponse{key: key, etag: etag, status: w.status, header: keep, body: bytes.Clone(w.buf.Bytes())})
	}
	return err
}

func etagMatch(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		if part == "*" || strings.TrimPrefix(part, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}
