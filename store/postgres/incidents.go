package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/core"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/paulmach/orb"
)

var incidentColumns = record.IncidentColumns(`ST_AsBinary(i.geom)`)

// dialect is PostgreSQL's part of the shared filter conditions: boxes
// through the GiST index (&& with ST_MakeEnvelope).
var dialect = record.Dialect{
	Box:      func(_ geo.Filter, b *orb.Bound) (string, []any) { return envelope(`i.geom`, b) },
	Contains: func(text string) string { return `strpos(` + text + `, ?) > 0` },
	Newline:  `chr(10)`,
}

// envelope is the condition that column's box meets b; a box across the
// antimeridian is tested as its two halves.
func envelope(column string, b *orb.Bound) (string, []any) {
	env := column + ` && ST_MakeEnvelope(?, ?, ?, ?, 4326)`
	if b.Min[0] <= b.Max[0] {
		return env, []any{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	}
	return `(` + env + ` OR ` + env + `)`, []any{b.Min[0], b.Min[1], 180.0, b.Max[1], -180.0, b.Min[1], b.Max[0], b.Max[1]}
}

func whereClause(f geo.Filter) (string, []any) { return record.Where(f, dialect) }

// Incidents returns one page of the incidents f selects, ordered by date
// then id, with the number that match in all.
func (db *DB) Incidents(ctx context.Context, f geo.Filter) (geo.Page, error) {
	f = f.Normalize()
	from := record.From(f)
	where, args := whereClause(f)
	page := geo.Page{Incidents: []geo.Incident{}}
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		if core.Summarized(f) && f.BBox == nil {
			page.NumberMatched, _, err = core.SummaryCount(ctx, tx, f)
		} else {
			err = tx.queryRow(ctx, `SELECT count(*)`+from+where, args...).Scan(&page.NumberMatched)
		}
		if err != nil {
			return fmt.Errorf("count incidents: %w", err)
		}
		return eachIncident(ctx, tx, `SELECT `+incidentColumns+from+where+record.Order(f)+` LIMIT ? OFFSET ?`,
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
	return db.read(ctx, func(tx *Tx) error {
		where, args := whereClause(f)
		page := ""
		if f.Limit > 0 {
			page, args = page+` LIMIT ?`, append(args, f.Limit)
		}
		if f.Offset > 0 {
			page, args = page+` OFFSET ?`, append(args, f.Offset)
		}
		return eachIncident(ctx, tx, `SELECT `+incidentColumns+record.From(f)+where+record.Order(f)+page, args, fn)
	})
}

func eachIncident(ctx context.Context, tx *Tx, q string, args []any, fn func(geo.Incident) error) error {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("query incidents: %w", err)
	}
	defer rows.Close()
	return record.EachIncident(rows, fn)
}

// IncidentsNear returns up to limit incidents within km of p, nearest first,
// with their distances, leaving out the incident with id except.
func (db *DB) IncidentsNear(ctx context.Context, p orb.Point, km float64, except int64, limit int, asOf time.Time) ([]geo.Incident, []float64, error) {
	return record.Near(ctx, db.EachIncident, p, km, except, limit, asOf)
}

// Import stores, in one transaction, every incident that read hands to
// put, one at a time: memory stays flat however many there are. If read or
// a put fails, nothing is stored. read cannot be read twice, so a
// transaction the server aborts (a deadlock with another write) is not
// run again: the error says to try again.
func (db *DB) Import(ctx context.Context, read func(put func(*geo.Incident) error) error) (created, updated int, err error) {
	err = db.writeOnce(ctx, func(tx *Tx) error {
		created, updated, err = importTx(ctx, tx, read)
		return err
	})
	if retryable(err) {
		return 0, 0, geo.Errorf(geo.EConflict, "other writes touched the same incidents at the same moment: nothing was imported; run the import again")
	}
	if err != nil {
		return 0, 0, err
	}
	return created, updated, nil
}

// ImportIncidents stores all of incs in one transaction, or none of them;
// unlike Import's stream, a slice can be written again, so a transaction
// the server aborts is run again, on fresh copies.
func (db *DB) ImportIncidents(ctx context.Context, incs []geo.Incident) (created, updated int, err error) {
	var done []geo.Incident
	err = db.write(ctx, func(tx *Tx) error {
		done = slices.Clone(incs)
		created, updated, err = importTx(ctx, tx, func(put func(*geo.Incident) error) error {
			for i := range done {
				if err := put(&done[i]); err != nil {
					return err
				}
			}
			return nil
		})
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	copy(incs, done)
	return created, updated, nil
}

func importTx(ctx context.Context, tx *Tx, read func(put func(*geo.Incident) error) error) (created, updated int, err error) {
	lines, err := tx.db.ContextLines(ctx, tx)
	if err != nil {
		return 0, 0, fmt.Errorf("import: %w", err)
	}
	var stored, rows int
	bulk := false
	if err := tx.queryRow(ctx, `SELECT count(*) FROM incidents`).Scan(&stored); err != nil {
		return 0, 0, fmt.Errorf("import: %w", err)
	}
	created, updated, err = core.ImportEach(read,
		func(inc *geo.Incident) (record.Row, error) { return core.Encode(tx, inc, lines) },
		func(inc *geo.Incident, row record.Row) (bool, error) {
			return putIncident(ctx, tx, inc, lines, "", row)
		},
		func() error {
			// From bulkRows rows, and half as many as were stored, the
			// summaries are summed once at the end rather than row by row.
			if rows++; bulk || rows < bulkRows || rows < stored/2 {
				return nil
			}
			bulk = true
			return setBulk(ctx, tx, true)
		})
	if err != nil || !bulk {
		return created, updated, err
	}
	return created, updated, rebuildSummaries(ctx, tx)
}

// bulkRows is the size from which an import stops the summary trigger for
// its own transaction and rebuilds the summaries once before it commits.
const bulkRows = 5000

// setBulk turns the summary trigger off (or on) for the rest of tx.
func setBulk(ctx context.Context, tx *Tx, on bool) error {
	v := "off"
	if on {
		v = "on"
	}
	_, err := tx.exec(ctx, `SELECT set_config('borderwatch.bulk', ?, true)`, v)
	return err
}

// rebuildSummaries turns the trigger on again and sums every incident into
// the summaries, in tx.
func rebuildSummaries(ctx context.Context, tx *Tx) error {
	if err := setBulk(ctx, tx, false); err != nil {
		return err
	}
	return core.RebuildSummaries(ctx, tx, cell)
}

func deleteIncident(ctx context.Context, tx *Tx, id int64) error {
	tag, err := tx.exec(ctx, `DELETE FROM incidents WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete incident %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return geo.Errorf(geo.ENotFound, "incident %d not found", id)
	}
	return recordVersion(ctx, tx, id, geo.ChangeDelete)
}

// values is the VALUES list for a record.Row, the geometry from WKB.
var values = func() string {
	p := make([]string, len(strings.Split(record.InsertColumns, ",")))
	for i := range p {
		p[i] = `?`
	}
	p[record.GeomArg] = `ST_GeomFromWKB(?, 4326)`
	return strings.Join(p, `, `)
}()

// putIncident inserts inc (ID 0: a new ID) or replaces the row with its ID
// and records the version, of kind change ("" for create or edit, as it
// turns out). It reports whether a row was created.
func putIncident(ctx context.Context, tx *Tx, inc *geo.Incident, lines record.ContextLines, change string, row record.Row) (bool, error) {
	created, row, err := tx.db.Prepare(ctx, tx, inc, lines, row)
	if err != nil {
		return false, err
	}
	switch {
	case !created:
		_, err = tx.exec(ctx, `UPDATE incidents SET (`+record.InsertColumns+`) = (`+values+`) WHERE id = ?`, append(row, inc.ID)...)
	case inc.ID == 0:
		err = tx.queryRow(ctx, `INSERT INTO incidents (`+record.InsertColumns+`) VALUES (`+values+`) RETURNING id`, row...).Scan(&inc.ID)
	default:
		_, err = tx.exec(ctx, `INSERT INTO incidents (id, `+record.InsertColumns+`) VALUES (?, `+values+`)`, append([]any{inc.ID}, row...)...)
		tx.ownIDs = true
	}
	if err != nil {
		return false, err
	}
	if change == "" {
		change = geo.ChangeEdit
		if created {
			change = geo.ChangeCreate
		}
	}
	if err := recordVersion(ctx, tx, inc.ID, change); err != nil {
		return false, err
	}
	return created, nil
}

// recordVersion ends the current version of incident id at the
// transaction's time and starts a new one from the row as it now stands,
// recording who made the change and why (geo.EditOf). A deletion is
// recorded as a version that stood for no time, keeping the last content.
func recordVersion(ctx context.Context, tx *Tx, id int64, change string) error {
	at := record.VersionTime(tx.now)
	e := geo.EditOf(ctx)
	if change != geo.ChangeCreate {
		if change == geo.ChangeDelete {
			if _, err := tx.exec(ctx, `INSERT INTO incident_versions (valid_from, valid_to, author, edit_summary, change, `+record.VersionColumns+`)
				SELECT ?, ?, ?, ?, ?, `+record.VersionColumns+` FROM incident_versions WHERE id = ? AND valid_to IS NULL`,
				at, at, e.Author, e.Summary, change, id); err != nil {
				return fmt.Errorf("record the deletion of incident %d: %w", id, err)
			}
		}
		if _, err := tx.exec(ctx, `UPDATE incident_versions SET valid_to = ? WHERE id = ? AND valid_to IS NULL`, at, id); err != nil {
			return fmt.Errorf("close version of incident %d: %w", id, err)
		}
	}
	if change == geo.ChangeDelete {
		return nil
	}
	if _, err := tx.exec(ctx, `INSERT INTO incident_versions (valid_from, author, edit_summary, change, `+record.VersionColumns+`)
		SELECT ?, ?, ?, ?, `+record.VersionColumns+` FROM incidents WHERE id = ?`, at, e.Author, e.Summary, change, id); err != nil {
		return fmt.Errorf("record version of incident %d: %w", id, err)
	}
	return nil
}
