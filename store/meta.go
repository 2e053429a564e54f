package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// touch records a write: it bumps the data version and its time. Call it
// inside the write's transaction.
func (db *DB) touch(ctx context.Context, tx *sql.Tx) error {
	now := db.Now().UTC().Format(time.RFC3339)
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'`); err != nil {
		return fmt.Errorf("bump version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = 'modified_at'`, now); err != nil {
		return fmt.Errorf("bump version: %w", err)
	}
	return nil
}

// Version returns a number that every write changes and the time of the
// last write, for ETags and Last-Modified.
func (db *DB) Version(ctx context.Context) (int64, time.Time, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT key, value FROM meta WHERE key IN ('version', 'modified_at')`)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("version: %w", err)
	}
	defer rows.Close()
	var version int64
	var modified time.Time
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return 0, time.Time{}, fmt.Errorf("version: %w", err)
		}
		if k == "version" {
			version, _ = strconv.ParseInt(v, 10, 64)
		} else {
			modified, _ = time.Parse(time.RFC3339, v)
		}
	}
	return version, modified, rows.Err()
}

// IncidentsExtent returns the box around every incident and the first and
// last days they may have happened on.
func (db *DB) IncidentsExtent(ctx context.Context) (geo.Extent, error) {
	var e geo.Extent
	var minX, minY, maxX, maxY sql.NullFloat64
	var first, last sql.NullString
	err := db.reader.QueryRowContext(ctx, `SELECT count(*), min(min_x), min(min_y), max(max_x), max(max_y),
		min(date_first), max(date_last) FROM incidents`).Scan(&e.Count, &minX, &minY, &maxX, &maxY, &first, &last)
	if err != nil {
		return e, fmt.Errorf("extent: %w", err)
	}
	if e.Count == 0 {
		return e, nil
	}
	e.Bound = orb.Bound{Min: orb.Point{minX.Float64, minY.Float64}, Max: orb.Point{maxX.Float64, maxY.Float64}}
	e.First, _ = time.Parse(geo.DateLayout, first.String)
	e.Last, _ = time.Parse(geo.DateLayout, last.String)
	return e, nil
}

// contextLines are the border and barrier lines distances are measured to.
type contextLines struct {
	border, barrier orb.Collection
}

func (l contextLines) distances(g orb.Geometry) (border, barrier *float64) {
	measure := func(lines orb.Collection) *float64 {
		if len(lines) == 0 {
			return nil
		}
		d := geo.DistanceToKm(g, lines)
		return &d
	}
	return measure(l.border), measure(l.barrier)
}

func loadContextLines(ctx context.Context, tx *sql.Tx) (contextLines, error) {
	var l contextLines
	rows, err := tx.QueryContext(ctx, `SELECT l.kind, f.geom FROM layer_features f JOIN layers l ON l.id = f.layer_id
		WHERE l.kind IN (?, ?)`, geo.KindBorder, geo.KindBarrier)
	if err != nil {
		return l, fmt.Errorf("load context lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var b []byte
		if err := rows.Scan(&kind, &b); err != nil {
			return l, fmt.Errorf("load context lines: %w", err)
		}
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return l, fmt.Errorf("load context lines: %w", err)
		}
		if kind == geo.KindBorder {
			l.border = append(l.border, g)
		} else {
			l.barrier = append(l.barrier, g)
		}
	}
	return l, rows.Err()
}

// remeasure recomputes every incident's distances after a border or
// barrier layer changed, in the layer's transaction.
func remeasure(ctx context.Context, tx *sql.Tx) error {
	lines, err := loadContextLines(ctx, tx)
	if err != nil {
		return err
	}
	all, err := incidentGeometries(ctx, tx, "")
	if err != nil {
		return fmt.Errorf("remeasure: %w", err)
	}
	for _, r := range all {
		border, barrier := lines.distances(r.geom)
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET border_km = ?, barrier_km = ? WHERE id = ?`, border, barrier, r.id); err != nil {
			return fmt.Errorf("remeasure incident %d: %w", r.id, err)
		}
		// Distances are derived, not edited: the current version follows.
		if _, err := tx.ExecContext(ctx, `UPDATE incident_versions SET border_km = ?, barrier_km = ? WHERE id = ? AND valid_to IS NULL`, border, barrier, r.id); err != nil {
			return fmt.Errorf("remeasure incident %d: %w", r.id, err)
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
func incidentGeometries(ctx context.Context, tx *sql.Tx, cond string) ([]idGeom, error) {
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
