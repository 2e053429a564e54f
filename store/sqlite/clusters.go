package sqlite

import (
	"context"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/core"
)

// queryCells groups the rows f selects in the cells of span: what the
// summaries hold, worked out from the rows. A date range is read from the
// dates' covering index (the cell test deciding) when that scans fewer than
// three index entries for each row the R*Tree would find in the box (a row
// costs about three entries); otherwise the R*Tree finds the box's rows.
func queryCells(ctx context.Context, tx *Tx, f geo.Filter, span cellSpan) ([]core.GridCell, error) {
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
	return tx.db.QueryCells(ctx, coreTx{tx}, f, span)
}
