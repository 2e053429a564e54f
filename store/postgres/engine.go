package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/core"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// engine is PostgreSQL's part of the behaviour both engines share
// (store/internal/core): many writers at once, so a checked write locks its
// row (FOR UPDATE); geometries through ST_AsBinary.
type engine struct{ db *DB }

func (e engine) Read(ctx context.Context, fn func(core.Tx) error) error {
	return e.db.read(ctx, func(tx *Tx) error { return fn(tx) })
}

func (e engine) Write(ctx context.Context, public bool, fn func(core.Tx) error) error {
	return e.db.retry(ctx, public, func(tx *Tx) error { return fn(tx) })
}

func (engine) Put(ctx context.Context, tx core.Tx, inc *geo.Incident, lines record.ContextLines, change string) (bool, error) {
	return putIncident(ctx, tx.(*Tx), inc, lines, change, nil)
}

func (engine) Delete(ctx context.Context, tx core.Tx, id int64) error {
	return deleteIncident(ctx, tx.(*Tx), id)
}

func (engine) FromWKB() string { return `ST_GeomFromWKB(?, 4326)` }

func (e engine) Import(ctx context.Context, read func(put func(*geo.Incident) error) error) (int, int, error) {
	return e.db.Import(ctx, read)
}

func (engine) Cell(expr, n string) string { return cell(expr, n) }

func (e engine) Cells(ctx context.Context, tx core.Tx, f geo.Filter, span record.CellSpan) ([]core.GridCell, error) {
	return e.db.QueryCells(ctx, tx, f, span)
}

func (engine) ForUpdate() string                  { return ` FOR UPDATE` }
func (engine) WKB(c string) string                { return `ST_AsBinary(` + c + `)` }
func (engine) Where(f geo.Filter) (string, []any) { return whereClause(f) }

func (engine) Unique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// Tx is a core.Tx.

func (tx *Tx) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := tx.exec(ctx, q, args...)
	return tag.RowsAffected(), err
}

func (tx *Tx) QueryRow(ctx context.Context, q string, args ...any) record.Scanner {
	return row{tx.queryRow(ctx, q, args...)}
}

func (tx *Tx) Query(ctx context.Context, q string, args []any, fn func(record.Scanner) error) error {
	return eachRow(ctx, tx, q, args, func(r pgx.Rows) error { return fn(r) })
}

func (tx *Tx) Insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, q+` RETURNING id`, args...).Scan(&id)
	return id, err
}

func (tx *Tx) Now() time.Time { return tx.now }

// row is a pgx.Row whose "no rows" is core's.
type row struct{ r pgx.Row }

func (r row) Scan(dest ...any) error {
	if err := r.r.Scan(dest...); !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	return core.ErrNoRows
}
