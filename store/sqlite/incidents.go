package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/core"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/mattn/go-sqlite3"
	"github.com/paulmach/orb"
)

var incidentColumns = record.IncidentColumns(`i.geom`)

// Incidents returns one page of the incidents f selects, ordered by date
// then id, with the number that match in all.
func (db *DB) Incidents(ctx context.Context, f geo.Filter) (geo.Page, error) {
	f = f.Normalize()
	from := fromClause(f)
	where, args := whereClause(f, true)
	page := geo.Page{Incidents: []geo.Incident{}}
	err := db.read(ctx, func(tx *Tx) error {
		unpinned := f // a pinned box reads the versions' R*Tree the same way
		unpinned.AsOf = time.Time{}
		if summarized(unpinned) && f.BBox != nil && !f.MarkerInBox {
			return boxPage(ctx, tx, f, &page)
		}
		var err error
		if summarized(f) && f.BBox == nil {
			page.NumberMatched, _, err = summaryCount(ctx, tx, f)
		} else {
			err = tx.QueryRowContext(ctx, `SELECT count(*)`+from+where, args...).Scan(&page.NumberMatched)
		}
		if err != nil {
			return fmt.Errorf("count incidents: %w", err)
		}
		return eachIncident(ctx, tx, `SELECT `+incidentColumns+from+where+order(f)+pageClause,
			append(args, f.Limit, f.Offset), func(inc geo.Incident) error {
				page.Incidents = append(page.Incidents, inc)
				return nil
			})
	})
	return page, err
}

// EachIncident calls fn for every incident f selects, in date order, one
// row at a time so memory stays flat. A zero Limit means no limit.
func (db *DB) EachIncident(ctx context.Context, f geo.Filter, fn func(geo.Incident) error) error {
	return db.read(ctx, func(tx *Tx) error { return eachIncidentOf(ctx, tx, f, fn) })
}

func eachIncidentOf(ctx context.Context, tx *Tx, f geo.Filter, fn func(geo.Incident) error) error {
	where, args := whereClause(f, true)
	page := ""
	if f.Limit > 0 || f.Offset > 0 {
		page = pageClause
		limit := f.Limit
		if limit <= 0 {
			limit = -1
		}
		args = append(args, limit, max(f.Offset, 0))
	}
	return eachIncident(ctx, tx, `SELECT `+incidentColumns+fromClause(f)+where+order(f)+page, args, fn)
}

// IncidentsNear returns up to limit incidents within km of p, nearest first,
// with their distances, leaving out the incident with id except.
func (db *DB) IncidentsNear(ctx context.Context, p orb.Point, km float64, except int64, limit int, asOf time.Time) ([]geo.Incident, []float64, error) {
	return record.Near(ctx, db.EachIncident, p, km, except, limit, asOf)
}

// Import stores, in one transaction, every incident that read hands to
// put, as ImportIncidents does, one at a time: memory stays flat however
// many there are. If read or a put fails, nothing is stored.
//
// Its transaction keeps statement journals in memory: each row's R*Tree
// entries are written by statements nested in the insert, which SQLite
// journals, and once a journal outgrew 64 KiB every later one went to a
// temporary file, about 17 KB of writes a row. The indexes are built at
// the end with their sorts in files again, in buffers the size of the
// page cache.
func (db *DB) Import(ctx context.Context, read func(put func(*geo.Incident) error) error) (created, updated int, err error) {
	if err := tempStore(ctx, db.writer, "MEMORY"); err != nil { // before BEGIN: SQLite reads it there
		return 0, 0, fmt.Errorf("import: %w", err)
	}
	defer tempStore(context.WithoutCancel(ctx), db.writer, "DEFAULT")
	direct := false
	if db.alone {
		if direct, err = db.writeDirect(ctx); err != nil {
			return 0, 0, fmt.Errorf("import: %w", err)
		}
		if direct {
			// Whatever the import's outcome. Should another process
			// hold the file now, the next Open turns the log on.
			defer db.writer.ExecContext(context.WithoutCancel(ctx), `PRAGMA journal_mode = WAL`)
		}
	}
	err = db.write(ctx, func(tx *Tx) error {
		tx.direct = direct
		lines, err := tx.db.ContextLines(ctx, coreTx{tx})
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		bulk, err := newBulk(ctx, tx)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		created, updated, err = core.ImportEach(read,
			func(inc *geo.Incident) (record.Row, error) { return core.Encode(coreTx{tx}, inc, lines) },
			func(inc *geo.Incident, row record.Row) (bool, error) {
				return putIncident(ctx, tx, inc, lines, "", row)
			},
			func() error { return bulk.row(ctx, tx) })
		if err != nil {
			return err
		}
		return bulk.end(ctx, tx)
	})
	if err != nil {
		return 0, 0, err
	}
	return created, updated, nil
}

// writeDirect turns the write-ahead log off, so that an import writes the
// database file directly, if the database holds no incidents and no other
// connection has it open; it reports whether it did. Under a rollback
// journal each page is written once, where the log wrote it and its
// commit copied it into the file again (a 1M import: 64 s against 84 s).
// It is as safe: a new page needs no journal, and an import killed at any
// moment is rolled back from the journal when the file is next opened.
// But readers would wait for the whole import, so it is for a database
// nobody else reads (Alone) and that has nothing to read yet.
func (db *DB) writeDirect(ctx context.Context) (bool, error) {
	var some bool
	if err := db.writer.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM incidents)`).Scan(&some); err != nil || some {
		return false, err
	}
	// This process's idle readers keep the log open too; they open again
	// when next needed.
	db.reader.SetMaxIdleConns(0)
	defer db.reader.SetMaxIdleConns(db.reader.Stats().MaxOpenConnections)
	// Another's connection makes the change fail: at once, not after
	// WriteWait.
	if _, err := db.writer.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
		return false, err
	}
	var mode string
	err := db.writer.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode)
	if _, terr := db.writer.ExecContext(ctx, `PRAGMA busy_timeout = `+strconv.FormatInt(WriteWait.Milliseconds(), 10)); terr != nil {
		return false, terr
	}
	var serr sqlite3.Error
	if errors.As(err, &serr) && serr.Code == sqlite3.ErrBusy {
		return false, nil // another connection has the file open: keep the log
	}
	return mode == "delete", err
}

func deleteIncident(ctx context.Context, tx *Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM incidents WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete incident %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return geo.Errorf(geo.ENotFound, "incident %d not found", id)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM incidents_rtree WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete incident %d: %w", id, err)
	}
	return recordVersion(ctx, tx, id, geo.ChangeDelete, nil)
}

// putIncident inserts inc (ID 0: a new ID) or replaces the row with its ID,
// keeps the R*Tree in step and records the version, of kind change (""
// for create or edit, as it turns out). It reports whether a row was
// created.
func putIncident(ctx context.Context, tx *Tx, inc *geo.Incident, lines contextLines, change string, row record.Row) (bool, error) {
	created, row, err := tx.db.Prepare(ctx, coreTx{tx}, inc, lines, row)
	if err != nil {
		return false, err
	}
	var id any
	if inc.ID != 0 {
		id = inc.ID
	}
	// A new row is a plain insert: OR REPLACE would make SQLite keep a
	// statement journal for every row of an import.
	verb := `INSERT`
	if !created {
		verb = `INSERT OR REPLACE`
	}
	res, err := tx.ExecContext(ctx, verb+` INTO incidents (id, `+record.InsertColumns+`)
		VALUES (?`+repeat(len(row))+`)`, append([]any{id}, row...)...)
	if err != nil {
		return false, err
	}
	if inc.ID == 0 {
		if inc.ID, err = res.LastInsertId(); err != nil {
			return false, err
		}
	}
	if err := indexIncident(ctx, tx, inc); err != nil {
		return false, err
	}
	if change == "" {
		change = geo.ChangeEdit
		if created {
			change = geo.ChangeCreate
		}
	}
	if err := recordVersion(ctx, tx, inc.ID, change, row); err != nil {
		return false, err
	}
	return created, nil
}

// indexIncident puts inc, as just written, in the incidents' R*Tree
// (unless a large import packs it at its end).
func indexIncident(ctx context.Context, tx *Tx, inc *geo.Incident) error {
	if tx.packLater {
		return nil
	}
	b := inc.Geometry.Bound()
	first, last := inc.DateRange()
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO incidents_rtree (id, min_x, max_x, min_y, max_y,
		event_date, date_first, date_last, event_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, inc.ID, b.Min[0], b.Max[0], b.Min[1], b.Max[1],
		inc.EventDate.Format(geo.DateLayout), first.Format(geo.DateLayout), last.Format(geo.DateLayout), inc.EventType); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

// Conditions that a feature's box meets a given one, for record.BoxClause.
const (
	incidentBox      = `(i.max_x >= ? AND i.min_x <= ? AND i.max_y >= ? AND i.min_y <= ?)`
	incidentRTreeBox = `i.id IN (SELECT id FROM incidents_rtree WHERE max_x >= ? AND min_x <= ? AND max_y >= ? AND min_y <= ?)`
	boxColumns       = `(f.max_x >= ? AND f.min_x <= ? AND f.max_y >= ? AND f.min_y <= ?)`
	ownBox           = `(max_x >= ? AND min_x <= ? AND max_y >= ? AND min_y <= ?)` // an R*Tree's own columns
)

var (
	order      = record.Order
	fromClause = record.From
	rowKey     = record.RowKey
	boxClause  = record.BoxClause
	repeat     = record.Repeat
)

// unseen is a parameter the query planner does not look at: go-sqlite3
// clears a cached statement's bindings before each use, and SQLite
// prepares again a statement whose plan looked at a parameter's value (a
// LIMIT's; an x = ? term's, to guess how many rows it keeps) once its
// binding changed. A box's page was prepared again on every request, a
// tenth of its time. An expression of the parameter still bounds an
// index's range.
const unseen = `(? + 0)`

// pageClause is a page's LIMIT and OFFSET, unseen.
const pageClause = ` LIMIT ` + unseen + ` OFFSET ` + unseen

func andWhere(cond string) string {
	if cond == "" {
		return ""
	}
	return " AND " + cond
}

// whereClause turns f into SQL conditions on the table fromClause gives.
// With rtree false the box is tested against the table's own columns: a full
// scan, kept for the benchmark that shows what the R*Tree is worth. A
// pinned view's box goes through the versions' R*Tree, in space and time;
// the exact test of valid_from and valid_to decides.
func whereClause(f geo.Filter, rtree bool) (string, []any) {
	return record.Where(f, record.Dialect{
		Box: func(f geo.Filter, b *orb.Bound) (string, []any) {
			switch {
			case !f.AsOf.IsZero() && rtree:
				c, a := pinnedVersions(f.AsOf, b)
				return `i.version_id IN (SELECT version_id FROM incident_versions_rtree i WHERE ` + c + `)`, a
			case rtree:
				return boxClause(b, incidentRTreeBox)
			default:
				return boxClause(b, incidentBox)
			}
		},
		Contains: func(text string) string { return `instr(` + text + `, ?) > 0` },
		Newline:  `char(10)`,
	})
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func eachIncident(ctx context.Context, q queryer, query string, args []any, fn func(geo.Incident) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("query incidents: %w", err)
	}
	defer rows.Close()
	return record.EachIncident(rows, fn)
}

type scanner = record.Scanner

// tempStore sets where the writer keeps temporary files (statement
// journals, sorts): MEMORY or DEFAULT (files). Outside a transaction or
// in one that has opened no temporary table.
func tempStore(ctx context.Context, e interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, where string) error {
	_, err := e.ExecContext(ctx, `PRAGMA temp_store = `+where)
	return err
}
