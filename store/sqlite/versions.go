package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
)

var versionTime = record.VersionTime

const versionColumns = record.VersionColumns

// farFuture is the end time the versions' R*Tree gives a current version.
const farFuture = 1e11

// versionSeconds is t as the versions' R*Tree counts time: seconds since
// 1970, rounded down for a start (up for an end, with roundUp).
func versionSeconds(t time.Time, roundUp bool) float64 {
	s := t.Unix()
	if roundUp && t.Nanosecond() > 0 {
		s++
	}
	return float64(s)
}

// recordVersion ends the current version of incident id at the
// transaction's time and starts a new one from the row as it now stands,
// recording who made the change, why (the Edit of ctx) and its kind. A
// deletion starts no new version: it is recorded as a version that stood
// for no time, a tombstone that keeps the last content. It runs in the
// transaction of the change.
func recordVersion(ctx context.Context, tx *Tx, id int64, change string) error {
	at := versionTime(tx.now)
	e := geo.EditOf(ctx)
	if change != geo.ChangeCreate { // a new incident has no version to end
		if err := endVersion(ctx, tx, id, change, at, e); err != nil {
			return err
		}
	}
	if change == geo.ChangeDelete {
		return nil
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO incident_versions (valid_from, author, edit_summary, change, `+versionColumns+`)
		SELECT ?, ?, ?, ?, `+versionColumns+` FROM incidents WHERE id = ?`, at, e.Author, e.Summary, change, id)
	if err != nil {
		return fmt.Errorf("record version of incident %d: %w", id, err)
	}
	vid, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("record version of incident %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO incident_versions_rtree (version_id, min_x, max_x, min_y, max_y, min_t, max_t)
		SELECT version_id, min_x, max_x, min_y, max_y, ?, ? FROM incident_versions WHERE version_id = ?`,
		versionSeconds(tx.now, false), farFuture, vid); err != nil {
		return fmt.Errorf("index version of incident %d: %w", id, err)
	}
	return nil
}

// endVersion ends the current version of incident id at at; for a
// deletion, it records the tombstone first.
func endVersion(ctx context.Context, tx *Tx, id int64, change, at string, e geo.Edit) error {
	if _, err := tx.ExecContext(ctx, `UPDATE incident_versions_rtree SET max_t = ?
		WHERE version_id = (SELECT version_id FROM incident_versions WHERE id = ? AND valid_to IS NULL)`,
		versionSeconds(tx.now, true), id); err != nil {
		return fmt.Errorf("close version of incident %d: %w", id, err)
	}
	if change == geo.ChangeDelete {
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_versions (valid_from, valid_to, author, edit_summary, change, `+versionColumns+`)
			SELECT ?, ?, ?, ?, ?, `+versionColumns+` FROM incident_versions WHERE id = ? AND valid_to IS NULL`,
			at, at, e.Author, e.Summary, change, id); err != nil {
			return fmt.Errorf("record the deletion of incident %d: %w", id, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE incident_versions SET valid_to = ? WHERE id = ? AND valid_to IS NULL`, at, id); err != nil {
		return fmt.Errorf("close version of incident %d: %w", id, err)
	}
	return nil
}
