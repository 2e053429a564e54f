package store

import (
	"context"
	"fmt"
	"time"
)

// versionLayout writes version times at a fixed width so they sort as text.
const versionLayout = "2006-01-02T15:04:05.000000000Z"

func versionTime(t time.Time) string { return t.UTC().Format(versionLayout) }

// versionColumns are the columns incident_versions shares with incidents.
const versionColumns = `id, title, summary, event_date, date_first, date_last, time_precision,
	disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2,
	fatalities, injuries, location, admin1, country, geo_precision, geom, min_x, min_y, max_x, max_y,
	sources, disagreements, tags, notes, created_at, updated_at, border_km, barrier_km`

// recordVersion ends the current version of incident id at the transaction's time and, unless
// it was deleted, starts a new one from the row as it now stands. It runs
// in the transaction of the change.
func recordVersion(ctx context.Context, tx *Tx, id int64, deleted bool) error {
	at := versionTime(tx.now)
	if _, err := tx.ExecContext(ctx, `UPDATE incident_versions SET valid_to = ? WHERE id = ? AND valid_to IS NULL`, at, id); err != nil {
		return fmt.Errorf("close version of incident %d: %w", id, err)
	}
	if deleted {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO incident_versions (valid_from, `+versionColumns+`)
		SELECT ?, `+versionColumns+` FROM incidents WHERE id = ?`, at, id); err != nil {
		return fmt.Errorf("record version of incident %d: %w", id, err)
	}
	return nil
}
