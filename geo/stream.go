package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
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
		for ; dec.More(); n++ {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return fail(err)
			}
			if err := pass(raw, n, &seen, "feature", fn); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return fail(err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Errorf(EInvalid, "not GeoJSON: more data after the object, at byte %d", dec.InputOffset())
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
