package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/borderwatch/borderwatch/data"
	"github.com/borderwatch/borderwatch/store"
)

// seed loads the bundled dataset into an empty database. A database that
// holds anything is left alone, so restarting never duplicates or undoes.
func seed(ctx context.Context, st *store.DB, log *slog.Logger) error {
	nInc, err := st.CountIncidents(ctx)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	nLayers, err := st.CountLayers(ctx)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if nInc > 0 || nLayers > 0 {
		return nil
	}
	layers, err := data.Layers()
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	incs, err := data.Incidents()
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	for i, l := range layers {
		if err := st.PutLayer(ctx, l, i); err != nil {
			return fmt.Errorf("seed layer %s: %w", l.ID, err)
		}
	}
	if _, _, err := st.ImportIncidents(ctx, incs); err != nil {
		return fmt.Errorf("seed incidents: %w", err)
	}
	log.Info("loaded the bundled dataset", "incidents", len(incs), "layers", len(layers))
	return nil
}
