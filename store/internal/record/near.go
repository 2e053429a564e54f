package record

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

// Near returns up to limit incidents within km of p, nearest first, with
// their distances, leaving out the incident with id except: the candidates
// each gives in the box around p, measured as the app measures distances.
func Near(ctx context.Context, each func(context.Context, geo.Filter, func(geo.Incident) error) error,
	p orb.Point, km float64, except int64, limit int, asOf time.Time) ([]geo.Incident, []float64, error) {
	box := geo.BufferBound(orb.Bound{Min: p, Max: p}, km)
	type hit struct {
		inc geo.Incident
		d   float64
	}
	var hits []hit
	err := each(ctx, geo.Filter{BBox: &box, AsOf: asOf}, func(inc geo.Incident) error {
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
