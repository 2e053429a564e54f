package report

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

// MatchKm is how near a known incident must be to be the same event.
const MatchKm = 10

// Near is what matching needs of a store: the incidents within km of a
// point, nearest first (geo.Store has it).
type Near interface {
	IncidentsNear(ctx context.Context, p orb.Point, km float64, except int64, limit int, asOf time.Time) ([]geo.Incident, []float64, error)
}

// Match looks for the incident each draft reports again: the same family
// of event (disorder type), dates that overlap, within MatchKm. A match
// turns the draft into a change of that incident (Merge); Draft.Match
// names it.
func Match(ctx context.Context, known Near, drafts []Draft) error {
	for i := range drafts {
		d := &drafts[i]
		if d.Incident.Geometry == nil || d.Incident.EventDate.IsZero() {
			continue
		}
		near, _, err := known.IncidentsNear(ctx, geo.RepresentativePoint(d.Incident.Geometry), MatchKm, 0, 50, time.Time{})
		if err != nil {
			return fmt.Errorf("match drafts: %w", err)
		}
		if m, ok := sameIncident(d.Incident, near); ok {
			d.Match = m.ID
			d.Incident = Merge(m, *d)
			d.Known = len(geo.Diff(m, d.Incident)) == 0
		}
	}
	return nil
}

// sameIncident picks, among incidents nearest first, the one inc reports:
// the same sub-event type before merely the same disorder type.
func sameIncident(inc geo.Incident, near []geo.Incident) (geo.Incident, bool) {
	a0, a1 := inc.DateRange()
	var found []geo.Incident
	for _, k := range near {
		b0, b1 := k.DateRange()
		if k.DisorderType == inc.DisorderType && !a1.Before(b0) && !b1.Before(a0) {
			found = append(found, k)
		}
	}
	if len(found) == 0 {
		return geo.Incident{}, false
	}
	if i := slices.IndexFunc(found, func(k geo.Incident) bool { return k.SubEventType == inc.SubEventType }); i >= 0 {
		return found[i], true
	}
	return found[0], true
}

// Merge is the change a draft proposes to the incident it reports again:
// the report added to its sources (the old ones kept), counts it lacked
// filled in, and where a count differs the report's figure with a
// disagreement that records both.
func Merge(known geo.Incident, d Draft) geo.Incident {
	out := known
	out.Sources = slices.Clone(known.Sources)
	out.Disagreements = slices.Clone(known.Disagreements)
	src := d.Incident.Sources[0]
	if !slices.ContainsFunc(out.Sources, func(s geo.Source) bool {
		return s.URL != "" && s.URL == src.URL || s.Publisher == src.Publisher && s.Title == src.Title && s.Published == src.Published
	}) {
		out.Sources = append(out.Sources, src)
	}
	for _, f := range []struct {
		name      string
		old, news **int
	}{{"fatalities", &out.Fatalities, &d.Incident.Fatalities}, {"injuries", &out.Injuries, &d.Incident.Injuries}} {
		n := *f.news
		if n == nil || !slices.ContainsFunc(d.Evidence, func(e geo.Evidence) bool { return e.Field == f.name }) {
			continue // the report says nothing of it (a strategic development's 0 is a convention)
		}
		switch old := *f.old; {
		case old == nil:
			*f.old = n
		case *old != *n:
			*f.old = n
			out.Disagreements = append(out.Disagreements, geo.Disagreement{Field: f.name,
				Note: fmt.Sprintf("%s gives %d; the sources before it gave %d.", src.Publisher, *n, *old)})
		}
	}
	// The report's own disagreements (a weekday against its date), unless
	// the record notes one on that field already.
	for _, dis := range d.Incident.Disagreements {
		if !slices.ContainsFunc(known.Disagreements, func(k geo.Disagreement) bool { return k.Field == dis.Field }) && !slices.Contains(out.Disagreements, dis) {
			out.Disagreements = append(out.Disagreements, dis)
		}
	}
	return out
}

// String is a one-line account of a draft, for logs and the CLI.
func (d Draft) String() string {
	inc := d.Incident
	s := fmt.Sprintf("%s (%s, %s)", inc.Title, inc.EventDate.Format(geo.DateLayout), inc.EventType)
	switch {
	case d.Known:
		s += ": incident " + strconv.FormatInt(d.Match, 10) + " already has it all"
	case d.Match != 0:
		s += ": reports incident " + strconv.FormatInt(d.Match, 10) + " again"
	}
	return s
}
