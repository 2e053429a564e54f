// Package store opens a Borderwatch database: a SQLite file (the default,
// store/sqlite) or a PostgreSQL database with PostGIS (store/postgres),
// chosen by the address given. Both keep the same data with the same
// behaviour; the storetest suite holds them to it.
package store

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/postgres"
	"github.com/borderwatch/borderwatch/store/sqlite"
)

// DB is a Borderwatch database, whichever engine keeps it.
type DB interface {
	geo.Store
	geo.Accounts
	geo.Editor
	io.Closer

	// Import stores, in one transaction, every incident read hands to put;
	// if read or a put fails, nothing is stored.
	Import(ctx context.Context, read func(put func(*geo.Incident) error) error) (created, updated int, err error)
	CountIncidents(ctx context.Context) (int, error)
	CreateIncident(ctx context.Context, inc *geo.Incident) error
	UpdateIncident(ctx context.Context, inc *geo.Incident) error
	DeleteIncident(ctx context.Context, id int64) error
	PutLayer(ctx context.Context, l geo.Layer, position int) error
	CountLayers(ctx context.Context) (int, error)
	// SetClock makes writes read the time from now (tests use it).
	SetClock(now func() time.Time)
	// Engine is "sqlite" or "postgres".
	Engine() string
}

var (
	_ DB = (*sqlite.DB)(nil)
	_ DB = (*postgres.DB)(nil)
)

// Option changes how Open opens a database.
type Option func(*options)

type options struct{ mapped, alone bool }

// Mapped maps a SQLite file into memory for a server's readers (see
// sqlite.Mapped); PostgreSQL ignores it.
func Mapped() Option { return func(o *options) { o.mapped = true } }

// Alone says that this process is the database's only user while it
// works, a command (see sqlite.Alone); PostgreSQL ignores it.
func Alone() Option { return func(o *options) { o.alone = true } }

// IsPostgres reports whether addr names a PostgreSQL database
// (postgres://… or postgresql://…) rather than a SQLite file.
func IsPostgres(addr string) bool {
	return strings.HasPrefix(addr, "postgres://") || strings.HasPrefix(addr, "postgresql://")
}

// Open opens the database at addr, creating its schema if needed: a
// PostgreSQL URL, or else the path of a SQLite file.
func Open(ctx context.Context, addr string, opts ...Option) (DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if IsPostgres(addr) {
		return postgres.Open(ctx, addr)
	}
	var sopts []sqlite.Option
	if o.mapped {
		sopts = append(sopts, sqlite.Mapped())
	}
	if o.alone {
		sopts = append(sopts, sqlite.Alone())
	}
	return sqlite.Open(ctx, addr, sopts...)
}

// FileBackup is a database kept in one file, which copies itself to
// another and back (SQLite). A PostgreSQL database is backed up with its
// own tools (pg_dump, base backups and WAL archiving).
type FileBackup interface {
	Backup(ctx context.Context, out string) error
	Restore(ctx context.Context, in string) error
}

var _ FileBackup = (*sqlite.DB)(nil)

// Check opens the SQLite file at path read-only and checks its integrity.
func Check(ctx context.Context, path string) error { return sqlite.Check(ctx, path) }

// AsFileBackup is st's FileBackup, or an error that says what to use.
func AsFileBackup(st DB) (FileBackup, error) {
	if b, ok := st.(FileBackup); ok {
		return b, nil
	}
	return nil, geo.Errorf(geo.EInvalid, "borderwatch backup and restore copy SQLite files; back up a PostgreSQL database with pg_dump or its base backups and WAL archive")
}

// Redact is addr fit to print: a PostgreSQL address without its password.
func Redact(addr string) string {
	if !IsPostgres(addr) {
		return addr
	}
	return postgres.Redact(addr)
}
