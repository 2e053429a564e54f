package web

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"strconv"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/labstack/echo/v4"
)

// Clustering: cells of 64 px, and incidents sent whole while no more than
// maxSingles match, so the browser never holds more than a few thousand.
const (
	clusterCellPx = 64
	maxSingles    = 2000
)

// handleClusters serves the incidents the filters select, grouped for one
// zoom level: whole incidents where few, clusters (count, box) where many.
func (s *Server) handleClusters(c echo.Context) error {
	q := c.QueryParams()
	zoom, err := strconv.ParseFloat(q.Get("zoom"), 64)
	if err != nil || zoom < 0 || zoom > 22 || math.IsNaN(zoom) {
		return &geo.Error{Kind: geo.EInvalid, Message: "invalid query parameters",
			Problems: []geo.Problem{{Field: "zoom", Reason: "must be a zoom level from 0 to 22, got " + strconv.Quote(q.Get("zoom"))}}}
	}
	q.Del("zoom")
	f, err := parseFilter(q, true)
	if err != nil {
		return err
	}
	cl, err := s.cfg.Store.Clusters(c.Request().Context(), f, math.Floor(zoom), clusterCellPx, maxSingles)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(`{"type":"FeatureCollection","numberMatched":`)
	buf.WriteString(strconv.Itoa(cl.NumberMatched))
	buf.WriteString(`,"numberClusters":`)
	buf.WriteString(strconv.Itoa(len(cl.Clusters)))
	buf.WriteString(`,"features":[`)
	n := 0
	sep := func() {
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		buf.WriteByte('\n')
	}
	for _, k := range cl.Clusters {
		sep()
		b, _ := json.Marshal(map[string]any{
			"type":     "Feature",
			"geometry": map[string]any{"type": "Point", "coordinates": []float64{round6(k.Center[0]), round6(k.Center[1])}},
			"properties": map[string]any{"cluster": true, "count": k.Count,
				"bbox": []float64{round6(k.Bound.Min[0]), round6(k.Bound.Min[1]), round6(k.Bound.Max[0]), round6(k.Bound.Max[1])}},
		})
		buf.Write(b)
	}
	for _, inc := range cl.Singles {
		b, err := geo.MarshalIncident(inc)
		if err != nil {
			return err
		}
		sep()
		buf.Write(b)
	}
	buf.WriteString("]}\n")
	return c.Blob(http.StatusOK, geoJSON, buf.Bytes())
}

// handleStats serves counts for the filter panel and the timeline: by event
// type (whatever event types are chosen) and over time (whatever dates are).
func (s *Server) handleStats(c echo.Context) error {
	f, err := parseFilter(c.QueryParams(), true)
	if err != nil {
		return err
	}
	st, err := s.cfg.Store.Stats(c.Request().Context(), f)
	if err != nil {
		return err
	}
	unit, bins := geo.Histogram(st.Spans)
	type binJSON struct {
		Start  string  `json:"start"`
		End    string  `json:"end"`
		Exact  int     `json:"exact"`
		Spread float64 `json:"spread"`
	}
	out := make([]binJSON, len(bins))
	for i, b := range bins {
		out[i] = binJSON{b.Start.Format(geo.DateLayout), b.End.AddDate(0, 0, -1).Format(geo.DateLayout), b.Exact, math.Round(b.Spread*1000) / 1000}
	}
	var bbox []float64
	if st.Bound != nil {
		bbox = []float64{round6(st.Bound.Min[0]), round6(st.Bound.Min[1]), round6(st.Bound.Max[0]), round6(st.Bound.Max[1])}
	}
	return s.writeJSON(c, mediaJSON, map[string]any{"numberMatched": st.NumberMatched, "bbox": bbox,
		"byEventType": st.ByEventType, "unit": unit, "bins": out})
}
