package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/i18n"
	"github.com/borderwatch/borderwatch/web/views"
	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Every page is rendered here: handlers hand plain values over, and this
// file turns them into views.

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

func viewLinks(links []Link) []views.Link {
	out := make([]views.Link, len(links))
	for i, l := range links {
		out[i] = views.Link(l)
	}
	return out
}

// mapConfig describes the tiles, layers and filter vocabulary to the map
// script.
func (s *Server) mapConfig(c echo.Context) (views.MapConfig, error) {
	layers, err := s.cfg.Store.Layers(c.Request().Context())
	if err != nil {
		return views.MapConfig{}, err
	}
	cfg := views.MapConfig{DataAttribution: s.cfg.DataAttribution, EventTypes: geo.EventTypeNames(),
		Layers: make([]views.LayerInfo, len(layers)), FilterParams: filterParams(), ViewParams: paramNames(mapView),
		CountryPattern: countryPattern}
	ctx := c.Request().Context()
	for i, l := range layers {
		// Our own layers' names in the reader's language; others as named.
		title := l.Title
		if tr := i18n.T(ctx, "layer."+l.ID); tr != "layer."+l.ID {
			title = tr
		}
		cfg.Layers[i] = views.LayerInfo{ID: l.ID, Title: title, Kind: l.Kind, Attribution: l.Attribution}
	}
	if cfg.DataAttribution == englishDataAttribution {
		cfg.DataAttribution = i18n.T(ctx, "footer.incidents")
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

// withOEmbed lets the page advertise its oEmbed endpoint, and its link
// preview: a picture of its view (/map.png), title and description. An
// incident's page shows the map around it.
func (s *Server) withOEmbed(c echo.Context, title string, around *orb.Point) {
	r := c.Request()
	self := s.baseURL(c) + r.URL.RequestURI()
	href := s.baseURL(c) + "/oembed?format=json&url=" + url.QueryEscape(self)
	picture := without(c.QueryParams(), "title", "caption", "incident", "layers", "f")
	if around != nil {
		picture = url.Values{"view": {fmt.Sprintf("8/%.4f/%.4f", around[1], around[0])}}
	}
	preview := views.Preview{Title: title, URL: self, Image: withQuery(s.baseURL(c)+"/map.png", picture),
		Description: "Sourced border and security incidents around the Tunisia–Libya border, on Borderwatch."}
	ctx := views.WithPreview(views.WithOEmbed(r.Context(), href), preview)
	c.SetRequest(r.WithContext(ctx))
}

// viewState is the map's own URL state for a page.
func (s *Server) viewState(c echo.Context, f geo.Filter) views.ViewState {
	q := c.QueryParams()
	v := views.ViewState{Title: q.Get("title"), Caption: q.Get("caption")}
	if !f.AsOf.IsZero() {
		v.AsOf = readableTime(f.AsOf)
	}
	v.FullURL = withQuery(s.baseURL(c)+"/", without(q, "title", "caption"))
	return v
}

// mapPageHTML is the analyst's map, or (embed) the map alone for iframes.
func (s *Server) mapPageHTML(c echo.Context, f geo.Filter, matched int, embed bool) error {
	cfg, err := s.mapConfig(c)
	if err != nil {
		return err
	}
	title := "Border and security incidents on the Tunisia–Libya border"
	if t := c.QueryParam("title"); t != "" {
		title = t
	}
	s.withOEmbed(c, title, nil)
	view := s.viewState(c, f)
	if embed {
		cfg.Embed = true
		return s.render(c, http.StatusOK, views.EmbedPage(cfg, view))
	}
	return s.render(c, http.StatusOK, views.MapPage(cfg, matched, view))
}

func (s *Server) incidentHTML(c echo.Context, inc geo.Incident, pin geo.Filter) error {
	feature, err := marshalIncident(inc)
	if err != nil {
		return err
	}
	incs, kms, err := s.cfg.Store.IncidentsNear(c.Request().Context(), geo.RepresentativePoint(inc.Geometry), 50, inc.ID, 20, pin.AsOf)
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
	p := geo.RepresentativePoint(inc.Geometry)
	s.withOEmbed(c, inc.Title, &p)
	return s.render(c, http.StatusOK, views.IncidentPage(inc, feature, cfg, near, viewPin(c, pin)))
}

func (s *Server) layerFeatureHTML(c echo.Context, layer geo.Layer, f *geojson.Feature) error {
	cfg, err := s.mapConfig(c)
	if err != nil {
		return err
	}
	feature, err := marshalLayerFeature(f)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.FeaturePage(views.Collection{ID: layer.ID, Title: layer.Title}, f.ID.(int), f.Properties, feature, cfg))
}

func (s *Server) featuresHTML(c echo.Context, page featuresPage) error {
	cfg, err := s.mapConfig(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer // the page's features for its map
	fc := NewFeatureCollection(&buf, true).AsPoints(page.collection == geo.IncidentPointsCollection)
	for _, inc := range page.incidents {
		fc.Incident(inc)
	}
	for _, f := range page.features {
		fc.Feature(f)
	}
	if err := fc.Close(); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.ItemsPage(views.Items{
		Collection: views.Collection{ID: page.collection, Title: page.title},
		Matched:    page.matched, Offset: page.filter.Offset,
		Incidents: page.incidents, Links: viewLinks(page.links),
		Query: without(c.QueryParams(), "f", "limit", "offset").Encode(),
		Pin:   viewPin(c, page.filter),
	}, json.RawMessage(buf.Bytes()), cfg))
}

func (s *Server) collectionsHTML(c echo.Context, cols []collectionJSON) error {
	return s.render(c, http.StatusOK, views.CollectionsPage(collectionViews(cols)))
}

func (s *Server) collectionHTML(c echo.Context, col collectionJSON) error {
	return s.render(c, http.StatusOK, views.CollectionPage(collectionViews([]collectionJSON{col})[0]))
}

func collectionViews(cols []collectionJSON) []views.Collection {
	out := make([]views.Collection, len(cols))
	for i, c := range cols {
		out[i] = views.Collection{ID: c.ID, Title: c.Title, Description: c.Description, Attribution: c.Attribution, Links: viewLinks(c.Links)}
		if c.Extent != nil {
			out[i].BBox = c.Extent.Spatial.BBox[0]
			if c.Extent.Temporal != nil {
				out[i].Interval = *c.Extent.Temporal.Interval[0][0] + " – " + *c.Extent.Temporal.Interval[0][1]
			}
		}
	}
	return out
}

func (s *Server) conformanceHTML(c echo.Context) error {
	return s.render(c, http.StatusOK, views.ConformancePage(s.conformsTo()))
}

func (s *Server) apiHTML(c echo.Context) error {
	var docs []views.Param
	for _, p := range params {
		if p.scope == mapView {
			continue
		}
		docs = append(docs, views.Param{Name: p.name, Doc: p.doc, Incidents: p.scope == incidentsOnly || p.scope == pinned})
	}
	return s.render(c, http.StatusOK, views.APIPage(docs))
}

func (s *Server) errorHTML(c echo.Context, status int, detail string) error {
	title := http.StatusText(status)
	if tr := i18n.T(c.Request().Context(), "error."+strconv.Itoa(status)); tr != "error."+strconv.Itoa(status) {
		title = tr
	}
	return s.render(c, status, views.ErrorPage(status, title, detail))
}

// readableTime is a pin's time as pages show it.
func readableTime(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04:05 UTC") }

// viewPin is what a page says of its pin and keeps in its links.
func viewPin(c echo.Context, f geo.Filter) views.Pin {
	if f.AsOf.IsZero() {
		return views.Pin{}
	}
	return views.Pin{AsOf: readableTime(f.AsOf), Query: "?" + pinQuery(c.QueryParams()).Encode()}
}
