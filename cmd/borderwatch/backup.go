package main

import (
	"context"
	"fmt"
	"io"

	"github.com/borderwatch/borderwatch/store"
)

func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("backup", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: borderwatch backup [--db FILE] OUT\n\nWrites a consistent copy of the database to OUT (a new file), safely while\nthe server serves and writes, and checks it. Copying the .db file of a\nrunning server is not a backup: it misses what is still in the WAL.")
		fs.PrintDefaults()
	}
	db := dbFlag(fs)
	file, err := oneArg(fs, args)
	if err != nil {
		return err
	}
	st, err := openExisting(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	b, err := store.AsFileBackup(st)
	if err != nil {
		return err
	}
	if err := b.Backup(ctx, file); err != nil {
		return fmt.Errorf("%s", describe(err))
	}
	n, _ := st.CountIncidents(ctx)
	fmt.Fprintf(stdout, "backed up %s to %s (checked: integrity ok; %d incidents when it began)\n", *db, file, n)
	return nil
}

func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("restore", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: borderwatch restore [--db FILE] IN\n\nChecks the backup IN, then replaces the database's contents with it in one\nstep (a running server sees the old data or the new, never a mix).")
		fs.PrintDefaults()
	}
	db := dbFlag(fs)
	file, err := oneArg(fs, args)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	b, err := store.AsFileBackup(st)
	if err != nil {
		return err
	}
	if err := b.Restore(ctx, file); err != nil {
		return fmt.Errorf("nothing was restored: %s", describe(err))
	}
	n, _ := st.CountIncidents(ctx)
	fmt.Fprintf(stdout, "restored %s from %s: %d incidents\n", *db, file, n)
	return nil
}
