package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	fastjson "github.com/segmentio/encoding/json"
)

// ReadIncidents reads a GeoJSON FeatureCollection (or a single Feature) of
// incidents one feature at a time, so that memory stays flat whatever the
// file's size. It calls fn for every feature in order: with the incident
// when it is valid, with the reason (and a zero incident) when it is not.
// An error from fn stops the reading and is returned; so is an error in the
// file as a whole (not JSON, not UTF-8, not GeoJSON, no features), which
// may come after some features were passed on.
func ReadIncidents(r io.Reader, fn func(Incident, *FeatureError) error) error {
	ur := &utf8Reader{r: r}
	dec := json.NewDecoder(ur)
	var shift int64 // what dec's offsets lack (splitter.decoder)
	fail := func(err error) error {
		var ue utf8Error
		if errors.As(err, &ue) {
			return Errorf(EInvalid, "not UTF-8 at byte %d: GeoJSON must be UTF-8 (RFC 7946)", int64(ue))
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return Errorf(EInvalid, "not GeoJSON: the JSON ends early, at byte %d", ur.n)
		}
		var ge *Error
		if errors.As(err, &ge) {
			return err
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			se.Offset += shift
		}
		return Errorf(EInvalid, "not GeoJSON: %s", jsonReason(err))
	}
	if tok, err := dec.Token(); err != nil {
		return fail(err)
	} else if tok != json.Delim('{') {
		return Errorf(EInvalid, "expected a GeoJSON FeatureCollection or Feature, got %s", describeToken(tok))
	}
	members := map[string]json.RawMessage{}
	n, sawFeatures := 0, false
	var seen duplicates
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := tok.(string)
		if key != "features" {
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return fail(err)
			}
			members[key] = v
			if t, ok := members["type"]; ok && sawFeatures && string(t) != `"FeatureCollection"` {
				return Errorf(EInvalid, "expected a GeoJSON FeatureCollection or Feature, got type %s", t)
			}
			continue
		}
		if t, ok := members["type"]; ok && string(t) != `"FeatureCollection"` {
			return Errorf(EInvalid, "expected a GeoJSON FeatureCollection or Feature, got type %s with features", t)
		}
		sawFeatures = true
		if tok, err := dec.Token(); err != nil {
			return fail(err)
		} else if tok != json.Delim('[') {
			return Errorf(EInvalid, "not GeoJSON: features must be an array, got %s", describeToken(tok))
		}
		// The features are split from the stream here; at the first
		// doubt (anything but objects of valid JSON between commas), or
		// once the array ends, the Decoder goes on from there.
		done := false
		if splitFeatures {
			sp := &splitter{r: io.MultiReader(dec.Buffered(), ur), off: shift + dec.InputOffset()}
			var some bool
			var err error
			if done, some, err = sp.features(&n, func(raw []byte, i int) error { return pass(raw, i, &seen, "feature", fn) }); err != nil {
				return err
			}
			if dec, shift, err = sp.decoder(done, some); err != nil {
				return fail(err)
			}
		}
		for ; !done && dec.More(); n++ {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return fail(err)
			}
			if err := pass(raw, n, &seen, "feature", fn); err != nil {
				return err
			}
		}
		if !done {
			if _, err := dec.Token(); err != nil {
				return fail(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Errorf(EInvalid, "not GeoJSON: more data after the object, at byte %d", shift+dec.InputOffset())
	}
	var typ string
	json.Unmarshal(members["type"], &typ)
	switch {
	case typ == "FeatureCollection" && n == 0:
		return Errorf(EInvalid, "the FeatureCollection has no features")
	case typ == "FeatureCollection":
		return nil
	case typ == "Feature" && !sawFeatures:
		raw, _ := json.Marshal(members)
		return pass(raw, 0, &seen, "feature", fn)
	}
	return Errorf(EInvalid, "expected a GeoJSON FeatureCollection or Feature, got type %q", typ)
}

// splitFeatures is false only in a test that holds the splitter to the
// Decoder alone.
var splitFeatures = true

// splitter reads the elements of a features array from the stream, after
// its '[': as encoding/json's Decoder would, which scanned each feature
// twice, a byte at a time (reading 20 000 features: 189-234 ms against
// 335-371 ms). It splits only what is plainly objects of valid JSON separated
// by commas; anything else, and what follows it, is left to the Decoder,
// which then says what is wrong as it always did (decoder).
type splitter struct {
	r    io.Reader
	buf  []byte // read from r; buf[i:] is not split yet
	i    int
	off  int64 // the stream's offset of buf[0]
	mark int   // where the Decoder would go on: after the '[' or the last element
	err  error // r's, once it gave one
}

// maxSplitDepth is the deepest nesting the splitter follows; deeper, the
// Decoder decides (it refuses past 10 000 levels).
const maxSplitDepth = 100

// more reads more of the stream, keeping buf[mark:]; false when there is
// no more.
func (s *splitter) more() bool {
	if s.err != nil {
		return false
	}
	if s.mark > 0 {
		n := copy(s.buf, s.buf[s.mark:])
		s.off += int64(s.mark)
		s.buf, s.i, s.mark = s.buf[:n], s.i-s.mark, 0
	}
	if cap(s.buf)-len(s.buf) < 4096 {
		s.buf = append(s.buf, make([]byte, max(len(s.buf), 1<<16))...)[:len(s.buf)]
	}
	n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
	s.buf = s.buf[:len(s.buf)+n]
	if err != nil {
		s.err = err
	}
	return n > 0 || err == nil
}

// next skips white space and returns the next byte, unread; false at the
// end of the stream.
func (s *splitter) next() (byte, bool) {
	for {
		for ; s.i < len(s.buf); s.i++ {
			switch c := s.buf[s.i]; c {
			case ' ', '\t', '\n', '\r':
			default:
				return c, true
			}
		}
		if !s.more() {
			return 0, false
		}
	}
}

// object reads the object starting at buf[i] to its end, following strings
// and nesting only, and returns where it starts in buf; false when the
// stream ends first or it nests too deep.
func (s *splitter) object() (int, bool) {
	depth, quoted, j := 0, false, s.i
	for {
		for ; j < len(s.buf); j++ {
			c := s.buf[j]
			if quoted {
				switch c {
				case '\\':
					j++ // the escaped byte, perhaps in the next read
				case '"':
					quoted = false
				}
				continue
			}
			switch c {
			case '"':
				quoted = true
			case '{', '[':
				if depth++; depth > maxSplitDepth {
					return 0, false
				}
			case '}', ']':
				if depth--; depth == 0 {
					start := s.i
					s.i = j + 1
					return start, true
				}
			}
		}
		at := j - s.i // more moves buf
		if !s.more() {
			return 0, false
		}
		j = s.i + at
	}
}

// features splits the array's elements and calls each with one and its
// index, counting them in n. done reports that it read the array's ']',
// some that it read an element. Only each's error is returned.
func (s *splitter) features(n *int, each func(raw []byte, i int) error) (done, some bool, err error) {
	for ; ; some = true {
		s.mark = s.i
		c, ok := s.next()
		if !ok {
			return false, some, nil
		}
		if c == ']' {
			s.i++
			s.mark = s.i
			return true, some, nil
		}
		if some {
			if c != ',' {
				return false, some, nil
			}
			s.i++
			if c, ok = s.next(); !ok {
				return false, some, nil
			}
		}
		if c != '{' {
			return false, some, nil
		}
		start, ok := s.object()
		if !ok || !fastjson.Valid(s.buf[start:s.i]) {
			return false, some, nil
		}
		// A copy: the incident may keep parts of it, and buf is reused.
		if err := each(bytes.Clone(s.buf[start:s.i]), *n); err != nil {
			return false, some, err
		}
		*n++
	}
}

// decoder is a Decoder that goes on from the splitter's mark as the
// stream's Decoder would have: after the array's ']' when done, else inside
// it, after an element when some were read, and the offset to add to its
// own. It is given text that puts it in that state, then the rest.
func (s *splitter) decoder(done, after bool) (*json.Decoder, int64, error) {
	prefix := `{"features":[`
	switch {
	case done:
		prefix += `]`
	case after:
		prefix += `null` // an element that no byte after it can extend, as it could 0
	}
	dec := json.NewDecoder(io.MultiReader(strings.NewReader(prefix), bytes.NewReader(s.buf[s.mark:]), s.r))
	for range 3 {
		if _, err := dec.Token(); err != nil {
			return nil, 0, err
		}
	}
	if done || after {
		if _, err := dec.Token(); err != nil {
			return nil, 0, err
		}
	}
	return dec, s.off + int64(s.mark) - int64(len(prefix)), nil
}

// pass decodes the i-th feature and hands it, or why it is refused, to fn.
func pass(raw []byte, i int, seen *duplicates, what string, fn func(Incident, *FeatureError) error) error {
	inc, err := IncidentFromFeature(raw)
	if err == nil {
		err = seen.check(inc, i, what)
	}
	if err != nil {
		return fn(Incident{}, &FeatureError{Index: i, Err: err})
	}
	return fn(inc, nil)
}

func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return "an array"
		}
		return string(t)
	case string:
		return "a string"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

// utf8Error is the byte offset of the first byte that is not UTF-8.
type utf8Error int64

func (e utf8Error) Error() string { return fmt.Sprintf("not UTF-8 at byte %d", int64(e)) }

// utf8Reader passes r on, failing at the first byte that is not UTF-8 (a
// JSON decoder would quietly turn it into U+FFFD). A rune cut by a read
// is checked whole with the next one.
type utf8Reader struct {
	r       io.Reader
	n       int64 // bytes checked and passed on
	pending []byte
	err     error
}

func (u *utf8Reader) Read(p []byte) (int, error) {
	if u.err != nil && len(u.pending) == 0 {
		return 0, u.err
	}
	k := copy(p, u.pending)
	u.pending = u.pending[:0]
	m, err := u.r.Read(p[k:])
	m += k
	u.err = err
	// Keep back an incomplete rune at the end, unless the input ended.
	end := m
	for back := 1; back <= utf8.UTFMax-1 && back <= end; back++ {
		b := p[end-back]
		if b < 0x80 {
			break
		}
		if utf8.RuneStart(b) {
			if !utf8.FullRune(p[end-back : end]) {
				end -= back
			}
			break
		}
	}
	if err != nil && end < m {
		end = m // nothing more will come: check it as it is
	}
	for i := 0; i < end; {
		if p[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(p[i:end])
		if r == utf8.RuneError && size <= 1 {
			u.err, u.pending = utf8Error(u.n+int64(i)), nil
			if i == 0 {
				return 0, u.err
			}
			u.n += int64(i)
			return i, nil
		}
		i += size
	}
	u.pending = append(u.pending, p[end:m]...)
	u.n += int64(end)
	if end == 0 && err == nil {
		return 0, nil
	}
	if len(u.pending) > 0 {
		return end, nil
	}
	return end, err
}
