package geo

import (
	"time"

	"github.com/paulmach/orb"
)

// DateSpan is a number of incidents that may have happened on any day
// from First to Last.
type DateSpan struct {
	First, Last time.Time
	Count       int
}

// Stats summarises a selection for a filter panel and a timeline.
type Stats struct {
	NumberMatched int
	Bound         *orb.Bound // of the matches' marker points; nil when none (or pinned)
	ByEventType   map[string]int
	Spans         []DateSpan
}

// Bin is one bar of a histogram: Exact incidents known to have happened in
// it, and Spread, the share of less precise incidents that may have.
type Bin struct {
	Start, End time.Time // End is exclusive
	Exact      int
	Spread     float64
}

// Histogram bins spans by day, week or month, whichever keeps the bars
// between a few and a few hundred. Incidents known to the day count whole
// in their bin; the others are shared out over every day they may be on,
// so a week- or month-precision incident never looks like a known day.
func Histogram(spans []DateSpan) (unit string, bins []Bin) {
	if len(spans) == 0 {
		return "day", nil
	}
	lo, hi := spans[0].First, spans[0].Last
	for _, s := range spans[1:] {
		if s.First.Before(lo) {
			lo = s.First
		}
		if s.Last.After(hi) {
			hi = s.Last
		}
	}
	days := int(hi.Sub(lo).Hours()/24) + 1
	start := lo
	step := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	switch {
	case days <= 120:
		unit = "day"
	case days <= 3*365:
		unit = "week"
		start = lo.AddDate(0, 0, -int((lo.Weekday()+6)%7)) // Mondays
		step = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	default:
		unit = "month"
		start = time.Date(lo.Year(), lo.Month(), 1, 0, 0, 0, 0, time.UTC)
		step = func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	}
	for t := start; !t.After(hi); t = step(t) {
		bins = append(bins, Bin{Start: t, End: step(t)})
	}
	find := func(t time.Time) int {
		// Bins are sorted: binary search for the one holding t.
		lo, hi := 0, len(bins)-1
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if bins[mid].Start.After(t) {
				hi = mid - 1
			} else {
				lo = mid
			}
		}
		return lo
	}
	for _, s := range spans {
		if s.First.Equal(s.Last) {
			bins[find(s.First)].Exact += s.Count
			continue
		}
		n := s.Last.Sub(s.First).Hours()/24 + 1
		for d := s.First; !d.After(s.Last); d = d.AddDate(0, 0, 1) {
			bins[find(d)].Spread += float64(s.Count) / n
		}
	}
	return unit, bins
}
