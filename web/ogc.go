package web

import (
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/views"
	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
)

// OGC API – Features, Part 1: Core (OGC 17-069r4).
const (
	crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	trs   = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
)

var conformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
}

// Media types.
const (
	mediaJSON    = "application/json"
	mediaHTML    = "text/html"
	mediaOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
	mediaCSV     = "text/csv"
)

// negotiate picks html or json for a resource: f wins, then Accept.
// htmlFirst says what a client that states no preference gets.
func negotiate(r *http.Request, htmlFirst bool) string {
	switch r.URL.Query().Get("f") {
	case "html":
		return "html"
	case "json", "geojson":
		return "json"
	}
	accept := r.Header.Get("Accept")
	html, json := strings.Index(accept, "text/html"), strings.Index(accept, "json")
	switch {
	case html >= 0 && (json < 0 || html < json):
		return "html"
	case json >= 0:
		return "json"
	case htmlFirst:
		return "html"
	}
	return "json"
}

// baseURL is the absolute URL the site is reached at, from --base-url or
// from the request.
func (s *Server) baseURL(c echo.Context) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimRight(s.cfg.BaseURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// withQuery returns base+path with q, dropping empty values.
func withQuery(base, path string, q url.Values) string {
	if enc := q.Encode(); enc != "" {
		return base + path + "?" + enc
	}
	return base + path
}

// withFormat returns a copy of q with f set.
func withFormat(q url.Values, f string) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = v
	}
	out.Set("f", f)
	return out
}

func (s *Server) handleLanding(c echo.Context) error {
	if negotiate(c.Request(), true) == "html" {
		return s.handleMap(c)
	}
	base := s.baseURL(c)
	return s.writeJSON(c, mediaJSON, map[string]any{
		"title":       "Borderwatch",
		"description": "Sourced border and security incidents around the Tunisia–Libya border, with context layers, as OGC API – Features.",
		"links": []views.Link{
			{Href: base + "/?f=json", Rel: "self", Type: mediaJSON, Title: "This document"},
			{Href: base + "/?f=html", Rel: "alternate", Type: mediaHTML, Title: "The map"},
			{Href: base + "/openapi", Rel: "service-desc", Type: mediaOpenAPI, Title: "The API definition"},
			{Href: base + "/openapi?f=html", Rel: "service-doc", Type: mediaHTML, Title: "The API documentation"},
			{Href: base + "/conformance", Rel: "conformance", Type: mediaJSON, Title: "Conformance classes"},
			{Href: base + "/collections", Rel: "data", Type: mediaJSON, Title: "Collections"},
		},
	})
}

func (s *Server) handleConformance(c echo.Context) error {
	if negotiate(c.Request(), false) == "html" {
		return s.render(c, http.StatusOK, views.ConformancePage(conformance))
	}
	return s.writeJSON(c, mediaJSON, map[string]any{"conformsTo": conformance})
}

// collectionJSON is a collection's description.
type collectionJSON struct {
	ID          string       `json:"id"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Attribution string       `json:"attribution,omitempty"`
	Extent      *extentJSON  `json:"extent,omitempty"`
	ItemType    string       `json:"itemType"`
	CRS         []string     `json:"crs"`
	Links       []views.Link `json:"links"`
}

type extentJSON struct {
	Spatial struct {
		BBox [][4]float64 `json:"bbox"`
		CRS  string       `json:"crs"`
	} `json:"spatial"`
	Temporal *struct {
		Interval [][2]*string `json:"interval"`
		TRS      string       `json:"trs"`
	} `json:"temporal,omitempty"`
}

func newExtent(b orb.Bound, first, last time.Time) *extentJSON {
	e := &extentJSON{}
	e.Spatial.BBox = [][4]float64{{round6(b.Min[0]), round6(b.Min[1]), round6(b.Max[0]), round6(b.Max[1])}}
	e.Spatial.CRS = crs84
	if !first.IsZero() {
		start := first.UTC().Format(time.RFC3339)
		end := last.UTC().Add(24*time.Hour - time.Second).Format(time.RFC3339)
		e.Temporal = &struct {
			Interval [][2]*string `json:"interval"`
			TRS      string       `json:"trs"`
		}{Interval: [][2]*string{{&start, &end}}, TRS: trs}
	}
	return e
}

// collections describes every collection: incidents first, then the layers.
func (s *Server) collections(c echo.Context) ([]collectionJSON, error) {
	ctx := c.Request().Context()
	base := s.baseURL(c)
	ext, err := s.cfg.Store.IncidentsExtent(ctx)
	if err != nil {
		return nil, err
	}
	inc := collectionJSON{ID: geo.IncidentsCollection, Title: "Incidents",
		Description: "Border and security incidents, each with its sources, ACLED event types, actors, casualties (unknown is not 0) and time and place precision.",
		Attribution: s.cfg.DataAttribution}
	if ext.Count > 0 {
		inc.Extent = newExtent(ext.Bound, ext.First, ext.Last)
	}
	out := []collectionJSON{inc}
	layers, err := s.cfg.Store.Layers(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range layers {
		col := collectionJSON{ID: l.ID, Title: l.Title, Description: l.Description, Attribution: l.Attribution}
		if len(l.Features) > 0 {
			b := l.Features[0].Geometry.Bound()
			for _, f := range l.Features[1:] {
				b = b.Union(f.Geometry.Bound())
			}
			col.Extent = newExtent(b, time.Time{}, time.Time{})
		}
		out = append(out, col)
	}
	for i := range out {
		out[i].ItemType, out[i].CRS = "feature", []string{crs84}
		p := base + "/collections/" + url.PathEscape(out[i].ID)
		out[i].Links = []views.Link{
			{Href: p + "?f=json", Rel: "self", Type: mediaJSON, Title: "This collection"},
			{Href: p + "?f=html", Rel: "alternate", Type: mediaHTML, Title: "This collection as HTML"},
			{Href: p + "/items?f=json", Rel: "items", Type: geoJSON, Title: "Its features as GeoJSON"},
			{Href: p + "/items?f=html", Rel: "items", Type: mediaHTML, Title: "Its features as HTML"},
		}
		if out[i].ID == geo.IncidentsCollection {
			out[i].Links = append(out[i].Links,
				views.Link{Href: base + "/export/incidents.geojson", Rel: "enclosure", Type: geoJSON, Title: "Download every incident as GeoJSON"},
				views.Link{Href: base + "/export/incidents.csv", Rel: "enclosure", Type: mediaCSV, Title: "Download every incident as CSV"})
		}
	}
	return out, nil
}

func (s *Server) handleCollections(c echo.Context) error {
	cols, err := s.collections(c)
	if err != nil {
		return err
	}
	if negotiate(c.Request(), false) == "html" {
		return s.render(c, http.StatusOK, views.CollectionsPage(collectionViews(cols)))
	}
	base := s.baseURL(c)
	return s.writeJSON(c, mediaJSON, map[string]any{
		"links": []views.Link{
			{Href: base + "/collections?f=json", Rel: "self", Type: mediaJSON, Title: "This document"},
			{Href: base + "/collections?f=html", Rel: "alternate", Type: mediaHTML, Title: "This document as HTML"},
		},
		"collections": cols,
	})
}

func (s *Server) handleCollection(c echo.Context) error {
	cols, err := s.collections(c)
	if err != nil {
		return err
	}
	for _, col := range cols {
		if col.ID != c.Param("collection") {
			continue
		}
		if negotiate(c.Request(), false) == "html" {
			return s.render(c, http.StatusOK, views.CollectionPage(collectionViews([]collectionJSON{col})[0]))
		}
		return s.writeJSON(c, mediaJSON, col)
	}
	return geo.Errorf(geo.ENotFound, "collection %q not found", c.Param("collection"))
}

func collectionViews(cols []collectionJSON) []views.Collection {
	out := make([]views.Collection, len(cols))
	for i, c := range cols {
		out[i] = views.Collection{ID: c.ID, Title: c.Title, Description: c.Description, Attribution: c.Attribution, Links: c.Links}
		if c.Extent != nil {
			out[i].BBox = c.Extent.Spatial.BBox[0]
			if c.Extent.Temporal != nil {
				out[i].Interval = *c.Extent.Temporal.Interval[0][0] + " – " + *c.Extent.Temporal.Interval[0][1]
			}
		}
	}
	return out
}

func round6(x float64) float64 { return math.Round(x*geo.CoordFactor) / geo.CoordFactor }
