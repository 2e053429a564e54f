package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Tx is one transaction with one reading of the clock, so every time a
// write records (created_at, updated_at, a version's valid_from, the data's
// modified_at) is the same instant.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
}

// BeginTx starts a transaction: on the writer connection, or on a reader
// when readOnly is set. Callers defer Rollback and Commit at the end.
func (db *DB) BeginTx(ctx context.Context, readOnly bool) (*Tx, error) {
	var tx *sql.Tx
	var err error
	if readOnly {
		tx, err = db.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	} else {
		tx, err = db.writer.BeginTx(ctx, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC()}, nil
}

// read runs fn in a read-only transaction.
func (db *DB) read(ctx context.Context, fn func(*Tx) error) error {
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
	tx, err := db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := touch(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
