package web

import (
	"bytes"
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
	f, err := parseFilter(q, incidentScopes, "zoom")
	if err != nil {
		return err
	}
	cl, err := s.cfg.Store.Clusters(c.Request().Context(), f, math.Floor(zoom), clusterCellPx, maxSingles)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := writeClusters(&buf, cl, f); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, mediaGeoJSON, buf.Bytes())
}

// handleStats serves counts for the filter panel and the timeline: by event
// type (whatever event types are chosen) and over time (whatever dates are).
func (s *Server) handleStats(c echo.Context) error {
	f, err := parseFilter(c.QueryParams(), incidentScopes)
	if err != nil {
		return err
	}
	st, err := s.cfg.Store.Stats(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mediaJSON, newStats(st, f))
}
