package web

import (
	"bytes"
	"math"
	"strconv"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// handleItems serves a collection's features as an RFC 7946 FeatureCollection.
func (s *Server) handleItems(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := parseFilter(c.QueryParams())
	if err != nil {
		return err
	}
	name := c.Param("collection")
	var buf bytes.Buffer
	if name == geo.IncidentsCollection {
		page, err := s.cfg.Store.Incidents(ctx, f)
		if err != nil {
			return err
		}
		writeCollectionHead(&buf, page.NumberMatched, len(page.Incidents))
		for i, inc := range page.Incidents {
			b, err := geo.MarshalIncident(inc)
			if err != nil {
				return err
			}
			writeFeature(&buf, i, b)
		}
		buf.WriteString("]}\n")
		return writeGeoJSON(c, buf.Bytes())
	}

	layer, err := s.cfg.Store.Layer(ctx, name)
	if err != nil {
		return err
	}
	if !f.From.IsZero() || !f.To.IsZero() || len(f.EventTypes) > 0 {
		return &geo.Error{Kind: geo.EInvalid, Message: "invalid query parameters",
			Problems: []geo.Problem{{Field: "datetime, event_type", Reason: "apply to incidents only, not to collection " + strconv.Quote(name)}}}
	}
	f = f.Normalize()
	var matched []*geojson.Feature
	for _, feat := range layer.Features {
		if f.BBox == nil || intersects(feat.Geometry.Bound(), *f.BBox) {
			matched = append(matched, feat)
		}
	}
	page := matched[min(f.Offset, len(matched)):min(f.Offset+f.Limit, len(matched))]
	writeCollectionHead(&buf, len(matched), len(page))
	for i, feat := range page {
		b, err := geo.MarshalFeature(feat.ID.(int), withMeasures(feat))
		if err != nil {
			return err
		}
		writeFeature(&buf, i, b)
	}
	buf.WriteString("]}\n")
	return writeGeoJSON(c, buf.Bytes())
}

// handleItem serves one feature of a collection.
func (s *Server) handleItem(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return geo.Errorf(geo.ENotFound, "feature %q not found: feature ids are positive integers", c.Param("id"))
	}
	name := c.Param("collection")
	if name == geo.IncidentsCollection {
		inc, err := s.cfg.Store.Incident(ctx, id)
		if err != nil {
			return err
		}
		b, err := geo.MarshalIncident(inc)
		if err != nil {
			return err
		}
		return writeGeoJSON(c, b)
	}
	layer, err := s.cfg.Store.Layer(ctx, name)
	if err != nil {
		return err
	}
	if id > int64(len(layer.Features)) {
		return geo.Errorf(geo.ENotFound, "feature %d not found in collection %q", id, name)
	}
	feat := layer.Features[id-1]
	b, err := geo.MarshalFeature(feat.ID.(int), withMeasures(feat))
	if err != nil {
		return err
	}
	return writeGeoJSON(c, b)
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

func writeCollectionHead(buf *bytes.Buffer, matched, returned int) {
	buf.WriteString(`{"type":"FeatureCollection","numberMatched":`)
	buf.WriteString(strconv.Itoa(matched))
	buf.WriteString(`,"numberReturned":`)
	buf.WriteString(strconv.Itoa(returned))
	buf.WriteString(`,"features":[`)
}

func writeFeature(buf *bytes.Buffer, i int, b []byte) {
	if i > 0 {
		buf.WriteByte(',')
	}
	buf.WriteString("\n")
	buf.Write(b)
}
