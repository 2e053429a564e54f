package web

import (
	"encoding/json"
	"net/http"
	"net/url"
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
		Layers: make([]views.LayerInfo, len(layers)), FilterParams: append([]string{"bbox"}, incidentParams...)}
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

// mapView reads what the map and embed pages share: their filters (the
// items', so bad ones get a page that says so), the map's configuration and
// the view state around it; and lets the page advertise oEmbed.
func (s *Server) mapView(c echo.Context) (geo.Filter, views.MapConfig, views.ViewState, error) {
	f, err := parseFilter(c.QueryParams(), true, viewParams...)
	if err != nil {
		return f, views.MapConfig{}, views.ViewState{}, err
	}
	cfg, err := s.mapConfig(c)
	if err != nil {
		return f, cfg, views.ViewState{}, err
	}
	s.withOEmbed(c)
	return f, cfg, s.viewState(c, f), nil
}

func (s *Server) handleMap(c echo.Context) error {
	f, cfg, view, err := s.mapView(c)
	if err != nil {
		return err
	}
	f.Limit = 1
	page, err := s.cfg.Store.Incidents(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.MapPage(cfg, page.NumberMatched, view))
}

// handleIncidentRedirect sends the first permalinks to the OGC item page.
func (s *Server) handleIncidentRedirect(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return geo.Errorf(geo.ENotFound, "incident %q not found: incident ids are positive integers", c.Param("id"))
	}
	return c.Redirect(http.StatusMovedPermanently, s.baseURL(c)+"/collections/incidents/items/"+strconv.FormatInt(id, 10))
}

func (s *Server) incidentPage(c echo.Context, inc geo.Incident) error {
	feature, err := geo.MarshalIncident(inc)
	if err != nil {
		return err
	}
	incs, kms, err := s.cfg.Store.IncidentsNear(c.Request().Context(), geo.RepresentativePoint(inc.Geometry), 50, inc.ID, 20)
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
	s.withOEmbed(c)
	return s.render(c, http.StatusOK, views.IncidentPage(inc, feature, cfg, near))
}

func (s *Server) featurePage(c echo.Context, layer geo.Layer, id int, feature []byte) error {
	cfg, err := s.mapConfig(c)
	if err != nil {
		return err
	}
	var f struct {
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(feature, &f); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.FeaturePage(views.Collection{ID: layer.ID, Title: layer.Title}, id, f.Properties, feature, cfg))
}

func (s *Server) itemsPage(c echo.Context, page items, links []views.Link) error {
	cfg, err := s.mapConfig(c)
	if err != nil {
		return err
	}
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	fc.Type = "FeatureCollection"
	fc.Features = make([]json.RawMessage, len(page.features))
	for i, b := range page.features {
		fc.Features[i] = b
	}
	collection := views.Collection{ID: page.collection, Title: page.title}
	q := c.QueryParams()
	exports := url.Values{}
	for k, v := range q {
		if k != "f" && k != "limit" && k != "offset" {
			exports[k] = v
		}
	}
	return s.render(c, http.StatusOK, views.ItemsPage(views.Items{
		Collection: collection, Matched: page.matched, Offset: page.filter.Offset,
		Incidents: page.incidents, Links: links, Query: exports.Encode(),
	}, fc, cfg))
}
