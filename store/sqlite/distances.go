package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Derived columns: what the store computes for every incident on each write
// (distances to the border and the barrier, the marker point in degrees and
// in Web Mercator units) and keeps current when the context layers change.

type contextLines = record.ContextLines

var markerPoint = record.MarkerPoint

// fillDerived sets what rows written before a migration lack: incidents'
// marker points (migration 004), layer features' boxes (005), distances to
// the crossings and versions' marker points and index entries (006).
func (db *DB) fillDerived(ctx context.Context) error {
	// Read first: the write lock only when there is something to fill.
	var todo, unmeasured bool
	if err := db.writer.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM incidents WHERE mx IS NULL)
		OR EXISTS (SELECT 1 FROM layer_features WHERE min_x IS NULL)
		OR EXISTS (SELECT 1 FROM incident_versions WHERE mx IS NULL)
		OR (SELECT stale FROM summary_state),
		EXISTS (SELECT 1 FROM incidents WHERE crossing_km IS NULL)
		AND EXISTS (SELECT 1 FROM layer_features f JOIN layers l ON l.id = f.layer_id WHERE l.kind = ?)`, geo.KindCrossing).
		Scan(&todo, &unmeasured); err != nil {
		return fmt.Errorf("fill derived columns: %w", busy(err))
	}
	if !todo && !unmeasured {
		return nil
	}
	tx, err := db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := incidentGeometries(ctx, tx, `mx IS NULL`)
	if err != nil {
		return fmt.Errorf("fill marker points: %w", err)
	}
	for _, r := range rows {
		p, m := markerPoint(r.geom)
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET px = ?, py = ?, mx = ?, my = ? WHERE id = ?`, p[0], p[1], m[0], m[1], r.id); err != nil {
			return fmt.Errorf("fill marker points: %w", err)
		}
	}
	var stale bool
	if err := tx.QueryRowContext(ctx, `SELECT stale FROM summary_state`).Scan(&stale); err != nil {
		return err
	}
	if stale || len(rows) > 0 {
		if err := rebuildSummaries(ctx, tx); err != nil {
			return err
		}
	}
	if err := fillLayerBounds(ctx, tx); err != nil {
		return err
	}
	if err := fillVersions(ctx, tx); err != nil {
		return err
	}
	if unmeasured {
		if err := db.Remeasure(ctx, coreTx{tx}); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// fillVersions gives the versions written before migration 006 their
// marker points and their entries in the versions' R*Tree.
func fillVersions(ctx context.Context, tx *Tx) error {
	type version struct {
		id       int64
		geom     orb.Geometry
		from, to time.Time
	}
	rows, err := tx.QueryContext(ctx, `SELECT version_id, geom, valid_from, valid_to FROM incident_versions WHERE mx IS NULL`)
	if err != nil {
		return fmt.Errorf("fill versions: %w", err)
	}
	var vs []version
	for rows.Next() {
		var v version
		var b []byte
		var from string
		var to sql.NullString
		if err := rows.Scan(&v.id, &b, &from, &to); err != nil {
			rows.Close()
			return fmt.Errorf("fill versions: %w", err)
		}
		if v.geom, err = wkb.Unmarshal(b); err != nil {
			rows.Close()
			return fmt.Errorf("version %d geometry: %w", v.id, err)
		}
		v.from, _ = time.Parse(record.VersionLayout, from)
		if to.Valid {
			v.to, _ = time.Parse(record.VersionLayout, to.String)
		}
		vs = append(vs, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("fill versions: %w", err)
	}
	for _, v := range vs {
		p, m := markerPoint(v.geom)
		if _, err := tx.ExecContext(ctx, `UPDATE incident_versions SET px = ?, py = ?, mx = ?, my = ? WHERE version_id = ?`, p[0], p[1], m[0], m[1], v.id); err != nil {
			return fmt.Errorf("fill versions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, indexVersions+`version_id = ?`, v.id); err != nil {
			return fmt.Errorf("fill versions: %w", err)
		}
	}
	return nil
}

// idGeom is an incident's id and geometry.
type idGeom struct {
	id   int64
	geom orb.Geometry
}

// incidentGeometries reads the id and geometry of the incidents where cond
// holds ("" for all), whole, so the caller can update them in the same
// transaction afterwards.
func incidentGeometries(ctx context.Context, tx *Tx, cond string) ([]idGeom, error) {
	q := `SELECT id, geom FROM incidents`
	if cond != "" {
		q += ` WHERE ` + cond
	}
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []idGeom
	for rows.Next() {
		var r idGeom
		var b []byte
		if err := rows.Scan(&r.id, &b); err != nil {
			return nil, err
		}
		if r.geom, err = wkb.Unmarshal(b); err != nil {
			return nil, fmt.Errorf("incident %d geometry: %w", r.id, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
