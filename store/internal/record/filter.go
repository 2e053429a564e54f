package record

import (
	"strings"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

// Dialect is what differs between engines in the conditions a filter sets.
type Dialect struct {
	// Box is the condition, with its arguments, that a row of the table f
	// reads (the incidents, or for a pinned view their versions, as i)
	// meets box b.
	Box func(f geo.Filter, b *orb.Bound) (string, []any)
	// Contains is the SQL test that text holds the argument (lowercase).
	Contains func(text string) string
	// Newline is the SQL for a newline, which joins the texts searched.
	Newline string
}

// BoxClause is cond for box b, with the arguments max_x >= minX, min_x <=
// maxX, max_y >= minY, min_y <= maxY in its order; a box that crosses the
// antimeridian (minLon > maxLon) is tested as its two halves. The one
// place that rule is written.
func BoxClause(b *orb.Bound, cond string) (string, []any) {
	if b == nil {
		return "", nil
	}
	if b.Min[0] <= b.Max[0] {
		return cond, []any{b.Min[0], b.Max[0], b.Min[1], b.Max[1]}
	}
	return "(" + cond + " OR " + cond + ")", []any{b.Min[0], 180.0, b.Min[1], b.Max[1], -180.0, b.Max[0], b.Min[1], b.Max[1]}
}

// MarkerInBox is the condition that a row's marker is in a box, for
// BoxClause.
const MarkerInBox = `(i.px >= ? AND i.px <= ? AND i.py >= ? AND i.py <= ?)`

// From names the table f reads as i: the incidents as they are, or, for a
// view pinned with AsOf, their versions.
func From(f geo.Filter) string {
	if f.AsOf.IsZero() {
		return ` FROM incidents i`
	}
	return ` FROM incident_versions i`
}

// RowKey is the column that names one row of the table From gives.
func RowKey(f geo.Filter) string {
	if f.AsOf.IsZero() {
		return `i.id`
	}
	return `i.version_id`
}

// Order is the ORDER BY of f's pages: by date, then id.
func Order(f geo.Filter) string {
	if f.Newest {
		return ` ORDER BY i.event_date DESC, i.id DESC`
	}
	return ` ORDER BY i.event_date, i.id`
}

// Where turns f into SQL conditions on the table From gives (empty when
// f sets none), with "?" for each argument.
func Where(f geo.Filter, d Dialect) (string, []any) {
	var conds []string
	var args []any
	if !f.AsOf.IsZero() {
		at := VersionTime(f.AsOf)
		conds = append(conds, `i.valid_from <= ? AND (i.valid_to IS NULL OR i.valid_to > ?)`)
		args = append(args, at, at)
	}
	if f.BBox != nil {
		c, a := d.Box(f, f.BBox)
		conds, args = append(conds, c), append(args, a...)
		if f.MarkerInBox {
			c, a := BoxClause(f.BBox, MarkerInBox)
			conds, args = append(conds, c), append(args, a...)
		}
	}
	if !f.From.IsZero() {
		conds = append(conds, `i.date_last >= ?`)
		args = append(args, f.From.Format(geo.DateLayout))
	}
	if !f.To.IsZero() {
		conds = append(conds, `i.date_first <= ?`)
		args = append(args, f.To.Format(geo.DateLayout))
	}
	for _, in := range []struct {
		column string
		values []string
	}{{"i.event_type", f.EventTypes}, {"i.sub_event_type", f.SubEventTypes}, {"i.country", f.Countries}} {
		if c, a := In(in.column, in.values); len(a) > 0 {
			conds, args = append(conds, c), append(args, a...)
		}
	}
	join := func(columns ...string) string {
		return d.Contains(`lower(` + strings.Join(columns, ` || `+d.Newline+` || `) + `)`)
	}
	actors := []string{"i.actor1", "i.assoc_actor_1", "i.actor2", "i.assoc_actor_2"}
	if f.Actor != "" {
		conds = append(conds, join(actors...))
		args = append(args, strings.ToLower(f.Actor))
	}
	if f.Query != "" {
		conds = append(conds, join(append(append([]string{"i.title", "i.summary"}, actors...), "i.location", "i.admin1")...))
		args = append(args, strings.ToLower(f.Query))
	}
	if f.MinFatalities != nil {
		conds = append(conds, `i.fatalities >= ?`)
		args = append(args, *f.MinFatalities)
	}
	for _, near := range []struct {
		column string
		km     *float64
	}{{"i.barrier_km", f.NearBarrierKm}, {"i.border_km", f.NearBorderKm}, {"i.crossing_km", f.NearCrossingKm}} {
		if near.km != nil {
			conds = append(conds, near.column+` <= ?`)
			args = append(args, *near.km)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// In is the SQL test that column is one of values (none: true, "1 = 1").
func In(column string, values []string) (string, []any) {
	if len(values) == 0 {
		return `1 = 1`, nil
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return column + ` IN (?` + Repeat(len(values)-1) + `)`, args
}

// Repeat is ", ?" n times.
func Repeat(n int) string { return strings.Repeat(", ?", n) }
