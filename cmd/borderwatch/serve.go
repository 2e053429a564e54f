package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/borderwatch/borderwatch/data"
	"github.com/borderwatch/borderwatch/store"
	"github.com/borderwatch/borderwatch/web"
)

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flags("serve", stderr)
	addr := fs.String("addr", env("BORDERWATCH_ADDR", ":8080"), "address to listen on (env BORDERWATCH_ADDR)")
	db := dbFlag(fs)
	tiles := fs.String("tiles", env("BORDERWATCH_TILES", web.DefaultTiles),
		`tile URL template with {z}/{x}/{y}, or "none" for the offline base layer only (env BORDERWATCH_TILES)`)
	tileAttr := fs.String("tile-attribution", env("BORDERWATCH_TILE_ATTRIBUTION", ""),
		"attribution shown for --tiles (env BORDERWATCH_TILE_ATTRIBUTION; OpenStreetMap's by default)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected argument %q", rest[0])
	}
	log := logger(stderr)

	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := seed(ctx, st, log); err != nil {
		return err
	}
	srv, err := web.New(web.Config{Store: st, Logger: log, Tiles: *tiles, TileAttribution: *tileAttr,
		DataAttribution: data.Attribution})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log.Info("serving", "addr", l.Addr().String(), "db", *db, "tiles", *tiles)
	err = srv.Serve(ctx, l)
	log.Info("stopped")
	return err
}
