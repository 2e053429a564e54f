// Package postgres keeps Borderwatch's data in PostgreSQL with PostGIS,
// through a pgx connection pool: the same data and behaviour as store/sqlite
// (the storetest suite runs against both), for many app servers on one
// database.
//
// Every public write takes the data version's row first and bumps it in
// its own transaction, so public writes queue one after another (whichever
// server they come through) and every server's ETags follow every other's
// writes; accounts and sessions write alongside. A read with a snapshot
// sees one moment (REPEATABLE READ) and never waits. A conditional write
// locks its incident's row before it checks the version, so of two racing
// edits one wins and the other is refused as stale.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/core"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a Borderwatch database in PostgreSQL.
type DB struct {
	core.Store // what both engines do alike
	pool       *pgxpool.Pool
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Open connects to the database at url (postgres://…) and applies any
// migrations it has not seen. PostGIS must be installed on the server; the
// first migration creates the extension if the user may.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16 // a request holds one for its snapshot
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	db := &DB{pool: pool, Now: time.Now}
	db.Store = core.Store{E: engine{db}}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open db %s: %w", Redact(url), err)
	}
	return db, nil
}

// Redact is addr without its password, fit to print.
func Redact(addr string) string {
	u, err := url.Parse(addr)
	if err != nil {
		return "postgres://(an address that does not parse)"
	}
	return u.Redacted()
}

// Close closes every connection.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// SetClock makes writes read the time from now.
func (db *DB) SetClock(now func() time.Time) { db.Now = now }

// Engine names the database engine: "postgres".
func (db *DB) Engine() string { return "postgres" }

// migrate applies the migrations the database has not seen, one
// transaction each, under an advisory lock so that servers starting at
// once apply each exactly once.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	var postgis bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')`).Scan(&postgis); err != nil {
		return err
	}
	if !postgis {
		if _, err := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS postgis`); err != nil {
			return fmt.Errorf("PostGIS is not enabled in this database and could not be (%w): as a superuser, run CREATE EXTENSION postgis in it", err)
		}
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(7262731)`); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7262731)`)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS migrations (name text PRIMARY KEY, applied_at text NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	for _, name := range names {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM migrations WHERE name = $1`, name).Scan(&n); err != nil || n > 0 {
				return err
			}
			body, err := fs.ReadFile(migrations, name)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO migrations (name, applied_at) VALUES ($1, $2)`, name, time.Now().UTC().Format(time.RFC3339))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// Tx is one transaction with one reading of the clock. Its queries take
// "?" for each argument, as the shared SQL (store/internal/record) does.
type Tx struct {
	tx     pgx.Tx
	db     *DB
	now    time.Time
	shared bool // a snapshot's: its owner ends it
	// ownIDs is set when a row was written with an id of its own, so the
	// id sequences are moved past it before commit.
	ownIDs bool
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (pgconn.CommandTag, error) {
	return tx.tx.Exec(ctx, rebind(q), args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (pgx.Rows, error) {
	return tx.tx.Query(ctx, rebind(q), args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) pgx.Row {
	return tx.tx.QueryRow(ctx, rebind(q), args...)
}

// rebind numbers the "?" placeholders of q outside quotes: $1, $2, …
func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n, quote := 0, byte(0)
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

type snapshotKey struct{}

// Snapshot starts a read transaction that every read made with the
// returned context shares, so that all of them see the data as it stood at
// one moment. release ends it.
func (db *DB) Snapshot(ctx context.Context) (context.Context, func(), error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return ctx, func() {}, err
	}
	tx.shared = true
	return context.WithValue(ctx, snapshotKey{}, tx), func() { tx.tx.Rollback(context.WithoutCancel(ctx)) }, nil
}

func (db *DB) begin(ctx context.Context, readOnly bool) (*Tx, error) {
	opts := pgx.TxOptions{IsoLevel: pgx.ReadCommitted}
	if readOnly {
		opts = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	}
	t, err := db.pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	// Microseconds: what PostgreSQL's own times keep.
	return &Tx{tx: t, db: db, now: db.Now().UTC().Truncate(time.Microsecond)}, nil
}

// read runs fn in a read-only transaction: the context's snapshot, if it
// has one of this database, or a new one.
func (db *DB) read(ctx context.Context, fn func(*Tx) error) error {
	if tx, ok := ctx.Value(snapshotKey{}).(*Tx); ok && tx.db == db {
		return fn(tx)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.tx.Rollback(context.WithoutCancel(ctx))
	return fn(tx)
}

// write runs fn in a write transaction, records the write (the data version
// and its time) and commits; nothing is kept if fn fails. A transaction
// the server aborts for a deadlock or a serialisation failure is run again.
func (db *DB) write(ctx context.Context, fn func(*Tx) error) error {
	return db.retry(ctx, true, fn)
}

// writePrivate is a write that changes nothing the public sees (accounts,
// sessions): the data's version, and so every ETag, stays.
func (db *DB) writePrivate(ctx context.Context, fn func(*Tx) error) error {
	return db.retry(ctx, false, fn)
}

// writeOnce is write without retries, for a write whose input cannot be
// read twice (a streamed import).
func (db *DB) writeOnce(ctx context.Context, fn func(*Tx) error) error {
	return db.writeTx(ctx, true, fn)
}

func (db *DB) retry(ctx context.Context, public bool, fn func(*Tx) error) error {
	var err error
	for attempt := range 5 {
		if err = db.writeTx(ctx, public, fn); !retryable(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
	}
	return geo.Errorf(geo.EConflict, "the database stayed too busy with other writes to take this one: nothing was written; try again (%v)", err)
}

// retryable reports whether err is PostgreSQL aborting a transaction that
// may succeed when run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

func (db *DB) writeTx(ctx context.Context, public bool, fn func(*Tx) error) error {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return err
	}
	defer tx.tx.Rollback(context.WithoutCancel(ctx))
	if public {
		// Public writes take the data version's row first and keep it to
		// commit: they queue there, one after another whichever server
		// they come through, so the locks they take on incidents and the
		// summaries' cells can never deadlock; readers never wait.
		if _, err := tx.exec(ctx, `SELECT value FROM meta WHERE key = 'version' FOR UPDATE`); err != nil {
			return fmt.Errorf("begin write: %w", err)
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	if tx.ownIDs {
		for _, seq := range [][2]string{{"incidents", "id"}, {"incident_versions", "version_id"}, {"users", "id"},
			{"api_tokens", "id"}, {"reports", "id"}, {"proposals", "id"}} {
			if _, err := tx.exec(ctx, `SELECT setval(pg_get_serial_sequence('`+seq[0]+`', '`+seq[1]+`'),
				greatest((SELECT max(`+seq[1]+`) FROM `+seq[0]+`), 1))`); err != nil {
				return fmt.Errorf("move the id sequence of %s: %w", seq[0], err)
			}
		}
	}
	if public {
		if err := touch(ctx, tx); err != nil {
			return err
		}
	}
	if err := tx.tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// touch records a write: it bumps the data version and sets its time to
// the transaction's clock.
func touch(ctx context.Context, tx *Tx) error {
	if _, err := tx.exec(ctx, `UPDATE meta SET value = CASE key WHEN 'version' THEN (value::bigint + 1)::text ELSE ? END
		WHERE key IN ('version', 'modified_at')`, tx.now.Format(time.RFC3339)); err != nil {
		return fmt.Errorf("bump version: %w", err)
	}
	return nil
}

// eachRow runs q and calls fn for each row as it comes; fn must not query
// tx (the connection is busy until the rows are read).
func eachRow(ctx context.Context, tx *Tx, q string, args []any, fn func(pgx.Rows) error) error {
	rows, err := tx.query(ctx, q, args...)
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
