package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
	fastjson "github.com/segmentio/encoding/json"
)

// What orb's decoder lets through and we must not: positions with fewer
// than two numbers (orb reads [] and [5] as the point 0,0 or 5,0), and ids
// that a JSON number cannot hold exactly. The geometry is read here, in
// the same pass that checks it, with the faster decoder.

// MaxID is the largest id an incident may have: 2^53 - 1, the largest
// integer every JSON reader (JavaScript's included) holds exactly.
const MaxID = 1<<53 - 1

// geometryDepths is how deep each geometry type nests its positions.
var geometryDepths = map[string]int{"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}

// decodeGeometry reads a GeoJSON geometry, checking the nesting and length
// of its positions as it goes: the geometry as orb's decoder gives it
// (TestGeometryDecodedAsOrbDoes), or the reason it is refused.
func decodeGeometry(raw json.RawMessage) (orb.Geometry, string) {
	var g struct {
		Type        string            `json:"type"`
		Coordinates json.RawMessage   `json:"coordinates"`
		Geometries  []json.RawMessage `json:"geometries"`
	}
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, "is missing"
	}
	if err := fastjson.Unmarshal(raw, &g); err != nil {
		return nil, "is not a GeoJSON geometry"
	}
	if g.Type == "GeometryCollection" {
		c := make(orb.Collection, 0, len(g.Geometries))
		for i, m := range g.Geometries {
			member, p := decodeGeometry(m)
			if p != "" {
				return nil, fmt.Sprintf("member %d %s", i, p)
			}
			c = append(c, member)
		}
		return c, ""
	}
	d, ok := geometryDepths[g.Type]
	if !ok {
		return nil, fmt.Sprintf("has unknown type %q", g.Type)
	}
	where := g.Type + " coordinates"
	switch d {
	case 0:
		p, problem := position(g.Coordinates, where)
		if problem != "" {
			return nil, problem
		}
		return p, ""
	case 1:
		points, p := positions(g.Coordinates, where)
		if p != "" {
			return nil, p
		}
		if g.Type == "MultiPoint" {
			return orb.MultiPoint(points), ""
		}
		return orb.LineString(points), ""
	case 2:
		lines, p := nested(g.Coordinates, where, positions)
		if p != "" {
			return nil, p
		}
		if g.Type == "MultiLineString" {
			return convert[orb.MultiLineString](lines, func(l []orb.Point) orb.LineString { return l }), ""
		}
		return convert[orb.Polygon](lines, func(l []orb.Point) orb.Ring { return l }), ""
	}
	polygons, p := nested(g.Coordinates, where, func(raw json.RawMessage, where string) ([][]orb.Point, string) {
		return nested(raw, where, positions)
	})
	if p != "" {
		return nil, p
	}
	return convert[orb.MultiPolygon](polygons, func(rings [][]orb.Point) orb.Polygon {
		return convert[orb.Polygon](rings, func(l []orb.Point) orb.Ring { return l })
	}), ""
}

// position reads one position: two numbers (a third, the altitude, is
// allowed and dropped, as orb drops it).
func position(raw json.RawMessage, where string) (orb.Point, string) {
	var items []json.RawMessage
	if err := fastjson.Unmarshal(raw, &items); err != nil {
		return orb.Point{}, where + " must be an array"
	}
	if len(items) < 2 || len(items) > 3 {
		return orb.Point{}, fmt.Sprintf("%s must be a position of 2 numbers [lon, lat], got %d", where, len(items))
	}
	var p orb.Point
	for i, n := range items {
		v, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return orb.Point{}, fmt.Sprintf("%s must hold numbers, got %s", where, n)
		}
		if i < 2 {
			p[i] = v
		}
	}
	return p, ""
}

// positions reads an array of positions.
func positions(raw json.RawMessage, where string) ([]orb.Point, string) {
	return nested(raw, where, func(raw json.RawMessage, where string) (orb.Point, string) { return position(raw, where) })
}

// nested reads an array of what each reads, saying where a problem is.
func nested[T any](raw json.RawMessage, where string, each func(json.RawMessage, string) (T, string)) ([]T, string) {
	var items []json.RawMessage
	if err := fastjson.Unmarshal(raw, &items); err != nil {
		return nil, where + " must be an array"
	}
	out := make([]T, 0, len(items))
	for i, it := range items {
		v, p := each(it, fmt.Sprintf("%s[%d]", where, i))
		if p != "" {
			return nil, p
		}
		out = append(out, v)
	}
	return out, ""
}

func convert[S ~[]E, E, T any](in []T, f func(T) E) S {
	out := make(S, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// parseID reads a feature id: absent, or a whole number from 1 to MaxID.
func parseID(raw json.RawMessage) (int64, string) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return 0, ""
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || n < 1 || n > MaxID {
		return 0, fmt.Sprintf("must be a whole number from 1 to %d, got %s", int64(MaxID), raw)
	}
	return n, ""
}
