package sqlite

import (
	"context"
	"fmt"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/core"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
)

// fillLayerBounds sets the boxes of features stored before migration 005.
func fillLayerBounds(ctx context.Context, tx *Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT layer_id, id, geom FROM layer_features WHERE min_x IS NULL`)
	if err != nil {
		return fmt.Errorf("fill layer bounds: %w", err)
	}
	type todo struct {
		layer string
		id    int
		b     orb.Bound
	}
	var all []todo
	for rows.Next() {
		var t todo
		var geom []byte
		if err := rows.Scan(&t.layer, &t.id, &geom); err != nil {
			rows.Close()
			return fmt.Errorf("fill layer bounds: %w", err)
		}
		g, err := wkb.Unmarshal(geom)
		if err != nil {
			rows.Close()
			return fmt.Errorf("fill layer bounds: layer %s feature %d: %w", t.layer, t.id, err)
		}
		t.b = g.Bound()
		all = append(all, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("fill layer bounds: %w", err)
	}
	for _, t := range all {
		if _, err := tx.ExecContext(ctx, `UPDATE layer_features SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE layer_id = ? AND id = ?`,
			t.b.Min[0], t.b.Min[1], t.b.Max[0], t.b.Max[1], t.layer, t.id); err != nil {
			return fmt.Errorf("fill layer bounds: %w", err)
		}
	}
	return nil
}

// LayerFeatures returns one page of the features of layer id whose box meets
// f's box (f's other fields are the incidents' and do not apply), in id
// order, with the number that match in all.
func (db *DB) LayerFeatures(ctx context.Context, id string, f geo.Filter) (geo.FeaturePage, error) {
	f = f.Normalize()
	page := geo.FeaturePage{Features: []*geojson.Feature{}}
	err := db.read(ctx, func(tx *Tx) error {
		if _, err := core.Layer(ctx, coreTx{tx}, id); err != nil {
			return err
		}
		where, args := boxClause(f.BBox, boxColumns)
		args = append([]any{id}, args...)
		where = ` WHERE f.layer_id = ?` + andWhere(where)
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM layer_features f`+where, args...).Scan(&page.NumberMatched); err != nil {
			return fmt.Errorf("count layer %s: %w", id, err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT f.id, f.geom, f.properties FROM layer_features f`+where+
			` ORDER BY f.id`+pageClause, append(args, f.Limit, f.Offset)...)
		if err != nil {
			return fmt.Errorf("query layer %s: %w", id, err)
		}
		defer rows.Close()
		for rows.Next() {
			feat, err := record.ScanLayerFeature(rows)
			if err != nil {
				return fmt.Errorf("layer %s: %w", id, err)
			}
			page.Features = append(page.Features, feat)
		}
		return rows.Err()
	})
	return page, err
}
