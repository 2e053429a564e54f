package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/labstack/echo/v4"
)

var incidentTitles = map[string]string{geo.IncidentsCollection: "Incidents", geo.IncidentPointsCollection: "Incidents as points"}

// collections describes every collection: incidents first, then the layers.
func (s *Server) collections(c echo.Context) ([]collectionJSON, error) {
	ctx := c.Request().Context()
	ext, err := s.cfg.Store.IncidentsExtent(ctx)
	if err != nil {
		return nil, err
	}
	inc := collectionJSON{ID: geo.IncidentsCollection, Title: incidentTitles[geo.IncidentsCollection],
		Description: "Border and security incidents, each with its sources, ACLED event types, actors, casualties (unknown is not 0) and time and place precision.",
		Attribution: s.cfg.DataAttribution}
	if ext.Count > 0 {
		inc.Extent = newExtent(ext.Bound, ext.First, ext.Last)
	}
	points := inc
	points.ID, points.Title = geo.IncidentPointsCollection, incidentTitles[geo.IncidentPointsCollection]
	points.Description = "The same incidents, each at its marker point (a line's middle, an area's centre), with the same fields and filters: for GIS clients that take one geometry type per layer, such as QGIS."
	out := []collectionJSON{inc, points}
	layers, err := s.cfg.Store.Layers(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range layers {
		col := collectionJSON{ID: l.ID, Title: l.Title, Description: l.Description, Attribution: l.Attribution}
		if l.Bound != nil {
			col.Extent = newExtent(*l.Bound, time.Time{}, time.Time{})
		}
		out = append(out, col)
	}
	base := s.baseURL(c)
	for i := range out {
		out[i].ItemType, out[i].CRS = "feature", []string{crs84}
		p := base + "/collections/" + url.PathEscape(out[i].ID)
		out[i].Links = append(selfLinks(p, nil, mediaJSON, "This collection"),
			Link{Href: p + "/items?f=json", Rel: "items", Type: mediaGeoJSON, Title: "Its features as GeoJSON"},
			Link{Href: p + "/items?f=html", Rel: "items", Type: mediaHTML, Title: "Its features as HTML"})
		if out[i].ID == geo.IncidentsCollection {
			out[i].Links = append(out[i].Links,
				Link{Href: base + "/export/incidents.geojson", Rel: "enclosure", Type: mediaGeoJSON, Title: "Download every incident as GeoJSON"},
				Link{Href: base + "/export/incidents.csv", Rel: "enclosure", Type: mediaCSV, Title: "Download every incident as CSV"})
		}
	}
	return out, nil
}

func (s *Server) handleCollections(c echo.Context) error {
	if err := checkFormatOnly(c); err != nil {
		return err
	}
	cols, err := s.collections(c)
	if err != nil {
		return err
	}
	if wantsHTML(c) {
		return s.collectionsHTML(c, cols)
	}
	return writeJSON(c, http.StatusOK, mediaJSON, collectionsJSON{
		Links: selfLinks(s.baseURL(c)+"/collections", nil, mediaJSON, "This document"), Collections: cols})
}

func (s *Server) handleCollection(c echo.Context) error {
	if err := checkFormatOnly(c); err != nil {
		return err
	}
	cols, err := s.collections(c)
	if err != nil {
		return err
	}
	for _, col := range cols {
		if col.ID != c.Param("collection") {
			continue
		}
		if wantsHTML(c) {
			return s.collectionHTML(c, col)
		}
		return writeJSON(c, http.StatusOK, mediaJSON, col)
	}
	return geo.Errorf(geo.ENotFound, "collection %q not found", c.Param("collection"))
}
