package data

import (
	"context"
	"fmt"

	"github.com/borderwatch/borderwatch/geo"
)

// Seeder is the part of a store that seeding needs.
type Seeder interface {
	CountIncidents(ctx context.Context) (int, error)
	CountLayers(ctx context.Context) (int, error)
	PutLayer(ctx context.Context, l geo.Layer, position int) error
	ImportIncidents(ctx context.Context, incs []geo.Incident) (created, updated int, err error)
}

// Seed loads the bundled dataset into an empty store and reports whether it
// did. A store that holds incidents is left with them, so restarting never
// duplicates or undoes an edit; one without context layers (made by an
// import before the first start) gets them, so that the border, barrier and
// crossings are drawn and every incident's distances are measured.
func Seed(ctx context.Context, st Seeder) (bool, error) {
	nInc, err := st.CountIncidents(ctx)
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	layered, err := SeedLayers(ctx, st)
	if err != nil || nInc > 0 || !layered {
		return layered, err
	}
	incs, err := Incidents()
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	if _, _, err := st.ImportIncidents(ctx, incs); err != nil {
		return false, fmt.Errorf("seed incidents: %w", err)
	}
	return true, nil
}

// SeedLayers loads the bundled context layers into a store that has none,
// and reports whether it did; the store measures its incidents' distances
// to them.
func SeedLayers(ctx context.Context, st Seeder) (bool, error) {
	nLayers, err := st.CountLayers(ctx)
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	if nLayers > 0 {
		return false, nil
	}
	layers, err := Layers()
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	for i, l := range layers {
		if err := st.PutLayer(ctx, l, i); err != nil {
			return false, fmt.Errorf("seed layer %s: %w", l.ID, err)
		}
	}
	return true, nil
}
