package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
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

func clusters(ctx context.Context, tx *Tx, f geo.Filter, zoom float64, cellPx float64, maxSingles int) (geo.Clusters, error) {
	var out geo.Clusters
	where, args := whereClause(f, true)
	from, key := fromClause(f), rowKey(f)
	// One pass groups the matches; only when few match are they read whole.
	n := math.Exp2(zoom) * 256 / cellPx
	rows, err := tx.QueryContext(ctx, `SELECT CAST(i.mx * ? AS INTEGER) AS cx, CAST(i.my * ? AS INTEGER) AS cy,
		count(*), min(i.px), min(i.py), max(i.px), max(i.py), avg(i.px), avg(i.py), min(`+key+`)`+
		from+where+` GROUP BY cx, cy`, append([]any{n, n}, args...)...)
	if err != nil {
		return out, fmt.Errorf("clusters: %w", err)
	}
	var singles []any
	for rows.Next() {
		var c geo.Cluster
		var cx, cy, id int64
		if err := rows.Scan(&cx, &cy, &c.Count, &c.Bound.Min[0], &c.Bound.Min[1], &c.Bound.Max[0], &c.Bound.Max[1],
			&c.Center[0], &c.Center[1], &id); err != nil {
			rows.Close()
			return out, fmt.Errorf("clusters: %w", err)
		}
		out.NumberMatched += c.Count
		if c.Count == 1 {
			singles = append(singles, id)
			continue
		}
		out.Clusters = append(out.Clusters, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("clusters: %w", err)
	}
	if out.NumberMatched <= maxSingles {
		out.Clusters = nil
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
	sort.Slice(out.Clusters, func(i, j int) bool { return out.Clusters[i].Count > out.Clusters[j].Count })
	sort.Slice(out.Singles, func(i, j int) bool { return out.Singles[i].ID < out.Singles[j].ID })
	return out, nil
}

func repeat(n int) string {
	b := make([]byte, 0, 3*n)
	for range n {
		b = append(b, ", ?"...)
	}
	return string(b)
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
	where, args := whereClause(f, true)
	var minX, minY, maxX, maxY sql.NullFloat64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), min(i.px), min(i.py), max(i.px), max(i.py)`+fromClause(f)+where, args...).
		Scan(&st.NumberMatched, &minX, &minY, &maxX, &maxY); err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	if st.NumberMatched > 0 {
		st.Bound = &orb.Bound{Min: orb.Point{minX.Float64, minY.Float64}, Max: orb.Point{maxX.Float64, maxY.Float64}}
	}
	all := f
	all.EventTypes = nil
	where, args = whereClause(all, true)
	rows, err := tx.QueryContext(ctx, `SELECT i.event_type, count(*)`+fromClause(all)+where+` GROUP BY i.event_type`, args...)
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
	where, args = whereClause(undated, true)
	rows, err = tx.QueryContext(ctx, `SELECT i.date_first, i.date_last, count(*)`+fromClause(undated)+where+
		` GROUP BY i.date_first, i.date_last`, args...)
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
