package web

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

// filterParams are the query parameters that select items.
var filterParams = map[string]bool{"bbox": true, "datetime": true, "limit": true, "offset": true, "event_type": true, "f": true}

// parseFilter reads a geo.Filter from query parameters, refusing unknown
// parameters and bad values with a problem that names them.
func parseFilter(q url.Values) (geo.Filter, error) {
	var f geo.Filter
	var bad []geo.Problem
	add := func(param, reason string) { bad = append(bad, geo.Problem{Field: param, Reason: reason}) }
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !filterParams[k] {
			add(k, "unknown parameter; known: bbox, datetime, event_type, f, limit, offset")
		}
	}
	if v := q.Get("bbox"); v != "" {
		b, err := parseBBox(v)
		if err != "" {
			add("bbox", err)
		} else {
			f.BBox = &b
		}
	}
	if v := q.Get("datetime"); v != "" {
		from, to, err := parseDatetime(v)
		if err != "" {
			add("datetime", err)
		}
		f.From, f.To = from, to
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			add("limit", "must be a whole number of at least 1, got "+strconv.Quote(v))
		}
		f.Limit = min(n, geo.MaxLimit) // large limits are clamped, not refused
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			add("offset", "must be a whole number of at least 0, got "+strconv.Quote(v))
		}
		f.Offset = n
	}
	for _, v := range q["event_type"] {
		for _, t := range strings.Split(v, ",") {
			if _, ok := geo.LookupEventType(t); !ok {
				add("event_type", "unknown event type "+strconv.Quote(t)+"; known: "+strings.Join(geo.EventTypeNames(), ", "))
				continue
			}
			f.EventTypes = append(f.EventTypes, t)
		}
	}
	if v := q.Get("f"); v != "" && v != "json" && v != "geojson" {
		add("f", "must be json or geojson, got "+strconv.Quote(v))
	}
	if len(bad) > 0 {
		return f, &geo.Error{Kind: geo.EInvalid, Message: "invalid query parameters", Problems: bad}
	}
	return f, nil
}

// parseBBox reads "minLon,minLat,maxLon,maxLat"; minLon > maxLon means the
// box crosses the antimeridian.
func parseBBox(v string) (orb.Bound, string) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return orb.Bound{}, "must be 4 comma-separated numbers: minLon,minLat,maxLon,maxLat"
	}
	var n [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return orb.Bound{}, "must be 4 comma-separated numbers, got " + strconv.Quote(p)
		}
		n[i] = x
	}
	switch {
	case n[0] < -180 || n[0] > 180 || n[2] < -180 || n[2] > 180:
		return orb.Bound{}, "longitudes must be within [-180, 180]"
	case n[1] < -90 || n[1] > 90 || n[3] < -90 || n[3] > 90:
		return orb.Bound{}, "latitudes must be within [-90, 90]"
	case n[1] > n[3]:
		return orb.Bound{}, "minLat must not be greater than maxLat"
	}
	return orb.Bound{Min: orb.Point{n[0], n[1]}, Max: orb.Point{n[2], n[3]}}, ""
}

// parseDatetime reads an instant or an interval (RFC 3339 or dates; ".."
// or empty for an open end) into an inclusive date range.
func parseDatetime(v string) (from, to time.Time, problem string) {
	parse := func(s string) (time.Time, bool) {
		if s == "" || s == ".." {
			return time.Time{}, true
		}
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC(), true
		}
		if t, err := time.Parse(geo.DateLayout, s); err == nil {
			return t, true
		}
		return time.Time{}, false
	}
	a, b, interval := strings.Cut(v, "/")
	from, ok1 := parse(a)
	if !interval {
		if !ok1 || a == ".." {
			return from, to, "must be a date, an RFC 3339 time or an interval start/end, got " + strconv.Quote(v)
		}
		return from, from, ""
	}
	to, ok2 := parse(b)
	if !ok1 || !ok2 {
		return from, to, "must be an interval of dates or RFC 3339 times, with .. for an open end, got " + strconv.Quote(v)
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return from, to, "the interval ends before it starts"
	}
	return from, to, ""
}
