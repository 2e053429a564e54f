package geo

import (
	"context"
	"time"

	"github.com/paulmach/orb"
)

// Store is what the web and CLI need of storage. store.DB implements it.
type Store interface {
	Incident(ctx context.Context, id int64) (Incident, error)
	Incidents(ctx context.Context, f Filter) (Page, error)
	EachIncident(ctx context.Context, f Filter, fn func(Incident) error) error
	IncidentsNear(ctx context.Context, p orb.Point, km float64, except int64, limit int) ([]Incident, []float64, error)
	ImportIncidents(ctx context.Context, incs []Incident) (created, updated int, err error)
	IncidentsExtent(ctx context.Context) (Extent, error)
	Clusters(ctx context.Context, f Filter, zoom, cellPx float64, maxSingles int) (Clusters, error)
	Stats(ctx context.Context, f Filter) (Stats, error)
	Version(ctx context.Context) (int64, time.Time, error)
	Layers(ctx context.Context) ([]Layer, error)
	Layer(ctx context.Context, id string) (Layer, error)
}

// RepresentativePoint is where a marker for g goes: the point itself, the
// middle of a line (by vertex), or the centre of a shape's box.
func RepresentativePoint(g orb.Geometry) orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return g
	case orb.LineString:
		if len(g) > 0 {
			return g[len(g)/2]
		}
	}
	return g.Bound().Center()
}
