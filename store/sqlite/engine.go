package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/core"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/mattn/go-sqlite3"
)

// engine is SQLite's part of the behaviour both engines share
// (store/internal/core): one writer at a time, so no row locks; WKB as
// stored; the R*Trees and summaries kept by putIncident and deleteIncident.
type engine struct{ db *DB }

func (e engine) Read(ctx context.Context, fn func(core.Tx) error) error {
	return e.db.read(ctx, func(tx *Tx) error { return fn(coreTx{tx}) })
}

func (e engine) Write(ctx context.Context, public bool, fn func(core.Tx) error) error {
	return e.db.writeTx(ctx, public, func(tx *Tx) error { return fn(coreTx{tx}) })
}

func (engine) Put(ctx context.Context, tx core.Tx, inc *geo.Incident, lines record.ContextLines, change string) (bool, error) {
	return putIncident(ctx, tx.(coreTx).Tx, inc, lines, change, nil)
}

func (engine) Delete(ctx context.Context, tx core.Tx, id int64) error {
	return deleteIncident(ctx, tx.(coreTx).Tx, id)
}

func (engine) FromWKB() string { return `?` }

func (e engine) Import(ctx context.Context, read func(put func(*geo.Incident) error) error) (int, int, error) {
	return e.db.Import(ctx, read)
}

func (engine) Cell(expr, n string) string { return cell(expr, n) }

func (engine) Cells(ctx context.Context, tx core.Tx, f geo.Filter, span record.CellSpan) ([]core.GridCell, error) {
	return queryCells(ctx, tx.(coreTx).Tx, f, span)
}

func (engine) ForUpdate() string   { return "" }
func (engine) WKB(c string) string { return c }

func (engine) Where(f geo.Filter) (string, []any) { return whereClause(f, true) }

func (engine) Unique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

// coreTx is a Tx as core.Tx.
type coreTx struct{ *Tx }

func (t coreTx) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := t.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t coreTx) QueryRow(ctx context.Context, q string, args ...any) record.Scanner {
	return row{t.QueryRowContext(ctx, q, args...)}
}

func (t coreTx) Query(ctx context.Context, q string, args []any, fn func(record.Scanner) error) error {
	rows, err := t.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t coreTx) Insert(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := t.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (t coreTx) Now() time.Time { return t.now }

// row is a *sql.Row whose "no rows" is core's.
type row struct{ r *sql.Row }

func (r row) Scan(dest ...any) error {
	if err := r.r.Scan(dest...); !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return core.ErrNoRows
}
