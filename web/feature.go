package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/labstack/echo/v4"
)

// handleItem serves one feature of a collection.
func (s *Server) handleItem(c echo.Context) error {
	ctx := c.Request().Context()
	name := c.Param("collection")
	var layer geo.Layer
	if !geo.IsIncidents(name) { // an unknown collection is a 404 before its parameters are judged
		var err error
		if layer, err = s.cfg.Store.Layer(ctx, name); err != nil {
			return err
		}
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return geo.Errorf(geo.ENotFound, "feature %q not found: feature ids are positive integers", c.Param("id"))
	}
	scopes := resourceScopes
	if geo.IsIncidents(name) {
		scopes = pinScopes
	}
	pin, err := parseFilter(c.QueryParams(), scopes)
	if err != nil {
		return err
	}
	path := s.baseURL(c) + "/collections/" + url.PathEscape(name)
	links := append(selfLinks(path+"/items/"+strconv.FormatInt(id, 10), pinQuery(c.QueryParams()), mediaGeoJSON, "This feature"),
		Link{Href: path + "?f=json", Rel: "collection", Type: mediaJSON, Title: "The collection"})
	if geo.IsIncidents(name) {
		inc, version, err := s.incidentAt(ctx, id, pin.AsOf)
		if err != nil {
			return err
		}
		if version != 0 && !wantsHTML(c) {
			// The item's own strong ETag, for conditional writes (If-Match).
			etag := itemETag(version)
			c.Response().Header().Set("ETag", etag)
			if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
				return c.NoContent(http.StatusNotModified)
			}
		}
		if wantsHTML(c) {
			return s.incidentHTML(c, inc, pin)
		}
		if name == geo.IncidentPointsCollection {
			inc.Geometry = geo.RepresentativePoint(inc.Geometry)
		}
		return writeJSON(c, http.StatusOK, mediaGeoJSON, pinnedFeature(incidentFeature(inc, true, links), pin))
	}
	f, err := s.cfg.Store.LayerFeature(ctx, name, id)
	if err != nil {
		return err
	}
	if wantsHTML(c) {
		return s.layerFeatureHTML(c, layer, f)
	}
	return writeJSON(c, http.StatusOK, mediaGeoJSON, layerFeature(f, links))
}

// incidentAt reads one incident as of asOf, with its version when current
// (0 when pinned, or when nothing can edit it).
func (s *Server) incidentAt(ctx context.Context, id int64, asOf time.Time) (geo.Incident, int64, error) {
	if asOf.IsZero() && s.cfg.Editor != nil {
		return s.cfg.Editor.IncidentVersion(ctx, id)
	}
	inc, err := s.cfg.Store.IncidentAt(ctx, id, asOf)
	return inc, 0, err
}
