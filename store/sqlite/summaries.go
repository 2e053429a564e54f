package sqlite

import (
	"context"
	"fmt"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/core"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/paulmach/orb"
)

// The cluster grid the summaries keep (migration 011), as core has it.
const (
	GridCellPx  = core.GridCellPx
	GridMaxZoom = core.GridMaxZoom
)

// bulkRows is the size from which an import turns the summary triggers off
// and rebuilds the summaries once before it commits (type bulk).
const bulkRows = 5000

// rebuildSummaries sums every incident again into the cluster grid and the
// date spans, in tx.
func rebuildSummaries(ctx context.Context, tx *Tx) error {
	if err := core.RebuildSummaries(ctx, coreTx{tx}, cell); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE summary_state SET stale = 0`)
	return err
}

// bulk takes the summary triggers away for an import once it has written
// so many rows that summing them all again at the end is cheaper than
// keeping the summaries row by row: from bulkRows rows, and half as many
// as were stored before. It drops the triggers and the plain indexes of
// incidents and their versions, and makes them again at the end (the
// indexes from sorted rows), in the same transaction.
type bulk struct {
	stored, rows int
	on           bool
	indexes      []string // the CREATE INDEX and TRIGGER statements to run at the end
}

func newBulk(ctx context.Context, tx *Tx) (*bulk, error) {
	b := &bulk{}
	err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM cluster_cells WHERE z = 0`).Scan(&b.stored)
	return b, err
}

// row counts one more row about to be written.
func (b *bulk) row(ctx context.Context, tx *Tx) error {
	b.rows++
	if b.on || b.rows < bulkRows || b.rows < b.stored/2 {
		return nil
	}
	b.on = true
	// Not the ones an import looks rows up by: the unique ones, and the
	// versions by incident. The summary triggers go too, so that an
	// insert is one row's write, with no statement journal (their
	// summary_state.bulk test, from before they were dropped, stays 0).
	rows, err := tx.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_master
		WHERE (type = 'index' AND tbl_name IN ('incidents', 'incident_versions') AND sql IS NOT NULL
			AND sql NOT LIKE 'CREATE UNIQUE%' AND name <> 'incident_versions_id')
		OR (type = 'trigger' AND name LIKE 'incidents_summaries_%')`)
	if err != nil {
		return err
	}
	var drops []string
	for rows.Next() {
		var typ, name, create string
		if err := rows.Scan(&typ, &name, &create); err != nil {
			rows.Close()
			return err
		}
		drops, b.indexes = append(drops, `DROP `+typ+` "`+name+`"`), append(b.indexes, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, drop := range drops {
		if _, err := tx.ExecContext(ctx, drop); err != nil {
			return err
		}
	}
	return nil
}

// end makes the triggers again, builds the indexes and rebuilds the
// summaries, if bulk was on, before the import commits.
func (b *bulk) end(ctx context.Context, tx *Tx) error {
	if !b.on {
		return nil
	}
	// Sorts for the indexes in files (sized by the page cache), not in
	// memory, whatever Import set for the rows.
	if err := tempStore(ctx, tx, "DEFAULT"); err != nil {
		return err
	}
	for _, create := range b.indexes {
		if _, err := tx.ExecContext(ctx, create); err != nil {
			return err
		}
	}
	return rebuildSummaries(ctx, tx)
}

type cellSpan = record.CellSpan

var cellsOf = record.CellsOf

// cell rounds a Web Mercator fraction × n down to its cell number.
func cell(expr, n string) string { return `CAST(` + expr + ` * ` + n + ` AS INTEGER)` }

var (
	summarized = core.Summarized
	hasDates   = core.HasDates
	spansWhere = core.SpansWhere
)

// summaryCells reads the cells of span, of the event types, from the
// summaries.
func summaryCells(ctx context.Context, tx *Tx, z int, span cellSpan, types []string) ([]core.GridCell, error) {
	return core.SummaryCells(ctx, coreTx{tx}, z, span, types)
}

// summaryCount is core.SummaryCount in tx.
func summaryCount(ctx context.Context, tx *Tx, f geo.Filter) (int, *orb.Bound, error) {
	return core.SummaryCount(ctx, coreTx{tx}, f)
}

// boxPage reads one page of the incidents in f's box, of its types and
// dates, through the R*Tree, which carries those columns: the count and
// the order need no row, and only the page's rows are read. A view pinned
// with AsOf reads the versions' R*Tree the same way (pinnedCount,
// pinnedVersions).
func boxPage(ctx context.Context, tx *Tx, f geo.Filter, page *geo.Page) error {
	cond, cargs := spansWhere(f)
	if f.AsOf.IsZero() {
		box, bargs := boxClause(f.BBox, incidentBox)
		args := append(bargs, cargs...)
		from := ` FROM incidents_rtree i WHERE ` + box + ` AND ` + cond
		if err := tx.QueryRowContext(ctx, `SELECT count(*)`+from, args...).Scan(&page.NumberMatched); err != nil {
			return fmt.Errorf("count incidents: %w", err)
		}
		if page.NumberMatched == 0 {
			return nil
		}
		// A dense box is read in date order from the dates' index, testing
		// the box there, until the page is full: about (offset+limit) ×
		// all/matched entries. A sparse one is sorted from the R*Tree, whose
		// carried columns cost about five index entries a row.
		all, _, err := summaryCount(ctx, tx, geo.Filter{})
		if err != nil {
			return err
		}
		if float64(f.Offset+f.Limit)*float64(all)/float64(page.NumberMatched) < 5*float64(page.NumberMatched) {
			from = ` FROM incidents i INDEXED BY incidents_event_date WHERE ` + box + ` AND ` + cond
		}
		return pageOf(ctx, tx, f, `i.id`, `incidents`, from, args, page)
	}
	// Counted as the versions the R*Tree decides alone, plus those that
	// began or ended within a second of the pin, tested exactly; the page is
	// always sorted from the R*Tree (versions have no index on dates).
	count, countArgs := pinnedCount(f.AsOf, f.BBox, cond, cargs)
	if err := tx.QueryRowContext(ctx, count, countArgs...).Scan(&page.NumberMatched); err != nil {
		return fmt.Errorf("count incidents: %w", err)
	}
	if page.NumberMatched == 0 {
		return nil
	}
	box, bargs := pinnedVersions(f.AsOf, f.BBox)
	return pageOf(ctx, tx, f, `i.version_id`, `incident_versions`, ` FROM incident_versions_rtree i WHERE `+box+` AND `+cond,
		append(bargs, cargs...), page)
}

// pageOf fills page with the rows of table named by key (i.id, or
// i.version_id) that from selects, in f's order, offset and limit.
func pageOf(ctx context.Context, tx *Tx, f geo.Filter, key, table, from string, args []any, page *geo.Page) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+key+`, i.id`+from+order(f)+` LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return fmt.Errorf("query incidents: %w", err)
	}
	var keys []any
	at := map[int64]int{} // where each incident goes (a pinned view has one version of each)
	for rows.Next() {
		var k, id int64
		if err := rows.Scan(&k, &id); err != nil {
			rows.Close()
			return fmt.Errorf("query incidents: %w", err)
		}
		at[id] = len(keys)
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(keys) == 0 {
		return err
	}
	page.Incidents = make([]geo.Incident, len(keys))
	return eachIncident(ctx, tx, `SELECT `+incidentColumns+` FROM `+table+` i WHERE `+key+` IN (?`+repeat(len(keys)-1)+`)`, keys,
		func(inc geo.Incident) error { page.Incidents[at[inc.ID]] = inc; return nil })
}
