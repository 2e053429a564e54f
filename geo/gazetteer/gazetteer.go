// Package gazetteer finds the places of Tunisia and Libya named in a text:
// GeoNames' populated places with their alternate names (English, French,
// transliterations, Arabic script), governorates and districts, the two
// countries, and the places of Borderwatch's own layers (crossings, the
// barrier). It is small enough to embed and fast enough to scan a report in
// a fraction of a millisecond.
package gazetteer

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Kinds of place.
const (
	KindPlace   = "place"   // a town or site
	KindAdmin   = "admin"   // a governorate or district
	KindCountry = "country" // a whole country, placed at its capital
)

// Place is one entry of the gazetteer.
type Place struct {
	ID      string
	Name    string // the name reports in English use
	Country string // ISO 3166-1 alpha-2
	// Kind is KindPlace, KindAdmin, KindCountry or "layer:ID" for a feature
	// of one of Borderwatch's context layers.
	Kind       string
	Point      orb.Point    // where it is, or a point on it
	Geometry   orb.Geometry // its own shape, for layer features; nil: Point
	Population int
	// Precision is the ACLED geo precision an event placed here has: 1 for
	// a town or site, 2 for a place known only near another, 3 for a region.
	Precision int
	Names     []string // Name first, then the alternates
	Source    string   // where a curated entry comes from
}

// Layer is the context layer ID of a layer feature, or "".
func (p *Place) Layer() string {
	id, _ := strings.CutPrefix(p.Kind, "layer:")
	if id == p.Kind {
		return ""
	}
	return id
}

// Gazetteer is a set of places indexed by their normalised names.
type Gazetteer struct {
	Places   []*Place
	index    map[string][]*Place
	maxWords int
}

// Load reads gazetteer files: tab-separated lines of id, name, country,
// kind, lon, lat, population, alternates separated by |, and optionally
// geo precision and source. Lines starting with # are comments.
func Load(files ...io.Reader) (*Gazetteer, error) {
	g := &Gazetteer{index: map[string][]*Place{}}
	for _, r := range files {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		n := 0
		for sc.Scan() {
			n++
			line := sc.Text()
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			p, err := parseLine(line)
			if err != nil {
				return nil, fmt.Errorf("gazetteer line %d: %w", n, err)
			}
			g.Add(p)
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("read gazetteer: %w", err)
		}
	}
	return g, nil
}

func parseLine(line string) (*Place, error) {
	c := strings.Split(line, "\t")
	if len(c) < 8 {
		return nil, fmt.Errorf("want at least 8 tab-separated columns, got %d", len(c))
	}
	lon, err1 := strconv.ParseFloat(c[4], 64)
	lat, err2 := strconv.ParseFloat(c[5], 64)
	pop, err3 := strconv.Atoi(c[6])
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, fmt.Errorf("bad lon, lat or population in %q", line)
	}
	p := &Place{ID: c[0], Name: c[1], Country: c[2], Kind: c[3], Point: orb.Point{lon, lat}, Population: pop, Names: []string{c[1]}}
	for _, a := range strings.Split(c[7], "|") {
		if usableName(a) {
			p.Names = append(p.Names, a)
		}
	}
	switch p.Kind {
	case KindAdmin, KindCountry:
		p.Precision = 3
	default:
		p.Precision = 1
	}
	if len(c) > 8 && c[8] != "" {
		if p.Precision, err1 = strconv.Atoi(c[8]); err1 != nil || p.Precision < 1 || p.Precision > 3 {
			return nil, fmt.Errorf("geo precision must be 1, 2 or 3, not %q", c[8])
		}
	}
	if len(c) > 9 {
		p.Source = c[9]
	}
	return p, nil
}

// usableName drops the alternates that would match ordinary words or
// codes: airport codes (QSO, SFA) and names under three letters.
func usableName(a string) bool {
	if utf8.RuneCountInString(a) < 3 {
		return false
	}
	if utf8.RuneCountInString(a) <= 4 && strings.ToUpper(a) == a && strings.IndexFunc(a, unicode.IsLetter) >= 0 && a[0] < utf8.RuneSelf {
		return false
	}
	return true
}

// Add puts p in the gazetteer under each of its names.
func (g *Gazetteer) Add(p *Place) {
	g.Places = append(g.Places, p)
	for _, n := range p.Names {
		key := Normalize(n)
		if key == "" {
			continue
		}
		if !containsPlace(g.index[key], p) {
			g.index[key] = append(g.index[key], p)
		}
		if w := len(strings.Fields(key)); w > g.maxWords {
			g.maxWords = w
		}
	}
}

func containsPlace(ps []*Place, p *Place) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// SetLayerFeature gives the layer features named name (any name, for a
// layer of one feature) their geometry from the database: a crossing's
// point, the barrier's line.
func (g *Gazetteer) SetLayerFeature(layer, name string, geom orb.Geometry, point orb.Point) {
	for _, p := range g.Places {
		if p.Layer() == layer && (name == "" || Normalize(p.Name) == Normalize(name)) {
			p.Geometry, p.Point = geom, point
		}
	}
}

// Lookup returns the places called name, in any of their spellings.
func (g *Gazetteer) Lookup(name string) []*Place {
	return g.index[Normalize(name)]
}

// Mention is a place name found in a text: bytes [Start, End) of it.
type Mention struct {
	Start, End int
	Text       string
	Places     []*Place // every place of that name
}

// Find returns the place names in text, longest first where they overlap,
// in order. Latin-script names must start with a capital letter, so that
// "sus" or "bardo" in lower case are not places; our layers' features
// also go by common nouns of two words or more ("land barrier").
func (g *Gazetteer) Find(text string) []Mention {
	words := tokens(text)
	var out []Mention
	for i := 0; i < len(words); {
		w := words[i]
		r, _ := utf8.DecodeRuneInString(text[w.start:])
		lower := r < 0x0600 && !unicode.IsUpper(r)
		found := 0
		for n := min(g.maxWords, len(words)-i); n >= 1 && found == 0; n-- {
			last := words[i+n-1]
			if n > 1 && strings.ContainsAny(text[w.start:last.end], ".,;:!?()\n") {
				continue
			}
			ps := g.index[Normalize(text[w.start:last.end])]
			if lower {
				// In lower case only our layers' common nouns ("land barrier").
				ps = layerPlaces(ps, n)
			}
			if len(ps) > 0 {
				out = append(out, Mention{Start: w.start, End: last.end, Text: text[w.start:last.end], Places: ps})
				found = n
			}
		}
		i += max(found, 1)
	}
	return out
}

func layerPlaces(ps []*Place, words int) []*Place {
	if words < 2 {
		return nil
	}
	var out []*Place
	for _, p := range ps {
		if p.Layer() != "" {
			out = append(out, p)
		}
	}
	return out
}

type span struct{ start, end int }

// tokens splits text into words: letters and digits, with inner hyphens
// and apostrophes (El-Amria, Za'faran) kept.
func tokens(text string) []span {
	var out []span
	start := -1
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
			(start >= 0 && (r == '-' || r == '\'' || r == '’' || r == '`' || r == '‘'))
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, trimWord(text, start, i))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, trimWord(text, start, len(text)))
	}
	return out
}

// trimWord drops a trailing hyphen or apostrophe (Tunisia's → Tunisia).
func trimWord(text string, start, end int) span {
	w := text[start:end]
	for _, suffix := range []string{"'s", "’s"} {
		if strings.HasSuffix(w, suffix) && len(w) > len(suffix) {
			end -= len(suffix)
			w = text[start:end]
		}
	}
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if r != '-' && r != '\'' && r != '’' && r != '`' && r != '‘' {
			break
		}
		end -= size
	}
	return span{start, end}
}

// Normalize is the form names are compared in: diacritics removed, lower
// case, hyphens as spaces, apostrophes dropped, one space between words.
func Normalize(s string) string {
	t := s
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf { // a transformer holds state: one per call
			if u, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s); err == nil {
				t = u
			}
			break
		}
	}
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(t) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '`' || r == '‘' || r == 'ʿ' || r == 'ʾ':
			// Za`faran, Sa‘id: the apostrophe is part of the word
		default:
			space = true
		}
	}
	return b.String()
}
