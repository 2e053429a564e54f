package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
)

// PutLayer validates l and stores it, replacing any layer with its ID, in one
// transaction. Features get IDs 1..n in order.
func (db *DB) PutLayer(ctx context.Context, l geo.Layer, position int) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM layers WHERE id = ?`, l.ID); err != nil {
			return fmt.Errorf("put layer %s: %w", l.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO layers (id, title, description, kind, attribution, position)
			VALUES (?, ?, ?, ?, ?, ?)`, l.ID, l.Title, l.Description, l.Kind, l.Attribution, position); err != nil {
			return fmt.Errorf("put layer %s: %w", l.ID, err)
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO layer_features (layer_id, id, geom, properties, min_x, min_y, max_x, max_y)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("put layer %s: %w", l.ID, err)
		}
		defer stmt.Close()
		for i, f := range l.Features {
			geom, props, b, err := record.LayerFeatureRow(f)
			if err != nil {
				return fmt.Errorf("put layer %s feature %d: %w", l.ID, i, err)
			}
			if _, err := stmt.ExecContext(ctx, l.ID, i+1, geom, props, b.Min[0], b.Min[1], b.Max[0], b.Max[1]); err != nil {
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

// layerColumns describe a layer with its feature count and extent, in one
// query however many layers there are.
const layerColumns = `SELECT l.id, l.title, l.description, l.kind, l.attribution,
	count(f.id), min(f.min_x), min(f.min_y), max(f.max_x), max(f.max_y)
	FROM layers l LEFT JOIN layer_features f ON f.layer_id = l.id`

var (
	scanLayer        = record.ScanLayer
	scanLayerFeature = record.ScanLayerFeature
)

// Layers describes every layer (not its features), in display order.
func (db *DB) Layers(ctx context.Context) ([]geo.Layer, error) {
	var layers []geo.Layer
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, layerColumns+` GROUP BY l.id ORDER BY l.position, l.id`)
		if err != nil {
			return fmt.Errorf("list layers: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			l, err := scanLayer(rows)
			if err != nil {
				return fmt.Errorf("list layers: %w", err)
			}
			layers = append(layers, l)
		}
		return rows.Err()
	})
	return layers, err
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
	l, err := scanLayer(tx.QueryRowContext(ctx, layerColumns+` WHERE l.id = ? GROUP BY l.id`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return l, geo.Errorf(geo.ENotFound, "collection %q not found", id)
	}
	if err != nil {
		return l, fmt.Errorf("get layer %s: %w", id, err)
	}
	return l, nil
}

// LayerFeatures returns one page of the features of layer id whose box meets
// f's box (f's other fields are the incidents' and do not apply), in id
// order, with the number that match in all.
func (db *DB) LayerFeatures(ctx context.Context, id string, f geo.Filter) (geo.FeaturePage, error) {
	f = f.Normalize()
	page := geo.FeaturePage{Features: []*geojson.Feature{}}
	err := db.read(ctx, func(tx *Tx) error {
		if _, err := layer(ctx, tx, id); err != nil {
			return err
		}
		where, args := boxClause(f.BBox, boxColumns)
		args = append([]any{id}, args...)
		where = ` WHERE f.layer_id = ?` + andWhere(where)
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM layer_features f`+where, args...).Scan(&page.NumberMatched); err != nil {
			return fmt.Errorf("count layer %s: %w", id, err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT f.id, f.geom, f.properties FROM layer_features f`+where+
			` ORDER BY f.id LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
		if err != nil {
			return fmt.Errorf("query layer %s: %w", id, err)
		}
		defer rows.Close()
		for rows.Next() {
			feat, err := scanLayerFeature(rows)
			if err != nil {
				return fmt.Errorf("layer %s: %w", id, err)
			}
			page.Features = append(page.Features, feat)
		}
		return rows.Err()
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
		feat, err = scanLayerFeature(tx.QueryRowContext(ctx, `SELECT id, geom, properties FROM layer_features WHERE layer_id = ? AND id = ?`, id, fid))
		if errors.Is(err, sql.ErrNoRows) {
			return geo.Errorf(geo.ENotFound, "feature %d not found in collection %q", fid, id)
		}
		if err != nil {
			return fmt.Errorf("layer %s: %w", id, err)
		}
		return nil
	})
	return feat, err
}

// CountLayers returns how many layers are stored.
func (db *DB) CountLayers(ctx context.Context) (int, error) {
	var n int
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM layers`).Scan(&n)
	})
	return n, err
}
