package web_test

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"strings"
	"testing"
)

// webMercator is where lon/lat falls in a picture of width w and height h
// centred on (clon, clat) at zoom z.
func webMercator(lon, lat, clon, clat, z float64, w, h int) (int, int) {
	proj := func(lon, lat float64) (float64, float64) {
		s := 256 * math.Exp2(z)
		r := lat * math.Pi / 180
		return (lon + 180) / 360 * s, (1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * s
	}
	x, y := proj(lon, lat)
	cx, cy := proj(clon, clat)
	return int(math.Round(x - cx + float64(w)/2)), int(math.Round(y - cy + float64(h)/2))
}

// near reports whether a pixel of colour (r, g, b) lies within d of (x, y).
func near(img image.Image, x, y, d int, r, g, b uint8) bool {
	for dx := -d; dx <= d; dx++ {
		for dy := -d; dy <= d; dy++ {
			cr, cg, cb, _ := img.At(x+dx, y+dy).RGBA()
			if math.Abs(float64(cr>>8)-float64(r)) < 12 && math.Abs(float64(cg>>8)-float64(g)) < 12 && math.Abs(float64(cb>>8)-float64(b)) < 12 {
				return true
			}
		}
	}
	return false
}

func TestMapPictures(t *testing.T) {
	app := newTestApp(t, "none")
	for _, tt := range []struct {
		query      string
		w, h       int
		lon, lat   float64 // an incident drawn in the picture
		r, g, b    uint8   // in its event type's colour
		clon, clat float64
		z          float64
	}{
		// The armed clash of 2 March (Battles, red) on a view around Ben Guerdane.
		{"view=8/33.1/11.3&width=800&height=500", 800, 500, 11.21965, 33.13783, 0xd7, 0x30, 0x1f, 11.3, 33.1, 8},
		// The Sousse attack (Violence against civilians, orange), filtered alone.
		{"view=9/35.9/10.6&event_type=Violence+against+civilians&q=Kantaoui", 1200, 630, 10.580028, 35.912089, 0xf1, 0x69, 0x13, 10.6, 35.9, 9},
	} {
		res, body := get(t, app.URL+"/map.png?"+tt.query)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || res.Header.Get("ETag") == "" {
			t.Fatalf("%s: %d %s", tt.query, res.StatusCode, res.Header.Get("Content-Type"))
		}
		img, err := png.Decode(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", tt.query, err)
		}
		if b := img.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
			t.Errorf("%s: %dx%d, want %dx%d", tt.query, b.Dx(), b.Dy(), tt.w, tt.h)
		}
		x, y := webMercator(tt.lon, tt.lat, tt.clon, tt.clat, tt.z, tt.w, tt.h)
		if !near(img, x, y, 3, tt.r, tt.g, tt.b) {
			t.Errorf("%s: no marker of colour #%02x%02x%02x at (%d, %d)", tt.query, tt.r, tt.g, tt.b, x, y)
		}
		// The sea is where there is no land.
		if !near(img, tt.w-5, 5, 0, 0xcf, 0xe0, 0xea) && tt.clat < 34 {
			t.Errorf("%s: the top-right corner is not sea", tt.query)
		}
	}
	// Filtered out, the marker is not drawn.
	res, body := get(t, app.URL+"/map.png?view=8/33.1/11.3&width=800&height=500&event_type=Riots")
	img, _ := png.Decode(bytes.NewReader([]byte(body)))
	if x, y := webMercator(11.21965, 33.13783, 11.3, 33.1, 8, 800, 500); res.StatusCode != 200 || near(img, x, y, 3, 0xd7, 0x30, 0x1f) {
		t.Error("a filtered-out incident is drawn")
	}
	for _, bad := range []string{"width=5", "view=99/0/0", "view=a/b/c", "colour=red"} {
		if res, _ := get(t, app.URL+"/map.png?"+bad); res.StatusCode != 400 {
			t.Errorf("/map.png?%s: got %d, want 400", bad, res.StatusCode)
		}
	}
}

// Pages carry link previews that point at the picture of their view.
func TestPagesCarryLinkPreviews(t *testing.T) {
	app := newTestApp(t, "none")
	for _, path := range []string{"/?event_type=Battles", "/embed?event_type=Battles&title=Clashes", "/collections/incidents/items/7"} {
		_, body := get(t, app.URL+path, "Accept", browserAccept)
		for _, want := range []string{`<meta property="og:image" content="` + app.URL + `/map.png`, `<meta name="twitter:card" content="summary_large_image">`, `<meta property="og:title"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %s", path, want)
			}
		}
	}
	if _, body := get(t, app.URL+"/?event_type=Battles", "Accept", browserAccept); !strings.Contains(body, `/map.png?event_type=Battles"`) {
		t.Error("the map's preview does not show its filters")
	}
}
