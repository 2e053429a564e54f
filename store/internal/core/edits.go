package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
)

// Editing one incident against the version it was read at, its history,
// reverts and restores. Every write records who and why (geo.EditOf).

func (s Store) incidentColumns() string { return record.IncidentColumns(s.E.WKB(`i.geom`)) }

// CurrentVersion is the id of incident id's current version.
func CurrentVersion(ctx context.Context, tx Tx, id int64) (int64, error) {
	var v int64
	err := tx.QueryRow(ctx, `SELECT version_id FROM incident_versions WHERE id = ? AND valid_to IS NULL`, id).Scan(&v)
	return v, notFound(err, "incident %d not found", id)
}

// checkVersion locks incident id's row until the transaction ends, where
// the engine locks rows, then refuses a write made against a version that
// is no longer current (ifVersion 0 checks nothing). With the lock, of two
// racing edits the second waits, then sees the first's version and is
// refused.
func (s Store) checkVersion(ctx context.Context, tx Tx, id, ifVersion int64) error {
	if lock := s.E.ForUpdate(); lock != "" {
		var locked int64
		if err := tx.QueryRow(ctx, `SELECT id FROM incidents WHERE id = ?`+lock, id).Scan(&locked); err != nil {
			return notFound(err, "incident %d not found", id)
		}
	}
	v, err := CurrentVersion(ctx, tx, id)
	if err != nil || ifVersion == 0 || v == ifVersion {
		return err
	}
	return geo.Errorf(geo.EStale, "incident %d has changed since version %d: it is at version %d now; reload it and apply your change again", id, ifVersion, v)
}

// IncidentVersion returns the incident with its current version's id, which
// names it for a conditional write (an ETag).
func (s Store) IncidentVersion(ctx context.Context, id int64) (geo.Incident, int64, error) {
	var inc geo.Incident
	var v int64
	err := s.E.Read(ctx, func(tx Tx) error {
		var err error
		if v, err = CurrentVersion(ctx, tx, id); err != nil {
			return err
		}
		inc, err = record.ScanIncident(tx.QueryRow(ctx, `SELECT `+s.incidentColumns()+` FROM incidents i WHERE i.id = ?`, id))
		return err
	})
	return inc, v, err
}

// AddIncident validates inc, stores it under a new id and returns its
// version.
func (s Store) AddIncident(ctx context.Context, inc *geo.Incident) (int64, error) {
	return s.putChecked(ctx, inc, 0, true)
}

// ReplaceIncident replaces incident inc.ID with inc, if its current version
// is still ifVersion (0: whatever it is), and returns the new version.
func (s Store) ReplaceIncident(ctx context.Context, inc *geo.Incident, ifVersion int64) (int64, error) {
	return s.putChecked(ctx, inc, ifVersion, false)
}

// CreateIncident validates inc and stores it under a new id, which it sets.
func (s Store) CreateIncident(ctx context.Context, inc *geo.Incident) error {
	_, err := s.AddIncident(ctx, inc)
	return err
}

// UpdateIncident validates inc and replaces the stored incident with its
// id, whatever its version.
func (s Store) UpdateIncident(ctx context.Context, inc *geo.Incident) error {
	_, err := s.ReplaceIncident(ctx, inc, 0)
	return err
}

func (s Store) putChecked(ctx context.Context, inc *geo.Incident, ifVersion int64, create bool) (int64, error) {
	if err := inc.Validate(); err != nil {
		return 0, err
	}
	var v int64
	err := s.E.Write(ctx, true, func(tx Tx) error {
		if create {
			inc.ID = 0
		} else if err := s.checkVersion(ctx, tx, inc.ID, ifVersion); err != nil {
			return err
		}
		lines, err := s.ContextLines(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := s.E.Put(ctx, tx, inc, lines, ""); err != nil {
			return fmt.Errorf("write incident: %w", err)
		}
		v, err = CurrentVersion(ctx, tx, inc.ID)
		return err
	})
	return v, err
}

// DeleteIncident removes the incident with id.
func (s Store) DeleteIncident(ctx context.Context, id int64) error {
	return s.DeleteIncidentAt(ctx, id, 0)
}

// DeleteIncidentAt deletes incident id if its current version is still
// ifVersion (0: whatever it is). The history keeps it (a tombstone) and
// editors may restore it.
func (s Store) DeleteIncidentAt(ctx context.Context, id, ifVersion int64) error {
	return s.E.Write(ctx, true, func(tx Tx) error {
		if err := s.checkVersion(ctx, tx, id, ifVersion); err != nil {
			return err
		}
		return s.E.Delete(ctx, tx, id)
	})
}

// RevertIncident makes version versionID of incident id current again, as
// a new version: history is never rewritten. A deleted incident comes back
// (a restore). It returns the new version.
func (s Store) RevertIncident(ctx context.Context, id, versionID int64) (int64, error) {
	var v int64
	err := s.E.Write(ctx, true, func(tx Tx) error {
		inc, err := record.ScanIncident(tx.QueryRow(ctx, `SELECT `+s.incidentColumns()+` FROM incident_versions i
			WHERE i.id = ? AND i.version_id = ? AND i.change != ?`, id, versionID, geo.ChangeDelete))
		if err != nil {
			return notFound(err, "incident %d has no version %d to go back to", id, versionID)
		}
		change := geo.ChangeRevert
		if err := s.checkVersion(ctx, tx, id, 0); geo.ErrorKind(err) == geo.ENotFound {
			change = geo.ChangeRestore
		} else if err != nil {
			return err
		}
		lines, err := s.ContextLines(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := s.E.Put(ctx, tx, &inc, lines, change); err != nil {
			return fmt.Errorf("revert incident %d: %w", id, err)
		}
		v, err = CurrentVersion(ctx, tx, id)
		return err
	})
	return v, err
}

// History returns every version of incident id, oldest first, deletions
// included.
func (s Store) History(ctx context.Context, id int64) ([]geo.Version, error) {
	out, err := readAll(ctx, s.E, fmt.Sprintf("history of incident %d", id), record.ScanVersion, `SELECT `+record.VersionMeta+s.incidentColumns()+`
		FROM incident_versions i WHERE i.id = ? ORDER BY i.valid_from, i.version_id`, id)
	if err == nil && len(out) == 0 {
		err = geo.Errorf(geo.ENotFound, "incident %d not found", id)
	}
	return out, err
}

// DeletedIncidents lists the deletions of incidents that are still deleted,
// newest first: what editors may restore.
func (s Store) DeletedIncidents(ctx context.Context) ([]geo.Version, error) {
	return readAll(ctx, s.E, "deleted incidents", record.ScanVersion, `SELECT `+record.VersionMeta+s.incidentColumns()+` FROM incident_versions i
		WHERE i.change = ? AND NOT EXISTS (SELECT 1 FROM incidents c WHERE c.id = i.id)
		AND i.valid_from = (SELECT max(valid_from) FROM incident_versions l WHERE l.id = i.id)
		ORDER BY i.valid_from DESC`, geo.ChangeDelete)
}

// Incident returns the incident with the given id.
func (s Store) Incident(ctx context.Context, id int64) (geo.Incident, error) {
	return s.IncidentAt(ctx, id, time.Time{})
}

// IncidentAt returns the incident with the given id as it stood at asOf
// (zero: now).
func (s Store) IncidentAt(ctx context.Context, id int64, asOf time.Time) (geo.Incident, error) {
	var inc geo.Incident
	f := geo.Filter{AsOf: asOf}
	where, args := s.E.Where(f)
	if where == "" {
		where = ` WHERE i.id = ?`
	} else {
		where += ` AND i.id = ?`
	}
	err := s.E.Read(ctx, func(tx Tx) error {
		var err error
		inc, err = record.ScanIncident(tx.QueryRow(ctx, `SELECT `+s.incidentColumns()+record.From(f)+where, append(args, id)...))
		switch {
		case errors.Is(err, ErrNoRows) && !asOf.IsZero():
			return geo.Errorf(geo.ENotFound, "incident %d did not exist at %s (it was added later or deleted before)", id, asOf.Format(time.RFC3339))
		case errors.Is(err, ErrNoRows):
			return geo.Errorf(geo.ENotFound, "incident %d not found", id)
		case err != nil:
			return fmt.Errorf("get incident %d: %w", id, err)
		}
		return nil
	})
	return inc, err
}
