package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

// cell rounds a Web Mercator fraction × n down to its cell number.
func cell(expr, n string) string { return `floor(` + expr + ` * ` + n + `)::bigint` }

// Version returns a number that every write changes and the time of the
// last write, for ETags and Last-Modified: the same on every server.
func (db *DB) Version(ctx context.Context) (version int64, modified time.Time, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		var v, m string
		if err := tx.queryRow(ctx, `SELECT (SELECT value FROM meta WHERE key = 'version'), (SELECT value FROM meta WHERE key = 'modified_at')`).Scan(&v, &m); err != nil {
			return fmt.Errorf("version: %w", err)
		}
		_, err := fmt.Sscan(v, &version)
		modified, _ = time.Parse(time.RFC3339, m)
		return err
	})
	return version, modified, err
}

// IncidentsExtent returns the box around every incident and the first and
// last days they may have happened on.
func (db *DB) IncidentsExtent(ctx context.Context) (geo.Extent, error) {
	var e geo.Extent
	err := db.read(ctx, func(tx *Tx) error {
		var minX, minY, maxX, maxY *float64
		var first, last *string
		if err := tx.queryRow(ctx, `SELECT count(*), min(min_x), min(min_y), max(max_x), max(max_y),
			min(date_first), max(date_last) FROM incidents`).Scan(&e.Count, &minX, &minY, &maxX, &maxY, &first, &last); err != nil {
			return fmt.Errorf("extent: %w", err)
		}
		if e.Count > 0 {
			e.Bound = orb.Bound{Min: orb.Point{*minX, *minY}, Max: orb.Point{*maxX, *maxY}}
			e.First, _ = time.Parse(geo.DateLayout, *first)
			e.Last, _ = time.Parse(geo.DateLayout, *last)
		}
		return nil
	})
	return e, err
}
