package web

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/fogleman/gg"
	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
)

// A picture of a view, drawn by the server in Go: the offline base map,
// the border, the barrier and the crossings, and the incidents the filters
// select (clusters where many), as the map page draws them. For link
// previews (Open Graph, Twitter cards) and "Download image": no browser, no
// tile server.

const (
	defaultPNGWidth, defaultPNGHeight = 1200, 630 // the size link previews use
	minPNGSide, maxPNGSide            = 200, 2000
)

// eventColours are the markers' colours, in the event types' order (as the
// stylesheet has them).
var eventColours = []string{"#d7301f", "#7a0177", "#f16913", "#2b8cbe", "#238b45", "#525252"}

// mercator projects a point to Web Mercator pixels at zoom z.
func mercator(p orb.Point, z float64) (float64, float64) {
	scale := 256 * math.Exp2(z)
	lat := math.Max(-85.0511, math.Min(85.0511, p[1])) * math.Pi / 180
	return (p[0] + 180) / 360 * scale, (1 - math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi) / 2 * scale
}

// viewport is what a picture shows: its centre in pixels at zoom z.
type viewport struct {
	z, cx, cy float64
	w, h      int
}

func (v viewport) px(p orb.Point) (float64, float64) {
	x, y := mercator(p, v.z)
	return x - v.cx + float64(v.w)/2, y - v.cy + float64(v.h)/2
}

// bound is the viewport's box in degrees.
func (v viewport) bound() orb.Bound {
	unproject := func(x, y float64) orb.Point {
		scale := 256 * math.Exp2(v.z)
		lon := x/scale*360 - 180
		lat := math.Atan(math.Sinh(math.Pi*(1-2*y/scale))) * 180 / math.Pi
		return orb.Point{math.Max(-180, math.Min(180, lon)), lat}
	}
	a := unproject(v.cx-float64(v.w)/2, v.cy+float64(v.h)/2)
	b := unproject(v.cx+float64(v.w)/2, v.cy-float64(v.h)/2)
	return orb.Bound{Min: a, Max: b}
}

// fit is the viewport that shows b whole, with a margin.
func fit(b orb.Bound, w, h int) viewport {
	x0, y1 := mercator(b.Min, 0)
	x1, y0 := mercator(b.Max, 0)
	dx, dy := math.Max(x1-x0, 1e-6), math.Max(y1-y0, 1e-6)
	z := math.Min(math.Log2(float64(w)*0.85/dx), math.Log2(float64(h)*0.85/dy))
	z = math.Max(1, math.Min(12, math.Floor(z*2)/2))
	cx, cy := mercator(b.Center(), z)
	return viewport{z: z, cx: cx, cy: cy, w: w, h: h}
}

// pictureView reads the view: "view" (zoom/lat/lon) as the map's URL has
// it, or the matching incidents' extent, or the region.
func pictureView(q map[string][]string, extent *orb.Bound, w, h int) (viewport, error) {
	if vs := q["view"]; len(vs) > 0 && vs[0] != "" {
		parts := strings.Split(vs[0], "/")
		var nums [3]float64
		ok := len(parts) == 3
		for i := 0; ok && i < 3; i++ {
			n, err := strconv.ParseFloat(parts[i], 64)
			ok = err == nil && !math.IsNaN(n) && !math.IsInf(n, 0)
			nums[i] = n
		}
		if !ok || nums[0] < 0 || nums[0] > 18 || math.Abs(nums[1]) > 85 || math.Abs(nums[2]) > 180 {
			return viewport{}, &geo.Error{Kind: geo.EInvalid, Message: "invalid query parameters",
				Problems: []geo.Problem{{Field: "view", Reason: "must be zoom/lat/lon, e.g. 7/33.1/11.2"}}}
		}
		cx, cy := mercator(orb.Point{nums[2], nums[1]}, nums[0])
		return viewport{z: nums[0], cx: cx, cy: cy, w: w, h: h}, nil
	}
	b := orb.Bound{Min: orb.Point{7.5, 29.5}, Max: orb.Point{15.5, 37.5}} // Tunisia and north-west Libya
	if extent != nil {
		b = *extent
		b.Min[0], b.Min[1], b.Max[0], b.Max[1] = b.Min[0]-0.5, b.Min[1]-0.5, b.Max[0]+0.5, b.Max[1]+0.5
	}
	return fit(b, w, h), nil
}

func sideParam(q map[string][]string, name string, def int) (int, error) {
	vs := q[name]
	if len(vs) == 0 || vs[0] == "" {
		return def, nil
	}
	n, err := strconv.Atoi(vs[0])
	if err != nil || n < minPNGSide || n > maxPNGSide {
		return 0, &geo.Error{Kind: geo.EInvalid, Message: "invalid query parameters",
			Problems: []geo.Problem{{Field: name, Reason: "must be a whole number of pixels from 200 to 2000, got " + strconv.Quote(vs[0])}}}
	}
	return n, nil
}

// handleMapPNG draws the view the page's parameters describe.
func (s *Server) handleMapPNG(c echo.Context) error {
	q := c.QueryParams()
	f, err := parseFilter(q, pageScopes, "width", "height")
	if err != nil {
		return err
	}
	w, err := sideParam(q, "width", defaultPNGWidth)
	if err != nil {
		return err
	}
	h, err := sideParam(q, "height", defaultPNGHeight)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var extent *orb.Bound
	if len(q["view"]) == 0 || q.Get("view") == "" { // the matches' extent frames it
		stats, err := s.cfg.Store.Stats(ctx, f)
		if err != nil {
			return err
		}
		extent = stats.Bound
	}
	v, err := pictureView(q, extent, w, h)
	if err != nil {
		return err
	}
	dc := gg.NewContext(w, h)
	dc.SetHexColor("#cfe0ea") // the sea
	dc.Clear()
	layers, err := s.cfg.Store.Layers(ctx)
	if err != nil {
		return err
	}
	box := v.bound()
	for _, kind := range []string{geo.KindBasemap, geo.KindBorder, geo.KindBarrier, geo.KindCrossing} {
		for _, l := range layers {
			if l.Kind != kind {
				continue
			}
			page, err := s.cfg.Store.LayerFeatures(ctx, l.ID, geo.Filter{BBox: &box, Limit: geo.MaxLimit})
			if err != nil {
				return err
			}
			for _, feat := range page.Features {
				drawContext(dc, v, kind, feat.Geometry, feat.Properties.MustString("iso", ""))
			}
		}
	}
	f.BBox = &box
	cl, err := s.cfg.Store.Clusters(ctx, f, math.Floor(v.z), clusterCellPx, maxSingles)
	if err != nil {
		return err
	}
	types := geo.EventTypeNames()
	for _, inc := range cl.Singles {
		x, y := v.px(geo.RepresentativePoint(inc.Geometry))
		colour := eventColours[len(eventColours)-1]
		for i, t := range types {
			if t == inc.EventType && i < len(eventColours) {
				colour = eventColours[i]
			}
		}
		dc.DrawCircle(x, y, 7)
		dc.SetHexColor(colour)
		dc.FillPreserve()
		dc.SetColor(color.White)
		dc.SetLineWidth(2)
		dc.Stroke()
	}
	for _, k := range cl.Clusters {
		x, y := v.px(k.Center)
		r := 12 + 3*math.Log10(float64(k.Count))
		dc.DrawCircle(x, y, r)
		dc.SetColor(color.RGBA{30, 78, 121, 230})
		dc.FillPreserve()
		dc.SetColor(color.White)
		dc.SetLineWidth(3)
		dc.Stroke()
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, dc.Image()); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "image/png", buf.Bytes())
}

// drawContext draws one feature of a context layer as the map styles it.
func drawContext(dc *gg.Context, v viewport, kind string, g orb.Geometry, iso string) {
	path := func(ls []orb.Point, closed bool) {
		dc.NewSubPath()
		for i, p := range ls {
			x, y := v.px(p)
			if i == 0 {
				dc.MoveTo(x, y)
			} else {
				dc.LineTo(x, y)
			}
		}
		if closed {
			dc.ClosePath()
		}
	}
	switch kind {
	case geo.KindBasemap:
		var polys []orb.Polygon
		switch g := g.(type) {
		case orb.Polygon:
			polys = []orb.Polygon{g}
		case orb.MultiPolygon:
			polys = g
		}
		for _, poly := range polys {
			for _, ring := range poly {
				path(ring, true)
			}
		}
		if iso == "TN" {
			dc.SetHexColor("#fbf8f1")
		} else {
			dc.SetHexColor("#e6e1d6")
		}
		dc.SetFillRuleEvenOdd()
		dc.FillPreserve()
		dc.SetHexColor("#8a8478")
		dc.SetLineWidth(1)
		dc.Stroke()
	case geo.KindBorder, geo.KindBarrier:
		var lines []orb.LineString
		switch g := g.(type) {
		case orb.LineString:
			lines = []orb.LineString{g}
		case orb.MultiLineString:
			lines = g
		}
		for _, ls := range lines {
			path(ls, false)
		}
		if kind == geo.KindBarrier {
			dc.SetHexColor("#b3261e")
			dc.SetLineWidth(4)
			dc.SetDash()
		} else {
			dc.SetHexColor("#3b3b3b")
			dc.SetLineWidth(2)
			dc.SetDash(6, 4)
		}
		dc.Stroke()
		dc.SetDash()
	case geo.KindCrossing:
		if p, ok := g.(orb.Point); ok {
			x, y := v.px(p)
			dc.DrawRectangle(x-5, y-5, 10, 10)
			dc.SetColor(color.White)
			dc.FillPreserve()
			dc.SetColor(color.Black)
			dc.SetLineWidth(2)
			dc.Stroke()
		}
	}
}
