package geo

import (
	"bufio"
	"encoding/csv"
	"io"
)

// FeatureWriter streams incidents as a GeoJSON FeatureCollection or as CSV,
// one at a time, so memory stays flat at any size.
type FeatureWriter struct {
	w      *bufio.Writer
	csv    *csv.Writer
	n      int
	closed bool
}

// NewGeoJSONWriter starts a FeatureCollection on w.
func NewGeoJSONWriter(w io.Writer) *FeatureWriter {
	fw := &FeatureWriter{w: bufio.NewWriterSize(w, 64<<10)}
	fw.w.WriteString(`{"type":"FeatureCollection","features":[`)
	return fw
}

// NewCSVWriter starts a CSV in CSVHeader's layout on w.
func NewCSVWriter(w io.Writer) *FeatureWriter {
	fw := &FeatureWriter{w: bufio.NewWriterSize(w, 64<<10)}
	fw.csv = csv.NewWriter(fw.w)
	fw.csv.Write(CSVHeader)
	return fw
}

// Write adds one incident.
func (fw *FeatureWriter) Write(inc Incident) error {
	if fw.csv != nil {
		return fw.csv.Write(CSVRecord(inc))
	}
	b, err := MarshalIncident(inc)
	if err != nil {
		return err
	}
	if fw.n > 0 {
		fw.w.WriteByte(',')
	}
	fw.n++
	fw.w.WriteByte('\n')
	_, err = fw.w.Write(b)
	return err
}

// Close ends the document and flushes it.
func (fw *FeatureWriter) Close() error {
	if fw.closed {
		return nil
	}
	fw.closed = true
	if fw.csv != nil {
		fw.csv.Flush()
		if err := fw.csv.Error(); err != nil {
			return err
		}
	} else {
		fw.w.WriteString("\n]}\n")
	}
	return fw.w.Flush()
}
