package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/mattn/go-sqlite3"
)

// Tx is one transaction with one reading of the clock, so every time a
// write records (created_at, updated_at, a version's valid_from, the data's
// modified_at) is the same instant.
type Tx struct {
	*sql.Tx
	db     *DB
	now    time.Time
	shared bool                 // a snapshot's: its owner ends it
	stmts  map[string]*sql.Stmt // a write's statements, prepared once each
	// packLater is set by a large import: the R*Trees are left alone
	// row by row and packed again from their tables at its end.
	packLater bool
	// direct is set by an import that writes the file directly
	// (writeDirect).
	direct bool
}

// ExecContext runs query; in a write, a query with arguments is prepared
// once and kept for the transaction, as an import runs the same few
// statements for every row.
//
// Such a statement is short (one row's), so ctx is checked before it
// rather than watched while it runs: the driver and database/sql watch a
// cancellable context with a goroutine per statement, and the switches to
// and from it were a sixth of an import's time.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if tx.stmts == nil || len(args) == 0 {
		return tx.Tx.ExecContext(ctx, query, args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return st.ExecContext(context.WithoutCancel(ctx), args...)
}

// QueryRowContext is sql.Tx's, with a write's statements kept and run as
// ExecContext keeps and runs them.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if tx.stmts == nil || len(args) == 0 || ctx.Err() != nil {
		return tx.Tx.QueryRowContext(ctx, query, args...) // a cancelled ctx: reports it
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return tx.Tx.QueryRowContext(ctx, query, args...) // reports the same error
	}
	return st.QueryRowContext(context.WithoutCancel(ctx), args...)
}

func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := tx.stmts[query]; st != nil {
		return st, nil
	}
	st, err := tx.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	tx.stmts[query] = st
	return st, nil
}

type snapshotKey struct{}

// Snapshot starts a read transaction that every read made with the
// returned context shares, so that all of them (the data version among
// them) see the data as it stood at one moment, whatever commits meanwhile.
// release ends it.
func (db *DB) Snapshot(ctx context.Context) (context.Context, func(), error) {
	tx, err := db.BeginTx(ctx, true)
	if err != nil {
		return ctx, func() {}, err
	}
	tx.shared = true
	return context.WithValue(ctx, snapshotKey{}, tx), func() { tx.Rollback() }, nil
}

// BeginTx starts a transaction: on the writer connection, or on a reader
// when readOnly is set. Callers defer Rollback and Commit at the end.
func (db *DB) BeginTx(ctx context.Context, readOnly bool) (*Tx, error) {
	var tx *sql.Tx
	var err error
	if readOnly {
		// Neither: a query in it that ctx should stop (an export's) is
		// watched on its own, and short ones (a page's) go unwatched. A
		// request already gone still fails here, before any answer starts.
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("begin: %w", err)
		}
		tx, err = db.reader.BeginTx(context.WithoutCancel(ctx), &sql.TxOptions{ReadOnly: true})
	} else {
		// Not watched by database/sql either (a goroutine for every query
		// in it): writeTx checks ctx before it commits.
		tx, err = db.writer.BeginTx(context.WithoutCancel(ctx), nil)
	}
	if err != nil {
		return nil, fmt.Errorf("begin: %w", busy(err))
	}
	t := &Tx{Tx: tx, db: db, now: db.Now().UTC()}
	if !readOnly {
		t.stmts = map[string]*sql.Stmt{}
	}
	return t, nil
}

// read runs fn in a read-only transaction: the context's snapshot, if it
// has one of this database, or a new one.
func (db *DB) read(ctx context.Context, fn func(*Tx) error) error {
	if tx, ok := ctx.Value(snapshotKey{}).(*Tx); ok && tx.db == db {
		return fn(tx)
	}
	tx, err := db.BeginTx(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// write runs fn in a write transaction, records the write (the data version
// and its time) and commits; nothing is kept if fn fails.
func (db *DB) write(ctx context.Context, fn func(*Tx) error) error {
	return db.writeTx(ctx, true, fn)
}

// writePrivate is a write that changes nothing the public sees (accounts,
// sessions): the data's version, and so every ETag, stays.
func (db *DB) writePrivate(ctx context.Context, fn func(*Tx) error) error {
	return db.writeTx(ctx, false, fn)
}

func (db *DB) writeTx(ctx context.Context, public bool, fn func(*Tx) error) error {
	tx, err := db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if public {
		if err := touch(ctx, tx); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err // cancelled: nothing is kept
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", busy(err))
	}
	return nil
}

// busy turns SQLite's "database is locked" into an error that says what
// happened and that nothing was written.
func busy(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
		return geo.Errorf(geo.EConflict, "the database is busy with another write (an import?) and stayed so for %s: nothing was written; try again when it is done", WriteWait)
	}
	return err
}
