package store

import (
	"context"
	"fmt"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/borderwatch/borderwatch/store/postgres"
	"github.com/borderwatch/borderwatch/store/sqlite"
)

// tables is an engine's side of a copy (borderwatch migrate).
type tables interface {
	DumpTable(ctx context.Context, t record.Table, fn func(row []any) error) error
	LoadTables(ctx context.Context, fill func(put func(t record.Table, row []any) error) error) error
}

var (
	_ tables = (*sqlite.DB)(nil)
	_ tables = (*postgres.DB)(nil)
)

// TableCount is how many rows of a table a copy read and the copy then holds.
type TableCount struct {
	Table          string
	Source, Target int
}

// Copy copies everything src holds (incidents with all their versions,
// layers, accounts, sessions, tokens, reports and proposals) into dst,
// which must hold none of it yet: one snapshot of src, one transaction on
// dst, so a failure leaves dst as it was. It returns each table's rows
// read and held after, and fails if they differ.
func Copy(ctx context.Context, src, dst DB) ([]TableCount, error) {
	from, ok1 := src.(tables)
	to, ok2 := dst.(tables)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("copy: an engine without table access")
	}
	if err := empty(ctx, dst); err != nil {
		return nil, err
	}
	snap, release, err := src.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	counts := make([]TableCount, len(record.Tables))
	err = to.LoadTables(ctx, func(put func(record.Table, []any) error) error {
		for i, t := range record.Tables {
			counts[i].Table = t.Name
			if err := from.DumpTable(snap, t, func(row []any) error {
				counts[i].Source++
				return put(t, row)
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("copy: nothing was written: %w", err)
	}
	var bad []string
	for i, t := range record.Tables {
		if err := to.DumpTable(ctx, t, func([]any) error { counts[i].Target++; return nil }); err != nil {
			return counts, err
		}
		if counts[i].Source != counts[i].Target {
			bad = append(bad, fmt.Sprintf("%s: %d read, %d held", t.Name, counts[i].Source, counts[i].Target))
		}
	}
	if len(bad) > 0 {
		return counts, fmt.Errorf("copy: the counts differ: %v", bad)
	}
	return counts, nil
}

// empty refuses a target that holds anything but its schema.
func empty(ctx context.Context, dst DB) error {
	n, err := dst.CountIncidents(ctx)
	if err != nil {
		return err
	}
	l, err := dst.CountLayers(ctx)
	if err != nil {
		return err
	}
	u, err := dst.Users(ctx)
	if err != nil {
		return err
	}
	deleted, err := dst.DeletedIncidents(ctx)
	if err != nil {
		return err
	}
	if n+l+len(u)+len(deleted) > 0 {
		return geo.Errorf(geo.EConflict, "the target database is not empty (%d incidents, %d deleted, %d layers, %d accounts): copy into a new one; nothing was written", n, len(deleted), l, len(u))
	}
	return nil
}
