package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
)

// Resolve finds whether inc replaces a stored incident: by its id in the
// dataset it came from (ACLED's event_id_cnty, which names one incident
// only), or by its ID. It sets inc.ID (from the event id) and, for a
// stored incident, inc.CreatedAt, locking the row where the engine locks
// rows, and reports whether a row is to be created.
func (s Store) Resolve(ctx context.Context, tx Tx, inc *geo.Incident) (created bool, err error) {
	if inc.ExternalID != "" {
		var other int64
		err := tx.QueryRow(ctx, `SELECT id FROM incidents WHERE external_id = ?`, inc.ExternalID).Scan(&other)
		switch {
		case errors.Is(err, ErrNoRows):
		case err != nil:
			return false, err
		case inc.ID == 0:
			inc.ID = other
		case inc.ID != other:
			return false, geo.Errorf(geo.EConflict, "event_id_cnty %s is already incident %d", inc.ExternalID, other)
		}
	}
	if inc.ID == 0 {
		return true, nil
	}
	var createdAt string
	err = tx.QueryRow(ctx, `SELECT created_at FROM incidents WHERE id = ?`+s.E.ForUpdate(), inc.ID).Scan(&createdAt)
	switch {
	case errors.Is(err, ErrNoRows):
		return true, nil
	case err != nil:
		return false, err
	}
	inc.CreatedAt, _ = time.Parse(time.RFC3339, createdAt)
	return false, nil
}

// Prepare resolves inc's row (Resolve), sets its times (a new row is
// created now, at the transaction's second) and encodes it with its
// derived values: what an engine writes, and whether as a new row.
func (s Store) Prepare(ctx context.Context, tx Tx, inc *geo.Incident, lines record.ContextLines) (created bool, row record.Row, err error) {
	if created, err = s.Resolve(ctx, tx, inc); err != nil {
		return false, nil, err
	}
	now := tx.Now().Truncate(time.Second)
	if created {
		inc.CreatedAt = now
	}
	row, err = record.Encode(inc, lines, inc.CreatedAt, now)
	return created, row, err
}

// ImportEach hands put each incident read gives, validated first, and
// counts those created and updated; row, when not nil, runs before each
// (an engine's bookkeeping). An error names the incident by its index.
func ImportEach(read func(put func(*geo.Incident) error) error, put func(*geo.Incident) (bool, error), row func() error) (created, updated int, err error) {
	n := 0
	err = read(func(inc *geo.Incident) error {
		if err := inc.Validate(); err != nil {
			return fmt.Errorf("incident %d: %w", n, err)
		}
		if row != nil {
			if err := row(); err != nil {
				return fmt.Errorf("import: %w", err)
			}
		}
		isNew, err := put(inc)
		if err != nil {
			return fmt.Errorf("import incident %d: %w", n, err)
		}
		if isNew {
			created++
		} else {
			updated++
		}
		n++
		return nil
	})
	return created, updated, err
}
