package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
)

// PutLayer validates l and stores it, replacing any layer with its ID, in one
// transaction. Features get IDs 1..n in order. A border, barrier or
// crossings layer has every incident's distances measured again.
func (db *DB) PutLayer(ctx context.Context, l geo.Layer, position int) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM layers WHERE id = ?`, l.ID); err != nil {
			return fmt.Errorf("put layer %s: %w", l.ID, err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO layers (id, title, description, kind, attribution, position)
			VALUES (?, ?, ?, ?, ?, ?)`, l.ID, l.Title, l.Description, l.Kind, l.Attribution, position); err != nil {
			return fmt.Errorf("put layer %s: %w", l.ID, err)
		}
		for i, f := range l.Features {
			geom, props, b, err := record.LayerFeatureRow(f)
			if err != nil {
				return fmt.Errorf("put layer %s feature %d: %w", l.ID, i, err)
			}
			if _, err := tx.exec(ctx, `INSERT INTO layer_features (layer_id, id, geom, properties, min_x, min_y, max_x, max_y)
				VALUES (?, ?, ST_GeomFromWKB(?, 4326), ?, ?, ?, ?, ?)`, l.ID, i+1, geom, props, b.Min[0], b.Min[1], b.Max[0], b.Max[1]); err != nil {
				return fmt.Errorf("put layer %s feature %d: %w", l.ID, i, err)
			}
		}
		if l.Kind == geo.KindBorder || l.Kind == geo.KindBarrier || l.Kind == geo.KindCrossing {
			if err := remeasure(ctx, tx); err != nil {
				return fmt.Errorf("put layer %s: %w", l.ID, err)
			}
		}
		return nil
	})
}

func loadContextLines(ctx context.Context, tx *Tx) (record.ContextLines, error) {
	var l record.ContextLines
	err := eachRow(ctx, tx, `SELECT l.kind, ST_AsBinary(f.geom) FROM layer_features f JOIN layers l ON l.id = f.layer_id
		WHERE l.kind IN (?, ?, ?)`, record.ContextKinds, func(r pgx.Rows) error {
		var kind string
		var b []byte
		if err := r.Scan(&kind, &b); err != nil {
			return err
		}
		return l.Add(kind, b)
	})
	if err != nil {
		return l, fmt.Errorf("load context lines: %w", err)
	}
	return l, nil
}

// remeasure recomputes every incident's distances after a border, barrier
// or crossings layer changed, in the layer's transaction; the current
// versions follow (distances are derived, not edited).
func remeasure(ctx context.Context, tx *Tx) error {
	lines, err := loadContextLines(ctx, tx)
	if err != nil {
		return err
	}
	type idGeom struct {
		id   int64
		geom []byte
	}
	var all []idGeom
	if err := eachRow(ctx, tx, `SELECT id, ST_AsBinary(geom) FROM incidents`, nil, func(r pgx.Rows) error {
		var g idGeom
		err := r.Scan(&g.id, &g.geom)
		all = append(all, g)
		return err
	}); err != nil {
		return fmt.Errorf("remeasure: %w", err)
	}
	for _, r := range all {
		g, err := wkb.Unmarshal(r.geom)
		if err != nil {
			return fmt.Errorf("remeasure incident %d: %w", r.id, err)
		}
		border, barrier, crossing := lines.Distances(g)
		for _, t := range []string{`incidents SET`, `incident_versions SET`} {
			cond := ` WHERE id = ?`
			if t == `incident_versions SET` {
				cond += ` AND valid_to IS NULL`
			}
			if _, err := tx.exec(ctx, `UPDATE `+t+` border_km = ?, barrier_km = ?, crossing_km = ?`+cond, border, barrier, crossing, r.id); err != nil {
				return fmt.Errorf("remeasure incident %d: %w", r.id, err)
			}
		}
	}
	return nil
}

const layerColumns = `SELECT l.id, l.title, l.description, l.kind, l.attribution,
	count(f.id), min(f.min_x), min(f.min_y), max(f.max_x), max(f.max_y)
	FROM layers l LEFT JOIN layer_features f ON f.layer_id = l.id`

// Layers describes every layer (not its features), in display order.
func (db *DB) Layers(ctx context.Context) ([]geo.Layer, error) {
	return readAll(ctx, db, "list layers", func(r pgx.Rows) (geo.Layer, error) { return record.ScanLayer(r) },
		layerColumns+` GROUP BY l.id ORDER BY l.position, l.id`)
}

// Layer describes the layer with the given id (not its features).
func (db *DB) Layer(ctx context.Context, id string) (geo.Layer, error) {
	var l geo.Layer
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		l, err = layer(ctx, tx, id)
		return err
	})
	return l, err
}

func layer(ctx context.Context, tx *Tx, id string) (geo.Layer, error) {
	l, err := record.ScanLayer(tx.queryRow(ctx, layerColumns+` WHERE l.id = ? GROUP BY l.id`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return l, geo.Errorf(geo.ENotFound, "collection %q not found", id)
	}
	if err != nil {
		return l, fmt.Errorf("get layer %s: %w", id, err)
	}
	return l, nil
}

// LayerFeatures returns one page of the features of layer id whose box meets
// f's box, in id order, with the number that match in all.
func (db *DB) LayerFeatures(ctx context.Context, id string, f geo.Filter) (geo.FeaturePage, error) {
	f = f.Normalize()
	page := geo.FeaturePage{Features: []*geojson.Feature{}}
	err := db.read(ctx, func(tx *Tx) error {
		if _, err := layer(ctx, tx, id); err != nil {
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

// LayerFeature returns feature fid of layer id.
func (db *DB) LayerFeature(ctx context.Context, id string, fid int64) (*geojson.Feature, error) {
	var feat *geojson.Feature
	err := db.read(ctx, func(tx *Tx) error {
		if _, err := layer(ctx, tx, id); err != nil {
			return err
		}
		var err error
		feat, err = record.ScanLayerFeature(tx.queryRow(ctx, `SELECT id, ST_AsBinary(geom), properties FROM layer_features WHERE layer_id = ? AND id = ?`, id, fid))
		return notFound(err, "feature %d not found in collection %q", fid, id)
	})
	return feat, err
}

// CountLayers returns how many layers are stored.
func (db *DB) CountLayers(ctx context.Context) (int, error) {
	var n int
	err := db.read(ctx, func(tx *Tx) error { return tx.queryRow(ctx, `SELECT count(*) FROM layers`).Scan(&n) })
	return n, err
}
