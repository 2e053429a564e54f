package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store"
	"github.com/borderwatch/borderwatch/web"
)

func migrateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("migrate", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: borderwatch migrate --from DB --to DB\n\nCopies a whole Borderwatch database (incidents with every version, layers,\naccounts, sessions, tokens, reports and proposals) into an empty one, between\nSQLite files and PostgreSQL databases in either direction, in one transaction.\nThen it checks the copy: each table's rows, and the SHA-256 of both exports.\nDB is a SQLite file's path or postgres://user:pass@host/dbname.")
		fs.PrintDefaults()
	}
	from := fs.String("from", "", "the database to copy")
	to := fs.String("to", "", "the empty database to copy into (a new SQLite file is made)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *from == "" || *to == "" || len(rest) > 0 {
		fs.Usage()
		return errUsage
	}
	if *from == *to {
		return fmt.Errorf("--from and --to name the same database")
	}
	src, err := openExisting(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	_, statErr := os.Stat(*to)
	dst, err := store.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	counts, err := store.Copy(ctx, src, dst)
	if err != nil {
		if statErr != nil && !store.IsPostgres(*to) { // a file this command made: leave none behind
			dst.Close()
			for _, f := range []string{*to, *to + "-wal", *to + "-shm"} {
				os.Remove(f)
			}
		}
		return fmt.Errorf("%s", describe(err))
	}
	for _, c := range counts {
		fmt.Fprintf(stdout, "%-18s %d rows\n", c.Table, c.Target)
	}
	a, err := exportSum(ctx, src)
	if err != nil {
		return err
	}
	b, err := exportSum(ctx, dst)
	if err != nil {
		return err
	}
	if a != b {
		return fmt.Errorf("the copy's export differs from the original's (sha256 %s, original %s)", b, a)
	}
	fmt.Fprintf(stdout, "export sha256 %s, the same from both: copied %s to %s (%s → %s)\n", a, store.Redact(*from), store.Redact(*to), src.Engine(), dst.Engine())
	return nil
}

// exportSum is the SHA-256 of st's GeoJSON export, as "borderwatch export"
// writes it.
func exportSum(ctx context.Context, st store.DB) (string, error) {
	h := sha256.New()
	w, err := web.NewIncidentWriter(h, "geojson")
	if err != nil {
		return "", err
	}
	if err := web.Export(ctx, st, geo.Filter{}, w); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
