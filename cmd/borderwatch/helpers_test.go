package main

import (
	"io"
	"log/slog"

	"github.com/borderwatch/borderwatch/web"
	"strconv"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
)

func mustDate(tb testing.TB, s string) time.Time {
	tb.Helper()
	d, err := time.Parse(geo.DateLayout, s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func testWebConfig() web.Config {
	return web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Tiles: "none"}
}
