// Package web serves Borderwatch over HTTP: the map and incident pages
// (templ), the GeoJSON collections, and the embedded static assets.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/geo/gazetteer"
	"github.com/borderwatch/borderwatch/static"
	"github.com/borderwatch/borderwatch/web/auth"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// DefaultTiles is OpenStreetMap's standard tile layer.
const (
	DefaultTiles           = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
	DefaultTileAttribution = "© OpenStreetMap contributors"
	DefaultTileLink        = "https://www.openstreetmap.org/copyright"
)

// Config is what a Server needs.
type Config struct {
	Store geo.Store
	// Accounts signs people in; nil means the Store's, if it keeps them.
	Accounts geo.Accounts
	// Editor writes incidents, their history and proposals; nil means the
	// Store's, if it can.
	Editor geo.Editor
	Logger *slog.Logger
	// Tiles is a tile URL template ({z}/{x}/{y}, optional {s}); "" or "none"
	// means the offline base layer only.
	Tiles           string
	TileAttribution string
	// DataAttribution credits the bundled data on every map.
	DataAttribution string
	// BaseURL is the site's public address (e.g. behind a reverse proxy),
	// used for absolute links; "" means the address of each request.
	BaseURL string
	// EmbedOrigins may frame /embed; empty means any site.
	EmbedOrigins []string
	// RequestTimeout bounds each request's handler, and how long a download
	// may go without sending a byte; 0 means 30 s.
	RequestTimeout time.Duration
	// Now is the clock for time stamps and download names; nil means time.Now.
	Now func() time.Time
	// Gazetteer gives the report reader's gazetteer (data.Gazetteer); nil
	// turns reading reports off.
	Gazetteer func() (*gazetteer.Gazetteer, error)
}

// Server is the Borderwatch HTTP server.
type Server struct {
	cfg   Config
	echo  *echo.Echo
	log   *slog.Logger
	tiles string // "" when offline
	csp   string
	http  *http.Server
	// etagSalt changes with each start, so a new version of the app never
	// answers 304 for pages an older one rendered.
	etagSalt string
	// responses are the data responses most recently served (64 MB).
	responses *responseCache
}

// New builds a Server and its routes.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: no store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if a, ok := cfg.Store.(geo.Accounts); ok && cfg.Accounts == nil {
		cfg.Accounts = a
	}
	if ed, ok := cfg.Store.(geo.Editor); ok && cfg.Editor == nil {
		cfg.Editor = ed
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	for _, o := range cfg.EmbedOrigins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("embed origin %q must be an origin such as https://news.example.org", o)
		}
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			return nil, fmt.Errorf("base URL %q must be an absolute http(s) URL such as https://maps.example.org/borderwatch", cfg.BaseURL)
		}
	}
	s := &Server{cfg: cfg, log: cfg.Logger, etagSalt: strconv.FormatInt(time.Now().UnixNano(), 36), responses: newResponseCache(64 << 20)}
	if cfg.Tiles != "" && cfg.Tiles != "none" {
		origin, err := tileOrigin(cfg.Tiles)
		if err != nil {
			return nil, err
		}
		s.tiles = cfg.Tiles
		s.csp = csp(origin)
	} else {
		s.csp = csp("")
	}
	s.echo = s.routes()
	return s, nil
}

// tileOrigin checks a tile URL template and returns the origin that the
// Content-Security-Policy must allow images from.
func tileOrigin(tmpl string) (string, error) {
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(tmpl, p) {
			return "", fmt.Errorf("tile URL %q lacks %s", tmpl, p)
		}
	}
	u, err := url.Parse(strings.NewReplacer("{s}", "a", "{z}", "0", "{x}", "0", "{y}", "0", "{r}", "").Replace(tmpl))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("tile URL %q is not an http(s) URL template", tmpl)
	}
	host := u.Host
	if strings.Contains(tmpl, "{s}") {
		// Subdomains vary: allow the parent domain's subdomains.
		if i := strings.Index(host, "."); i >= 0 {
			host = "*" + host[i:]
		}
	}
	return u.Scheme + "://" + host, nil
}

func csp(tileOrigin string) string {
	img := "'self' data:"
	if tileOrigin != "" {
		img += " " + tileOrigin
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self' " + static.Load().ImportMapCSP(),
		"style-src 'self'",
		"img-src " + img,
		"connect-src 'self'",
		"font-src 'self'",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'self'",
	}, "; ")
}

func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogError: true, LogResponseSize: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			attrs := []slog.Attr{
				slog.String("method", v.Method), slog.String("uri", v.URI), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.Int64("bytes", v.ResponseSize),
			}
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			s.log.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	}))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.Error("panic", "uri", c.Request().RequestURI, "err", err, "stack", string(stack))
			return err
		},
	}))
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024, Skipper: func(c echo.Context) bool {
		return strings.HasPrefix(c.Request().URL.Path, "/static/") // compressed once, in package static
	}}))
	e.Use(s.securityHeaders)
	e.Use(s.language)
	e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOrigins:  []string{"*"},
		AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodOptions},
		ExposeHeaders: []string{"ETag", "Last-Modified", "Content-Disposition", "Link"},
		MaxAge:        86400,
	}))

	// Every resource answers HEAD as it answers GET (Go drops the body).
	// Middleware is given per route, not per group: a group's middleware
	// makes echo route every path of the group, so a method a resource
	// lacks would get 404 rather than 405 with Allow.
	timeout := middleware.ContextTimeout(s.cfg.RequestTimeout)
	read := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		e.Match([]string{http.MethodGet, http.MethodHead}, path, h, m...)
	}
	data := func(path string, h echo.HandlerFunc) { read(path, h, timeout, s.conditional) }
	data("/", s.handleLanding)
	data("/conformance", s.handleConformance)
	data("/openapi", s.handleOpenAPI)
	data("/collections", s.handleCollections)
	data("/collections/:collection", s.handleCollection)
	data("/collections/incidents/clusters", s.handleClusters)
	data("/collections/incidents/stats", s.handleStats)
	data("/collections/:collection/items", s.handleItems)
	data("/collections/:collection/items/:id", s.handleItem)
	data("/embed", s.handleEmbed)
	data("/map.png", s.handleMapPNG)
	// Downloads stream for as long as they make progress: no deadline on
	// the whole response, one on each write.
	read("/export/:file", s.handleExport, s.conditional)
	read("/oembed", s.handleOEmbed, timeout)
	read("/incidents/:id", s.handleIncidentRedirect, timeout)
	read("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	if s.cfg.Accounts != nil {
		s.accountRoutes(e, timeout)
		if s.cfg.Editor != nil {
			s.editRoutes(e, timeout)
		}
	}

	read("/static/*", s.handleStatic)
	return e
}

// accountRoutes are signing in and out and the account pages. Each knows
// who is asking, checks the CSRF token of every write, and takes a small
// body at most.
func (s *Server) accountRoutes(e *echo.Echo, timeout echo.MiddlewareFunc) {
	base := []echo.MiddlewareFunc{timeout, middleware.BodyLimit("64K"), auth.Identify(s.cfg.Accounts)}
	csrf := auth.CSRF(strings.HasPrefix(s.cfg.BaseURL, "https://"), s.origin)
	// Who first (a redirect to sign in, 401, 403), then the CSRF token (403).
	with := func(m ...echo.MiddlewareFunc) []echo.MiddlewareFunc {
		return append(append(base[:len(base):len(base)], m...), csrf)
	}
	page := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		e.Match([]string{http.MethodGet, http.MethodHead}, path, h, with(m...)...)
	}
	post := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		e.POST(path, h, with(m...)...)
	}
	anyone, admin := s.signedIn(geo.RoleContributor), s.signedIn(geo.RoleAdmin)
	page("/login", s.handleLoginPage)
	post("/login", s.handleLogin)
	post("/logout", s.handleLogout)
	page("/account", s.handleAccount, anyone)
	post("/account/tokens", s.handleCreateToken, anyone)
	post("/account/tokens/:id/revoke", s.handleRevokeToken, anyone)
	page("/accounts", s.handleAccounts, admin)
	post("/accounts", s.handleAccountChange("add"), admin)
	for _, action := range []string{"role", "disable", "enable", "password"} {
		post("/accounts/:name/"+action, s.handleAccountChange(action), admin)
	}
}

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		if embeddable(c.Request().URL.Path) {
			// Embeds may be framed by the sites allowed; nothing else may.
			h.Set("Content-Security-Policy", strings.Replace(s.csp, "frame-ancestors 'self'", "frame-ancestors "+s.frameAncestors(), 1))
		} else {
			h.Set("Content-Security-Policy", s.csp)
			h.Set("X-Frame-Options", "SAMEORIGIN")
		}
		return next(c)
	}
}

func (s *Server) now() time.Time { return s.cfg.Now() }

// ServeHTTP makes a Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Serve serves on l until ctx ends, then shuts down gracefully, giving
// requests in flight up to 10 s to finish.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute, // downloads push it on as they make progress
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.http.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// handleStatic serves an embedded file: by its hashed name for a year,
// immutable, by its plain name for five minutes; brotli or gzip compressed
// when the client takes it (compressed once per process, when first asked).
func (s *Server) handleStatic(c echo.Context) error {
	as, hashed := static.Load().Find(c.Param("*"))
	if as == nil {
		return geo.Errorf(geo.ENotFound, "no such file")
	}
	h := c.Response().Header()
	if hashed {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	etag := `"` + as.Hash + `"`
	h.Set("ETag", etag)
	h.Add("Vary", "Accept-Encoding")
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	body := as.Body
	gz, br := as.Compressed()
	switch ae := c.Request().Header.Get("Accept-Encoding"); {
	case br != nil && acceptsEncoding(ae, "br"):
		h.Set("Content-Encoding", "br")
		body = br
	case gz != nil && acceptsEncoding(ae, "gzip"):
		h.Set("Content-Encoding", "gzip")
		body = gz
	}
	return c.Blob(http.StatusOK, as.Type, body)
}

// acceptsEncoding reports whether an Accept-Encoding header takes coding
// (and does not refuse it with q=0).
func acceptsEncoding(header, coding string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
