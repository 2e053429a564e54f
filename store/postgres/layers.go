package postgres

import (
	"context"
	"fmt"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/core"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/geojson"
)

// LayerFeatures returns one page of the features of layer id whose box meets
// f's box, in id order, with the number that match in all.
func (db *DB) LayerFeatures(ctx context.Context, id string, f geo.Filter) (geo.FeaturePage, error) {
	f = f.Normalize()
	page := geo.FeaturePage{Features: []*geojson.Feature{}}
	err := db.read(ctx, func(tx *Tx) error {
		if _, err := core.Layer(ctx, tx, id); err != nil {
			return err
		}
		where, args := ` WHERE f.layer_id = ?`, []any{id}
		if f.BBox != nil {
			c, a := envelope(`f.geom`, f.BBox)
			where, args = where+` AND `+c, append(args, a...)
		}
		if err := tx.queryRow(ctx, `SELECT count(*) FROM layer_features f`+where, args...).Scan(&page.NumberMatched); err != nil {
			return fmt.Errorf("count layer %s: %w", id, err)
		}
		return eachRow(ctx, tx, `SELECT f.id, ST_AsBinary(f.geom), f.properties FROM layer_features f`+where+` ORDER BY f.id LIMIT ? OFFSET ?`,
			append(args, f.Limit, f.Offset), func(r pgx.Rows) error {
				feat, err := record.ScanLayerFeature(r)
				if err != nil {
					return fmt.Errorf("layer %s: %w", id, err)
				}
				page.Features = append(page.Features, feat)
				return nil
			})
	})
	return page, err
}
