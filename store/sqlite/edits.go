package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
)

// Editing one incident against the version it was read at, its history,
// reverts and restores. Every write records who and why (geo.EditOf).

// currentVersion is the id of incident id's current version.
func currentVersion(ctx context.Context, tx *Tx, id int64) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `SELECT version_id FROM incident_versions WHERE id = ? AND valid_to IS NULL`, id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, geo.Errorf(geo.ENotFound, "incident %d not found", id)
	}
	return v, err
}

// IncidentVersion returns the incident with its current version's id, which
// names it for a conditional write (an ETag).
func (db *DB) IncidentVersion(ctx context.Context, id int64) (geo.Incident, int64, error) {
	var inc geo.Incident
	var v int64
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		if v, err = currentVersion(ctx, tx, id); err != nil {
			return err
		}
		inc, err = scanIncident(tx.QueryRowContext(ctx, `SELECT `+incidentColumns+` FROM incidents i WHERE i.id = ?`, id))
		return err
	})
	return inc, v, err
}

// checkVersion refuses a write made against a version that is no longer
// current (ifVersion 0 checks nothing).
func checkVersion(ctx context.Context, tx *Tx, id, ifVersion int64) error {
	v, err := currentVersion(ctx, tx, id)
	if err != nil || ifVersion == 0 || v == ifVersion {
		return err
	}
	return geo.Errorf(geo.EStale, "incident %d has changed since version %d: it is at version %d now; reload it and apply your change again", id, ifVersion, v)
}

// AddIncident validates inc, stores it under a new id and returns its
// version.
func (db *DB) AddIncident(ctx context.Context, inc *geo.Incident) (int64, error) {
	return db.putChecked(ctx, inc, 0, true)
}

// ReplaceIncident replaces incident inc.ID with inc, if its current version
// is still ifVersion (0: whatever it is), and returns the new version.
func (db *DB) ReplaceIncident(ctx context.Context, inc *geo.Incident, ifVersion int64) (int64, error) {
	return db.putChecked(ctx, inc, ifVersion, false)
}

func (db *DB) putChecked(ctx context.Context, inc *geo.Incident, ifVersion int64, create bool) (int64, error) {
	if err := inc.Validate(); err != nil {
		return 0, err
	}
	var v int64
	err := db.write(ctx, func(tx *Tx) error {
		if create {
			inc.ID = 0
		} else if err := checkVersion(ctx, tx, inc.ID, ifVersion); err != nil {
			return err
		}
		lines, err := loadContextLines(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := putIncident(ctx, tx, inc, lines, ""); err != nil {
			return fmt.Errorf("write incident: %w", err)
		}
		v, err = currentVersion(ctx, tx, inc.ID)
		return err
	})
	return v, err
}

// DeleteIncidentAt deletes incident id if its current version is still
// ifVersion (0: whatever it is). The history keeps it (a tombstone) and editors may restore it.
func (db *DB) DeleteIncidentAt(ctx context.Context, id, ifVersion int64) error {
	return db.write(ctx, func(tx *Tx) error {
		if err := checkVersion(ctx, tx, id, ifVersion); err != nil {
			return err
		}
		return deleteIncident(ctx, tx, id)
	})
}

// RevertIncident makes version versionID of incident id current again, as
// a new version: history is never rewritten. A deleted incident comes back
// (a restore). It returns the new version.
func (db *DB) RevertIncident(ctx context.Context, id, versionID int64) (int64, error) {
	var v int64
	err := db.write(ctx, func(tx *Tx) error {
		inc, err := scanIncident(tx.QueryRowContext(ctx, `SELECT `+incidentColumns+` FROM incident_versions i
			WHERE i.id = ? AND i.version_id = ? AND i.change != ?`, id, versionID, geo.ChangeDelete))
		if errors.Is(err, sql.ErrNoRows) {
			return geo.Errorf(geo.ENotFound, "incident %d has no version %d to go back to", id, versionID)
		}
		if err != nil {
			return err
		}
		change := geo.ChangeRevert
		if _, err := currentVersion(ctx, tx, id); geo.ErrorKind(err) == geo.ENotFound {
			change = geo.ChangeRestore
		}
		lines, err := loadContextLines(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := putIncident(ctx, tx, &inc, lines, change); err != nil {
			return fmt.Errorf("revert incident %d: %w", id, err)
		}
		v, err = currentVersion(ctx, tx, id)
		return err
	})
	return v, err
}

const versionMeta = record.VersionMeta

var scanVersion = record.ScanVersion

// History returns every version of incident id, oldest first, deletions
// included.
func (db *DB) History(ctx context.Context, id int64) ([]geo.Version, error) {
	out, err := readAll(ctx, db, fmt.Sprintf("history of incident %d", id), scanVersion, `SELECT `+versionMeta+incidentColumns+`
		FROM incident_versions i WHERE i.id = ? ORDER BY i.valid_from, i.version_id`, id)
	if err == nil && len(out) == 0 {
		err = geo.Errorf(geo.ENotFound, "incident %d not found", id)
	}
	return out, err
}

// DeletedIncidents lists the deletions of incidents that are still deleted,
// newest first: what editors may restore.
func (db *DB) DeletedIncidents(ctx context.Context) ([]geo.Version, error) {
	return readAll(ctx, db, "deleted incidents", scanVersion, `SELECT `+versionMeta+incidentColumns+` FROM incident_versions i
		WHERE i.change = ? AND NOT EXISTS (SELECT 1 FROM incidents c WHERE c.id = i.id)
		AND i.valid_from = (SELECT max(valid_from) FROM incident_versions l WHERE l.id = i.id)
		ORDER BY i.valid_from DESC`, geo.ChangeDelete)
}

// readAll runs one query in a read transaction and scans every row.
func readAll[T any](ctx context.Context, db *DB, what string, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	var out []T
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}
