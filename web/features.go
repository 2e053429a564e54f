package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/labstack/echo/v4"
)

// handleItems serves a page of a collection's features: GeoJSON with OGC
// paging links, or HTML with a map.
func (s *Server) handleItems(c echo.Context) error {
	ctx := c.Request().Context()
	name := c.Param("collection")
	page := featuresPage{collection: name, title: incidentTitles[name]}
	if !geo.IsIncidents(name) { // an unknown collection is a 404 before its parameters are judged
		layer, err := s.cfg.Store.Layer(ctx, name)
		if err != nil {
			return err
		}
		page.title = layer.Title
	}
	q := c.QueryParams()
	f, err := parseFilter(q, scopesOf(name))
	if err != nil {
		return err
	}
	if q.Get("limit") == "" {
		f.Limit = defaultLimit
	}
	f.MarkerInBox = name == geo.IncidentPointsCollection
	page.filter = f.Normalize()
	if geo.IsIncidents(name) {
		res, err := s.cfg.Store.Incidents(ctx, page.filter)
		if err != nil {
			return err
		}
		page.matched, page.incidents = res.NumberMatched, res.Incidents
	} else {
		res, err := s.cfg.Store.LayerFeatures(ctx, name, page.filter)
		if err != nil {
			return err
		}
		page.matched, page.features = res.NumberMatched, res.Features
	}
	page.links = s.pageLinks(c, page)
	if wantsHTML(c) {
		return s.featuresHTML(c, page)
	}
	buf := buffers.Get().(*bytes.Buffer)
	defer putBuffer(buf)
	if err := writeFeatures(buf, page, s.now()); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, mediaGeoJSON, buf.Bytes())
}

// pageLinks are a page's self, alternate and collection links, and its
// neighbours'.
func (s *Server) pageLinks(c echo.Context, page featuresPage) []Link {
	base := s.baseURL(c)
	path := base + "/collections/" + url.PathEscape(page.collection)
	q := c.QueryParams()
	at := func(offset int) url.Values {
		if offset > 0 {
			return withParam(q, "offset", strconv.Itoa(offset))
		}
		return withParam(q, "offset", "")
	}
	f := page.filter
	links := append(selfLinks(path+"/items", at(f.Offset), mediaGeoJSON, "This page"),
		Link{Href: path + "?f=json", Rel: "collection", Type: mediaJSON, Title: "The collection"})
	if f.Offset+page.returned() < page.matched {
		links = append(links, Link{Href: withQuery(path+"/items", withParam(at(f.Offset+f.Limit), "f", "json")), Rel: "next", Type: mediaGeoJSON, Title: "Next page"})
	}
	if f.Offset > 0 {
		links = append(links, Link{Href: withQuery(path+"/items", withParam(at(max(0, f.Offset-f.Limit)), "f", "json")), Rel: "prev", Type: mediaGeoJSON, Title: "Previous page"})
	}
	return links
}
