package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
)

var versionTime = record.VersionTime

const versionColumns = record.VersionColumns

// The versions' R*Tree (migration 013) holds 32-bit integers: each
// version's box in millionths of a degree, rounded outward, and the
// seconds since 2000 during which it stood, its start rounded down and its
// end up (a current version: to farFuture). Whole seconds let a pinned
// view decide most versions from the R*Tree alone: only a version that
// began or ended within a second of the pin is looked at more closely.

// farFuture is the end time the versions' R*Tree gives a current version.
const farFuture = math.MaxInt32

// epoch2000 is 2000-01-01T00:00:00Z in seconds since 1970.
const epoch2000 = 946684800

// versionTick is t as the versions' R*Tree counts time: seconds since
// 2000, rounded down (up with roundUp).
func versionTick(t time.Time, roundUp bool) int64 {
	s := t.Unix() - epoch2000
	if roundUp && t.Nanosecond() > 0 {
		s++
	}
	return s
}

// versionRTreeBox is a version row's box as the versions' R*Tree holds it.
const versionRTreeBox = `CAST(min_x * 1e6 AS INTEGER) - 1, CAST(max_x * 1e6 AS INTEGER) + 1,
	CAST(min_y * 1e6 AS INTEGER) - 1, CAST(max_y * 1e6 AS INTEGER) + 1`

// versionTicks are a version row's times as the versions' R*Tree holds
// them (in SQL, from valid_from and valid_to).
const versionTicks = `CAST(strftime('%s', substr(valid_from, 1, 19)) AS INTEGER) - 946684800,
	CASE WHEN valid_to IS NULL THEN 2147483647 ELSE CAST(strftime('%s', substr(valid_to, 1, 19)) AS INTEGER) - 946684800
		+ (substr(valid_to, 21, 9) <> '000000000') END`

// versionBoxClause is ownBox on the versions' R*Tree: b in millionths of
// a degree, rounded outward.
func versionBoxClause(b *orb.Bound) (string, []any) {
	c, args := boxClause(b, ownBox)
	for i, a := range args { // max_x >= min, min_x <= max, …
		v := a.(float64) * 1e6
		if i%2 == 0 {
			args[i] = int64(math.Floor(v))
		} else {
			args[i] = int64(math.Ceil(v))
		}
	}
	return c, args
}

// pinnedVersions is the test, on the versions' R*Tree (as i), that a
// version in box b stood at the pin t: the R*Tree finds those that may
// have, and the exact times it carries decide.
func pinnedVersions(t time.Time, b *orb.Bound) (string, []any) {
	box, args := versionBoxClause(b)
	T, at := versionTick(t, false), versionTime(t)
	return `i.min_t <= ? AND i.max_t >= ? AND ` + box + ` AND i.valid_from <= ? AND (i.valid_to IS NULL OR i.valid_to > ?)`,
		append(append([]any{T, T + 1}, args...), at, at)
}

// pinnedCount is the SQL that counts the versions in box b that stood at
// the pin t and meet cond (on the R*Tree's carried columns). The R*Tree
// alone decides those that began a second or more before t and ended two
// or more after; only those that began or ended within a second of t are
// tested against their exact times. (With T the whole second of t: a
// version stood at t if it began by T-1 and ended after T+1, and only if
// it began by T and ended after T.)
func pinnedCount(t time.Time, b *orb.Bound, cond string, condArgs []any) (string, []any) {
	box, bargs := versionBoxClause(b)
	T, at := versionTick(t, false), versionTime(t)
	exact := ` AND i.valid_from <= ? AND (i.valid_to IS NULL OR i.valid_to > ?)`
	var args []any
	part := func(times string, tArgs []any, exactly bool) string {
		args = append(append(args, tArgs...), bargs...)
		q := `(SELECT count(*) FROM incident_versions_rtree i WHERE ` + times + ` AND ` + box
		if exactly {
			q, args = q+exact, append(args, at, at)
		}
		args = append(args, condArgs...)
		return q + ` AND ` + cond + `)`
	}
	return `SELECT ` + part(`i.min_t <= ? AND i.max_t >= ?`, []any{T - 1, T + 2}, false) +
		` + ` + part(`i.min_t = ? AND i.max_t >= ?`, []any{T, T + 1}, true) +
		` + ` + part(`i.min_t <= ? AND i.max_t = ?`, []any{T - 1, T + 1}, true), args
}

// versionRTreeColumns are the version's columns incident_versions_rtree
// carries beside its box and times (migration 013).
const versionRTreeColumns = `valid_from, valid_to, id, event_date, date_first, date_last, event_type`

// indexVersions puts the version rows where selects into the versions'
// R*Tree, replacing their entries.
const indexVersions = `INSERT OR REPLACE INTO incident_versions_rtree (version_id, min_x, max_x, min_y, max_y, min_t, max_t, ` + versionRTreeColumns + `)
	SELECT version_id, ` + versionRTreeBox + `, ` + versionTicks + `, ` + versionRTreeColumns + ` FROM incident_versions WHERE `

// recordVersion ends the current version of incident id at the
// transaction's time and starts a new one from the row as it now stands,
// recording who made the change, why (the Edit of ctx) and its kind. A
// deletion starts no new version: it is recorded as a version that stood
// for no time, a tombstone that keeps the last content. It runs in the
// transaction of the change.
// row, when given, is the incident's row as just written: the version is
// written from it (a plain insert, which needs no statement journal, where
// copying the row needs one), not copied from the table.
func recordVersion(ctx context.Context, tx *Tx, id int64, change string, row record.Row) error {
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
	var res sql.Result
	var err error
	if row != nil {
		res, err = tx.ExecContext(ctx, `INSERT INTO incident_versions (valid_from, author, edit_summary, change, id, `+record.InsertColumns+`)
			VALUES (?, ?, ?, ?, ?`+repeat(len(row))+`)`, append([]any{at, e.Author, e.Summary, change, id}, row...)...)
	} else {
		res, err = tx.ExecContext(ctx, `INSERT INTO incident_versions (valid_from, author, edit_summary, change, `+versionColumns+`)
			SELECT ?, ?, ?, ?, `+versionColumns+` FROM incidents WHERE id = ?`, at, e.Author, e.Summary, change, id)
	}
	if err != nil {
		return fmt.Errorf("record version of incident %d: %w", id, err)
	}
	vid, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("record version of incident %d: %w", id, err)
	}
	if tx.packLater {
		return nil
	}
	if _, err := tx.ExecContext(ctx, indexVersions+`version_id = ?`, vid); err != nil {
		return fmt.Errorf("index version of incident %d: %w", id, err)
	}
	return nil
}

// endVersion ends the current version of incident id at at; for a
// deletion, it records the tombstone first.
func endVersion(ctx context.Context, tx *Tx, id int64, change, at string, e geo.Edit) error {
	if !tx.packLater {
		if _, err := tx.ExecContext(ctx, `UPDATE incident_versions_rtree SET max_t = ?, valid_to = ?
			WHERE version_id = (SELECT version_id FROM incident_versions WHERE id = ? AND valid_to IS NULL)`,
			versionTick(tx.now, true), at, id); err != nil {
			return fmt.Errorf("close version of incident %d: %w", id, err)
		}
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
