package web

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// render writes a templ component through a buffer, so a render error
// reaches the error handler before any header is sent.
func (s *Server) render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	if err := comp.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	if c.Response().Header().Get("Cache-Control") == "" {
		c.Response().Header().Set("Cache-Control", "no-cache")
	}
	return c.HTMLBlob(status, buf.Bytes())
}

func jsonEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc
}

// geoJSON is the media type of GeoJSON (RFC 7946).
const geoJSON = "application/geo+json"
