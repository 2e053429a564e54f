package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Asset is one embedded file with its content hash and, from its first
// request on, its bodies compressed at the best levels.
type Asset struct {
	Path   string // as served, under /static/: "js/map.js"
	Hashed string // with the hash in its name: "js/map.3f2a1c9e0b.js"
	Type   string
	Hash   string
	Body   []byte

	once         sync.Once
	gzip, brotli []byte // nil when compressing does not pay
}

// Compressed returns the body compressed as gzip and as brotli (nil for a
// type that does not compress), compressing it on the first call.
func (as *Asset) Compressed() (gz, br []byte) {
	as.once.Do(func() {
		if compressible(as.Type) {
			as.gzip, as.brotli = compress(as.Body)
		}
	})
	return as.gzip, as.brotli
}

// Assets are the embedded files by path and by hashed name.
type Assets struct {
	byPath, byHashed map[string]*Asset
	importMap        string
}

// Load reads and hashes every embedded file once per process.
var Load = sync.OnceValue(func() *Assets {
	a := &Assets{byPath: map[string]*Asset{}, byHashed: map[string]*Asset{}}
	imports := map[string]string{}
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(FS, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(p)
		as := &Asset{Path: p, Hash: hex.EncodeToString(sum[:5]), Body: body, Type: mime.TypeByExtension(ext)}
		as.Hashed = strings.TrimSuffix(p, ext) + "." + as.Hash + ext
		a.byPath[p], a.byHashed[as.Hashed] = as, as
		if ext == ".js" {
			imports["/static/"+p] = "/static/" + as.Hashed
		}
		return nil
	})
	if err != nil {
		panic("static: " + err.Error()) // the files are embedded: cannot happen
	}
	m, _ := json.Marshal(map[string]any{"imports": imports})
	a.importMap = string(m)
	return a
})

func compressible(mediaType string) bool {
	return strings.HasPrefix(mediaType, "text/") || strings.Contains(mediaType, "javascript") ||
		strings.Contains(mediaType, "json") || strings.Contains(mediaType, "svg")
}

func compress(body []byte) (gz, br []byte) {
	var g, b bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&g, gzip.BestCompression)
	gw.Write(body)
	gw.Close()
	bw := brotli.NewWriterLevel(&b, brotli.BestCompression)
	bw.Write(body)
	bw.Close()
	return g.Bytes(), b.Bytes()
}

// Find returns the asset at p (under /static/) and whether p named it by
// its current hash, so that it may be cached for good.
func (a *Assets) Find(p string) (as *Asset, hashed bool) {
	if as := a.byHashed[p]; as != nil {
		return as, true
	}
	return a.byPath[p], false
}

// URL is the address of the file at p (under /static/) by its hashed
// name; a path that names no file is returned as it is.
func (a *Assets) URL(p string) string {
	if as := a.byPath[strings.TrimPrefix(p, "/static/")]; as != nil {
		return "/static/" + as.Hashed
	}
	return p
}

// ImportMap maps each ES module's plain address to its hashed one, so that
// modules import one another by their plain relative names and still get
// the hashed files: the body of the page's <script type="importmap">.
func (a *Assets) ImportMap() string { return a.importMap }

// ImportMapCSP is the import map's hash as a Content-Security-Policy
// source: the one inline script the pages carry.
func (a *Assets) ImportMapCSP() string {
	sum := sha256.Sum256([]byte(a.importMap))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
