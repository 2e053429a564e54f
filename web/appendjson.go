package web

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

// Incidents are written by hand rather than through encoding/json's
// reflection: an export of a million writes each field a million times.
// The bytes are exactly json.Marshal's (TestAppendIncidentIsMarshal), so
// pages, exports and the ETags made from them do not change.

// appendJSON appends f as json.Marshal(f) writes it.
func (f incidentJSON) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"type":`...)
	b = appendJSONString(b, f.Type)
	var err error
	switch id := f.ID.(type) {
	case nil:
	case int64:
		b = strconv.AppendInt(append(b, `,"id":`...), id, 10)
	default:
		if b, err = appendMarshal(append(b, `,"id":`...), id); err != nil {
			return b, err
		}
	}
	b = append(b, `,"geometry":`...)
	if p, ok := f.Geometry.Coordinates.(orb.Point); ok && f.Geometry.Type == "Point" && len(f.Geometry.Geometries) == 0 {
		b = appendPair(append(b, `{"type":"Point","coordinates":`...), p)
		b = append(b, '}')
	} else if b, err = appendMarshal(b, f.Geometry); err != nil {
		return b, err
	}
	b = append(b, `,"properties":`...)
	switch p := f.Properties.(type) {
	case geo.IncidentProperties:
		b = appendProperties(b, p)
	case markerProps:
		b = p.appendJSON(b)
	default:
		if b, err = appendMarshal(b, p); err != nil {
			return b, err
		}
	}
	if f.Marker != nil {
		b = appendPair(append(b, `,"marker":`...), *f.Marker)
	}
	if l := f.Labels; l != nil {
		b = appendJSONString(append(b, `,"labels":{"date":`...), l.Date)
		b = appendJSONString(append(b, `,"time_precision":`...), l.TimePrecision)
		b = appendJSONString(append(b, `,"geo_precision":`...), l.GeoPrecision)
		b = appendJSONString(append(b, `,"place":`...), l.Place)
		b = append(b, '}')
	}
	if len(f.Links) > 0 {
		if b, err = appendMarshal(append(b, `,"links":`...), f.Links); err != nil {
			return b, err
		}
	}
	if f.AsOf != "" {
		b = appendJSONString(append(b, `,"asOf":`...), f.AsOf)
	}
	return append(b, '}'), nil
}

func appendProperties(b []byte, p geo.IncidentProperties) []byte {
	b = append(b, '{')
	if p.EventIDCnty != "" {
		b = appendJSONString(append(b, `"event_id_cnty":`...), p.EventIDCnty)
		b = append(b, ',')
	}
	if len(p.ACLED) > 0 {
		b = append(b, `"acled":{`...)
		keys := make([]string, 0, len(p.ACLED))
		for k := range p.ACLED {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(append(appendJSONString(b, k), ':'), p.ACLED[k])
		}
		b = append(b, `},`...)
	}
	b = appendJSONString(append(b, `"title":`...), p.Title)
	b = appendJSONString(append(b, `,"summary":`...), p.Summary)
	b = appendJSONString(append(b, `,"event_date":`...), p.EventDate)
	b = strconv.AppendInt(append(b, `,"time_precision":`...), int64(p.TimePrecision), 10)
	b = appendJSONString(append(b, `,"disorder_type":`...), p.DisorderType)
	b = appendJSONString(append(b, `,"event_type":`...), p.EventType)
	b = appendJSONString(append(b, `,"sub_event_type":`...), p.SubEventType)
	b = appendJSONString(append(b, `,"actor1":`...), p.Actor1)
	b = appendJSONString(append(b, `,"assoc_actor_1":`...), p.AssocActor1)
	b = appendJSONString(append(b, `,"actor2":`...), p.Actor2)
	b = appendJSONString(append(b, `,"assoc_actor_2":`...), p.AssocActor2)
	b = appendIntPtr(append(b, `,"fatalities":`...), p.Fatalities)
	b = appendIntPtr(append(b, `,"injuries":`...), p.Injuries)
	b = appendJSONString(append(b, `,"location":`...), p.Location)
	b = appendJSONString(append(b, `,"admin1":`...), p.Admin1)
	b = appendJSONString(append(b, `,"country":`...), p.Country)
	b = strconv.AppendInt(append(b, `,"geo_precision":`...), int64(p.GeoPrecision), 10)
	b = appendSources(append(b, `,"sources":`...), p.Sources)
	b = appendDisagreements(append(b, `,"disagreements":`...), p.Disagreements)
	b = appendArray(append(b, `,"tags":`...), p.Tags, appendJSONString)
	b = appendJSONString(append(b, `,"notes":`...), p.Notes)
	b = appendDistances(b, p.BorderKm, p.BarrierKm, p.CrossingKm)
	if p.CreatedAt != "" {
		b = appendJSONString(append(b, `,"created_at":`...), p.CreatedAt)
	}
	if p.UpdatedAt != "" {
		b = appendJSONString(append(b, `,"updated_at":`...), p.UpdatedAt)
	}
	return append(b, '}')
}

func (p markerProps) appendJSON(b []byte) []byte {
	b = appendJSONString(append(b, `{"title":`...), p.Title)
	b = appendJSONString(append(b, `,"event_date":`...), p.EventDate)
	b = strconv.AppendInt(append(b, `,"time_precision":`...), int64(p.TimePrecision), 10)
	b = appendJSONString(append(b, `,"event_type":`...), p.EventType)
	b = appendJSONString(append(b, `,"sub_event_type":`...), p.SubEventType)
	b = appendJSONString(append(b, `,"actor1":`...), p.Actor1)
	if p.AssocActor1 != "" {
		b = appendJSONString(append(b, `,"assoc_actor_1":`...), p.AssocActor1)
	}
	if p.Actor2 != "" {
		b = appendJSONString(append(b, `,"actor2":`...), p.Actor2)
	}
	if p.AssocActor2 != "" {
		b = appendJSONString(append(b, `,"assoc_actor_2":`...), p.AssocActor2)
	}
	b = appendIntPtr(append(b, `,"fatalities":`...), p.Fatalities)
	b = appendIntPtr(append(b, `,"injuries":`...), p.Injuries)
	b = strconv.AppendInt(append(b, `,"geo_precision":`...), int64(p.GeoPrecision), 10)
	b = appendSources(append(b, `,"sources":`...), p.Sources)
	if len(p.Disagreements) > 0 {
		b = appendDisagreements(append(b, `,"disagreements":`...), p.Disagreements)
	}
	b = appendDistances(b, p.BorderKm, p.BarrierKm, p.CrossingKm)
	return append(b, '}')
}

// appendArray appends items as a JSON array, each by each; nil is null.
func appendArray[T any](b []byte, items []T, each func([]byte, T) []byte) []byte {
	if items == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, item := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(b, item)
	}
	return append(b, ']')
}

func appendSources(b []byte, sources []geo.Source) []byte {
	return appendArray(b, sources, func(b []byte, s geo.Source) []byte {
		b = appendJSONString(append(b, `{"publisher":`...), s.Publisher)
		for _, f := range [...]struct{ name, value string }{
			{`,"title":`, s.Title}, {`,"url":`, s.URL}, {`,"published":`, s.Published}, {`,"note":`, s.Note}} {
			if f.value != "" {
				b = appendJSONString(append(b, f.name...), f.value)
			}
		}
		if len(s.Supports) > 0 {
			b = appendArray(append(b, `,"supports":`...), s.Supports, appendJSONString)
		}
		return append(b, '}')
	})
}

func appendDisagreements(b []byte, ds []geo.Disagreement) []byte {
	return appendArray(b, ds, func(b []byte, d geo.Disagreement) []byte {
		b = appendJSONString(append(b, `{"field":`...), d.Field)
		b = appendJSONString(append(b, `,"note":`...), d.Note)
		return append(b, '}')
	})
}

// appendDistances appends the distances that are known, as omitempty
// pointers are written.
func appendDistances(b []byte, border, barrier, crossing *float64) []byte {
	for _, d := range [...]struct {
		name string
		km   *float64
	}{{`,"border_km":`, border}, {`,"barrier_km":`, barrier}, {`,"crossing_km":`, crossing}} {
		if d.km != nil {
			b = appendJSONFloat(append(b, d.name...), *d.km)
		}
	}
	return b
}

func appendIntPtr(b []byte, n *int) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(*n), 10)
}

func appendPair(b []byte, p [2]float64) []byte {
	b = appendJSONFloat(append(b, '['), p[0])
	b = appendJSONFloat(append(b, ','), p[1])
	return append(b, ']')
}

// appendMarshal appends what json.Marshal writes of v.
func appendMarshal(b []byte, v any) ([]byte, error) {
	m, err := json.Marshal(v)
	return append(b, m...), err
}

// appendJSONFloat writes f as encoding/json does: ES6 number formatting.
// Infinities and NaN have no JSON form; they are written as null (no
// stored incident has one: coordinates and distances are checked).
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return append(b, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 → e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as encoding/json does by default: quoted,
// with <, > and & escaped for HTML, invalid UTF-8 as U+FFFD, and U+2028
// and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}
