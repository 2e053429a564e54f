package core

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/paulmach/orb"
)

// The cluster grid the summaries keep: cells of GridCellPx pixels at every
// zoom from 0 to GridMaxZoom, 4·2^z cells across the world in Web
// Mercator, by event type (tables cluster_cells and incident_spans, kept in
// step with the incidents in each write's transaction by each engine).
const (
	GridCellPx  = 64
	GridMaxZoom = 12
)

// GridCells is how many cells the grid has across the world at zoom z.
func GridCells(z int) int64 { return 4 << z }

// RebuildSummaries sums every incident again into the cluster grid and
// the date spans, in tx; cell is the engine's rounding (Engine.Cell).
func RebuildSummaries(ctx context.Context, tx Tx, cell func(expr, n string) string) error {
	stmts := []string{`DELETE FROM cluster_cells`, `DELETE FROM incident_spans`,
		`INSERT INTO incident_spans (event_type, date_first, date_last, n, min_x, min_y, max_x, max_y)
		SELECT event_type, date_first, date_last, count(*), min(px), min(py), max(px), max(py)
		FROM incidents WHERE mx IS NOT NULL GROUP BY 1, 2, 3`}
	// The finest zoom from the rows; each coarser one from the zoom below:
	// its cells are the finer ones' halved (GridCells doubles a zoom, and
	// a cell number is never negative), and every column is a sum, a
	// minimum or a maximum. One pass over the rows, not one a zoom.
	n := strconv.FormatInt(GridCells(GridMaxZoom), 10)
	stmts = append(stmts, `INSERT INTO cluster_cells (z, cx, cy, event_type, n, sum_id, sx, sy, min_x, min_y, max_x, max_y)
		SELECT `+strconv.Itoa(GridMaxZoom)+`, `+cell(`mx`, n)+` AS cx, `+cell(`my`, n)+` AS cy, event_type,
			count(*), sum(id), sum(px), sum(py), min(px), min(py), max(px), max(py)
		FROM incidents WHERE mx IS NOT NULL GROUP BY 2, 3, 4`)
	for z := GridMaxZoom - 1; z >= 0; z-- {
		stmts = append(stmts, `INSERT INTO cluster_cells (z, cx, cy, event_type, n, sum_id, sx, sy, min_x, min_y, max_x, max_y)
		SELECT `+strconv.Itoa(z)+`, cx / 2, cy / 2, event_type,
			sum(n), sum(sum_id), sum(sx), sum(sy), min(min_x), min(min_y), max(max_x), max(max_y)
		FROM cluster_cells WHERE z = `+strconv.Itoa(z+1)+` GROUP BY 2, 3, 4`)
	}
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("rebuild summaries: %w", err)
		}
	}
	return nil
}

// UseSummaries is false only in benchmarks, to measure the queries over
// the rows that the summaries replace.
var UseSummaries = true

// Summarized reports whether f selects the current data by nothing but
// its box, event types and dates: what the summaries can answer.
func Summarized(f geo.Filter) bool {
	return UseSummaries && f.AsOf.IsZero() && len(f.SubEventTypes) == 0 && f.Actor == "" && len(f.Countries) == 0 &&
		f.Query == "" && f.MinFatalities == nil && f.NearBarrierKm == nil && f.NearBorderKm == nil && f.NearCrossingKm == nil
}

// HasDates reports whether f has a date range.
func HasDates(f geo.Filter) bool { return !f.From.IsZero() || !f.To.IsZero() }

// SpansWhere is the SQL test on incident_spans for f's event types and
// dates.
func SpansWhere(f geo.Filter) (string, []any) {
	cond, args := record.In(`event_type`, f.EventTypes)
	if !f.From.IsZero() {
		cond, args = cond+` AND date_last >= ?`, append(args, f.From.Format(geo.DateLayout))
	}
	if !f.To.IsZero() {
		cond, args = cond+` AND date_first <= ?`, append(args, f.To.Format(geo.DateLayout))
	}
	return cond, args
}

// SummaryCount is how many incidents f's event types and dates select, and
// the box of their markers (nil when none): from the grid's zoom 0, or
// from the date spans when f has dates.
func SummaryCount(ctx context.Context, tx Tx, f geo.Filter) (int, *orb.Bound, error) {
	from, cond, args := `cluster_cells WHERE z = 0 AND `, "", []any(nil)
	if HasDates(f) {
		from = `incident_spans WHERE `
		cond, args = SpansWhere(f)
	} else {
		cond, args = record.In(`event_type`, f.EventTypes)
	}
	var n int
	var minX, minY, maxX, maxY *float64
	err := tx.QueryRow(ctx, `SELECT CAST(coalesce(sum(n), 0) AS BIGINT), min(min_x), min(min_y), max(max_x), max(max_y) FROM `+from+cond, args...).
		Scan(&n, &minX, &minY, &maxX, &maxY)
	if err != nil || n == 0 {
		return n, nil, err
	}
	return n, &orb.Bound{Min: orb.Point{*minX, *minY}, Max: orb.Point{*maxX, *maxY}}, nil
}

// GridCell is one cell's cluster, with the sum of its members' row keys:
// the one member's key when it has one.
type GridCell struct {
	geo.Cluster
	SumID int64
}

// SummaryCells reads the cells of span, of the event types (none: all),
// from the summaries. The zoom is written into the query, one of thirteen
// texts: SQLite prepares a cached statement again when a parameter its
// plan looked at (z = ?) is bound anew, as go-sqlite3 does on every use.
func SummaryCells(ctx context.Context, tx Tx, z int, span record.CellSpan, types []string) ([]GridCell, error) {
	cond, args := span.Where(`cx`, `cy`, nil)
	typeCond, typeArgs := record.In(`event_type`, types)
	return scanCells(ctx, tx, `SELECT CAST(sum(n) AS BIGINT), CAST(sum(sum_id) AS BIGINT), sum(sx), sum(sy), min(min_x), min(min_y), max(max_x), max(max_y)
		FROM cluster_cells WHERE z = `+strconv.Itoa(z)+` AND `+cond+` AND `+typeCond+` GROUP BY cx, cy`,
		append(args, typeArgs...))
}

// QueryCells groups the rows f selects in the cells of span: what the
// summaries hold, worked out from the rows.
func (s Store) QueryCells(ctx context.Context, tx Tx, f geo.Filter, span record.CellSpan) ([]GridCell, error) {
	where, args := s.inCells(f, span)
	return scanCells(ctx, tx, `SELECT count(*), CAST(sum(`+record.RowKey(f)+`) AS BIGINT), sum(i.px), sum(i.py), min(i.px), min(i.py), max(i.px), max(i.py)`+
		record.From(f)+where+` GROUP BY `+span.Cell(`i.mx`, s.E.Cell)+`, `+span.Cell(`i.my`, s.E.Cell), args)
}

// inCells is the WHERE clause for the rows f selects whose marker is in
// the cells of span.
func (s Store) inCells(f geo.Filter, span record.CellSpan) (string, []any) {
	switch {
	case span.Whole():
		f.BBox = nil
	case f.BBox != nil:
		f.BBox = span.Bound() // candidates: the cell test decides
	}
	f.MarkerInBox = false
	where, args := s.E.Where(f)
	cond, cargs := span.Where(`i.mx`, `i.my`, s.E.Cell)
	if where == "" {
		return ` WHERE ` + cond, cargs
	}
	return where + ` AND ` + cond, append(args, cargs...)
}

func scanCells(ctx context.Context, tx Tx, q string, args []any) ([]GridCell, error) {
	var out []GridCell
	err := tx.Query(ctx, q, args, func(r record.Scanner) error {
		var c GridCell
		var sx, sy float64
		if err := r.Scan(&c.Count, &c.SumID, &sx, &sy, &c.Bound.Min[0], &c.Bound.Min[1], &c.Bound.Max[0], &c.Bound.Max[1]); err != nil {
			return err
		}
		c.Center = orb.Point{centre(sx, c.Count), centre(sy, c.Count)}
		out = append(out, c)
		return nil
	})
	return out, err
}

// centre is the mean of count coordinates that sum to sum, to 1e-7° (about
// a centimetre): sums of the same points in another order (the rows', a
// finer zoom's cells', the event types') differ in their last bits, and
// the same view should give the same clusters however it is summed.
func centre(sum float64, count int) float64 {
	return math.Round(sum/float64(count)*1e7) / 1e7
}

// EachIncident runs q in tx and calls fn with each incident it gives.
func EachIncident(ctx context.Context, tx Tx, q string, args []any, fn func(geo.Incident) error) error {
	var incs []geo.Incident
	err := tx.Query(ctx, q, args, func(r record.Scanner) error {
		inc, err := record.ScanIncident(r)
		if err != nil {
			return fmt.Errorf("read incident: %w", err)
		}
		incs = append(incs, inc)
		return nil
	})
	if err != nil {
		return fmt.Errorf("query incidents: %w", err)
	}
	for _, inc := range incs {
		if err := fn(inc); err != nil {
			return err
		}
	}
	return nil
}

// Clusters groups the incidents f selects (ignoring its limit) into cells of
// cellPx screen pixels at zoom. A cell with one incident returns it whole;
// a cell with more returns a cluster. If no more than maxSingles incidents
// match, every one is returned whole. A response holds every cell the box
// meets, whole, so that the summaries can answer it: views with no filter
// but their box and event types, at zooms the grid keeps, are read from
// them; any other filter groups the matching rows.
func (s Store) Clusters(ctx context.Context, f geo.Filter, zoom float64, cellPx float64, maxSingles int) (geo.Clusters, error) {
	var out geo.Clusters
	f.Limit, f.Offset = 0, 0
	err := s.E.Read(ctx, func(tx Tx) error {
		var err error
		out, err = s.clusters(ctx, tx, f, zoom, cellPx, maxSingles)
		return err
	})
	return out, err
}

func (s Store) clusters(ctx context.Context, tx Tx, f geo.Filter, zoom float64, cellPx float64, maxSingles int) (geo.Clusters, error) {
	var out geo.Clusters
	z := int(zoom)
	span := record.CellsOf(f.BBox, int64(math.Exp2(float64(z))*256/cellPx))
	var cells []GridCell
	var err error
	if cellPx == GridCellPx && z <= GridMaxZoom && Summarized(f) && !HasDates(f) {
		cells, err = SummaryCells(ctx, tx, z, span, f.EventTypes)
	} else {
		cells, err = s.E.Cells(ctx, tx, f, span)
	}
	if err != nil {
		return out, fmt.Errorf("clusters: %w", err)
	}
	var singles []any
	for _, c := range cells {
		out.NumberMatched += c.Count
		if c.Count == 1 {
			singles = append(singles, c.SumID)
			continue
		}
		out.Clusters = append(out.Clusters, c.Cluster)
	}
	from, key, columns := record.From(f), record.RowKey(f), s.incidentColumns()
	add := func(inc geo.Incident) error { out.Singles = append(out.Singles, inc); return nil }
	if out.NumberMatched <= maxSingles {
		out.Clusters = nil
		where, args := s.inCells(f, span)
		return out, EachIncident(ctx, tx, `SELECT `+columns+from+where+` ORDER BY i.event_date, i.id`, args, add)
	}
	for start := 0; start < len(singles); start += 500 {
		batch := singles[start:min(start+500, len(singles))]
		q := `SELECT ` + columns + from + ` WHERE ` + key + ` IN (?` + record.Repeat(len(batch)-1) + `)`
		if err := EachIncident(ctx, tx, q, batch, add); err != nil {
			return out, err
		}
	}
	slices.SortFunc(out.Clusters, func(a, b geo.Cluster) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Center[1], b.Center[1]), cmp.Compare(a.Center[0], b.Center[0]))
	})
	slices.SortFunc(out.Singles, func(a, b geo.Incident) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// Stats counts the incidents f selects by event type (leaving f's own event
// types out, so a filter panel can show what each choice would give) and
// over time (leaving f's dates out, so a timeline shows the whole span),
// in one transaction: the three describe the same data.
func (s Store) Stats(ctx context.Context, f geo.Filter) (geo.Stats, error) {
	st := geo.Stats{ByEventType: map[string]int{}}
	f.Limit, f.Offset = 0, 0
	err := s.E.Read(ctx, func(tx Tx) error {
		var err error
		st, err = s.stats(ctx, tx, f, st)
		return err
	})
	return st, err
}

func (s Store) stats(ctx context.Context, tx Tx, f geo.Filter, st geo.Stats) (geo.Stats, error) {
	fromSummaries := Summarized(f) && f.BBox == nil
	var err error
	if fromSummaries {
		st.NumberMatched, st.Bound, err = SummaryCount(ctx, tx, f)
	} else {
		where, args := s.E.Where(f)
		var minX, minY, maxX, maxY *float64
		err = tx.QueryRow(ctx, `SELECT count(*), min(i.px), min(i.py), max(i.px), max(i.py)`+record.From(f)+where, args...).
			Scan(&st.NumberMatched, &minX, &minY, &maxX, &maxY)
		if st.NumberMatched > 0 {
			st.Bound = &orb.Bound{Min: orb.Point{*minX, *minY}, Max: orb.Point{*maxX, *maxY}}
		}
	}
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}

	all := f
	all.EventTypes = nil
	var q string
	var args []any
	if fromSummaries {
		cond, a := SpansWhere(all)
		q, args = `SELECT event_type, CAST(sum(n) AS BIGINT) FROM incident_spans WHERE `+cond+` GROUP BY event_type`, a
	} else {
		where, a := s.E.Where(all)
		q, args = `SELECT i.event_type, count(*)`+record.From(all)+where+` GROUP BY i.event_type`, a
	}
	if err := tx.Query(ctx, q, args, func(r record.Scanner) error {
		var t string
		var n int
		err := r.Scan(&t, &n)
		st.ByEventType[t] = n
		return err
	}); err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}

	undated := f
	undated.From, undated.To = time.Time{}, time.Time{}
	if fromSummaries {
		cond, a := SpansWhere(undated)
		q, args = `SELECT date_first, date_last, CAST(sum(n) AS BIGINT) FROM incident_spans WHERE `+cond+
			` GROUP BY date_first, date_last ORDER BY date_first, date_last`, a
	} else {
		where, a := s.E.Where(undated)
		q, args = `SELECT i.date_first, i.date_last, count(*)`+record.From(undated)+where+
			` GROUP BY i.date_first, i.date_last ORDER BY i.date_first, i.date_last`, a
	}
	err = tx.Query(ctx, q, args, func(r record.Scanner) error {
		var first, last string
		var n int
		if err := r.Scan(&first, &last, &n); err != nil {
			return err
		}
		a, _ := time.Parse(geo.DateLayout, first)
		b, _ := time.Parse(geo.DateLayout, last)
		st.Spans = append(st.Spans, geo.DateSpan{First: a, Last: b, Count: n})
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}
