// Package storetest gives tests a fresh, empty Borderwatch database on the
// engine the environment names: a SQLite file in the test's temporary
// directory, or, when BORDERWATCH_TEST_POSTGRES holds the address of a
// PostgreSQL server with PostGIS (postgres://user@host/db, a user that may
// create databases), a new database there, dropped when the test ends.
// Every test that opens its database here runs on both engines.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/borderwatch/borderwatch/store"
	"github.com/jackc/pgx/v5"
)

// Env names the PostgreSQL server tests use; RequireEnv set to 1 makes
// tests that need one fail, rather than skip, without it (CI sets it).
const (
	Env        = "BORDERWATCH_TEST_POSTGRES"
	RequireEnv = "BORDERWATCH_REQUIRE_POSTGRES"
)

// Addr is the address of a fresh, empty database for tb on the engine the
// environment names.
func Addr(tb testing.TB) string {
	tb.Helper()
	if os.Getenv(Env) == "" {
		return filepath.Join(tb.TempDir(), "bw.db")
	}
	return Postgres(tb)
}

// Open opens a fresh database (Addr) and closes it when tb ends.
func Open(tb testing.TB) store.DB {
	tb.Helper()
	st, err := store.Open(context.Background(), Addr(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// Postgres is the address of a new PostgreSQL database for tb, with PostGIS
// and the schema; without a server named in the environment the test is
// skipped (or fails, when RequireEnv is set).
func Postgres(tb testing.TB) string {
	tb.Helper()
	server := os.Getenv(Env)
	if server == "" {
		if os.Getenv(RequireEnv) == "1" {
			tb.Fatalf("%s=1 but %s is not set: name a PostgreSQL server with PostGIS (postgres://user@host/db)", RequireEnv, Env)
		}
		tb.Skipf("no PostgreSQL to test with: set %s=postgres://user@host/db (a server with PostGIS; .ci/run starts one)", Env)
	}
	ctx := context.Background()
	tpl, err := template(ctx, server)
	if err != nil {
		tb.Fatalf("PostgreSQL at %s: %v", server, err)
	}
	name := "bw_test_" + random()
	if err := admin(ctx, server, `CREATE DATABASE `+name+` TEMPLATE `+tpl); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		if err := admin(context.Background(), server, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			tb.Logf("drop test database %s: %v", name, err)
		}
	})
	return withDatabase(server, name)
}

var (
	tplOnce sync.Once
	tplName string
	tplErr  error
)

// template is a database with PostGIS and the schema, made once per test
// binary: copying it is much faster than creating the extension and running
// the migrations for every test. It stays on the server (a test server is
// thrown away, as .ci/run's is).
func template(ctx context.Context, server string) (string, error) {
	tplOnce.Do(func() {
		tplName = fmt.Sprintf("bw_template_%d_%s", os.Getpid(), random()[:6])
		if tplErr = admin(ctx, server, `CREATE DATABASE `+tplName); tplErr != nil {
			return
		}
		var st store.DB
		if st, tplErr = store.Open(ctx, withDatabase(server, tplName)); tplErr != nil {
			return
		}
		st.Close()
	})
	return tplName, tplErr
}

// admin runs one statement on the server's own database.
func admin(ctx context.Context, server, stmt string) error {
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, stmt)
	return err
}

// withDatabase is server's address naming database name instead.
func withDatabase(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		panic(fmt.Sprintf("%s: %v", Env, err))
	}
	u.Path = "/" + name
	return u.String()
}

func random() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
