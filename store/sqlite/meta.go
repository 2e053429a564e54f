package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

// touch records a write: it bumps the data version and sets its time to the
// transaction's clock.
func touch(ctx context.Context, tx *Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'`); err != nil {
		return fmt.Errorf("bump version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = 'modified_at'`, tx.now.Format(time.RFC3339)); err != nil {
		return fmt.Errorf("bump version: %w", err)
	}
	return nil
}

// Version returns a number that every write changes and the time of the
// last write, for ETags and Last-Modified.
func (db *DB) Version(ctx context.Context) (version int64, modified time.Time, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		// Short: not watched (see boxPage), every request asks it.
		rows, err := tx.QueryContext(context.WithoutCancel(ctx), `SELECT key, value FROM meta WHERE key IN ('version', 'modified_at')`)
		if err != nil {
			return fmt.Errorf("version: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				return fmt.Errorf("version: %w", err)
			}
			if k == "version" {
				version, _ = strconv.ParseInt(v, 10, 64)
			} else {
				modified, _ = time.Parse(time.RFC3339, v)
			}
		}
		return rows.Err()
	})
	return version, modified, err
}

// IncidentsExtent returns the box around every incident and the first and
// last days they may have happened on.
func (db *DB) IncidentsExtent(ctx context.Context) (geo.Extent, error) {
	var e geo.Extent
	err := db.read(ctx, func(tx *Tx) error {
		var minX, minY, maxX, maxY sql.NullFloat64
		var first, last sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT count(*), min(min_x), min(min_y), max(max_x), max(max_y),
			min(date_first), max(date_last) FROM incidents`).Scan(&e.Count, &minX, &minY, &maxX, &maxY, &first, &last)
		if err != nil {
			return fmt.Errorf("extent: %w", err)
		}
		if e.Count > 0 {
			e.Bound = orb.Bound{Min: orb.Point{minX.Float64, minY.Float64}, Max: orb.Point{maxX.Float64, maxY.Float64}}
			e.First, _ = time.Parse(geo.DateLayout, first.String)
			e.Last, _ = time.Parse(geo.DateLayout, last.String)
		}
		return nil
	})
	return e, err
}
