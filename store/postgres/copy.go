package postgres

import (
	"context"
	"fmt"

	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/jackc/pgx/v5"
)

// DumpTable calls fn with every row of t, in its key's order (borderwatch
// migrate): geometries as WKB, JSON as text. With a snapshot's context,
// every table as of one moment.
func (db *DB) DumpTable(ctx context.Context, t record.Table, fn func(row []any) error) error {
	return db.read(ctx, func(tx *Tx) error {
		q := t.Select(func(c string, geom, json bool) string {
			switch {
			case geom:
				return `ST_AsBinary(` + c + `)`
			case json:
				return c + `::text`
			}
			return c
		})
		err := eachRow(ctx, tx, q, nil, func(r pgx.Rows) error {
			row, err := r.Values()
			if err != nil {
				return err
			}
			return fn(row)
		})
		if err != nil {
			return fmt.Errorf("read %s: %w", t.Name, err)
		}
		return nil
	})
}

// LoadTables writes the rows fill hands to put into this database's
// tables, in one transaction, sums them into the summaries and moves the
// id sequences past them.
// Nothing is kept if any fails.
func (db *DB) LoadTables(ctx context.Context, fill func(put func(t record.Table, row []any) error) error) error {
	return db.writeOnce(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM meta`); err != nil {
			return err
		}
		tx.ownIDs = true
		if err := setBulk(ctx, tx, true); err != nil {
			return err
		}
		err := fill(func(t record.Table, row []any) error {
			q := t.Insert(func(_ string, geom bool) string {
				if geom {
					return `ST_GeomFromWKB(?, 4326)`
				}
				return `?`
			})
			if _, err := tx.exec(ctx, q, row...); err != nil {
				return fmt.Errorf("write %s: %w", t.Name, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return rebuildSummaries(ctx, tx)
	})
}
