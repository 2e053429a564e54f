package geo

import (
	"context"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Store is what the web and CLI need of storage. store.DB implements it.
type Store interface {
	// Snapshot makes every read with the returned context see the data
	// as it stood at one moment; release ends it.
	Snapshot(ctx context.Context) (snap context.Context, release func(), err error)
	Incident(ctx context.Context, id int64) (Incident, error)
	IncidentAt(ctx context.Context, id int64, asOf time.Time) (Incident, error) // as it stood at asOf; zero: now
	Incidents(ctx context.Context, f Filter) (Page, error)
	EachIncident(ctx context.Context, f Filter, fn func(Incident) error) error
	IncidentsNear(ctx context.Context, p orb.Point, km float64, except int64, limit int, asOf time.Time) ([]Incident, []float64, error)
	ImportIncidents(ctx context.Context, incs []Incident) (created, updated int, err error)
	IncidentsExtent(ctx context.Context) (Extent, error)
	Clusters(ctx context.Context, f Filter, zoom, cellPx float64, maxSingles int) (Clusters, error)
	Stats(ctx context.Context, f Filter) (Stats, error)
	Version(ctx context.Context) (int64, time.Time, error)
	Layers(ctx context.Context) ([]Layer, error)
	Layer(ctx context.Context, id string) (Layer, error)
	LayerFeatures(ctx context.Context, id string, f Filter) (FeaturePage, error)
	LayerFeature(ctx context.Context, id string, fid int64) (*geojson.Feature, error)
}
