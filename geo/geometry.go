package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// GeometryProblems lists what makes g invalid under RFC 7946 and WGS 84
// ranges; it returns nil for a valid geometry.
func GeometryProblems(g orb.Geometry) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	point := func(where string, p orb.Point) {
		lon, lat := p[0], p[1]
		switch {
		case math.IsNaN(lon) || math.IsInf(lon, 0) || math.IsNaN(lat) || math.IsInf(lat, 0):
			add("%s is not a finite number", where)
		case lon < -180 || lon > 180:
			add("%s longitude %g is outside [-180, 180]", where, lon)
		case lat < -90 || lat > 90:
			add("%s latitude %g is outside [-90, 90] (GeoJSON positions are [lon, lat])", where, lat)
		}
	}
	line := func(where string, ls orb.LineString) {
		if len(ls) < 2 {
			add("%s needs at least 2 positions, got %d", where, len(ls))
		}
		for i, p := range ls {
			point(fmt.Sprintf("%s position %d", where, i), p)
		}
	}
	polygon := func(where string, poly orb.Polygon) {
		if len(poly) == 0 {
			add("%s has no rings", where)
		}
		for r, ring := range poly {
			rw := fmt.Sprintf("%s ring %d", where, r)
			if len(ring) < 4 {
				add("%s needs at least 4 positions, got %d", rw, len(ring))
			} else if ring[0] != ring[len(ring)-1] {
				add("%s is not closed: first and last positions differ", rw)
			}
			for i, p := range ring {
				point(fmt.Sprintf("%s position %d", rw, i), p)
			}
		}
	}
	var walk func(where string, g orb.Geometry)
	walk = func(where string, g orb.Geometry) {
		switch g := g.(type) {
		case nil:
			add("%s is missing", where)
		case orb.Point:
			point(where, g)
		case orb.MultiPoint:
			if len(g) == 0 {
				add("%s has no points", where)
			}
			for i, p := range g {
				point(fmt.Sprintf("%s point %d", where, i), p)
			}
		case orb.LineString:
			line(where, g)
		case orb.MultiLineString:
			if len(g) == 0 {
				add("%s has no lines", where)
			}
			for i, ls := range g {
				line(fmt.Sprintf("%s line %d", where, i), ls)
			}
		case orb.Polygon:
			polygon(where, g)
		case orb.MultiPolygon:
			if len(g) == 0 {
				add("%s has no polygons", where)
			}
			for i, p := range g {
				polygon(fmt.Sprintf("%s polygon %d", where, i), p)
			}
		case orb.Collection:
			for i, c := range g {
				walk(fmt.Sprintf("%s member %d", where, i), c)
			}
		default:
			add("%s has unsupported type %T", where, g)
		}
	}
	walk(geomName(g), g)
	return out
}

func geomName(g orb.Geometry) string {
	if g == nil {
		return "geometry"
	}
	return g.GeoJSONType()
}
