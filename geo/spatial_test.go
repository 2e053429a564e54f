package geo_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

func TestDistanceToLineKm(t *testing.T) {
	equator := orb.LineString{{0, 0}, {10, 0}}
	tests := []struct {
		name string
		p    orb.Point
		line orb.Geometry
		want float64
	}{
		{"one degree north of the middle", orb.Point{5, 1}, equator, 111.195},
		{"on the line", orb.Point{3, 0}, equator, 0},
		{"beyond the end is measured to the end", orb.Point{11, 0}, equator, 111.195},
		{"nearest of several lines", orb.Point{5, 1}, orb.MultiLineString{equator, {{0, 1.5}, {10, 1.5}}}, 55.597},
		{"across the antimeridian", orb.Point{179.5, 0}, orb.LineString{{-179.5, -1}, {-179.5, 1}}, 111.195},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := geo.DistanceToLineKm(tt.p, tt.line); math.Abs(got-tt.want) > 0.01*tt.want+0.001 {
				t.Errorf("got %.3f km, want %.3f km", got, tt.want)
			}
		})
	}
}

func TestLengthKm(t *testing.T) {
	// Ras Jedir to Ben Guerdane, about 33 km as the crow flies.
	got := geo.LengthKm(orb.LineString{{11.55, 33.15}, {11.21965, 33.13783}})
	if math.Abs(got-30.8) > 0.5 {
		t.Errorf("got %.2f km, want about 30.8 km", got)
	}
	if got := geo.DistanceKm(orb.Point{11.55, 33.15}, orb.Point{11.21965, 33.13783}); math.Abs(got-30.8) > 0.5 {
		t.Errorf("DistanceKm: got %.2f km, want about 30.8 km", got)
	}
	if got := geo.LengthKm(orb.Point{1, 1}); got != 0 {
		t.Errorf("point: got %v, want 0", got)
	}
}

func TestBufferBoundHoldsTheBuffer(t *testing.T) {
	b := orb.Bound{Min: orb.Point{10, 32}, Max: orb.Point{11.5, 33.2}}
	bb := geo.BufferBound(b, 10)
	for _, p := range []orb.Point{{10, 32}, {11.5, 33.2}} {
		for bearing := 0.0; bearing < 360; bearing += 45 {
			q := pointAt(p, bearing, 9.99)
			if !bb.Contains(q) {
				t.Errorf("point %v at 10 km of %v is outside the buffered box %v", q, p, bb)
			}
		}
	}
}

func pointAt(p orb.Point, bearing, km float64) orb.Point {
	r := bearing * math.Pi / 180
	dLat := km * math.Cos(r) / 111.195
	dLon := km * math.Sin(r) / (111.195 * math.Cos(p[1]*math.Pi/180))
	return orb.Point{p[0] + dLon, p[1] + dLat}
}

func ExampleDistanceToLineKm() {
	barrier := orb.LineString{{11.48, 33.17}, {11.40, 32.90}}
	benGuerdane := orb.Point{11.21965, 33.13783}
	fmt.Printf("%.0f km\n", geo.DistanceToLineKm(benGuerdane, barrier))
	// Output: 23 km
}
