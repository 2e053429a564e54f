package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/borderwatch/borderwatch/data"
	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store"
	"github.com/borderwatch/borderwatch/web"
)

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("import", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: borderwatch import [--db FILE] [--skip-invalid] FILE.geojson|FILE.csv\n\n"+
			"Checks every feature first and imports all of them or none (with --skip-invalid: the\n"+
			"valid ones, listing the rest). CSV is ACLED's export layout (as ACLED writes it, dates\n"+
			"as 2016-03-07 or 07 March 2016, or as /export/incidents.csv writes it); a record\n"+
			"with an event_id_cnty already imported is updated, not added again.")
		fs.PrintDefaults()
	}
	db := dbFlag(fs)
	author := fs.String("author", "import", "the name the history records for these changes (a system user, not an account)")
	message := fs.String("message", "", "the edit summary the history keeps with each change (default: \"imported from FILE\")")
	skip := fs.Bool("skip-invalid", false, "import the valid features or rows and list the invalid ones on standard error, instead of importing nothing")
	file, err := oneArg(fs, args)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", file, err)
	}
	defer f.Close()
	read, what := geo.ReadIncidents, "feature"
	if strings.HasSuffix(strings.ToLower(file), ".csv") {
		read, what = geo.ReadIncidentsCSV, "row"
	}
	// Alone: an import into a new file writes it directly (sqlite.Alone).
	st, err := store.Open(ctx, *db, store.Alone())
	if err != nil {
		return err
	}
	defer st.Close()
	// A new database gets the context layers first, so distances are measured.
	if _, err := data.SeedLayers(ctx, st); err != nil {
		return err
	}
	summary := *message
	if summary == "" {
		summary = "imported from " + filepath.Base(file)
	}
	// Decoding makes short-lived values by the million while the live heap
	// is a few batches: as for export, collecting at 4× it rather than 2×
	// leaves more of both cores to the reading and the writing.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	// One pass over the file, one transaction: the records are written as
	// they are read, and a bad one (without --skip-invalid) stops the
	// writing, not the reading, so that every bad one is listed and then
	// nothing is kept.
	bad, total := 0, 0
	var refused, putErr error // refused: the file's fault, said as it is
	created, updated, err := st.Import(geo.WithEdit(ctx, geo.Edit{Author: *author, Summary: summary}), func(put func(*geo.Incident) error) error {
		err := read(bufio.NewReaderSize(f, 1<<16), func(inc geo.Incident, fe *geo.FeatureError) error {
			total++
			if fe != nil {
				bad++
				where := fmt.Sprintf("feature %d", fe.Index) // 0-based, as in "features"
				if what == "row" {
					where = fmt.Sprintf("row %d (line %d)", fe.Index+1, fe.Index+2) // as a spreadsheet counts
				}
				fmt.Fprintf(stderr, "%s: %s: %s\n", file, where, describe(fe.Err))
				return nil
			}
			if bad > 0 && !*skip {
				return nil // nothing will be kept: read on only to list every bad record
			}
			putErr = put(&inc)
			return putErr
		})
		switch {
		case putErr != nil:
			return putErr
		case err != nil:
			refused = fmt.Errorf("%s: %s", file, describe(err))
		case bad > 0 && !*skip:
			refused = fmt.Errorf("%s: %d of %d %ss are invalid; nothing was imported (--skip-invalid imports the rest)", file, bad, total, what)
		case bad == total:
			refused = fmt.Errorf("%s: none of the %d %ss is valid; nothing was imported", file, bad, what)
		}
		return refused
	})
	if refused != nil {
		return refused
	}
	if err != nil {
		return fmt.Errorf("nothing was imported: %s", describe(err))
	}
	incs := created + updated
	fmt.Fprintf(stdout, "imported %d incidents from %s into %s: %d new, %d replaced\n", incs, file, store.Redact(*db), created, updated)
	if bad > 0 {
		fmt.Fprintf(stdout, "skipped %d invalid %ss, listed on standard error\n", bad, what)
	}
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
	st, err := openExisting(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	w, err := web.NewIncidentWriter(stdout, *format)
	if err != nil {
		return err
	}
	// An export keeps two batches of rows live and makes short-lived
	// strings by the million: collecting at 4× the live heap rather than
	// 2× halves the collector's share of the CPU for a few MB more.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	return web.Export(ctx, st, geo.Filter{}, w)
}
