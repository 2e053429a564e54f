package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

const incidentColumns = `i.id, i.title, i.summary, i.event_date, i.time_precision, i.disorder_type,
	i.event_type, i.sub_event_type, i.actor1, i.assoc_actor_1, i.actor2, i.assoc_actor_2,
	i.fatalities, i.injuries, i.location, i.admin1, i.country, i.geo_precision, i.geom,
	i.sources, i.disagreements, i.tags, i.notes, i.created_at, i.updated_at, i.border_km, i.barrier_km, i.crossing_km, i.external_id, i.acled`

// Incident returns the incident with the given id.
func (db *DB) Incident(ctx context.Context, id int64) (geo.Incident, error) {
	return db.IncidentAt(ctx, id, time.Time{})
}

// IncidentAt returns the incident with the given id as it stood at asOf
// (zero: now).
func (db *DB) IncidentAt(ctx context.Context, id int64, asOf time.Time) (geo.Incident, error) {
	var inc geo.Incident
	f := geo.Filter{AsOf: asOf}
	where, args := whereClause(f, false)
	if where == "" {
		where = " WHERE i.id = ?"
	} else {
		where += " AND i.id = ?"
	}
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		inc, err = scanIncident(tx.QueryRowContext(ctx, `SELECT `+incidentColumns+fromClause(f)+where, append(args, id)...))
		if errors.Is(err, sql.ErrNoRows) && !asOf.IsZero() {
			return geo.Errorf(geo.ENotFound, "incident %d did not exist at %s (it was added later or deleted before)", id, asOf.Format(time.RFC3339))
		}
		if errors.Is(err, sql.ErrNoRows) {
			return geo.Errorf(geo.ENotFound, "incident %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("get incident %d: %w", id, err)
		}
		return nil
	})
	return inc, err
}

// Incidents returns one page of the incidents f selects, ordered by date
// then id, with the number that match in all.
func (db *DB) Incidents(ctx context.Context, f geo.Filter) (geo.Page, error) {
	f = f.Normalize()
	from := fromClause(f)
	where, args := whereClause(f, true)
	page := geo.Page{Incidents: []geo.Incident{}}
	err := db.read(ctx, func(tx *Tx) error {
		if summarized(f) && f.BBox != nil && !f.MarkerInBox {
			return boxPage(ctx, tx, f, &page)
		}
		var err error
		if summarized(f) && f.BBox == nil {
			page.NumberMatched, _, err = summaryCount(ctx, tx, f)
		} else {
			err = tx.QueryRowContext(ctx, `SELECT count(*)`+from+where, args...).Scan(&page.NumberMatched)
		}
		if err != nil {
			return fmt.Errorf("count incidents: %w", err)
		}
		return eachIncident(ctx, tx, `SELECT `+incidentColumns+from+where+order(f)+` LIMIT ? OFFSET ?`,
			append(args, f.Limit, f.Offset), func(inc geo.Incident) error {
				page.Incidents = append(page.Incidents, inc)
				return nil
			})
	})
	return page, err
}

// EachIncident calls fn for every incident f selects, in date order, one
// row at a time so memory stays flat. A zero Limit means no limit.
func (db *DB) EachIncident(ctx context.Context, f geo.Filter, fn func(geo.Incident) error) error {
	return db.read(ctx, func(tx *Tx) error { return eachIncidentOf(ctx, tx, f, fn) })
}

func eachIncidentOf(ctx context.Context, tx *Tx, f geo.Filter, fn func(geo.Incident) error) error {
	where, args := whereClause(f, true)
	page := ""
	if f.Limit > 0 || f.Offset > 0 {
		page = ` LIMIT ? OFFSET ?`
		limit := f.Limit
		if limit <= 0 {
			limit = -1
		}
		args = append(args, limit, max(f.Offset, 0))
	}
	return eachIncident(ctx, tx, `SELECT `+incidentColumns+fromClause(f)+where+order(f)+page, args, fn)
}

// IncidentsNear returns up to limit incidents within km of p, nearest first,
// with their distances, leaving out the incident with id except.
func (db *DB) IncidentsNear(ctx context.Context, p orb.Point, km float64, except int64, limit int, asOf time.Time) ([]geo.Incident, []float64, error) {
	box := geo.BufferBound(orb.Bound{Min: p, Max: p}, km)
	type hit struct {
		inc geo.Incident
		d   float64
	}
	var hits []hit
	err := db.EachIncident(ctx, geo.Filter{BBox: &box, AsOf: asOf}, func(inc geo.Incident) error {
		if inc.ID == except {
			return nil
		}
		if d := geo.DistanceToLineKm(p, inc.Geometry); d <= km {
			hits = append(hits, hit{inc, d})
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Compare(a.d, b.d) })
	hits = hits[:min(limit, len(hits))]
	incs, ds := make([]geo.Incident, len(hits)), make([]float64, len(hits))
	for i, h := range hits {
		incs[i], ds[i] = h.inc, h.d
	}
	return incs, ds, nil
}

// CountIncidents returns how many incidents are stored.
func (db *DB) CountIncidents(ctx context.Context) (int, error) {
	var n int
	err := db.read(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM incidents`).Scan(&n)
	})
	return n, err
}

// CreateIncident validates inc and stores it under a new id, which it sets.
func (db *DB) CreateIncident(ctx context.Context, inc *geo.Incident) error {
	_, err := db.AddIncident(ctx, inc)
	return err
}

// UpdateIncident validates inc and replaces the stored incident with its
// id, whatever its version.
func (db *DB) UpdateIncident(ctx context.Context, inc *geo.Incident) error {
	_, err := db.ReplaceIncident(ctx, inc, 0)
	return err
}

// ImportIncidents stores all of incs in one transaction, or none of them.
// An incident with an ID replaces the stored one of that ID (or is created
// with it); one without gets a new ID.
func (db *DB) ImportIncidents(ctx context.Context, incs []geo.Incident) (created, updated int, err error) {
	return db.Import(ctx, func(put func(*geo.Incident) error) error {
		for i := range incs {
			if err := put(&incs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// Import stores, in one transaction, every incident that read hands to
// put, as ImportIncidents does, one at a time: memory stays flat however
// many there are. If read or a put fails, nothing is stored.
func (db *DB) Import(ctx context.Context, read func(put func(*geo.Incident) error) error) (created, updated int, err error) {
	err = db.write(ctx, func(tx *Tx) error {
		lines, err := loadContextLines(ctx, tx)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		bulk, err := newBulk(ctx, tx)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		n := 0
		err = read(func(inc *geo.Incident) error {
			if err := inc.Validate(); err != nil {
				return fmt.Errorf("incident %d: %w", n, err)
			}
			if err := bulk.row(ctx, tx); err != nil {
				return fmt.Errorf("import: %w", err)
			}
			isNew, err := putIncident(ctx, tx, inc, lines, "")
			if err != nil {
				return fmt.Errorf("import incident %d: %w", n, err)
			}
			if isNew {
				created++
			} else {
				updated++
			}
			n++
			return nil
		})
		if err != nil {
			return err
		}
		return bulk.end(ctx, tx)
	})
	if err != nil {
		return 0, 0, err
	}
	return created, updated, nil
}

// DeleteIncident removes the incident with id.
func (db *DB) DeleteIncident(ctx context.Context, id int64) error {
	return db.DeleteIncidentAt(ctx, id, 0)
}

func deleteIncident(ctx context.Context, tx *Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM incidents WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete incident %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return geo.Errorf(geo.ENotFound, "incident %d not found", id)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM incidents_rtree WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete incident %d: %w", id, err)
	}
	return recordVersion(ctx, tx, id, geo.ChangeDelete)
}

// putIncident inserts inc (ID 0: a new ID) or replaces the row with its ID,
// keeps the R*Tree in step and records the version, of kind change (""
// for create or edit, as it turns out). It reports whether a row was
// created.
func putIncident(ctx context.Context, tx *Tx, inc *geo.Incident, lines contextLines, change string) (bool, error) {
	geom, err := wkb.Marshal(inc.Geometry)
	if err != nil {
		return false, fmt.Errorf("encode geometry: %w", err)
	}
	sources, _ := json.Marshal(nonNil(inc.Sources))
	disagreements, _ := json.Marshal(nonNil(inc.Disagreements))
	tags, _ := json.Marshal(nonNil(inc.Tags))
	acled, _ := json.Marshal(inc.ACLED)
	if inc.ACLED == nil {
		acled = []byte("{}")
	}
	now := tx.now.Truncate(time.Second)
	b := inc.Geometry.Bound()
	first, last := inc.DateRange()
	inc.BorderKm, inc.BarrierKm, inc.CrossingKm = lines.distances(inc.Geometry)
	rp, mp := markerPoint(inc.Geometry)

	// A record from another dataset is found by its id there; that id names
	// one incident only.
	if inc.ExternalID != "" {
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM incidents WHERE external_id = ?`, inc.ExternalID).Scan(&other)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return false, err
		case inc.ID == 0:
			inc.ID = other
		case inc.ID != other:
			return false, geo.Errorf(geo.EConflict, "event_id_cnty %s is already incident %d", inc.ExternalID, other)
		}
	}
	created := true
	if inc.ID != 0 {
		var createdAt string
		err := tx.QueryRowContext(ctx, `SELECT created_at FROM incidents WHERE id = ?`, inc.ID).Scan(&createdAt)
		switch {
		case err == nil:
			created = false
			inc.CreatedAt, _ = time.Parse(time.RFC3339, createdAt)
		case !errors.Is(err, sql.ErrNoRows):
			return false, err
		}
	}
	if created {
		inc.CreatedAt = now
	}
	inc.UpdatedAt = now
	var id any
	if inc.ID != 0 {
		id = inc.ID
	}
	// A new row is a plain insert: OR REPLACE would make SQLite keep a
	// statement journal for every row of an import.
	verb := `INSERT`
	if !created {
		verb = `INSERT OR REPLACE`
	}
	res, err := tx.ExecContext(ctx, verb+` INTO incidents (id, title, summary, event_date,
		date_first, date_last, time_precision, disorder_type, event_type, sub_event_type,
		actor1, assoc_actor_1, actor2, assoc_actor_2, fatalities, injuries, location, admin1,
		country, geo_precision, geom, min_x, min_y, max_x, max_y, sources, disagreements, tags,
		notes, created_at, updated_at, border_km, barrier_km, crossing_km, px, py, mx, my, external_id, acled)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, inc.Title, inc.Summary, inc.EventDate.Format(geo.DateLayout),
		first.Format(geo.DateLayout), last.Format(geo.DateLayout), inc.TimePrecision,
		inc.DisorderType, inc.EventType, inc.SubEventType,
		inc.Actor1, inc.AssocActor1, inc.Actor2, inc.AssocActor2, inc.Fatalities, inc.Injuries,
		inc.Location, inc.Admin1, inc.Country, inc.GeoPrecision, geom,
		b.Min[0], b.Min[1], b.Max[0], b.Max[1], string(sources), string(disagreements), string(tags),
		inc.Notes, inc.CreatedAt.Format(time.RFC3339), inc.UpdatedAt.Format(time.RFC3339),
		inc.BorderKm, inc.BarrierKm, inc.CrossingKm, rp[0], rp[1], mp[0], mp[1], nullString(inc.ExternalID), string(acled))
	if err != nil {
		return false, err
	}
	if inc.ID == 0 {
		if inc.ID, err = res.LastInsertId(); err != nil {
			return false, err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO incidents_rtree (id, min_x, max_x, min_y, max_y,
		event_date, date_first, date_last, event_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, inc.ID, b.Min[0], b.Max[0], b.Min[1], b.Max[1],
		inc.EventDate.Format(geo.DateLayout), first.Format(geo.DateLayout), last.Format(geo.DateLayout), inc.EventType); err != nil {
		return false, fmt.Errorf("index: %w", err)
	}
	if change == "" {
		change = geo.ChangeEdit
		if created {
			change = geo.ChangeCreate
		}
	}
	if err := recordVersion(ctx, tx, inc.ID, change); err != nil {
		return false, err
	}
	return created, nil
}

func order(f geo.Filter) string {
	if f.Newest {
		return ` ORDER BY i.event_date DESC, i.id DESC`
	}
	return ` ORDER BY i.event_date, i.id`
}

// fromClause names the table f reads as i: the incidents as they are, or,
// for a view pinned with AsOf, their versions.
func fromClause(f geo.Filter) string {
	if f.AsOf.IsZero() {
		return ` FROM incidents i`
	}
	return ` FROM incident_versions i`
}

// rowKey is the column that names one row of the table fromClause gives.
func rowKey(f geo.Filter) string {
	if f.AsOf.IsZero() {
		return `i.id`
	}
	return `i.version_id`
}

// Conditions that a feature's box meets a given one, with the arguments
// max_x >= minX, min_x <= maxX, max_y >= minY, min_y <= maxY.
const (
	incidentBox      = `(i.max_x >= ? AND i.min_x <= ? AND i.max_y >= ? AND i.min_y <= ?)`
	incidentRTreeBox = `i.id IN (SELECT id FROM incidents_rtree WHERE max_x >= ? AND min_x <= ? AND max_y >= ? AND min_y <= ?)`
	boxColumns       = `(f.max_x >= ? AND f.min_x <= ? AND f.max_y >= ? AND f.min_y <= ?)`
	markerInBox      = `(i.px >= ? AND i.px <= ? AND i.py >= ? AND i.py <= ?)`
	ownBox           = `(max_x >= ? AND min_x <= ? AND max_y >= ? AND min_y <= ?)` // an R*Tree's own columns
)

// boxClause is cond for box b; a box that crosses the antimeridian
// (minLon > maxLon) is tested as its two halves. The one place that rule is
// written.
func boxClause(b *orb.Bound, cond string) (string, []any) {
	if b == nil {
		return "", nil
	}
	if b.Min[0] <= b.Max[0] {
		return cond, []any{b.Min[0], b.Max[0], b.Min[1], b.Max[1]}
	}
	return "(" + cond + " OR " + cond + ")", []any{b.Min[0], 180.0, b.Min[1], b.Max[1], -180.0, b.Max[0], b.Min[1], b.Max[1]}
}

func andWhere(cond string) string {
	if cond == "" {
		return ""
	}
	return " AND " + cond
}

// whereClause turns f into SQL conditions on the table fromClause gives.
// With rtree false the box is tested against the table's own columns: a full
// scan, kept for the benchmark that shows what the R*Tree is worth. A
// pinned view's box goes through the versions' R*Tree, in space and time;
// the exact test of valid_from and valid_to decides.
func whereClause(f geo.Filter, rtree bool) (string, []any) {
	var conds []string
	var args []any
	if !f.AsOf.IsZero() {
		at := versionTime(f.AsOf)
		conds = append(conds, `i.valid_from <= ? AND (i.valid_to IS NULL OR i.valid_to > ?)`)
		args = append(args, at, at)
	}
	if f.BBox != nil {
		var c string
		var a []any
		switch {
		case !f.AsOf.IsZero() && rtree:
			t := versionSeconds(f.AsOf, false)
			c, a = boxClause(f.BBox, ownBox)
			c = `i.version_id IN (SELECT version_id FROM incident_versions_rtree WHERE min_t <= ? AND max_t >= ? AND ` + c + `)`
			a = append([]any{t, t}, a...)
		case rtree:
			c, a = boxClause(f.BBox, incidentRTreeBox)
		default:
			c, a = boxClause(f.BBox, incidentBox)
		}
		conds, args = append(conds, c), append(args, a...)
		if f.MarkerInBox {
			c, a := boxClause(f.BBox, markerInBox)
			conds, args = append(conds, c), append(args, a...)
		}
	}
	if !f.From.IsZero() {
		conds = append(conds, `i.date_last >= ?`)
		args = append(args, f.From.Format(geo.DateLayout))
	}
	if !f.To.IsZero() {
		conds = append(conds, `i.date_first <= ?`)
		args = append(args, f.To.Format(geo.DateLayout))
	}
	if len(f.EventTypes) > 0 {
		conds = append(conds, `i.event_type IN (?`+strings.Repeat(`, ?`, len(f.EventTypes)-1)+`)`)
		for _, t := range f.EventTypes {
			args = append(args, t)
		}
	}
	if len(f.SubEventTypes) > 0 {
		conds = append(conds, `i.sub_event_type IN (?`+strings.Repeat(`, ?`, len(f.SubEventTypes)-1)+`)`)
		for _, t := range f.SubEventTypes {
			args = append(args, t)
		}
	}
	if len(f.Countries) > 0 {
		conds = append(conds, `i.country IN (?`+strings.Repeat(`, ?`, len(f.Countries)-1)+`)`)
		for _, c := range f.Countries {
			args = append(args, c)
		}
	}
	if f.Actor != "" {
		conds = append(conds, `instr(lower(i.actor1 || char(10) || i.assoc_actor_1 || char(10) || i.actor2 || char(10) || i.assoc_actor_2), ?) > 0`)
		args = append(args, strings.ToLower(f.Actor))
	}
	if f.Query != "" {
		conds = append(conds, `instr(lower(i.title || char(10) || i.summary || char(10) || i.actor1 || char(10) || i.assoc_actor_1 || char(10) || i.actor2 || char(10) || i.assoc_actor_2 || char(10) || i.location || char(10) || i.admin1), ?) > 0`)
		args = append(args, strings.ToLower(f.Query))
	}
	if f.MinFatalities != nil {
		conds = append(conds, `i.fatalities >= ?`)
		args = append(args, *f.MinFatalities)
	}
	for _, near := range []struct {
		column string
		km     *float64
	}{{"i.barrier_km", f.NearBarrierKm}, {"i.border_km", f.NearBorderKm}, {"i.crossing_km", f.NearCrossingKm}} {
		if near.km != nil {
			conds = append(conds, near.column+` <= ?`)
			args = append(args, *near.km)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func eachIncident(ctx context.Context, q queryer, query string, args []any, fn func(geo.Incident) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("query incidents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			return fmt.Errorf("read incident: %w", err)
		}
		if err := fn(inc); err != nil {
			return err
		}
	}
	return rows.Err()
}

type scanner interface{ Scan(dest ...any) error }

func scanIncident(s scanner) (geo.Incident, error) {
	var inc geo.Incident
	var date, created, updated, sources, disagreements, tags string
	var geom []byte
	var fatalities, injuries sql.NullInt64
	var borderKm, barrierKm, crossingKm sql.NullFloat64
	var externalID sql.NullString
	var acled string
	err := s.Scan(&inc.ID, &inc.Title, &inc.Summary, &date, &inc.TimePrecision, &inc.DisorderType,
		&inc.EventType, &inc.SubEventType, &inc.Actor1, &inc.AssocActor1, &inc.Actor2, &inc.AssocActor2,
		&fatalities, &injuries, &inc.Location, &inc.Admin1, &inc.Country, &inc.GeoPrecision, &geom,
		&sources, &disagreements, &tags, &inc.Notes, &created, &updated, &borderKm, &barrierKm, &crossingKm, &externalID, &acled)
	if err != nil {
		return inc, err
	}
	if inc.Geometry, err = wkb.Unmarshal(geom); err != nil {
		return inc, fmt.Errorf("incident %d geometry: %w", inc.ID, err)
	}
	inc.EventDate, _ = time.Parse(geo.DateLayout, date)
	inc.CreatedAt, _ = time.Parse(time.RFC3339, created)
	inc.UpdatedAt, _ = time.Parse(time.RFC3339, updated)
	inc.Fatalities, inc.Injuries = intPtr(fatalities), intPtr(injuries)
	inc.BorderKm, inc.BarrierKm, inc.CrossingKm = floatPtr(borderKm), floatPtr(barrierKm), floatPtr(crossingKm)
	inc.ExternalID = externalID.String
	if err := json.Unmarshal([]byte(acled), &inc.ACLED); err != nil {
		return inc, fmt.Errorf("incident %d ACLED columns: %w", inc.ID, err)
	}
	if len(inc.ACLED) == 0 {
		inc.ACLED = nil
	}
	if err := json.Unmarshal([]byte(sources), &inc.Sources); err != nil {
		return inc, fmt.Errorf("incident %d sources: %w", inc.ID, err)
	}
	if err := json.Unmarshal([]byte(disagreements), &inc.Disagreements); err != nil {
		return inc, fmt.Errorf("incident %d disagreements: %w", inc.ID, err)
	}
	if err := json.Unmarshal([]byte(tags), &inc.Tags); err != nil {
		return inc, fmt.Errorf("incident %d tags: %w", inc.ID, err)
	}
	if len(inc.Disagreements) == 0 {
		inc.Disagreements = nil
	}
	if len(inc.Tags) == 0 {
		inc.Tags = nil
	}
	return inc, nil
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func floatPtr(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	return &n.Float64
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
