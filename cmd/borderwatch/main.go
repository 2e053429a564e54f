// Command borderwatch serves and manages a Borderwatch map.
//
//	borderwatch [serve] [--addr :8080] [--db ./borderwatch.db] [--tiles URL|none]
//	borderwatch import [--db FILE] FILE.geojson
//	borderwatch export [--db FILE] > incidents.geojson
//	borderwatch backup [--db FILE] OUT
//	borderwatch restore [--db FILE] IN
//	borderwatch ingest [--db FILE] [--publisher P] [--published DATE] [--url U] (--dry-run | --as ACCOUNT) FILE...
//	borderwatch migrate --from FILE|URL --to FILE|URL
//
// --db takes a SQLite file's path or a PostgreSQL address
// (postgres://user:pass@host/dbname, with PostGIS).
//
// Every flag can also be set from the environment: BORDERWATCH_ADDR,
// BORDERWATCH_DB, BORDERWATCH_TILES.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store"
)

const usage = `Borderwatch: a map server for border and security incidents.

Usage:
  borderwatch serve  [flags]          serve the map (the default)
  borderwatch import [flags] FILE     import incidents from a GeoJSON or CSV file (ACLED's layout),
                                      all or nothing unless --skip-invalid
  borderwatch export [flags]          write the incidents as GeoJSON or CSV to standard output
  borderwatch backup [flags] OUT      copy the database to OUT, safely while it serves and writes
  borderwatch restore [flags] IN      replace the database's contents with the backup IN
  borderwatch ingest [flags] FILE...  read news reports into draft incidents for review
                                      (--dry-run prints them as GeoJSON and writes nothing)
  borderwatch migrate --from DB --to DB
                                      copy a whole database between SQLite and PostgreSQL (either way)
                                      into an empty one, and check the copy

  borderwatch user add|list|set-role|disable|enable|password
                                      manage accounts (the first admin is made here)
  borderwatch token create --user NAME
                                      make an API token for scripts and GIS tools
  borderwatch help                    this text

Run "borderwatch COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole program, testable: it returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		cmd = "help"
	} else if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, stderr)
	case "import":
		err = importCmd(ctx, args, stdout, stderr)
	case "export":
		err = exportCmd(ctx, args, stdout, stderr)
	case "backup":
		err = backupCmd(ctx, args, stdout, stderr)
	case "restore":
		err = restoreCmd(ctx, args, stdout, stderr)
	case "ingest":
		err = ingestCmd(ctx, args, stdout, stderr)
	case "migrate":
		err = migrateCmd(ctx, args, stdout, stderr)
	case "user":
		err = userCmd(ctx, args, stdin, stdout, stderr)
	case "token":
		err = tokenCmd(ctx, args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "borderwatch: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(stderr, "borderwatch %s: %v\n", cmd, err)
	return 1
}

var errUsage = errors.New("usage")

// flags makes a FlagSet whose defaults come from the environment.
func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("borderwatch "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// parse parses flags wherever they stand among the arguments, so both
// "import --db x.db FILE" and "import FILE --db x.db" work.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", env("BORDERWATCH_DB", "./borderwatch.db"), "the database: a SQLite file, or postgres://user:pass@host/dbname for PostgreSQL with PostGIS (env BORDERWATCH_DB)")
}

func logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// describe formats an error for a person at a terminal, listing problems.
func describe(err error) string {
	var b strings.Builder
	b.WriteString(geo.ErrorMessage(err))
	if geo.ErrorKind(err) == geo.EInternal {
		b.Reset()
		b.WriteString(err.Error())
	}
	return b.String()
}

// oneArg parses args and wants exactly one argument left, a file.
func oneArg(fs *flag.FlagSet, args []string) (string, error) {
	rest, err := parse(fs, args)
	if err != nil {
		return "", err
	}
	if len(rest) != 1 {
		fs.Usage()
		return "", errUsage
	}
	return rest[0], nil
}

// openExisting opens a database that must exist already: commands that
// read one never make an empty file by mistake. A PostgreSQL database
// exists when it can be reached.
func openExisting(ctx context.Context, path string) (store.DB, error) {
	if _, err := os.Stat(path); err != nil && !store.IsPostgres(path) {
		return nil, fmt.Errorf("no database at %s: %w", path, err)
	}
	return store.Open(ctx, path)
}
