package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/mattn/go-sqlite3"
)

// Backup writes a consistent copy of the database to out (which must not
// exist) with VACUUM INTO: it reads one snapshot, so it is safe while the
// server serves and writes, and the copy has everything committed before
// it began, the WAL's pages included (copying the file does not).
func (db *DB) Backup(ctx context.Context, out string) error {
	if _, err := os.Stat(out); err == nil {
		return geo.Errorf(geo.EConflict, "%s exists: a backup never overwrites a file", out)
	}
	if _, err := db.reader.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		os.Remove(out)
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	return Check(ctx, out)
}

// Check opens the database at path read-only and runs SQLite's
// integrity_check and foreign key check, and checks that the R*Tree and
// the current versions are in step with the incidents.
func Check(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	defer conn.Close()
	var result string
	if err := conn.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return geo.Errorf(geo.EInvalid, "%s is not a SQLite database: %v", path, err)
	}
	if result != "ok" {
		return geo.Errorf(geo.EInvalid, "%s fails SQLite's integrity check: %s", path, result)
	}
	var tables int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name IN ('migrations', 'incidents', 'incidents_rtree', 'incident_versions')`).Scan(&tables); err != nil || tables != 4 {
		return geo.Errorf(geo.EInvalid, "%s is not a Borderwatch database", path)
	}
	var incidents, indexed, current int
	err = conn.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM incidents_rtree),
		(SELECT count(*) FROM incident_versions WHERE valid_to IS NULL)`).Scan(&incidents, &indexed, &current)
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if indexed != incidents || current != incidents {
		return geo.Errorf(geo.EInvalid, "%s is out of step: %d incidents, %d in the R*Tree, %d current versions", path, incidents, indexed, current)
	}
	return nil
}

// Restore replaces the database's contents with the backup at in, after
// checking it, through SQLite's online backup API: in one step under the
// write lock, so readers see the old data or the new, and a server may keep
// running. Migrations the backup predates are applied.
func (db *DB) Restore(ctx context.Context, in string) error {
	if err := Check(ctx, in); err != nil {
		return err
	}
	before, _, err := db.Version(ctx)
	if err != nil {
		return err
	}
	src, err := sql.Open("sqlite3", "file:"+in+"?"+url.Values{"mode": {"ro"}}.Encode())
	if err != nil {
		return fmt.Errorf("restore from %s: %w", in, err)
	}
	defer src.Close()
	srcConn, err := src.Conn(ctx)
	if err != nil {
		return fmt.Errorf("restore from %s: %w", in, err)
	}
	defer srcConn.Close()
	destConn, err := db.writer.Conn(ctx)
	if err != nil {
		return fmt.Errorf("restore from %s: %w", in, busy(err))
	}
	err = destConn.Raw(func(d any) error {
		return srcConn.Raw(func(s any) error {
			dest, ok1 := d.(*sqlite3.SQLiteConn)
			from, ok2 := s.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return errors.New("not SQLite connections")
			}
			b, err := dest.Backup("main", from, "main")
			if err != nil {
				return err
			}
			if _, err := b.Step(-1); err != nil {
				b.Close()
				return busy(err)
			}
			return b.Finish()
		})
	})
	destConn.Close()
	if err != nil {
		return fmt.Errorf("restore from %s: %w", in, err)
	}
	if err := db.migrate(ctx); err != nil {
		return fmt.Errorf("restore from %s: %w", in, err)
	}
	if err := db.fillDerived(ctx); err != nil {
		return fmt.Errorf("restore from %s: %w", in, err)
	}
	// A data version above any served before, so no cache keeps the old.
	return db.write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE meta SET value = max(CAST(value AS INTEGER), ?) WHERE key = 'version'`, before)
		return err
	})
}
