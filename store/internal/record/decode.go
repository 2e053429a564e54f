package record

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/borderwatch/borderwatch/geo"
)

// An incident's sources and tags are read on every row of every page and
// export. They are kept as json.Marshal wrote them (PostgreSQL's jsonb
// adds spaces), so the usual column is read here without reflection; any
// other text (an escape, an unknown key, a null) goes to json.Unmarshal,
// which decides. Both give the same values (FuzzDecodeColumns).

// decodeColumn reads a JSON column into v, which is empty (nil) before:
// the empty values most rows hold need no decoding. (Sources read as
// "[]" are an empty list, not nil, as json.Unmarshal gives them.)
func decodeColumn(s string, v any) error {
	switch v := v.(type) {
	case *[]geo.Source:
		if out, ok := decodeSources(s); ok {
			*v = out
			return nil
		}
	case *[]string:
		p := jsonText{s: s}
		if out, ok := p.strings(); ok && p.end() {
			*v = out
			return nil
		}
	}
	switch s {
	case "[]", "{}", "null":
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

func decodeSources(s string) ([]geo.Source, bool) {
	p := jsonText{s: s}
	if !p.byte('[') {
		return nil, false
	}
	out := []geo.Source{}
	if p.byte(']') {
		return out, p.end()
	}
	for {
		var src geo.Source
		if !p.byte('{') {
			return nil, false
		}
		for first := true; !p.byte('}'); first = false {
			if !first && !p.byte(',') {
				return nil, false
			}
			key, ok := p.string()
			if !ok || !p.byte(':') {
				return nil, false
			}
			switch key {
			case "publisher":
				src.Publisher, ok = p.string()
			case "title":
				src.Title, ok = p.string()
			case "url":
				src.URL, ok = p.string()
			case "published":
				src.Published, ok = p.string()
			case "note":
				src.Note, ok = p.string()
			case "supports":
				src.Supports, ok = p.strings()
			default:
				return nil, false
			}
			if !ok {
				return nil, false
			}
		}
		out = append(out, src)
		if p.byte(']') {
			return out, p.end()
		}
		if !p.byte(',') {
			return nil, false
		}
	}
}

// jsonText reads the plainest JSON: arrays, objects and strings without
// escapes.
type jsonText struct {
	s string
	i int
}

func (p *jsonText) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\n' || p.s[p.i] == '\t' || p.s[p.i] == '\r') {
		p.i++
	}
}

// byte reads c, after any space.
func (p *jsonText) byte(c byte) bool {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *jsonText) end() bool { p.space(); return p.i == len(p.s) }

// string reads a string with no escape and no control character, in
// valid UTF-8.
func (p *jsonText) string() (string, bool) {
	if !p.byte('"') {
		return "", false
	}
	start := p.i
	for ; p.i < len(p.s); p.i++ {
		switch c := p.s[p.i]; {
		case c == '"':
			v := p.s[start:p.i]
			p.i++
			return v, utf8.ValidString(v)
		case c == '\\' || c < 0x20:
			return "", false
		}
	}
	return "", false
}

// strings reads an array of strings.
func (p *jsonText) strings() ([]string, bool) {
	if !p.byte('[') {
		return nil, false
	}
	out := []string{}
	if p.byte(']') {
		return out, true
	}
	for {
		v, ok := p.string()
		if !ok {
			return nil, false
		}
		out = append(out, v)
		if p.byte(']') {
			return out, true
		}
		if !p.byte(',') {
			return nil, false
		}
	}
}
