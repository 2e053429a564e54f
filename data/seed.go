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
// did. A store that holds anything is left alone, so restarting never
// duplicates or undoes an edit.
func Seed(ctx context.Context, st Seeder) (bool, error) {
	nInc, err := st.CountIncidents(ctx)
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	nLayers, err := st.CountLayers(ctx)
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	if nInc > 0 || nLayers > 0 {
		return false, nil
	}
	layers, err := Layers()
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	incs, err := Incidents()
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	for i, l := range layers {
		if err := st.PutLayer(ctx, l, i); err != nil {
			return false, fmt.Errorf("seed layer %s: %w", l.ID, err)
		}
	}
	if _, _, err := st.ImportIncidents(ctx, incs); err != nil {
		return false, fmt.Errorf("seed incidents: %w", err)
	}
	return true, nil
}
