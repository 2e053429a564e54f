package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"

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
	baseURL := fs.String("base-url", env("BORDERWATCH_BASE_URL", ""),
		"public address for the API's absolute links, e.g. https://maps.example.org (env BORDERWATCH_BASE_URL; default: each request's host)")
	embedOrigins := fs.String("embed-origins", env("BORDERWATCH_EMBED_ORIGINS", ""),
		"comma-separated origins allowed to frame /embed, e.g. https://news.example.org (env BORDERWATCH_EMBED_ORIGINS; default: any site)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected argument %q", rest[0])
	}
	log := logger(stderr)
	// The port first: a server that cannot listen leaves the database alone.
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer l.Close()
	st, srv, err := open(ctx, *db, web.Config{Logger: log, Tiles: *tiles, TileAttribution: *tileAttr, BaseURL: *baseURL,
		EmbedOrigins: splitList(*embedOrigins), Gazetteer: data.Gazetteer})
	if err != nil {
		return err
	}
	defer st.Close()
	log.Info("serving", "addr", l.Addr().String(), "db", store.Redact(*db), "tiles", *tiles)
	err = srv.Serve(ctx, l)
	log.Info("stopped")
	return err
}

// open wires a server to the database at path, loading the bundled dataset
// into an empty database first.
func open(ctx context.Context, path string, cfg web.Config) (store.DB, *web.Server, error) {
	st, err := store.Open(ctx, path, store.Mapped())
	if err != nil {
		return nil, nil, err
	}
	seeded, err := data.Seed(ctx, st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	if seeded {
		cfg.Logger.Info("loaded the bundled dataset")
	}
	cfg.Store = st
	cfg.DataAttribution = data.Attribution
	srv, err := web.New(cfg)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, srv, nil
}

// splitList reads a comma-separated flag value.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
