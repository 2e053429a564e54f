package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
)

// layerColumns describe a layer with its feature count and extent, in one
// query however many layers there are.
const layerColumns = `SELECT l.id, l.title, l.description, l.kind, l.attribution,
	count(f.id), min(f.min_x), min(f.min_y), max(f.max_x), max(f.max_y)
	FROM layers l LEFT JOIN layer_features f ON f.layer_id = l.id`

// Layers describes every layer (not its features), in display order.
func (s Store) Layers(ctx context.Context) ([]geo.Layer, error) {
	return readAll(ctx, s.E, "list layers", record.ScanLayer, layerColumns+` GROUP BY l.id ORDER BY l.position, l.id`)
}

// Layer describes the layer with the given id (not its features).
func (s Store) Layer(ctx context.Context, id string) (geo.Layer, error) {
	var l geo.Layer
	err := s.E.Read(ctx, func(tx Tx) error {
		var err error
		l, err = Layer(ctx, tx, id)
		return err
	})
	return l, err
}

// Layer describes layer id in tx.
func Layer(ctx context.Context, tx Tx, id string) (geo.Layer, error) {
	l, err := record.ScanLayer(tx.QueryRow(ctx, layerColumns+` WHERE l.id = ? GROUP BY l.id`, id))
	if errors.Is(err, ErrNoRows) {
		return l, geo.Errorf(geo.ENotFound, "collection %q not found", id)
	}
	if err != nil {
		return l, fmt.Errorf("get layer %s: %w", id, err)
	}
	return l, nil
}

// LayerFeature returns feature fid of layer id.
func (s Store) LayerFeature(ctx context.Context, id string, fid int64) (*geojson.Feature, error) {
	var feat *geojson.Feature
	err := s.E.Read(ctx, func(tx Tx) error {
		if _, err := Layer(ctx, tx, id); err != nil {
			return err
		}
		var err error
		feat, err = record.ScanLayerFeature(tx.QueryRow(ctx, `SELECT id, `+s.E.WKB(`geom`)+`, properties FROM layer_features WHERE layer_id = ? AND id = ?`, id, fid))
		if errors.Is(err, ErrNoRows) {
			return geo.Errorf(geo.ENotFound, "feature %d not found in collection %q", fid, id)
		}
		if err != nil {
			return fmt.Errorf("layer %s: %w", id, err)
		}
		return nil
	})
	return feat, err
}

// ContextLines are the lines and points distances are measured to, read
// in tx.
func (s Store) ContextLines(ctx context.Context, tx Tx) (record.ContextLines, error) {
	var l record.ContextLines
	err := tx.Query(ctx, `SELECT l.kind, `+s.E.WKB(`f.geom`)+` FROM layer_features f JOIN layers l ON l.id = f.layer_id
		WHERE l.kind IN (?, ?, ?)`, record.ContextKinds, func(r record.Scanner) error {
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

// PutLayer validates l and stores it, replacing any layer with its ID, in one
// transaction. Features get IDs 1..n in order. A border, barrier or
// crossings layer has every incident's distances measured again.
func (s Store) PutLayer(ctx context.Context, l geo.Layer, position int) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return s.E.Write(ctx, true, func(tx Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM layers WHERE id = ?`, l.ID); err != nil {
			return fmt.Errorf("put layer %s: %w", l.ID, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO layers (id, title, description, kind, attribution, position)
			VALUES (?, ?, ?, ?, ?, ?)`, l.ID, l.Title, l.Description, l.Kind, l.Attribution, position); err != nil {
			return fmt.Errorf("put layer %s: %w", l.ID, err)
		}
		for i, f := range l.Features {
			geom, props, b, err := record.LayerFeatureRow(f)
			if err != nil {
				return fmt.Errorf("put layer %s feature %d: %w", l.ID, i, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO layer_features (layer_id, id, geom, properties, min_x, min_y, max_x, max_y)
				VALUES (?, ?, `+s.E.FromWKB()+`, ?, ?, ?, ?, ?)`, l.ID, i+1, geom, props, b.Min[0], b.Min[1], b.Max[0], b.Max[1]); err != nil {
				return fmt.Errorf("put layer %s feature %d: %w", l.ID, i, err)
			}
		}
		if l.Kind == geo.KindBorder || l.Kind == geo.KindBarrier || l.Kind == geo.KindCrossing {
			if err := s.Remeasure(ctx, tx); err != nil {
				return fmt.Errorf("put layer %s: %w", l.ID, err)
			}
		}
		return nil
	})
}

// Remeasure recomputes every incident's distances after a border, barrier
// or crossings layer changed, in tx; the current versions follow
// (distances are derived, not edited).
func (s Store) Remeasure(ctx context.Context, tx Tx) error {
	lines, err := s.ContextLines(ctx, tx)
	if err != nil {
		return err
	}
	type idGeom struct {
		id   int64
		geom orb.Geometry
	}
	var all []idGeom
	if err := tx.Query(ctx, `SELECT id, `+s.E.WKB(`geom`)+` FROM incidents`, nil, func(r record.Scanner) error {
		var g idGeom
		var b []byte
		if err := r.Scan(&g.id, &b); err != nil {
			return err
		}
		var err error
		if g.geom, err = wkb.Unmarshal(b); err != nil {
			return fmt.Errorf("incident %d geometry: %w", g.id, err)
		}
		all = append(all, g)
		return nil
	}); err != nil {
		return fmt.Errorf("remeasure: %w", err)
	}
	for _, r := range all {
		border, barrier, crossing := lines.Distances(r.geom)
		if _, err := tx.Exec(ctx, `UPDATE incidents SET border_km = ?, barrier_km = ?, crossing_km = ? WHERE id = ?`, border, barrier, crossing, r.id); err != nil {
			return fmt.Errorf("remeasure incident %d: %w", r.id, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE incident_versions SET border_km = ?, barrier_km = ?, crossing_km = ? WHERE id = ? AND valid_to IS NULL`, border, barrier, crossing, r.id); err != nil {
			return fmt.Errorf("remeasure incident %d: %w", r.id, err)
		}
	}
	return nil
}
