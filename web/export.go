package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/labstack/echo/v4"
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
	isIncidents := geo.IsIncidents(name)
	if !isIncidents {
		if _, err := s.cfg.Store.Layer(ctx, name); err != nil {
			return err
		}
	}
	q := without(c.QueryParams(), "f")
	f, err := parseFilter(q, scopesOf(name))
	if err != nil {
		return err
	}
	var layer geo.FeaturePage
	if !isIncidents { // small: read before the status is sent
		if layer, err = s.cfg.Store.LayerFeatures(ctx, name, f); err != nil {
			return err
		}
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+exportName(name, q, ext, s.now())+`"`)
	if ext == "csv" {
		h.Set(echo.HeaderContentType, mediaCSV+"; charset=utf-8")
	} else {
		h.Set(echo.HeaderContentType, mediaGeoJSON)
	}
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	out, ctx, stop := withProgress(ctx, c.Response(), s.cfg.RequestTimeout)
	defer stop()
	if !isIncidents {
		if ext == "csv" {
			return writeLayerCSV(out, layer.Features)
		}
		fc := NewFeatureCollection(out, false)
		for _, feat := range layer.Features {
			fc.Feature(feat)
		}
		return fc.Close()
	}
	f.MarkerInBox = name == geo.IncidentPointsCollection
	w, _ := NewIncidentWriter(out, ext)
	if fc, ok := w.(*FeatureCollection); ok {
		fc.AsPoints(name == geo.IncidentPointsCollection)
	}
	if err = Export(ctx, s.cfg.Store, f, w); err != nil {
		// The status is sent: cut the connection so the client sees a broken
		// download rather than a file that looks whole.
		if clientGone(c, err) || ctx.Err() != nil {
			s.log.Info("download ended early", "file", file, "err", err)
		} else {
			s.log.Error("export failed", "file", file, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	return nil
}

// IncidentSource is what Export reads: the store's incidents under a
// filter, one at a time.
type IncidentSource interface {
	EachIncident(ctx context.Context, f geo.Filter, fn func(geo.Incident) error) error
}

// Export writes every incident f selects from st to w, in the store's
// order, and closes w.
func Export(ctx context.Context, st IncidentSource, f geo.Filter, w IncidentWriter) error {
	if err := st.EachIncident(ctx, f, w.Incident); err != nil {
		return err
	}
	return w.Close()
}

var unsafeName = regexp.MustCompile(`[^a-z0-9.]+`)

// exportName makes a descriptive file name from the collection and filters,
// e.g. borderwatch-incidents_datetime-2016-02-01-2016-03-31_2026-11-23.csv.
func exportName(collection string, q url.Values, ext string, now time.Time) string {
	parts := []string{"borderwatch-" + collection}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(strings.Join(q[k], "-")), "-"), "-")
		if v != "" {
			parts = append(parts, strings.ReplaceAll(k, "_", "-")+"-"+v)
		}
	}
	parts = append(parts, now.UTC().Format(geo.DateLayout))
	name := strings.Join(parts, "_")
	if len(name) > 150 {
		name = name[:150]
	}
	return name + "." + ext
}
