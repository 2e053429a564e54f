package web

import (
	"net/http"
	"strconv"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/views"
	"github.com/labstack/echo/v4"
)

// mapConfig describes the tiles and layers to the map script.
func (s *Server) mapConfig(c echo.Context) (views.MapConfig, error) {
	layers, err := s.cfg.Store.Layers(c.Request().Context())
	if err != nil {
		return views.MapConfig{}, err
	}
	cfg := views.MapConfig{DataAttribution: s.cfg.DataAttribution, EventTypes: geo.EventTypeNames(),
		Layers: make([]views.LayerInfo, len(layers))}
	for i, l := range layers {
		cfg.Layers[i] = views.LayerInfo{ID: l.ID, Title: l.Title, Kind: l.Kind, Attribution: l.Attribution}
	}
	if s.tiles != "" {
		cfg.Tiles = s.tiles
		cfg.TileAttribution = s.cfg.TileAttribution
		if cfg.TileAttribution == "" && s.tiles == DefaultTiles {
			cfg.TileAttribution, cfg.TileLink = DefaultTileAttribution, DefaultTileLink
		}
	}
	return cfg, nil
}

func (s *Server) handleMap(c echo.Context) error {
	cfg, err := s.mapConfig(c)
	if err != nil {
		return err
	}
	page, err := s.cfg.Store.Incidents(c.Request().Context(), geo.Filter{Limit: 1})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.MapPage(cfg, page.NumberMatched))
}

func (s *Server) handleIncidentPage(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return geo.Errorf(geo.ENotFound, "incident %q not found: incident ids are positive integers", c.Param("id"))
	}
	inc, err := s.cfg.Store.Incident(ctx, id)
	if err != nil {
		return err
	}
	feature, err := geo.MarshalIncident(inc)
	if err != nil {
		return err
	}
	incs, kms, err := s.cfg.Store.IncidentsNear(ctx, geo.RepresentativePoint(inc.Geometry), 50, inc.ID, 20)
	if err != nil {
		return err
	}
	near := make([]views.Nearby, len(incs))
	for i := range incs {
		near[i] = views.Nearby{Incident: incs[i], Km: kms[i]}
	}
	cfg, err := s.mapConfig(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.IncidentPage(inc, feature, cfg, near))
}
