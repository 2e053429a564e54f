// Package sqlite keeps incidents and context layers in SQLite.
//
// One writer connection serialises writes; a pool of read-only connections
// serves queries. Every connection runs in WAL mode with a busy timeout and
// foreign keys on, set in the DSN so that each pooled connection gets them.
// Geometries are stored as WKB with their bounding boxes in an R*Tree that
// every write keeps in step within its own transaction.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/core"
	sqlite3 "github.com/mattn/go-sqlite3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a Borderwatch database.
type DB struct {
	core.Store // what both engines do alike
	path       string
	writer     *sql.DB
	reader     *sql.DB
	alone      bool // Alone
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// WriteWait is how long a write waits for another (an import, say) to
// finish before it gives up with a clear error.
var WriteWait = 60 * time.Second

// mappedDriver is go-sqlite3 with the database file mapped into memory,
// for a server's readers: a page read then costs no system call.
const mappedDriver = "sqlite3_mapped"

func init() {
	sql.Register(mappedDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec(`PRAGMA mmap_size = 17179869184`, nil) // 16 GiB: the whole file
		return err
	}})
}

// Option changes how Open opens a database.
type Option func(*options)

type options struct{ mapped, alone bool }

// Mapped makes the readers map the database file into memory: faster
// reads for a server, whose resident memory then counts the pages it has
// touched (they stay the page cache's). Commands that read the whole file
// once (export, backup) do without.
func Mapped() Option { return func(o *options) { o.mapped = true } }

// Alone says that this process is the database's only user while it works
// (a command, not a server). An import into a database that holds no
// incidents yet then writes the file directly, under a rollback journal,
// rather than the write-ahead log first, which its commit then copied into
// the file (2.4 GB at a million incidents): see Import. A database that
// another connection has open keeps the log all the same.
func Alone() Option { return func(o *options) { o.alone = true } }

// Open opens (creating if needed) the database at path and applies any
// migrations it has not seen.
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" {
		return nil, fmt.Errorf("open db: no path given")
	}
	params := url.Values{}
	params.Set("_journal_mode", "WAL")
	params.Set("_busy_timeout", strconv.FormatInt(WriteWait.Milliseconds(), 10))
	params.Set("_foreign_keys", "on")
	params.Set("_recursive_triggers", "on") // INSERT OR REPLACE fires the summaries' delete trigger
	params.Set("_synchronous", "NORMAL")
	params.Set("_txlock", "immediate")
	// A large import touches every index on every row: a cache of 64 MB
	// keeps their pages in memory (readers map the file instead).
	params.Set("_cache_size", "-65536")
	writer, err := sql.Open("sqlite3", "file:"+path+"?"+params.Encode())
	if err != nil {
		return nil, fmt.Errorf("open db %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxIdleTime(0)
	db := &DB{path: path, writer: writer, alone: o.alone, Now: time.Now}
	db.Store = core.Store{E: engine{db}}
	if err := db.migrate(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open db %s: %w", path, err)
	}
	if err := db.fillDerived(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open db %s: %w", path, err)
	}

	params.Del("_txlock")
	params.Del("_cache_size")
	params.Del("_journal_mode") // set once by the writer; readers cannot change it
	params.Set("mode", "ro")
	// A request runs the same few queries as the last one did on its
	// connection: preparing them was a tenth of a box's page.
	params.Set("_stmt_cache_size", "64")
	// SQLite need not lock a reader on every call (thirty a row read):
	// database/sql gives a connection to one goroutine at a time, and
	// nothing here queries a transaction while another goroutine reads
	// rows from it (record.EachIncident's fn gets rows already read, and
	// only appends or writes them out). 5-9 % more requests a second.
	params.Set("_mutex", "no")
	driver := "sqlite3"
	if o.mapped {
		driver = mappedDriver
	}
	reader, err := sql.Open(driver, "file:"+path+"?"+params.Encode())
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("open db %s: %w", path, err)
	}
	n := max(8, 4*runtime.NumCPU()) // a request holds one for its snapshot
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	if err := reader.PingContext(ctx); err != nil {
		writer.Close()
		reader.Close()
		return nil, fmt.Errorf("open db %s: %w", path, err)
	}
	db.reader = reader
	return db, nil
}

// Close closes every connection.
func (db *DB) Close() error {
	var err error
	if db.reader != nil {
		err = db.reader.Close()
	}
	if werr := db.writer.Close(); err == nil {
		err = werr
	}
	return err
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// migrate applies the migrations the database has not seen. It reads
// first and takes the write lock only when there is something to do, so
// that opening a database while an import runs neither waits nor fails.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	var applied int
	if err := db.writer.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'migrations'`).Scan(&applied); err != nil {
		return fmt.Errorf("read migrations: %w", busy(err))
	}
	if applied > 0 {
		if err := db.writer.QueryRowContext(ctx, `SELECT count(*) FROM migrations`).Scan(&applied); err != nil {
			return fmt.Errorf("read migrations: %w", busy(err))
		}
	}
	if applied >= len(names) {
		return nil
	}
	if _, err := db.writer.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", busy(err))
	}
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, busy(err))
		}
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(migrations, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`,
		name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

var _ geo.Store = (*DB)(nil)

// SetClock makes writes read the time from now.
func (db *DB) SetClock(now func() time.Time) { db.Now = now }

// Engine names the database engine: "sqlite".
func (db *DB) Engine() string { return "sqlite" }
