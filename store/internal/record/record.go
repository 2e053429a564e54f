// Package record is how Borderwatch's data sits in SQL rows, whichever
// engine holds them: the columns an incident, a version, a proposal, a user
// and a layer are read from, how an incident is written, the values
// derived from it on every write (marker point, distances to the context
// lines), the cluster grid's cells and the conditions a filter sets. The
// SQLite and PostgreSQL adapters both use it, so they read and write the
// same values and select the same rows.
package record

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
)

// Scanner is a row: *sql.Row, *sql.Rows or pgx's.
type Scanner interface{ Scan(dest ...any) error }

// VersionLayout writes version times at a fixed width so they sort as text.
const VersionLayout = "2006-01-02T15:04:05.000000000Z"

// VersionTime is t as version rows keep it.
func VersionTime(t time.Time) string { return t.UTC().Format(VersionLayout) }

// Stamp is t as rows keep times: RFC 3339 in UTC, to the second.
func Stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// ScanIncident reads an incident from columns in the order of
// IncidentColumns (the geometry as WKB).
func ScanIncident(s Scanner) (geo.Incident, error) {
	var r rawIncident
	if err := r.scan(s); err != nil {
		return r.inc, err
	}
	return r.decode()
}

// rawIncident is an incident's row as read: its plain columns in place,
// the encoded ones (geometry, dates, JSON) not yet decoded.
type rawIncident struct {
	inc                                                         geo.Incident
	date, created, updated, sources, disagreements, tags, acled string
	geom                                                        []byte
	fatalities, injuries                                        sql.NullInt64
	borderKm, barrierKm, crossingKm                             sql.NullFloat64
	externalID                                                  sql.NullString
}

func (r *rawIncident) scan(s Scanner) error {
	inc := &r.inc
	return s.Scan(&inc.ID, &inc.Title, &inc.Summary, &r.date, &inc.TimePrecision, &inc.DisorderType,
		&inc.EventType, &inc.SubEventType, &inc.Actor1, &inc.AssocActor1, &inc.Actor2, &inc.AssocActor2,
		&r.fatalities, &r.injuries, &inc.Location, &inc.Admin1, &inc.Country, &inc.GeoPrecision, &r.geom,
		&r.sources, &r.disagreements, &r.tags, &inc.Notes, &r.created, &r.updated, &r.borderKm, &r.barrierKm, &r.crossingKm, &r.externalID, &r.acled)
}

func (r *rawIncident) decode() (geo.Incident, error) {
	inc := r.inc
	var err error
	if inc.Geometry, err = wkb.Unmarshal(r.geom); err != nil {
		return inc, fmt.Errorf("incident %d geometry: %w", inc.ID, err)
	}
	inc.EventDate, _ = time.Parse(geo.DateLayout, r.date)
	inc.CreatedAt, _ = time.Parse(time.RFC3339, r.created)
	inc.UpdatedAt, _ = time.Parse(time.RFC3339, r.updated)
	inc.Fatalities, inc.Injuries = intPtr(r.fatalities), intPtr(r.injuries)
	inc.BorderKm, inc.BarrierKm, inc.CrossingKm = floatPtr(r.borderKm), floatPtr(r.barrierKm), floatPtr(r.crossingKm)
	inc.ExternalID = r.externalID.String
	if err := decodeColumn(r.acled, &inc.ACLED); err != nil {
		return inc, fmt.Errorf("incident %d ACLED columns: %w", inc.ID, err)
	}
	if len(inc.ACLED) == 0 {
		inc.ACLED = nil
	}
	if err := decodeColumn(r.sources, &inc.Sources); err != nil {
		return inc, fmt.Errorf("incident %d sources: %w", inc.ID, err)
	}
	if err := decodeColumn(r.disagreements, &inc.Disagreements); err != nil {
		return inc, fmt.Errorf("incident %d disagreements: %w", inc.ID, err)
	}
	if err := decodeColumn(r.tags, &inc.Tags); err != nil {
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

// Row is an incident encoded for its row: the values of InsertColumns but
// the id, in their order.
type Row []any

// InsertColumns are the columns Encode gives values for, after the id.
const InsertColumns = `title, summary, event_date, date_first, date_last, time_precision, disorder_type,
	event_type, sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2, fatalities, injuries,
	location, admin1, country, geo_precision, geom, min_x, min_y, max_x, max_y, sources, disagreements,
	tags, notes, created_at, updated_at, border_km, barrier_km, crossing_km, px, py, mx, my, external_id, acled`

// GeomArg and CreatedArg are the positions of the geometry (WKB) and of
// created_at in a Row.
const (
	GeomArg    = 19
	CreatedArg = 28
)

// Encode sets inc's derived values (distances to lines, times: created
// is its creation time, now the write's) and returns its row.
func Encode(inc *geo.Incident, lines ContextLines, created, now time.Time) (Row, error) {
	geom, err := wkb.Marshal(inc.Geometry)
	if err != nil {
		return nil, fmt.Errorf("encode geometry: %w", err)
	}
	sources, _ := json.Marshal(nonNil(inc.Sources))
	disagreements, _ := json.Marshal(nonNil(inc.Disagreements))
	tags, _ := json.Marshal(nonNil(inc.Tags))
	acled, _ := json.Marshal(inc.ACLED)
	if inc.ACLED == nil {
		acled = []byte("{}")
	}
	inc.CreatedAt, inc.UpdatedAt = created, now
	b := inc.Geometry.Bound()
	first, last := inc.DateRange()
	inc.BorderKm, inc.BarrierKm, inc.CrossingKm = lines.Distances(inc.Geometry)
	rp, mp := MarkerPoint(inc.Geometry)
	return Row{inc.Title, inc.Summary, inc.EventDate.Format(geo.DateLayout),
		first.Format(geo.DateLayout), last.Format(geo.DateLayout), inc.TimePrecision,
		inc.DisorderType, inc.EventType, inc.SubEventType,
		inc.Actor1, inc.AssocActor1, inc.Actor2, inc.AssocActor2, inc.Fatalities, inc.Injuries,
		inc.Location, inc.Admin1, inc.Country, inc.GeoPrecision, geom,
		b.Min[0], b.Min[1], b.Max[0], b.Max[1], string(sources), string(disagreements), string(tags),
		inc.Notes, Stamp(inc.CreatedAt), Stamp(inc.UpdatedAt),
		inc.BorderKm, inc.BarrierKm, inc.CrossingKm, rp[0], rp[1], mp[0], mp[1], NullString(inc.ExternalID), string(acled)}, nil
}

// VersionMeta are a version's own columns, before its incident's.
const VersionMeta = `i.version_id, i.valid_from, i.valid_to, i.author, i.edit_summary, i.change, `

// ScanVersion reads a version: VersionMeta then the incident's columns.
func ScanVersion(s Scanner) (geo.Version, error) {
	var v geo.Version
	var from string
	var to sql.NullString
	row := &versionRow{s: s, lead: []any{&v.ID, &from, &to, &v.Author, &v.Summary, &v.Change}}
	inc, err := ScanIncident(row)
	if err != nil {
		return v, err
	}
	v.Incident = inc
	v.From, _ = time.Parse(VersionLayout, from)
	if to.Valid {
		v.To, _ = time.Parse(VersionLayout, to.String)
	}
	return v, nil
}

// versionRow scans a version's own columns, then hands the rest on.
type versionRow struct {
	s    Scanner
	lead []any
}

func (r *versionRow) Scan(dest ...any) error { return r.s.Scan(append(r.lead, dest...)...) }

// ProposalColumns are what ScanProposal reads.
const ProposalColumns = `id, coalesce(incident_id, 0), coalesce(base_version, 0), author_id, author, summary, feature, status, reason, reviewer, created_at, decided_at, coalesce(report_id, 0), evidence`

// ScanProposal reads a proposal from ProposalColumns.
func ScanProposal(s Scanner) (geo.Proposal, error) {
	var p geo.Proposal
	var feature, created, evidence string
	var decided sql.NullString
	if err := s.Scan(&p.ID, &p.IncidentID, &p.BaseVersion, &p.AuthorID, &p.Author, &p.Summary, &feature, &p.Status, &p.Reason, &p.Reviewer, &created, &decided, &p.ReportID, &evidence); err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(evidence), &p.Evidence); err != nil {
		return p, fmt.Errorf("proposal %d evidence: %w", p.ID, err)
	}
	inc, err := geo.IncidentFromFeature([]byte(feature))
	if err != nil {
		return p, fmt.Errorf("proposal %d: %w", p.ID, err)
	}
	p.Incident = inc
	p.CreatedAt, _ = time.Parse(time.RFC3339, created)
	p.DecidedAt, _ = time.Parse(time.RFC3339, decided.String)
	return p, nil
}

// Evidence is a proposal's evidence as its column keeps it.
func Evidence(p *geo.Proposal) (string, error) {
	if p.Evidence == nil {
		return "[]", nil
	}
	b, err := json.Marshal(p.Evidence)
	return string(b), err
}

// UserColumns are what ScanUser reads, of the users table as u.
const UserColumns = `u.id, u.name, u.role, u.disabled_at IS NOT NULL, u.created_at`

// ScanUser reads a user from UserColumns, then extra.
func ScanUser(s Scanner, extra ...any) (geo.User, error) {
	var u geo.User
	var created string
	if err := s.Scan(append([]any{&u.ID, &u.Name, &u.Role, &u.Disabled, &created}, extra...)...); err != nil {
		return u, err
	}
	u.CreatedAt, _ = time.Parse(time.RFC3339, created)
	return u, nil
}

// ScanToken reads a token: id, user_id, name, created_at, expires_at and
// whether it is revoked.
func ScanToken(s Scanner) (geo.Token, error) {
	var t geo.Token
	var created, expires string
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &created, &expires, &t.Revoked); err != nil {
		return t, err
	}
	t.CreatedAt, _ = time.Parse(time.RFC3339, created)
	t.ExpiresAt, _ = time.Parse(time.RFC3339, expires)
	return t, nil
}

// ScanLayer reads a layer: id, title, description, kind, attribution,
// its feature count and their box.
func ScanLayer(s Scanner) (geo.Layer, error) {
	var l geo.Layer
	var minX, minY, maxX, maxY sql.NullFloat64
	if err := s.Scan(&l.ID, &l.Title, &l.Description, &l.Kind, &l.Attribution, &l.Count, &minX, &minY, &maxX, &maxY); err != nil {
		return l, err
	}
	if l.Count > 0 {
		l.Bound = &orb.Bound{Min: orb.Point{minX.Float64, minY.Float64}, Max: orb.Point{maxX.Float64, maxY.Float64}}
	}
	return l, nil
}

// ScanLayerFeature reads a feature (id, WKB, properties) with its derived
// measures: lines carry the app's own haversine length, so a reader can
// set it beside the lengths reports give.
func ScanLayerFeature(s Scanner) (*geojson.Feature, error) {
	var fid int
	var geom []byte
	var props string
	if err := s.Scan(&fid, &geom, &props); err != nil {
		return nil, err
	}
	g, err := wkb.Unmarshal(geom)
	if err != nil {
		return nil, fmt.Errorf("feature %d: %w", fid, err)
	}
	f := geojson.NewFeature(g)
	f.ID = fid
	if err := json.Unmarshal([]byte(props), &f.Properties); err != nil {
		return nil, fmt.Errorf("feature %d: %w", fid, err)
	}
	if f.Properties == nil {
		f.Properties = geojson.Properties{}
	}
	switch g.(type) {
	case orb.LineString, orb.MultiLineString:
		f.Properties["measured_length_km"] = math.Round(geo.LengthKm(g)*10) / 10
	}
	return f, nil
}

// LayerFeatureRow is feature i (from 0) of a layer encoded for its row:
// WKB, properties and box.
func LayerFeatureRow(f *geojson.Feature) (geom []byte, props string, b orb.Bound, err error) {
	if geom, err = wkb.Marshal(f.Geometry); err != nil {
		return nil, "", b, err
	}
	p, err := json.Marshal(f.Properties)
	if err != nil {
		return nil, "", b, err
	}
	return geom, string(p), f.Geometry.Bound(), nil
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

// NullString is s, or NULL when it is empty.
func NullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// NullInt is n, or NULL when it is 0.
func NullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
