package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

// Clusters groups the incidents f selects (ignoring its limit) into cells of
// cellPx screen pixels at zoom. A cell with one incident returns it whole;
// a cell with more returns a cluster. If no more than maxSingles incidents
// match, every one is returned whole.
func (db *DB) Clusters(ctx context.Context, f geo.Filter, zoom float64, cellPx float64, maxSingles int) (geo.Clusters, error) {
	var out geo.Clusters
	f.Limit, f.Offset = 0, 0
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		out, err = clusters(ctx, tx, f, zoom, cellPx, maxSingles)
		return err
	})
	return out, err
}

// Clusters are cells of the grid: a response holds every cell the box
// meets, whole, so that the summaries can answer it. Views with no filter
// but their box and event types, at zooms the grid keeps, are read from
// the summaries; any other filter groups the matching rows.
func clusters(ctx context.Context, tx *Tx, f geo.Filter, zoom float64, cellPx float64, maxSingles int) (geo.Clusters, error) {
	var out geo.Clusters
	z := int(zoom)
	span := cellsOf(f.BBox, int64(math.Exp2(float64(z))*256/cellPx))
	var cells []gridCell
	var err error
	if cellPx == GridCellPx && z <= GridMaxZoom && summarized(f) && !hasDates(f) {
		cells, err = summaryCells(ctx, tx, z, span, f.EventTypes)
	} else {
		cells, err = queryCells(ctx, tx, f, span)
	}
	if err != nil {
		return out, fmt.Errorf("clusters: %w", err)
	}
	var singles []any
	for _, c := range cells {
		out.NumberMatched += c.Count
		if c.Count == 1 {
			singles = append(singles, c.sumID)
			continue
		}
		out.Clusters = append(out.Clusters, c.Cluster)
	}
	from, key := fromClause(f), rowKey(f)
	if out.NumberMatched <= maxSingles {
		out.Clusters = nil
		where, args := inCells(f, span)
		err = eachIncident(ctx, tx, `SELECT `+incidentColumns+from+where+` ORDER BY i.event_date, i.id`, args,
			func(inc geo.Incident) error { out.Singles = append(out.Singles, inc); return nil })
		return out, err
	}
	for start := 0; start < len(singles); start += 500 {
		batch := singles[start:min(start+500, len(singles))]
		q := `SELECT ` + incidentColumns + from + ` WHERE ` + key + ` IN (?` + repeat(len(batch)-1) + `)`
		err := eachIncident(ctx, tx, q, batch, func(inc geo.Incident) error { out.Singles = append(out.Singles, inc); return nil })
		if err != nil {
			return out, err
		}
	}
	slices.SortFunc(out.Clusters, func(a, b geo.Cluster) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Center[1], b.Center[1]), cmp.Compare(a.Center[0], b.Center[0]))
	})
	slices.SortFunc(out.Singles, func(a, b geo.Incident) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// gridCell is one cell's cluster, with the sum of its members' row keys:
// the one member's key when it has one.
type gridCell struct {
	geo.Cluster
	sumID int64
}

// summaryCells reads the cells of span, of the event types (none: all),
// from the summaries.
func summaryCells(ctx context.Context, tx *Tx, z int, span cellSpan, types []string) ([]gridCell, error) {
	cond, args := span.Where(`cx`, `cy`, nil)
	typeCond, typeArgs := inTypes(`event_type`, types)
	return scanCells(tx.QueryContext(ctx, `SELECT sum(n), sum(sum_id), sum(sx), sum(sy), min(min_x), min(min_y), max(max_x), max(max_y)
		FROM cluster_cells WHERE z = ? AND `+cond+` AND `+typeCond+` GROUP BY cx, cy`,
		append(append([]any{z}, args...), typeArgs...)...))
}

// queryCells groups the rows f selects in the cells of span: what the
// summaries hold, worked out from the rows. A date range is read from the
// dates' covering index (the cell test deciding) when that scans fewer than
// three index entries for each row the R*Tree would find in the box (a row
// costs about three entries); otherwise the R*Tree finds the box's rows.
func queryCells(ctx context.Context, tx *Tx, f geo.Filter, span cellSpan) ([]gridCell, error) {
	if hasDates(f) && f.AsOf.IsZero() && f.BBox != nil {
		box, args := boxClause(span.Bound(), ownBox)
		scanned := `1` // the index is on date_first: up to f.To, or all of it
		if !f.To.IsZero() {
			scanned, args = `date_first <= ?`, append(args, f.To.Format(geo.DateLayout))
		}
		var inBox, scan int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM incidents_rtree WHERE `+box+`),
			(SELECT coalesce(sum(n), 0) FROM incident_spans WHERE `+scanned+`)`, args...).Scan(&inBox, &scan); err != nil {
			return nil, err
		}
		if scan < 3*inBox {
			f.BBox = nil
		}
	}
	where, args := inCells(f, span)
	return scanCells(tx.QueryContext(ctx, `SELECT count(*), sum(`+rowKey(f)+`), sum(i.px), sum(i.py), min(i.px), min(i.py), max(i.px), max(i.py)`+
		fromClause(f)+where+` GROUP BY `+span.Cell(`i.mx`, cell)+`, `+span.Cell(`i.my`, cell), args...))
}

// inCells is the WHERE clause for the rows f selects whose marker is in
// the cells of span.
func inCells(f geo.Filter, span cellSpan) (string, []any) {
	switch whole := span.Whole(); {
	case whole:
		f.BBox = nil
	case f.BBox != nil:
		f.BBox = span.Bound() // candidates: the cell test decides
	}
	f.MarkerInBox = false
	where, args := whereClause(f, true)
	cond, cargs := span.Where(`i.mx`, `i.my`, cell)
	if where == "" {
		return ` WHERE ` + cond, cargs
	}
	return where + ` AND ` + cond, append(args, cargs...)
}

func scanCells(rows *sql.Rows, err error) ([]gridCell, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gridCell
	for rows.Next() {
		var c gridCell
		var sx, sy float64
		if err := rows.Scan(&c.Count, &c.sumID, &sx, &sy, &c.Bound.Min[0], &c.Bound.Min[1], &c.Bound.Max[0], &c.Bound.Max[1]); err != nil {
			return nil, err
		}
		c.Center = orb.Point{sx / float64(c.Count), sy / float64(c.Count)}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Stats counts the incidents f selects by event type (leaving f's own event
// types out, so a filter panel can show what each choice would give) and
// over time (leaving f's dates out, so a timeline shows the whole span).
func (db *DB) Stats(ctx context.Context, f geo.Filter) (geo.Stats, error) {
	st := geo.Stats{ByEventType: map[string]int{}}
	f.Limit, f.Offset = 0, 0
	// One transaction: the three counts describe the same data, even while
	// an import commits.
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		st, err = stats(ctx, tx, f, st)
		return err
	})
	return st, err
}

func stats(ctx context.Context, tx *Tx, f geo.Filter, st geo.Stats) (geo.Stats, error) {
	fromSummaries := summarized(f) && f.BBox == nil
	var err error
	if fromSummaries {
		st.NumberMatched, st.Bound, err = summaryCount(ctx, tx, f)
	} else {
		where, args := whereClause(f, true)
		var minX, minY, maxX, maxY sql.NullFloat64
		err = tx.QueryRowContext(ctx, `SELECT count(*), min(i.px), min(i.py), max(i.px), max(i.py)`+fromClause(f)+where, args...).
			Scan(&st.NumberMatched, &minX, &minY, &maxX, &maxY)
		if st.NumberMatched > 0 {
			st.Bound = &orb.Bound{Min: orb.Point{minX.Float64, minY.Float64}, Max: orb.Point{maxX.Float64, maxY.Float64}}
		}
	}
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}

	all := f
	all.EventTypes = nil
	var rows *sql.Rows
	if fromSummaries {
		cond, args := spansWhere(all)
		rows, err = tx.QueryContext(ctx, `SELECT event_type, sum(n) FROM incident_spans WHERE `+cond+` GROUP BY event_type`, args...)
	} else {
		where, args := whereClause(all, true)
		rows, err = tx.QueryContext(ctx, `SELECT i.event_type, count(*)`+fromClause(all)+where+` GROUP BY i.event_type`, args...)
	}
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			rows.Close()
			return st, fmt.Errorf("stats: %w", err)
		}
		st.ByEventType[t] = n
	}
	rows.Close()

	undated := f
	undated.From, undated.To = time.Time{}, time.Time{}
	if fromSummaries {
		cond, args := spansWhere(undated)
		rows, err = tx.QueryContext(ctx, `SELECT date_first, date_last, sum(n) FROM incident_spans WHERE `+cond+
			` GROUP BY date_first, date_last`, args...)
	} else {
		where, args := whereClause(undated, true)
		rows, err = tx.QueryContext(ctx, `SELECT i.date_first, i.date_last, count(*)`+fromClause(undated)+where+
			` GROUP BY i.date_first, i.date_last`, args...)
	}
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var first, last string
		var n int
		if err := rows.Scan(&first, &last, &n); err != nil {
			return st, fmt.Errorf("stats: %w", err)
		}
		a, _ := time.Parse(geo.DateLayout, first)
		b, _ := time.Parse(geo.DateLayout, last)
		st.Spans = append(st.Spans, geo.DateSpan{First: a, Last: b, Count: n})
	}
	return st, rows.Err()
}
