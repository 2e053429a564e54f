package geo

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// Kinds of change a version records.
const (
	ChangeCreate  = "create"
	ChangeEdit    = "edit"
	ChangeDelete  = "delete"
	ChangeRevert  = "revert"
	ChangeRestore = "restore"
)

// Edit says who makes a change and why. The store records it with the
// version the change makes.
type Edit struct {
	Author  string
	Summary string
}

// SystemAuthor writes what no person wrote: seeding, migrations.
const SystemAuthor = "system"

type editKey struct{}

// WithEdit attaches who is editing, and why, to the writes made with ctx.
func WithEdit(ctx context.Context, e Edit) context.Context {
	return context.WithValue(ctx, editKey{}, e)
}

// EditOf is the edit ctx carries; without one, the system's.
func EditOf(ctx context.Context) Edit {
	e, ok := ctx.Value(editKey{}).(Edit)
	if !ok || e.Author == "" {
		e.Author = SystemAuthor
	}
	return e
}

// Version is one version of an incident: what it was, from when to when
// (To zero: current), who made it and why.
type Version struct {
	ID       int64
	From, To time.Time
	Author   string
	Summary  string
	Change   string
	Incident Incident
}

// Deleted reports whether this version records the incident's deletion.
func (v Version) Deleted() bool { return v.Change == ChangeDelete }

// FieldChange is one field's change between two versions, as text.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Diff lists what changed from a to b, field by field; a moved point reads
// as a distance and a direction.
func Diff(a, b Incident) []FieldChange {
	var out []FieldChange
	add := func(field, old, new string) {
		if old != new {
			out = append(out, FieldChange{field, old, new})
		}
	}
	pa, pb := a.Properties(), b.Properties()
	add("title", pa.Title, pb.Title)
	add("summary", pa.Summary, pb.Summary)
	add("event_date", pa.EventDate, pb.EventDate)
	add("time_precision", strconv.Itoa(pa.TimePrecision), strconv.Itoa(pb.TimePrecision))
	add("disorder_type", pa.DisorderType, pb.DisorderType)
	add("event_type", pa.EventType, pb.EventType)
	add("sub_event_type", pa.SubEventType, pb.SubEventType)
	add("actor1", pa.Actor1, pb.Actor1)
	add("assoc_actor_1", pa.AssocActor1, pb.AssocActor1)
	add("actor2", pa.Actor2, pb.Actor2)
	add("assoc_actor_2", pa.AssocActor2, pb.AssocActor2)
	add("fatalities", countText(pa.Fatalities), countText(pb.Fatalities))
	add("injuries", countText(pa.Injuries), countText(pb.Injuries))
	add("location", pa.Location, pb.Location)
	add("admin1", pa.Admin1, pb.Admin1)
	add("country", pa.Country, pb.Country)
	add("geo_precision", strconv.Itoa(pa.GeoPrecision), strconv.Itoa(pb.GeoPrecision))
	add("notes", pa.Notes, pb.Notes)
	add("tags", strings.Join(pa.Tags, ", "), strings.Join(pb.Tags, ", "))
	add("event_id_cnty", pa.EventIDCnty, pb.EventIDCnty)
	if g := geometryChange(a.Geometry, b.Geometry); g != "" {
		out = append(out, FieldChange{"geometry", "", g})
	}
	for _, s := range a.Sources {
		if !slices.ContainsFunc(b.Sources, func(t Source) bool { return sameSource(s, t) }) {
			out = append(out, FieldChange{"sources", sourceText(s), ""})
		}
	}
	for _, s := range b.Sources {
		if !slices.ContainsFunc(a.Sources, func(t Source) bool { return sameSource(s, t) }) {
			out = append(out, FieldChange{"sources", "", sourceText(s)})
		}
	}
	var da, db []string
	for _, d := range a.Disagreements {
		da = append(da, d.Field+": "+d.Note)
	}
	for _, d := range b.Disagreements {
		db = append(db, d.Field+": "+d.Note)
	}
	add("disagreements", strings.Join(da, "; "), strings.Join(db, "; "))
	return out
}

func countText(n *int) string {
	if n == nil {
		return "unknown"
	}
	return strconv.Itoa(*n)
}

func sameSource(a, b Source) bool {
	return a.Publisher == b.Publisher && a.Title == b.Title && a.URL == b.URL && a.Published == b.Published &&
		a.Note == b.Note && slices.Equal(a.Supports, b.Supports)
}

func sourceText(s Source) string {
	t := s.Publisher
	if s.Title != "" {
		t += ": " + s.Title
	}
	if s.URL != "" {
		t += " <" + s.URL + ">"
	}
	return t
}

// geometryChange says how a geometry changed: a point's move as distance
// and direction, any other change as its new type and size; "" when equal.
func geometryChange(a, b orb.Geometry) string {
	if a == nil || b == nil || orb.Equal(a, b) {
		return ""
	}
	pa, pb := RepresentativePoint(a), RepresentativePoint(b)
	_, aPoint := a.(orb.Point)
	_, bPoint := b.(orb.Point)
	d := orbgeo.DistanceHaversine(pa, pb) / 1000
	if aPoint && bPoint {
		return fmt.Sprintf("moved %.1f km %s", d, compass(orbgeo.Bearing(pa, pb)))
	}
	return fmt.Sprintf("%s → %s, its centre moved %.1f km %s", a.GeoJSONType(), b.GeoJSONType(), d, compass(orbgeo.Bearing(pa, pb)))
}

// compass names a bearing in degrees as one of eight directions.
func compass(bearing float64) string {
	names := []string{"north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"}
	i := int(math.Round(math.Mod(bearing+360, 360)/45)) % 8
	return names[i]
}

// Editor is what editing, history and review need of storage. Writes take
// who and why from the context (WithEdit).
type Editor interface {
	IncidentVersion(ctx context.Context, id int64) (Incident, int64, error)
	AddIncident(ctx context.Context, inc *Incident) (int64, error)
	ReplaceIncident(ctx context.Context, inc *Incident, ifVersion int64) (int64, error)
	DeleteIncidentAt(ctx context.Context, id, ifVersion int64) error
	RevertIncident(ctx context.Context, id, versionID int64) (int64, error)
	History(ctx context.Context, id int64) ([]Version, error)
	DeletedIncidents(ctx context.Context) ([]Version, error)

	Propose(ctx context.Context, p *Proposal) error
	Proposal(ctx context.Context, id int64) (Proposal, error)
	Proposals(ctx context.Context, status string, authorID int64) ([]Proposal, error)
	ApproveProposal(ctx context.Context, id int64, reviewer string, edited *Incident) (Incident, error)
	RejectProposal(ctx context.Context, id int64, reviewer, reason string) error
	// ProposeReport stores a report and its drafts as proposals, all or none.
	ProposeReport(ctx context.Context, r *Report, ps []Proposal) error
	Report(ctx context.Context, id int64) (Report, error)
}
