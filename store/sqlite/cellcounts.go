package sqlite

import (
	"context"
	"strings"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
)

// fineCell is the cell of incidents_fine_cell and cell_counts (migration
// 015) an incident lies in: 1/64° cells, x × fineColumn + y.
var fineCell = cellExpr(64, fineColumn)

// fineColumn is the number of a column of cells in fineCell.
const fineColumn = 100000

// maxFineColumns is the widest box, in columns of cells (2°), counted from
// the cells: past it, the cells inside are too many to sum.
const maxFineColumns = 128

// cellsCount is the query for how many incidents of f's event types meet
// its box, from the cells (f has no dates): the counts kept of the cells
// strictly inside the box's edge cells, whose incidents all lie inside the
// box, plus the incidents of the edge cells and of cell -1 tested against
// the box one by one. It is exact: a cell's number only grows with the
// coordinate it is computed from, so an incident in a cell between the
// box's edge cells lies between the box's edges. ok is false when the box
// is too wide, outside the world or across the antimeridian (its west
// edge east of its east one).
func cellsCount(f geo.Filter, box string, bargs []any) (query string, args []any, ok bool) {
	b := f.BBox
	if b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 || b.Min[0] > b.Max[0] {
		return "", nil, false
	}
	xa, xb := cellOf(b.Min[0], 180, 64), cellOf(b.Max[0], 180, 64)
	ya, yb := cellOf(b.Min[1], 90, 64), cellOf(b.Max[1], 90, 64)
	if xb-xa >= maxFineColumns {
		return "", nil, false
	}
	types, targs := record.In(`event_type`, f.EventTypes)
	kept, kargs := `event_type = ''`, []any(nil) // all types
	if len(f.EventTypes) > 0 {
		kept, kargs = types, targs
	}
	tested := `SELECT count(*) FROM incidents i INDEXED BY incidents_fine_cell WHERE ` + box + ` AND ` + types + ` AND ` + fineCell
	var arms []string
	add := func(arm string, a ...any) {
		arms = append(arms, `(`+arm+`)`)
		args = append(args, a...)
	}
	// The edge cells: whole columns at the ends, single cells between.
	edges := []any{-1}
	for x := xa; x <= xb; x++ {
		lo, hi := x*fineColumn+ya, x*fineColumn+yb
		switch {
		case x == xa || x == xb || yb-ya < 2:
			add(tested+` BETWEEN ? AND ?`, append(append(append([]any{}, bargs...), targs...), lo, hi)...)
		default:
			edges = append(edges, lo, hi)
			add(`SELECT coalesce(sum(n), 0) FROM cell_counts WHERE `+kept+` AND cell BETWEEN ? AND ?`, append(kargs, lo+1, hi-1)...)
		}
	}
	add(tested+` IN (?`+repeat(len(edges)-1)+`)`, append(append(append([]any{}, bargs...), targs...), edges...)...)
	return `SELECT ` + strings.Join(arms, ` + `), args, true
}

// boxCount is the query for how many incidents of f's types and dates
// meet its box (box, with bargs; cond, with cargs, on the types and
// dates): from the cells when f has no dates and they can (cellsCount),
// else from the R*Tree. The R*Tree's count is of its 32-bit boxes, rounded
// outward: on a million incidents it counted one or two too many in one
// box in twenty.
func boxCount(ctx context.Context, tx *Tx, f geo.Filter, box string, bargs []any, cond string, cargs []any) (string, []any, error) {
	if !hasDates(f) {
		if q, args, ok := cellsCount(f, box, bargs); ok {
			few, err := fewOverEdges(ctx, tx)
			if err != nil || few {
				return q, args, err
			}
		}
	}
	return `SELECT count(*) FROM incidents_rtree i WHERE ` + box + ` AND ` + cond, append(append([]any{}, bargs...), cargs...), nil
}

// maxOverEdges is how many incidents over a cell's edge cellsCount tests
// at most: past it (a dataset of long lines or large areas), the R*Tree
// counts faster.
const maxOverEdges = 20000

// fewOverEdges reports whether cellsCount would test no more than
// maxOverEdges incidents over cells' edges.
func fewOverEdges(ctx context.Context, tx *Tx) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM cell_counts WHERE event_type = '' AND cell = -1`).Scan(&n)
	return n <= maxOverEdges, err
}

// rebuildCellCounts sums the cells' counts again from the rows.
func rebuildCellCounts(ctx context.Context, tx *Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM cell_counts`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO cell_counts (event_type, cell, n)
		SELECT event_type, `+fineCell+`, count(*) FROM incidents INDEXED BY incidents_fine_cell GROUP BY `+fineCell+`, event_type`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO cell_counts (event_type, cell, n)
		SELECT '', cell, sum(n) FROM cell_counts GROUP BY cell`)
	return err
}
