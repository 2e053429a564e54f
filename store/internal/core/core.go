// Package core is the store's behaviour written once, over a transaction
// either engine gives: accounts, sessions, tokens and failed logins;
// editing against a version, history, reverts and restores; proposals and
// reports; layers read by id. The SQLite and PostgreSQL adapters embed
// Store and supply the few things that differ (Engine): how a transaction
// runs, how an incident row is written and indexed, row locks, WKB.
package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
)

// ErrNoRows is what a Tx's QueryRow scan returns when there is no row,
// whichever engine's.
var ErrNoRows = errors.New("no rows")

// Tx is one transaction of either engine; queries take "?" for each
// argument.
type Tx interface {
	Exec(ctx context.Context, q string, args ...any) (affected int64, err error)
	QueryRow(ctx context.Context, q string, args ...any) record.Scanner
	// Query calls fn for each row as it comes; fn must not query the same
	// Tx (a PostgreSQL connection is busy until its rows are read).
	Query(ctx context.Context, q string, args []any, fn func(record.Scanner) error) error
	// Insert runs an INSERT and returns the id of the row it made.
	Insert(ctx context.Context, q string, args ...any) (int64, error)
	// Now is the transaction's one reading of the clock.
	Now() time.Time
}

// Engine is what Store needs of an adapter.
type Engine interface {
	// Read runs fn in a read-only transaction (the context's snapshot, if
	// it has one); Write in a write transaction that commits if fn
	// succeeds, recording a public write (public) in the data's version.
	Read(ctx context.Context, fn func(Tx) error) error
	Write(ctx context.Context, public bool, fn func(Tx) error) error
	// Put writes inc (ID 0: a new one) and its version of kind change (""
	// for create or edit, as it turns out); Delete deletes an incident,
	// keeping its tombstone version. Both keep the engine's indexes.
	Put(ctx context.Context, tx Tx, inc *geo.Incident, lines record.ContextLines, change string) (created bool, err error)
	Delete(ctx context.Context, tx Tx, id int64) error
	// ForUpdate is the clause that locks a selected row until commit ("":
	// the engine has one writer at a time).
	ForUpdate() string
	// WKB is the SQL that gives geometry column c as WKB, and FromWKB
	// the SQL that makes a geometry of a WKB argument.
	WKB(c string) string
	FromWKB() string
	// Import stores every incident read hands to put in one transaction.
	Import(ctx context.Context, read func(put func(*geo.Incident) error) error) (created, updated int, err error)
	// Unique reports whether err is a unique constraint's.
	Unique(err error) bool
	// Cell is the SQL that rounds a Web Mercator fraction × n down to its
	// cell number; Cells groups the rows f selects in the cells of span
	// (Store.QueryCells, or a faster way to the same answer).
	Cell(expr, n string) string
	Cells(ctx context.Context, tx Tx, f geo.Filter, span record.CellSpan) ([]GridCell, error)
	// Where is the engine's SQL for f's conditions on the table
	// record.From gives, with its arguments.
	Where(f geo.Filter) (string, []any)
}

// Store holds the behaviour both engines share; adapters embed it.
type Store struct{ E Engine }

// readAll runs one query in a read transaction and scans every row.
func readAll[T any](ctx context.Context, e Engine, what string, scan func(record.Scanner) (T, error), q string, args ...any) ([]T, error) {
	var out []T
	err := e.Read(ctx, func(tx Tx) error {
		return tx.Query(ctx, q, args, func(s record.Scanner) error {
			v, err := scan(s)
			if err == nil {
				out = append(out, v)
			}
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// notFound turns ErrNoRows into a not-found error.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, ErrNoRows) {
		return geo.Errorf(geo.ENotFound, format, args...)
	}
	return err
}

// CountIncidents returns how many incidents are stored.
func (s Store) CountIncidents(ctx context.Context) (int, error) {
	return s.count(ctx, `SELECT count(*) FROM incidents`)
}

// CountLayers returns how many layers are stored.
func (s Store) CountLayers(ctx context.Context) (int, error) {
	return s.count(ctx, `SELECT count(*) FROM layers`)
}

func (s Store) count(ctx context.Context, q string) (int, error) {
	var n int
	err := s.E.Read(ctx, func(tx Tx) error { return tx.QueryRow(ctx, q).Scan(&n) })
	return n, err
}

// ImportIncidents stores all of incs in one transaction, or none of them.
// An incident with an ID replaces the stored one of that ID (or is created
// with it); one without gets a new ID.
func (s Store) ImportIncidents(ctx context.Context, incs []geo.Incident) (created, updated int, err error) {
	return s.E.Import(ctx, func(put func(*geo.Incident) error) error {
		for i := range incs {
			if err := put(&incs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
