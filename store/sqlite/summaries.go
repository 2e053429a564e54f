package sqlite

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"

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
	if err := rebuildCellCounts(ctx, tx); err != nil {
		return fmt.Errorf("rebuild summaries: %w", err)
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
	indexes      []schemaObject // the indexes and triggers to make again at the end
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
	b.on, tx.packLater = true, true
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
		drops, b.indexes = append(drops, `DROP `+typ+` "`+name+`"`), append(b.indexes, schemaObject{name, create})
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
	// Writing the file directly, each sort on as many threads as there are
	// cores (SQLite's sorter merges their runs): 45 s against 49 s for a
	// million rows into a new file, for a peak RSS of 235 MB against 189.
	// Through the write-ahead log it took the peak past 300 MB.
	if tx.direct {
		if _, err := tx.ExecContext(ctx, `PRAGMA threads = `+strconv.Itoa(runtime.NumCPU())); err != nil {
			return err
		}
		defer tx.ExecContext(context.WithoutCancel(ctx), `PRAGMA threads = 0`)
	}
	// What a view's count and page read is written first, so that it lies
	// early in the file: SQLite maps only a file's first 2 GB (its
	// compiled-in SQLITE_MAX_MMAP_SIZE) and reads the rest with a system
	// call a page. After the rows: the indexes of readFirst, the summaries,
	// the R*Trees, then the other indexes.
	create := func(first bool) error {
		for _, o := range b.indexes {
			if slices.Contains(readFirst, o.name) != first {
				continue
			}
			if _, err := tx.ExecContext(ctx, o.sql); err != nil {
				return err
			}
		}
		return nil
	}
	if err := create(true); err != nil {
		return err
	}
	if err := rebuildSummaries(ctx, tx); err != nil {
		return err
	}
	tx.packLater = false
	if err := rebuildRTrees(ctx, tx); err != nil {
		return err
	}
	return create(false)
}

// schemaObject is an index or a trigger: its name and the SQL that makes it.
type schemaObject struct{ name, sql string }

// readFirst are the indexes a map view's page and count read (boxPage,
// cellsCount), and the clusters' fallback (queryCells); and the dates'
// (incidents_date), which the date spans are summed from: without it,
// summing them scanned and sorted the table (4.7 s at a million rows,
// against 2.3 s to build the index and 0.3 s to sum from it).
var readFirst = []string{"incidents_cell_date", "incidents_fine_cell", "incidents_event_date", "incidents_type_date", "incidents_cell", "incidents_date"}

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
// dates, counted from the cells' counts or the R*Tree (boxCount) and
// ordered from an index or the R*Tree (boxWay): only the page's rows are
// read. A view pinned with AsOf reads the versions' R*Tree the same way
// (pinnedCount, pinnedVersions).
func boxPage(ctx context.Context, tx *Tx, f geo.Filter, page *geo.Page) error {
	// A few short statements: ctx is checked once rather than watched by
	// a goroutine for each (and one for its transaction), which cost about
	// 5 % of a page's CPU with eight requests at once.
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx = context.WithoutCancel(ctx)
	cond, cargs := spansWhere(f)
	if f.AsOf.IsZero() {
		box, bargs := boxClause(f.BBox, incidentBox)
		count, countArgs, err := boxCount(ctx, tx, f, box, bargs, cond, cargs)
		if err != nil {
			return fmt.Errorf("count incidents: %w", err)
		}
		if err := tx.QueryRowContext(ctx, count, countArgs...).Scan(&page.NumberMatched); err != nil {
			return fmt.Errorf("count incidents: %w", err)
		}
		if page.NumberMatched == 0 {
			return nil
		}
		all, _, err := summaryCount(ctx, tx, geo.Filter{})
		if err != nil {
			return err
		}
		q, qargs := boxPageQuery(boxWay(f, all, page.NumberMatched), f, box, bargs, cond, cargs)
		return pageOf(ctx, tx, f, `incidents`, `i.id`, q, qargs, page)
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
	return pageOf(ctx, tx, f, `incident_versions`, `i.version_id`, `SELECT i.version_id AS k, i.id AS id, i.event_date AS d FROM incident_versions_rtree i WHERE `+box+` AND `+cond+order(f)+pageClause,
		append(append(bargs, cargs...), f.Limit, f.Offset), page)
}

// cellExpr is the cell an incident's box lies in, in cells of 1/per
// degree numbered x × column + y from 180° W and 90° S, or -1 when the box
// crosses a cell's edge: the expression of the indexes of migrations 014
// (cellKey) and 015 (fineCell), which a query must write as they do.
func cellExpr(per, column int) string {
	k, c := strconv.Itoa(per), strconv.Itoa(column)
	x := func(v string) string { return `CAST((` + v + ` + 180) * ` + k + ` AS INTEGER)` }
	y := func(v string) string { return `CAST((` + v + ` + 90) * ` + k + ` AS INTEGER)` }
	return `(CASE WHEN ` + x(`min_x`) + ` = ` + x(`max_x`) + ` AND ` + y(`min_y`) + ` = ` + y(`max_y`) +
		` THEN ` + x(`min_x`) + ` * ` + c + ` + ` + y(`min_y`) + ` ELSE -1 END)`
}

// cellOf is the column (offset 180) or row (offset 90) of cellExpr's
// cells of 1/per degree that a coordinate lies in, computed as SQLite
// computes it.
func cellOf(v, offset float64, per int) int { return int(math.Floor((v + offset) * float64(per))) }

// cellKey is the cell of incidents_cell_date (migration 014) an incident
// lies in.
var cellKey = cellExpr(2, 1000)

// Costs of the ways to a box's page, in date-index entries read (about
// 55 ns each on the 1M benchmark): the R*Tree's matches are sorted at
// about five entries a match (the columns it carries are read from its
// rowid table); a cell's date order costs about cellCost to start and
// merge (measured: 4 cells in 0.29 ms, 19 in 0.67 ms, against 0.9 ms for
// 15 000 entries of the date order).
const (
	rtreeCost = 5
	cellCost  = 600
	maxCells  = 64
)

// The ways to a box's page. A dense box is read in date order from the
// dates' index, testing the box there, until the page is full: about
// (offset+limit) × all/matched entries. A sparse one is sorted from the
// R*Tree. A small one in between is the merge of the date orders of the
// cells it meets (and of the incidents over a cell's edge), each read
// only up to the page's last date.
const (
	byDates = iota
	byRTree
	byCells
)

// boxWay is the cheapest way to the page of f when matched of all
// incidents are in its box.
func boxWay(f geo.Filter, all, matched int) int {
	dates := float64(f.Offset+f.Limit) * float64(all) / float64(matched)
	cells := math.Inf(1)
	if n := len(boxCells(f.BBox)); n > 0 { // none: too many
		cells = cellCost * float64(n+1)
	}
	switch {
	case rtreeCost*float64(matched) < min(dates, cells):
		return byRTree
	case dates < cells:
		return byDates
	}
	return byCells
}

// boxCells are the numbers of the cells of incidents_cell_date that b
// meets; none when they are more than maxCells, or b crosses the
// antimeridian (its west edge east of its east one).
func boxCells(b *orb.Bound) []int {
	x0, x1 := cellOf(b.Min[0], 180, 2), cellOf(b.Max[0], 180, 2)
	y0, y1 := cellOf(b.Min[1], 90, 2), cellOf(b.Max[1], 90, 2)
	if b.Min[0] > b.Max[0] || (x1-x0+1)*(y1-y0+1) > maxCells {
		return nil
	}
	var cells []int
	for x := x0; x <= x1; x++ {
		for y := y0; y <= y1; y++ {
			cells = append(cells, x*1000+y)
		}
	}
	return cells
}

// boxPageQuery is the query, the way given, for the page of f in box (a
// condition on i, with bargs) of cond's types and dates: each row's id as
// k and id, and its date as d.
func boxPageQuery(way int, f geo.Filter, box string, bargs []any, cond string, cargs []any) (string, []any) {
	args := append(append([]any{}, bargs...), cargs...)
	page := []any{f.Limit, f.Offset}
	switch way {
	case byRTree:
		return `SELECT i.id AS k, i.id AS id, i.event_date AS d FROM incidents_rtree i WHERE ` + box + ` AND ` + cond + order(f) + pageClause,
			append(args, page...)
	case byDates:
		return `SELECT i.id AS k, i.id AS id, i.event_date AS d FROM incidents i INDEXED BY incidents_event_date WHERE ` + box + ` AND ` + cond + order(f) + pageClause,
			append(args, page...)
	}
	arm := `SELECT i.id AS k, i.id AS id, i.event_date AS d FROM incidents i INDEXED BY incidents_cell_date WHERE ` + cellKey + ` = ` + unseen + ` AND ` + box + ` AND ` + cond
	arms := []string{arm}
	margs := append([]any{-1}, args...) // over a cell's edge
	for _, c := range boxCells(f.BBox) {
		arms = append(arms, arm)
		margs = append(append(margs, c), args...)
	}
	// A compound's ORDER BY names its columns: 3 is the date, 1 the id.
	by := ` ORDER BY 3, 1`
	if f.Newest {
		by = ` ORDER BY 3 DESC, 1 DESC`
	}
	return strings.Join(arms, ` UNION ALL `) + by + pageClause, append(margs, page...)
}

// pageOf fills page with the rows of table whose key (i.id, or
// i.version_id) query selects, as k with their id and date (id, d), in
// f's order: in one statement, the keys never leaving SQLite.
func pageOf(ctx context.Context, tx *Tx, f geo.Filter, table, key, query string, args []any, page *geo.Page) error {
	by := ` ORDER BY p.d, p.id`
	if f.Newest {
		by = ` ORDER BY p.d DESC, p.id DESC`
	}
	page.Incidents = make([]geo.Incident, 0, min(f.Limit, page.NumberMatched))
	return eachIncident(ctx, tx, `SELECT `+incidentColumns+` FROM (`+query+`) p JOIN `+table+` i ON `+key+` = p.k`+by, args,
		func(inc geo.Incident) error { page.Incidents = append(page.Incidents, inc); return nil })
}
