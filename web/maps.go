package web

import (
	"net/http"
	"strconv"

	"github.com/borderwatch/borderwatch/web/views"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/labstack/echo/v4"
)

// handleMap is the analyst's map. Its filters are the items', so bad ones
// get a page that says so.
func (s *Server) handleMap(c echo.Context) error {
	f, err := parseFilter(c.QueryParams(), pageScopes)
	if err != nil {
		return err
	}
	f.Limit = 1
	page, err := s.cfg.Store.Incidents(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return s.mapPageHTML(c, f, page.NumberMatched, false)
}

// handleEmbed is the map without the site's chrome, for iframes.
func (s *Server) handleEmbed(c echo.Context) error {
	f, err := parseFilter(c.QueryParams(), pageScopes)
	if err != nil && wantsHTML(c) {
		// In an article, a page that fits the frame, not a bare error.
		var problems, bad []string
		for _, p := range geo.ErrorProblems(err) {
			problems, bad = append(problems, p.String()), append(bad, p.Field)
		}
		full := withQuery(s.baseURL(c)+"/", without(c.QueryParams(), bad...))
		return s.render(c, http.StatusBadRequest, views.EmbedProblemPage(problems, full))
	}
	if err != nil {
		return err
	}
	return s.mapPageHTML(c, f, 0, true)
}

// handleIncidentRedirect sends the first permalinks to the OGC item page.
func (s *Server) handleIncidentRedirect(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return geo.Errorf(geo.ENotFound, "incident %q not found: incident ids are positive integers", c.Param("id"))
	}
	return c.Redirect(http.StatusMovedPermanently, s.baseURL(c)+"/collections/incidents/items/"+strconv.FormatInt(id, 10))
}
