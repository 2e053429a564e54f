package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/encoding/wkt"
)

// handleExport downloads a collection as GeoJSON or CSV under the same
// filters as its items, streamed row by row.
func (s *Server) handleExport(c echo.Context) error {
	ctx := c.Request().Context()
	file := c.Param("file")
	name, ext, ok := strings.Cut(file, ".")
	if !ok || (ext != "geojson" && ext != "csv") {
		return geo.Errorf(geo.ENotFound, "no download %q: ask for COLLECTION.geojson or COLLECTION.csv", file)
	}
	isIncidents := name == geo.IncidentsCollection
	var layer geo.Layer
	if !isIncidents {
		var err error
		if layer, err = s.cfg.Store.Layer(ctx, name); err != nil {
			return err
		}
	}
	q := c.QueryParams()
	q.Del("f")
	f, err := parseFilter(q, isIncidents)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+exportName(name, q, ext)+`"`)
	if ext == "csv" {
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	} else {
		h.Set(echo.HeaderContentType, geoJSON)
	}
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	if !isIncidents {
		return writeLayer(c.Response(), layer, f, ext)
	}
	var fw *geo.FeatureWriter
	if ext == "csv" {
		fw = geo.NewCSVWriter(c.Response())
	} else {
		fw = geo.NewGeoJSONWriter(c.Response())
	}
	err = s.cfg.Store.EachIncident(ctx, f, fw.Write)
	if err == nil {
		err = fw.Close()
	}
	if err != nil {
		// The status is sent: cut the connection so the client sees a broken
		// download rather than a file that looks whole.
		s.log.Error("export failed", "file", file, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// writeLayer writes a context layer's features (small: in one go).
func writeLayer(w http.ResponseWriter, layer geo.Layer, f geo.Filter, ext string) error {
	f = f.Normalize()
	var feats []int
	for i, feat := range layer.Features {
		if f.BBox == nil || intersects(feat.Geometry.Bound(), *f.BBox) {
			feats = append(feats, i)
		}
	}
	feats = feats[min(f.Offset, len(feats)):min(f.Offset+f.Limit, len(feats))]
	if ext == "geojson" {
		w.Write([]byte(`{"type":"FeatureCollection","features":[`))
		for n, i := range feats {
			b, err := geo.MarshalFeature(i+1, withMeasures(layer.Features[i]))
			if err != nil {
				return err
			}
			if n > 0 {
				w.Write([]byte(","))
			}
			w.Write(append([]byte("\n"), b...))
		}
		_, err := w.Write([]byte("\n]}\n"))
		return err
	}
	keys := map[string]bool{}
	for _, i := range feats {
		for k := range withMeasures(layer.Features[i]).Properties {
			keys[k] = true
		}
	}
	cols := make([]string, 0, len(keys))
	for k := range keys {
		cols = append(cols, k)
	}
	sort.Strings(cols)
	cw := csv.NewWriter(w)
	cw.Write(append([]string{"id", "geometry_wkt"}, cols...))
	for _, i := range feats {
		feat := withMeasures(layer.Features[i])
		row := []string{strconv.Itoa(i + 1), wkt.MarshalString(geo.RoundGeometry(feat.Geometry))}
		for _, k := range cols {
			switch v := feat.Properties[k].(type) {
			case nil:
				row = append(row, "")
			case string:
				row = append(row, v)
			default:
				b, _ := json.Marshal(v)
				row = append(row, string(b))
			}
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

var unsafeName = regexp.MustCompile(`[^a-z0-9.]+`)

// exportName makes a descriptive file name from the collection and filters,
// e.g. borderwatch-incidents_datetime-2016-02-01-2016-03-31_2026-11-23.csv.
func exportName(collection string, q map[string][]string, ext string) string {
	parts := []string{"borderwatch-" + collection}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(strings.Join(q[k], "-")), "-"), "-")
		if v != "" {
			parts = append(parts, strings.ReplaceAll(k, "_", "-")+"-"+v)
		}
	}
	parts = append(parts, time.Now().UTC().Format(geo.DateLayout))
	name := strings.Join(parts, "_")
	if len(name) > 150 {
		name = name[:150]
	}
	return name + "." + ext
}
