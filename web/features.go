package web

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/views"
	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// items is one page of a collection, in the form every format is made from.
type items struct {
	collection string
	title      string
	filter     geo.Filter
	matched    int
	features   [][]byte // each an RFC 7946 Feature
	incidents  []geo.Incident
}

// page reads one page of a collection under the request's filters.
func (s *Server) page(c echo.Context) (items, error) {
	ctx := c.Request().Context()
	name := c.Param("collection")
	isIncidents := name == geo.IncidentsCollection
	var layer geo.Layer
	if !isIncidents { // an unknown collection is a 404 before its parameters are judged
		var err error
		if layer, err = s.cfg.Store.Layer(ctx, name); err != nil {
			return items{}, err
		}
	}
	q := c.QueryParams()
	f, err := parseFilter(q, isIncidents)
	if err != nil {
		return items{}, err
	}
	if q.Get("limit") == "" {
		f.Limit = defaultLimit
	}
	f = f.Normalize()
	out := items{collection: name, title: layer.Title, filter: f}
	if isIncidents {
		out.title = "Incidents"
	}
	if isIncidents {
		page, err := s.cfg.Store.Incidents(ctx, f)
		if err != nil {
			return out, err
		}
		out.matched, out.incidents = page.NumberMatched, page.Incidents
		for _, inc := range page.Incidents {
			b, err := geo.MarshalIncident(inc)
			if err != nil {
				return out, err
			}
			out.features = append(out.features, b)
		}
		return out, nil
	}
	var matched []*geojson.Feature
	for _, feat := range layer.Features {
		if f.BBox == nil || intersects(feat.Geometry.Bound(), *f.BBox) {
			matched = append(matched, feat)
		}
	}
	out.matched = len(matched)
	for _, feat := range matched[min(f.Offset, len(matched)):min(f.Offset+f.Limit, len(matched))] {
		b, err := geo.MarshalFeature(feat.ID.(int), withMeasures(feat))
		if err != nil {
			return out, err
		}
		out.features = append(out.features, b)
	}
	return out, nil
}

// defaultLimit is how many items a page holds when the client does not say.
const defaultLimit = 1000

// handleItems serves a page of a collection's features: GeoJSON with OGC
// paging links, or HTML with a map.
func (s *Server) handleItems(c echo.Context) error {
	page, err := s.page(c)
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	path := "/collections/" + url.PathEscape(page.collection) + "/items"
	q := c.QueryParams()
	at := func(offset int, f string) string {
		v := withFormat(q, f)
		if offset > 0 {
			v.Set("offset", strconv.Itoa(offset))
		} else {
			v.Del("offset")
		}
		return withQuery(base, path, v)
	}
	f := page.filter
	links := []views.Link{
		{Href: at(f.Offset, "json"), Rel: "self", Type: geoJSON, Title: "This page"},
		{Href: at(f.Offset, "html"), Rel: "alternate", Type: mediaHTML, Title: "This page as HTML"},
		{Href: base + "/collections/" + url.PathEscape(page.collection) + "?f=json", Rel: "collection", Type: mediaJSON, Title: "The collection"},
	}
	if f.Offset+len(page.features) < page.matched {
		links = append(links, views.Link{Href: at(f.Offset+f.Limit, "json"), Rel: "next", Type: geoJSON, Title: "Next page"})
	}
	if f.Offset > 0 {
		links = append(links, views.Link{Href: at(max(0, f.Offset-f.Limit), "json"), Rel: "prev", Type: geoJSON, Title: "Previous page"})
	}
	if negotiate(c.Request(), false) == "html" {
		return s.itemsPage(c, page, links)
	}

	var buf bytes.Buffer
	buf.WriteString(`{"type":"FeatureCollection","numberMatched":`)
	buf.WriteString(strconv.Itoa(page.matched))
	buf.WriteString(`,"numberReturned":`)
	buf.WriteString(strconv.Itoa(len(page.features)))
	buf.WriteString(`,"timeStamp":"`)
	buf.WriteString(time.Now().UTC().Format(time.RFC3339))
	buf.WriteString(`","links":`)
	lb, _ := json.Marshal(links)
	buf.Write(lb)
	buf.WriteString(`,"features":[`)
	for i, b := range page.features {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n")
		buf.Write(b)
	}
	buf.WriteString("]}\n")
	return c.Blob(http.StatusOK, geoJSON, buf.Bytes())
}

// handleItem serves one feature of a collection.
func (s *Server) handleItem(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return geo.Errorf(geo.ENotFound, "feature %q not found: feature ids are positive integers", c.Param("id"))
	}
	name := c.Param("collection")
	base := s.baseURL(c)
	self := base + "/collections/" + url.PathEscape(name) + "/items/" + strconv.FormatInt(id, 10)
	links := []views.Link{
		{Href: self + "?f=json", Rel: "self", Type: geoJSON, Title: "This feature"},
		{Href: self + "?f=html", Rel: "alternate", Type: mediaHTML, Title: "This feature as HTML"},
		{Href: base + "/collections/" + url.PathEscape(name) + "?f=json", Rel: "collection", Type: mediaJSON, Title: "The collection"},
	}
	html := negotiate(c.Request(), false) == "html"
	var body []byte
	if name == geo.IncidentsCollection {
		inc, err := s.cfg.Store.Incident(ctx, id)
		if err != nil {
			return err
		}
		if html {
			return s.incidentPage(c, inc)
		}
		body, err = geo.MarshalIncident(inc)
		if err != nil {
			return err
		}
	} else {
		layer, err := s.cfg.Store.Layer(ctx, name)
		if err != nil {
			return err
		}
		if id > int64(len(layer.Features)) {
			return geo.Errorf(geo.ENotFound, "feature %d not found in collection %q", id, name)
		}
		if body, err = geo.MarshalFeature(int(id), withMeasures(layer.Features[id-1])); err != nil {
			return err
		}
		if html {
			return s.featurePage(c, layer, int(id), body)
		}
	}
	// Add the links beside the feature's own members.
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return err
	}
	m["links"], _ = json.Marshal(links)
	return s.writeJSON(c, geoJSON, m)
}

// writeJSON writes v as JSON with the given media type.
func (s *Server) writeJSON(c echo.Context, media string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, media, append(b, '\n'))
}

// withMeasures adds the app's own haversine length to line features, so a
// reader can set it beside lengths that reports give.
func withMeasures(f *geojson.Feature) *geojson.Feature {
	switch f.Geometry.(type) {
	case orb.LineString, orb.MultiLineString:
	default:
		return f
	}
	props := make(geojson.Properties, len(f.Properties)+1)
	for k, v := range f.Properties {
		props[k] = v
	}
	props["measured_length_km"] = math.Round(geo.LengthKm(f.Geometry)*10) / 10
	out := *f
	out.Properties = props
	return &out
}

func intersects(a, b orb.Bound) bool {
	if b.Min[0] > b.Max[0] { // crosses the antimeridian
		return intersects(a, orb.Bound{Min: b.Min, Max: orb.Point{180, b.Max[1]}}) ||
			intersects(a, orb.Bound{Min: orb.Point{-180, b.Min[1]}, Max: b.Max})
	}
	return a.Max[0] >= b.Min[0] && a.Min[0] <= b.Max[0] && a.Max[1] >= b.Min[1] && a.Min[1] <= b.Max[1]
}
