package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
)

// PutLayer validates l and stores it, replacing any layer with its ID, in one
// transaction. Features get IDs 1..n in order.
func (db *DB) PutLayer(ctx context.Context, l geo.Layer, position int) error {
	if err := l.Validate(); err != nil {
		return err
	}
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("put layer: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM layers WHERE id = ?`, l.ID); err != nil {
		return fmt.Errorf("put layer %s: %w", l.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO layers (id, title, description, kind, attribution, position)
		VALUES (?, ?, ?, ?, ?, ?)`, l.ID, l.Title, l.Description, l.Kind, l.Attribution, position); err != nil {
		return fmt.Errorf("put layer %s: %w", l.ID, err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO layer_features (layer_id, id, geom, properties) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("put layer %s: %w", l.ID, err)
	}
	defer stmt.Close()
	for i, f := range l.Features {
		geom, err := wkb.Marshal(f.Geometry)
		if err != nil {
			return fmt.Errorf("put layer %s feature %d: %w", l.ID, i, err)
		}
		props, err := json.Marshal(f.Properties)
		if err != nil {
			return fmt.Errorf("put layer %s feature %d: %w", l.ID, i, err)
		}
		if _, err := stmt.ExecContext(ctx, l.ID, i+1, geom, string(props)); err != nil {
			return fmt.Errorf("put layer %s feature %d: %w", l.ID, i, err)
		}
	}
	if l.Kind == geo.KindBorder || l.Kind == geo.KindBarrier {
		if err := remeasure(ctx, tx); err != nil {
			return fmt.Errorf("put layer %s: %w", l.ID, err)
		}
	}
	if err := db.touch(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Layers returns every layer with its features, in display order.
func (db *DB) Layers(ctx context.Context) ([]geo.Layer, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT id FROM layers ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("list layers: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list layers: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list layers: %w", err)
	}
	layers := make([]geo.Layer, 0, len(ids))
	for _, id := range ids {
		l, err := db.Layer(ctx, id)
		if err != nil {
			return nil, err
		}
		layers = append(layers, l)
	}
	return layers, nil
}

// Layer returns the layer with the given id and its features.
func (db *DB) Layer(ctx context.Context, id string) (geo.Layer, error) {
	l := geo.Layer{ID: id}
	err := db.reader.QueryRowContext(ctx, `SELECT title, description, kind, attribution FROM layers WHERE id = ?`, id).
		Scan(&l.Title, &l.Description, &l.Kind, &l.Attribution)
	if errors.Is(err, sql.ErrNoRows) {
		return l, geo.Errorf(geo.ENotFound, "collection %q not found", id)
	}
	if err != nil {
		return l, fmt.Errorf("get layer %s: %w", id, err)
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT id, geom, properties FROM layer_features WHERE layer_id = ? ORDER BY id`, id)
	if err != nil {
		return l, fmt.Errorf("get layer %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var fid int
		var geom []byte
		var props string
		if err := rows.Scan(&fid, &geom, &props); err != nil {
			return l, fmt.Errorf("get layer %s: %w", id, err)
		}
		g, err := wkb.Unmarshal(geom)
		if err != nil {
			return l, fmt.Errorf("get layer %s feature %d: %w", id, fid, err)
		}
		f := geojson.NewFeature(g)
		f.ID = fid
		if err := json.Unmarshal([]byte(props), &f.Properties); err != nil {
			return l, fmt.Errorf("get layer %s feature %d: %w", id, fid, err)
		}
		l.Features = append(l.Features, f)
	}
	return l, rows.Err()
}

// CountLayers returns how many layers are stored.
func (db *DB) CountLayers(ctx context.Context) (int, error) {
	var n int
	err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM layers`).Scan(&n)
	return n, err
}
