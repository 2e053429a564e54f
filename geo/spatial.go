package geo

import (
	"math"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// EarthRadiusKm is the mean Earth radius used by every distance here.
const EarthRadiusKm = orb.EarthRadius / 1000

// LengthKm is the haversine length of g's lines in kilometres (0 for points).
func LengthKm(g orb.Geometry) float64 { return orbgeo.LengthHaversine(g) / 1000 }

// DistanceKm is the great-circle (haversine) distance between two points.
func DistanceKm(a, b orb.Point) float64 { return orbgeo.DistanceHaversine(a, b) / 1000 }

// DistanceToLineKm is the shortest distance in kilometres from p to any
// segment of the lines in g (a LineString or MultiLineString; polygons by
// their rings, points as themselves). Each segment is measured in a local
// equirectangular projection centred on p, which is exact to well under 1%
// at the few hundred kilometres this is used for.
func DistanceToLineKm(p orb.Point, g orb.Geometry) float64 {
	best := math.Inf(1)
	eachLine(g, func(ls orb.LineString) {
		if len(ls) == 1 {
			best = math.Min(best, segmentKm(p, ls[0], ls[0]))
		}
		for i := 1; i < len(ls); i++ {
			best = math.Min(best, segmentKm(p, ls[i-1], ls[i]))
		}
	})
	return best
}

// DistanceToKm is the distance in km from g (any incident geometry, by its
// vertices) to the lines of line.
func DistanceToKm(g, line orb.Geometry) float64 {
	best := -1.0
	eachLine(g, func(ls orb.LineString) {
		for _, p := range ls {
			if d := DistanceToLineKm(p, line); best < 0 || d < best {
				best = d
			}
		}
	})
	return best
}

// eachLine calls fn with every line of g: rings as lines, points as lines of
// one position.
func eachLine(g orb.Geometry, fn func(orb.LineString)) {
	switch g := g.(type) {
	case orb.Point:
		fn(orb.LineString{g})
	case orb.MultiPoint:
		fn(orb.LineString(g))
	case orb.LineString:
		fn(g)
	case orb.Ring:
		fn(orb.LineString(g))
	case orb.MultiLineString:
		for _, ls := range g {
			fn(ls)
		}
	case orb.Polygon:
		for _, r := range g {
			fn(orb.LineString(r))
		}
	case orb.MultiPolygon:
		for _, poly := range g {
			eachLine(poly, fn)
		}
	case orb.Collection:
		for _, c := range g {
			eachLine(c, fn)
		}
	}
}

// segmentKm is the distance from p to segment ab, in a projection centred on p.
func segmentKm(p, a, b orb.Point) float64 {
	k := math.Pi / 180 * EarthRadiusKm
	cos := math.Cos(p[1] * math.Pi / 180)
	proj := func(q orb.Point) (float64, float64) {
		dx := q[0] - p[0]
		// Take the short way round the antimeridian.
		if dx > 180 {
			dx -= 360
		} else if dx < -180 {
			dx += 360
		}
		return dx * cos * k, (q[1] - p[1]) * k
	}
	ax, ay := proj(a)
	bx, by := proj(b)
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
	}
	return math.Hypot(ax+t*dx, ay+t*dy)
}

// BufferBound returns the box that holds every point within km of b, for a
// first cut before exact distances.
func BufferBound(b orb.Bound, km float64) orb.Bound {
	// 1% over, so that rounding and the radius used never cut a point off.
	dLat := 1.01 * km / EarthRadiusKm * 180 / math.Pi
	maxLat := math.Min(89.9, math.Max(math.Abs(b.Min[1]), math.Abs(b.Max[1]))+dLat)
	dLon := dLat / math.Cos(maxLat*math.Pi/180)
	return orb.Bound{
		Min: orb.Point{math.Max(-180, b.Min[0]-dLon), math.Max(-90, b.Min[1]-dLat)},
		Max: orb.Point{math.Min(180, b.Max[0]+dLon), math.Min(90, b.Max[1]+dLat)},
	}
}

// RepresentativePoint is where a marker for g goes: the point itself, the
// middle of a line (by vertex), or the centre of a shape's box.
func RepresentativePoint(g orb.Geometry) orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return g
	case orb.LineString:
		if len(g) > 0 {
			return g[len(g)/2]
		}
	}
	return g.Bound().Center()
}
