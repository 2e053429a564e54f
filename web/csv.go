package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"
)

// Every CSV body is made here: incidents in geo.CSVHeader's layout (ACLED's
// column names), layers with a column per property.

// IncidentWriter streams incidents in one format.
type IncidentWriter interface {
	Incident(geo.Incident) error
	Close() error
}

// NewIncidentWriter streams incidents as a download: "geojson" (a
// FeatureCollection) or "csv".
func NewIncidentWriter(w io.Writer, format string) (IncidentWriter, error) {
	switch format {
	case "geojson":
		return NewFeatureCollection(w, false), nil
	case "csv":
		return newIncidentCSV(w), nil
	}
	return nil, geo.Errorf(geo.EInvalid, "unknown format %q: use geojson or csv", format)
}

type incidentCSV struct {
	w   *bufio.Writer
	csv *csv.Writer
}

func newIncidentCSV(w io.Writer) *incidentCSV {
	b := bufio.NewWriterSize(w, 64<<10)
	out := &incidentCSV{w: b, csv: csv.NewWriter(b)}
	out.csv.Write(geo.CSVHeader)
	return out
}

func (c *incidentCSV) Incident(inc geo.Incident) error { return c.csv.Write(geo.CSVRecord(inc)) }

func (c *incidentCSV) Close() error {
	c.csv.Flush()
	if err := c.csv.Error(); err != nil {
		return err
	}
	return c.w.Flush()
}

// writeLayerCSV writes a layer's features with a column for each property
// any of them has, in name order.
func writeLayerCSV(w io.Writer, feats []*geojson.Feature) error {
	var cols []string
	for _, f := range feats {
		for k := range f.Properties {
			if !slices.Contains(cols, k) {
				cols = append(cols, k)
			}
		}
	}
	slices.Sort(cols)
	cw := csv.NewWriter(w)
	head := []string{"id", "geometry_wkt"}
	for _, c := range cols {
		head = append(head, geo.SafeCell(c))
	}
	cw.Write(head)
	for _, f := range feats {
		row := []string{fmt.Sprint(f.ID), wkt.MarshalString(geo.RoundGeometry(f.Geometry))}
		for _, k := range cols {
			row = append(row, geo.SafeCell(cell(f.Properties[k])))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// cell shows a property value: strings as they are, the rest as JSON.
func cell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	b, _ := json.Marshal(v)
	return string(b)
}
