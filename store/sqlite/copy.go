package sqlite

import (
	"context"
	"fmt"

	"github.com/borderwatch/borderwatch/store/internal/record"
)

// DumpTable calls fn with every row of t, in its key's order (borderwatch
// migrate); with a snapshot's context, every table as of one moment.
func (db *DB) DumpTable(ctx context.Context, t record.Table, fn func(row []any) error) error {
	return db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, t.Select(func(c string, _, _ bool) string { return c }))
		if err != nil {
			return fmt.Errorf("read %s: %w", t.Name, err)
		}
		defer rows.Close()
		for rows.Next() {
			row := make([]any, len(t.Columns))
			ptrs := make([]any, len(row))
			for i := range row {
				ptrs[i] = &row[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return fmt.Errorf("read %s: %w", t.Name, err)
			}
			if err := fn(row); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// LoadTables writes the rows fill hands to put into this database's
// tables, in one transaction, then builds what SQLite derives from them
// (the R*Trees and the cluster summaries). Nothing is kept if any fails.
func (db *DB) LoadTables(ctx context.Context, fill func(put func(t record.Table, row []any) error) error) error {
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM meta`); err != nil {
			return err
		}
		err := fill(func(t record.Table, row []any) error {
			if _, err := tx.ExecContext(ctx, t.Insert(func(string, bool) string { return `?` }), row...); err != nil {
				return fmt.Errorf("write %s: %w", t.Name, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := rebuildRTrees(ctx, tx); err != nil {
			return fmt.Errorf("index the copied rows: %w", err)
		}
		return rebuildSummaries(ctx, tx)
	})
}
