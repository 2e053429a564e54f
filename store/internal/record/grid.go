package record

import (
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// CellSpan is the block of cells, in a grid of N × N over the world in Web
// Mercator, that a box meets: one or, for a box across the antimeridian,
// two runs of columns, and one run of rows.
type CellSpan struct {
	N      int64
	Xs     [][2]int64
	Y0, Y1 int64
}

// CellsOf is the block of cells of an n × n grid that b meets (nil: all).
func CellsOf(b *orb.Bound, n int64) CellSpan {
	if b == nil {
		return CellSpan{N: n, Xs: [][2]int64{{0, n - 1}}, Y0: 0, Y1: n - 1}
	}
	cell := func(lon, lat float64) (int64, int64) {
		m := mercator(orb.Point{lon, lat})
		clamp := func(v float64) int64 { return max(0, min(n-1, int64(math.Floor(v*float64(n))))) }
		return clamp(m[0]), clamp(m[1])
	}
	x0, y0 := cell(b.Min[0], b.Max[1])
	x1, y1 := cell(b.Max[0], b.Min[1])
	s := CellSpan{N: n, Y0: y0, Y1: y1}
	if b.Min[0] <= b.Max[0] {
		s.Xs = [][2]int64{{x0, x1}}
	} else {
		s.Xs = [][2]int64{{x0, n - 1}, {0, x1}}
	}
	return s
}

// Whole reports whether s is the whole grid.
func (s CellSpan) Whole() bool {
	return len(s.Xs) == 1 && s.Xs[0] == [2]int64{0, s.N - 1} && s.Y0 == 0 && s.Y1 == s.N-1
}

// Bound is the box, in degrees, of the cells: a little wider, so that an
// index of 32-bit floats finds every candidate; the cell test decides.
func (s CellSpan) Bound() *orb.Bound {
	n := float64(s.N)
	lon := func(x int64) float64 { return float64(x)/n*360 - 180 }
	lat := func(y int64) float64 { return math.Atan(math.Sinh(math.Pi*(1-2*float64(y)/n))) * 180 / math.Pi }
	const eps = 1e-6
	b := &orb.Bound{Min: orb.Point{lon(s.Xs[0][0]) - eps, lat(s.Y1+1) - eps}, Max: orb.Point{lon(s.Xs[len(s.Xs)-1][1]+1) + eps, lat(s.Y0) + eps}}
	b.Min[0], b.Max[0] = max(b.Min[0], -180), min(b.Max[0], 180)
	return b
}

// Cell is the SQL for the cell number, in s's grid, of a Web Mercator
// fraction: cell(expr, n) says how the engine rounds expr × n down.
func (s CellSpan) Cell(expr string, cell func(expr, n string) string) string {
	return cell(expr, strconv.FormatInt(s.N, 10))
}

// Where is the SQL test that a row's cell, from columns x and y (its cell
// numbers, or its marker's Web Mercator fractions when cell is not nil), is
// in s.
func (s CellSpan) Where(x, y string, cell func(expr, n string) string) (string, []any) {
	if cell != nil {
		x, y = s.Cell(x, cell), s.Cell(y, cell)
	}
	var xs []string
	var args []any
	for _, r := range s.Xs {
		xs = append(xs, x+` BETWEEN ? AND ?`)
		args = append(args, r[0], r[1])
	}
	return `(` + strings.Join(xs, ` OR `) + `) AND ` + y + ` BETWEEN ? AND ?`, append(args, s.Y0, s.Y1)
}
