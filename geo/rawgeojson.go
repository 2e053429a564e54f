package geo

import (
	"bytes"
	"encoding/json"

	"fmt"
	"strconv"

	fastjson "github.com/segmentio/encoding/json"
)

// What orb's decoder lets through and we must not: positions with fewer
// than two numbers (orb reads [] and [5] as the point 0,0 or 5,0), and ids
// that a JSON number cannot hold exactly.

// MaxID is the largest id an incident may have: 2^53 - 1, the largest
// integer every JSON reader (JavaScript's included) holds exactly.
const MaxID = 1<<53 - 1

// positionProblems checks the nesting and length of a GeoJSON geometry's
// positions, returning a reason or "".
func positionProblems(raw json.RawMessage) string {
	var g struct {
		Type        string            `json:"type"`
		Coordinates json.RawMessage   `json:"coordinates"`
		Geometries  []json.RawMessage `json:"geometries"`
	}
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "is missing"
	}
	if err := fastjson.Unmarshal(raw, &g); err != nil {
		return "is not a GeoJSON geometry"
	}
	if g.Type == "GeometryCollection" {
		for i, m := range g.Geometries {
			if p := positionProblems(m); p != "" {
				return fmt.Sprintf("member %d %s", i, p)
			}
		}
		return ""
	}
	depth := map[string]int{"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
	d, ok := depth[g.Type]
	if !ok {
		return fmt.Sprintf("has unknown type %q", g.Type)
	}
	var walk func(raw json.RawMessage, d int, where string) string
	walk = func(raw json.RawMessage, d int, where string) string {
		var items []json.RawMessage
		if err := fastjson.Unmarshal(raw, &items); err != nil {
			return where + " must be an array"
		}
		if d == 0 {
			if len(items) < 2 || len(items) > 3 {
				return fmt.Sprintf("%s must be a position of 2 numbers [lon, lat], got %d", where, len(items))
			}
			for _, n := range items {
				if _, err := strconv.ParseFloat(string(n), 64); err != nil {
					return fmt.Sprintf("%s must hold numbers, got %s", where, n)
				}
			}
			return ""
		}
		for i, it := range items {
			if p := walk(it, d-1, fmt.Sprintf("%s[%d]", where, i)); p != "" {
				return p
			}
		}
		return ""
	}
	return walk(g.Coordinates, d, g.Type+" coordinates")
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
