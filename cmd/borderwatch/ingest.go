package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/data"
	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/geo/report"
	"github.com/borderwatch/borderwatch/store"
)

// ingestCmd reads news reports into draft incidents: printed as GeoJSON
// with --dry-run, else proposed for review as the account --as.
func ingestCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("ingest", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: borderwatch ingest [--db FILE] [--publisher P] [--published YYYY-MM-DD] [--url U] [--title T]\n"+
			"                          (--dry-run | --as ACCOUNT) FILE...\n\n"+
			"Reads each report (plain text, or HTML) into draft incidents: the events it reports, coded,\n"+
			"dated, placed and counted, each field with the words it came from. With --dry-run they are\n"+
			"printed as a GeoJSON FeatureCollection and nothing is written; otherwise each report is kept\n"+
			"and its drafts wait in the review queue as proposals by ACCOUNT. A draft that reports an\n"+
			"incident already known becomes a proposed change to it (the report added as a source).")
		fs.PrintDefaults()
	}
	db := dbFlag(fs)
	publisher := fs.String("publisher", "", "who published the report (required to propose)")
	published := fs.String("published", "", "the publication date, YYYY-MM-DD: relative dates (\"last week\") need it")
	url := fs.String("url", "", "the report's address")
	title := fs.String("title", "", "the report's title (default: from the report's layout or HTML)")
	as := fs.String("as", "", "the account whose proposals the drafts become (a contributor, editor or admin)")
	dry := fs.Bool("dry-run", false, "print the drafts as GeoJSON on standard output and write nothing")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 || (!*dry && *as == "") {
		if len(files) > 0 {
			fmt.Fprintln(stderr, "borderwatch ingest: name the account the drafts are proposed as (--as NAME), or use --dry-run")
		}
		fs.Usage()
		return errUsage
	}
	meta := report.Meta{Publisher: *publisher, URL: *url, Title: *title}
	if *published != "" {
		if meta.Published, err = time.Parse(geo.DateLayout, *published); err != nil {
			return fmt.Errorf("--published must be a date (YYYY-MM-DD), got %q", *published)
		}
	}
	g, err := data.Gazetteer()
	if err != nil {
		return err
	}
	// A dry run against a database that does not exist creates none: the
	// drafts are then matched against nothing.
	var st store.DB
	if _, statErr := os.Stat(*db); statErr == nil || !*dry || store.IsPostgres(*db) {
		if st, err = store.Open(ctx, *db); err != nil {
			return err
		}
		defer st.Close()
		if !*dry {
			if _, err := data.SeedLayers(ctx, st); err != nil {
				return err
			}
		}
		if err := report.WithLayers(ctx, st, g); err != nil {
			return err
		}
	}
	var author geo.User
	if !*dry {
		u, _, err := st.UserByName(ctx, *as)
		if err != nil {
			return fmt.Errorf("--as %s: %w", *as, err)
		}
		if u.Disabled || !u.Role.AtLeast(geo.RoleContributor) {
			return fmt.Errorf("--as %s: the account is disabled or may not propose", *as)
		}
		author = u
	}
	var all []report.Draft
	var failed []string
	for _, file := range files {
		raw, err := readReport(file)
		if err != nil {
			failed = append(failed, err.Error())
			continue
		}
		var res report.Result
		if st == nil {
			res, err = report.Ingest(ctx, nil, g, raw, meta, author, true)
		} else {
			res, err = report.Ingest(ctx, st, g, raw, meta, author, *dry)
		}
		if err != nil {
			failed = append(failed, file+": "+describe(err))
			continue
		}
		all = append(all, res.Drafts...)
		if *dry {
			continue
		}
		fmt.Fprintf(stdout, "%s: report %d, %d draft(s) proposed for review\n", file, res.Stored.ID, len(res.Proposals))
		for _, p := range res.Proposals {
			what := "a new incident"
			if p.IncidentID != 0 {
				what = fmt.Sprintf("a change to incident %d", p.IncidentID)
			}
			fmt.Fprintf(stdout, "  proposal %d: %s, %s\n", p.ID, p.Incident.Title, what)
		}
		for _, d := range res.Known {
			fmt.Fprintf(stdout, "  already recorded: incident %d, %s\n", d.Match, d.Incident.Title)
		}
		for _, d := range res.Left {
			fmt.Fprintf(stdout, "  left out: %s (%s)\n", d.Incident.Title, strings.Join(d.Problems, "; "))
		}
	}
	if *dry {
		if err := report.WriteGeoJSON(stdout, all); err != nil {
			return err
		}
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "\n"))
	}
	return nil
}

// readReport reads a report file, refusing more than report.MaxBytes
// without reading it all.
func readReport(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", file, err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, report.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", file, err)
	}
	return raw, nil
}
