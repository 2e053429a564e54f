package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store"
)

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("import", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: borderwatch import [--db FILE] FILE.geojson\n\nChecks every feature first and imports all of them or none.")
		fs.PrintDefaults()
	}
	db := dbFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return errUsage
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", rest[0], err)
	}
	defer f.Close()
	incs, bad, err := geo.DecodeIncidents(bufio.NewReader(f))
	if err != nil {
		return fmt.Errorf("%s: %s", rest[0], describe(err))
	}
	if len(bad) > 0 {
		for _, fe := range bad {
			fmt.Fprintf(stderr, "%s: feature %d: %s\n", rest[0], fe.Index, describe(fe.Err))
		}
		return fmt.Errorf("%s: %d of %d features are invalid; nothing was imported", rest[0], len(bad), len(bad)+len(incs))
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	created, updated, err := st.ImportIncidents(ctx, incs)
	if err != nil {
		return fmt.Errorf("nothing was imported: %s", describe(err))
	}
	fmt.Fprintf(stdout, "imported %d incidents from %s into %s: %d new, %d replaced\n", len(incs), rest[0], *db, created, updated)
	return nil
}

func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("export", stderr)
	db := dbFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected argument %q", rest[0])
	}
	if _, err := os.Stat(*db); err != nil {
		return fmt.Errorf("no database at %s: %w", *db, err)
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	w := bufio.NewWriter(stdout)
	io.WriteString(w, `{"type":"FeatureCollection","features":[`)
	n := 0
	err = st.EachIncident(ctx, geo.Filter{}, func(inc geo.Incident) error {
		b, err := geo.MarshalIncident(inc)
		if err != nil {
			return err
		}
		if n > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('\n')
		w.Write(b)
		n++
		return nil
	})
	if err != nil {
		return err
	}
	io.WriteString(w, "\n]}\n")
	return w.Flush()
}
