package record

import (
	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/maptile"
)

// IncidentColumns are what ScanIncident reads, of the incidents (or their
// versions) as i, with geom the expression that gives the geometry as WKB.
func IncidentColumns(geom string) string {
	return `i.id, i.title, i.summary, i.event_date, i.time_precision, i.disorder_type,
	i.event_type, i.sub_event_type, i.actor1, i.assoc_actor_1, i.actor2, i.assoc_actor_2,
	i.fatalities, i.injuries, i.location, i.admin1, i.country, i.geo_precision, ` + geom + `,
	i.sources, i.disagreements, i.tags, i.notes, i.created_at, i.updated_at, i.border_km, i.barrier_km, i.crossing_km, i.external_id, i.acled`
}

// VersionColumns are the columns incident_versions shares with incidents.
const VersionColumns = `id, title, summary, event_date, date_first, date_last, time_precision,
	disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2,
	fatalities, injuries, location, admin1, country, geo_precision, geom, min_x, min_y, max_x, max_y,
	sources, disagreements, tags, notes, created_at, updated_at, border_km, barrier_km, crossing_km,
	px, py, mx, my, external_id, acled`

// ContextLines are the border and barrier lines and the crossings
// incidents' distances are measured to.
type ContextLines struct {
	border, barrier, crossings orb.Collection
}

// ContextKinds are the layer kinds distances are measured to.
var ContextKinds = []any{geo.KindBorder, geo.KindBarrier, geo.KindCrossing}

// Add adds a feature (WKB) of a layer of kind.
func (l *ContextLines) Add(kind string, b []byte) error {
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return err
	}
	switch kind {
	case geo.KindBorder:
		l.border = append(l.border, g)
	case geo.KindBarrier:
		l.barrier = append(l.barrier, g)
	default:
		l.crossings = append(l.crossings, g)
	}
	return nil
}

// Distances are g's distances in km to the border, the barrier and the
// nearest crossing (nil where there is no such layer).
func (l ContextLines) Distances(g orb.Geometry) (border, barrier, crossing *float64) {
	measure := func(lines orb.Collection) *float64 {
		if len(lines) == 0 {
			return nil
		}
		d := geo.DistanceToKm(g, lines)
		return &d
	}
	return measure(l.border), measure(l.barrier), measure(l.crossings)
}

// MarkerPoint is where an incident's marker goes, in degrees and in Web
// Mercator units of [0, 1) (orb's tile fraction at zoom 0), for clustering
// on a pixel grid at any zoom.
func MarkerPoint(g orb.Geometry) (p, m orb.Point) {
	p = geo.RepresentativePoint(g)
	return p, mercator(p)
}

// mercator is p in Web Mercator units of [0, 1); orb puts every point
// south of 85.0511°S at the top at zoom 0, so it clamps first.
func mercator(p orb.Point) orb.Point {
	return maptile.Fraction(orb.Point{p[0], max(-85.05112878, min(85.05112878, p[1]))}, 0)
}
