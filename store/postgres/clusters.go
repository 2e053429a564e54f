package postgres

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

// cell rounds a Web Mercator fraction × n down to its cell number.
func cell(expr, n string) string { return `floor(` + expr + ` * ` + n + `)::bigint` }

// Clusters groups the incidents f selects (ignoring its limit) into cells of
// cellPx screen pixels at zoom, on the same grid as store/sqlite: a cell
// with one incident returns it whole, one with more a cluster; if no more
// than maxSingles match, every one is returned whole. The grid is worked
// out in SQL from each row's marker in Web Mercator units.
func (db *DB) Clusters(ctx context.Context, f geo.Filter, zoom float64, cellPx float64, maxSingles int) (geo.Clusters, error) {
	var out geo.Clusters
	f.Limit, f.Offset = 0, 0
	span := record.CellsOf(f.BBox, int64(math.Exp2(float64(int(zoom)))*256/cellPx))
	g := f
	g.MarkerInBox = false
	switch {
	case span.Whole():
		g.BBox = nil
	case f.BBox != nil:
		g.BBox = span.Bound() // candidates: the cell test decides
	}
	where, args := whereClause(g)
	cond, cargs := span.Where(`i.mx`, `i.my`, cell)
	if where == "" {
		where, args = ` WHERE `+cond, cargs
	} else {
		where, args = where+` AND `+cond, append(args, cargs...)
	}
	from, key := record.From(f), record.RowKey(f)
	err := db.read(ctx, func(tx *Tx) error {
		var singles []any
		err := eachRow(ctx, tx, `SELECT count(*), sum(`+key+`)::bigint, sum(i.px), sum(i.py), min(i.px), min(i.py), max(i.px), max(i.py)`+
			from+where+` GROUP BY `+span.Cell(`i.mx`, cell)+`, `+span.Cell(`i.my`, cell), args, func(r pgx.Rows) error {
			var c geo.Cluster
			var sumID int64
			var sx, sy float64
			if err := r.Scan(&c.Count, &sumID, &sx, &sy, &c.Bound.Min[0], &c.Bound.Min[1], &c.Bound.Max[0], &c.Bound.Max[1]); err != nil {
				return err
			}
			out.NumberMatched += c.Count
			if c.Count == 1 {
				singles = append(singles, sumID)
				return nil
			}
			c.Center = orb.Point{sx / float64(c.Count), sy / float64(c.Count)}
			out.Clusters = append(out.Clusters, c)
			return nil
		})
		if err != nil {
			return fmt.Errorf("clusters: %w", err)
		}
		add := func(inc geo.Incident) error { out.Singles = append(out.Singles, inc); return nil }
		if out.NumberMatched <= maxSingles {
			out.Clusters = nil
			return eachIncident(ctx, tx, `SELECT `+incidentColumns+from+where+` ORDER BY i.event_date, i.id`, args, add)
		}
		if len(singles) == 0 {
			return nil
		}
		return eachIncident(ctx, tx, `SELECT `+incidentColumns+from+` WHERE `+key+` = ANY(?)`, []any{singles}, add)
	})
	slices.SortFunc(out.Clusters, func(a, b geo.Cluster) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Center[1], b.Center[1]), cmp.Compare(a.Center[0], b.Center[0]))
	})
	if out.NumberMatched > maxSingles {
		slices.SortFunc(out.Singles, func(a, b geo.Incident) int { return cmp.Compare(a.ID, b.ID) })
	}
	return out, err
}

// Stats counts the incidents f selects by event type (leaving f's own event
// types out) and over time (leaving f's dates out), in one transaction.
func (db *DB) Stats(ctx context.Context, f geo.Filter) (geo.Stats, error) {
	st := geo.Stats{ByEventType: map[string]int{}}
	f.Limit, f.Offset = 0, 0
	err := db.read(ctx, func(tx *Tx) error {
		where, args := whereClause(f)
		var minX, minY, maxX, maxY *float64
		if err := tx.queryRow(ctx, `SELECT count(*), min(i.px), min(i.py), max(i.px), max(i.py)`+record.From(f)+where, args...).
			Scan(&st.NumberMatched, &minX, &minY, &maxX, &maxY); err != nil {
			return err
		}
		if st.NumberMatched > 0 {
			st.Bound = &orb.Bound{Min: orb.Point{*minX, *minY}, Max: orb.Point{*maxX, *maxY}}
		}
		all := f
		all.EventTypes = nil
		where, args = whereClause(all)
		err := eachRow(ctx, tx, `SELECT i.event_type, count(*)`+record.From(all)+where+` GROUP BY i.event_type`, args, func(r pgx.Rows) error {
			var t string
			var n int
			err := r.Scan(&t, &n)
			st.ByEventType[t] = n
			return err
		})
		if err != nil {
			return err
		}
		undated := f
		undated.From, undated.To = time.Time{}, time.Time{}
		where, args = whereClause(undated)
		return eachRow(ctx, tx, `SELECT i.date_first, i.date_last, count(*)`+record.From(undated)+where+
			` GROUP BY i.date_first, i.date_last ORDER BY i.date_first, i.date_last`, args, func(r pgx.Rows) error {
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
	})
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}

// Version returns a number that every write changes and the time of the
// last write, for ETags and Last-Modified: the same on every server.
func (db *DB) Version(ctx context.Context) (version int64, modified time.Time, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		var v, m string
		if err := tx.queryRow(ctx, `SELECT (SELECT value FROM meta WHERE key = 'version'), (SELECT value FROM meta WHERE key = 'modified_at')`).Scan(&v, &m); err != nil {
			return fmt.Errorf("version: %w", err)
		}
		_, err := fmt.Sscan(v, &version)
		modified, _ = time.Parse(time.RFC3339, m)
		return err
	})
	return version, modified, err
}

// IncidentsExtent returns the box around every incident and the first and
// last days they may have happened on.
func (db *DB) IncidentsExtent(ctx context.Context) (geo.Extent, error) {
	var e geo.Extent
	err := db.read(ctx, func(tx *Tx) error {
		var minX, minY, maxX, maxY *float64
		var first, last *string
		if err := tx.queryRow(ctx, `SELECT count(*), min(min_x), min(min_y), max(max_x), max(max_y),
			min(date_first), max(date_last) FROM incidents`).Scan(&e.Count, &minX, &minY, &maxX, &maxY, &first, &last); err != nil {
			return fmt.Errorf("extent: %w", err)
		}
		if e.Count > 0 {
			e.Bound = orb.Bound{Min: orb.Point{*minX, *minY}, Max: orb.Point{*maxX, *maxY}}
			e.First, _ = time.Parse(geo.DateLayout, *first)
			e.Last, _ = time.Parse(geo.DateLayout, *last)
		}
		return nil
	})
	return e, err
}
