package geo

import (
	"regexp"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Layer kinds the map knows how to draw.
const (
	KindBorder   = "border"
	KindBarrier  = "barrier"
	KindCrossing = "crossing"
	KindBasemap  = "basemap"
	KindPlaces   = "places"
)

// Layer is a context layer: geometry the incidents are read against, such as
// a border, the barrier, crossings or an offline base map.
type Layer struct {
	ID          string // URL-safe slug, e.g. "barrier"
	Title       string
	Description string
	Kind        string
	Attribution string
	// Features are given to store a layer; feature IDs are 1-based integers
	// in order. A layer read back carries its description, Count and Bound,
	// not its features: those are queried like incidents (Store.LayerFeatures).
	Features []*geojson.Feature
	Count    int
	Bound    *orb.Bound // nil when the layer has no features
}

// FeaturePage is one page of a layer's features and how many match in all.
type FeaturePage struct {
	Features      []*geojson.Feature
	NumberMatched int
}

var layerID = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)

// Collection ids of incidents; no layer may use them. IncidentPoints is
// every incident at its marker point, for clients that take one geometry
// type per layer (QGIS types a layer by its first feature).
const (
	IncidentsCollection      = "incidents"
	IncidentPointsCollection = "incident-points"
)

// IsIncidents says whether a collection id names the incidents, whole or as points.
func IsIncidents(id string) bool { return id == IncidentsCollection || id == IncidentPointsCollection }

// Validate reports every problem with l, or nil.
func (l Layer) Validate() error {
	var ps problems
	if !layerID.MatchString(l.ID) {
		ps.add("id", "must be lower-case letters, digits and dashes, starting with a letter, got %q", l.ID)
	} else if IsIncidents(l.ID) {
		ps.add("id", "%q is reserved", l.ID)
	}
	if strings.TrimSpace(l.Title) == "" {
		ps.add("title", "must not be empty")
	}
	switch l.Kind {
	case KindBorder, KindBarrier, KindCrossing, KindBasemap, KindPlaces:
	default:
		ps.add("kind", "unknown kind %q", l.Kind)
	}
	if len(l.Features) == 0 {
		ps.add("features", "a layer needs at least one feature")
	}
	for i, f := range l.Features {
		if f == nil || f.Geometry == nil {
			ps.add("features["+itoa(i)+"].geometry", "is missing")
			continue
		}
		for _, p := range GeometryProblems(f.Geometry) {
			ps.add("features["+itoa(i)+"].geometry", "%s", p)
		}
	}
	return ps.err("invalid layer " + quote(l.ID))
}
