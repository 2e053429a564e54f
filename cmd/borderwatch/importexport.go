package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/borderwatch/borderwatch/data"
	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store"
	"github.com/borderwatch/borderwatch/web"
)

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("import", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: borderwatch import [--db FILE] FILE.geojson|FILE.csv\n\nChecks every feature first and imports all of them or none. CSV follows\nACLED's column names (as /export/incidents.csv writes them).")
		fs.PrintDefaults()
	}
	db := dbFlag(fs)
	file, err := oneArg(fs, args)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", file, err)
	}
	defer f.Close()
	decode, what := geo.DecodeIncidents, "feature"
	if strings.HasSuffix(strings.ToLower(file), ".csv") {
		decode, what = geo.DecodeIncidentsCSV, "row"
	}
	incs, bad, err := decode(bufio.NewReader(f))
	if err != nil {
		return fmt.Errorf("%s: %s", file, describe(err))
	}
	if len(bad) > 0 {
		for _, fe := range bad {
			fmt.Fprintf(stderr, "%s: %s %d: %s\n", file, what, fe.Index, describe(fe.Err))
		}
		return fmt.Errorf("%s: %d of %d %ss are invalid; nothing was imported", file, len(bad), len(bad)+len(incs), what)
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	// A new database gets the context layers first, so distances are measured.
	if _, err := data.SeedLayers(ctx, st); err != nil {
		return err
	}
	created, updated, err := st.ImportIncidents(ctx, incs)
	if err != nil {
		return fmt.Errorf("nothing was imported: %s", describe(err))
	}
	fmt.Fprintf(stdout, "imported %d incidents from %s into %s: %d new, %d replaced\n", len(incs), file, *db, created, updated)
	return nil
}

func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("export", stderr)
	db := dbFlag(fs)
	format := fs.String("format", "geojson", "geojson or csv")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected argument %q", rest[0])
	}
	if *format != "geojson" && *format != "csv" {
		return fmt.Errorf("--format must be geojson or csv, got %q", *format)
	}
	if _, err := os.Stat(*db); err != nil {
		return fmt.Errorf("no database at %s: %w", *db, err)
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	w, err := web.NewIncidentWriter(stdout, *format)
	if err != nil {
		return err
	}
	if err := st.EachIncident(ctx, geo.Filter{}, w.Incident); err != nil {
		return err
	}
	return w.Close()
}
