package geo

import (
	"time"

	"github.com/paulmach/orb"
)

// MaxLimit is the most incidents one query returns.
const MaxLimit = 10000

// Filter selects incidents. Zero values select everything.
type Filter struct {
	BBox           *orb.Bound // incidents whose geometry's box meets this box
	From, To       time.Time  // event date range, inclusive; zero: open
	EventTypes     []string   // any of these; empty: all
	SubEventTypes  []string   // any of these; empty: all
	Actor          string     // text in any actor field, case-insensitive
	Countries      []string   // ISO 3166-1 alpha-2 codes; empty: all
	Query          string     // text in title, summary, actors or place, case-insensitive
	MinFatalities  *int       // at least this many known fatalities
	NearBarrierKm  *float64   // within this many km of the barrier
	NearBorderKm   *float64   // within this many km of the border
	NearCrossingKm *float64   // within this many km of a border crossing
	AsOf           time.Time  // the incidents as they stood then; zero: now
	Newest         bool       // newest first; oldest first by default
	MarkerInBox    bool       // BBox selects by the marker point, not the geometry's box
	Limit          int        // 0: MaxLimit
	Offset         int
}

// Normalize clamps Limit into [1, MaxLimit] and Offset to >= 0.
func (f Filter) Normalize() Filter {
	if f.Limit <= 0 || f.Limit > MaxLimit {
		f.Limit = MaxLimit
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	return f
}

// Page is one page of incidents and how many match in all.
type Page struct {
	Incidents     []Incident
	NumberMatched int
}

// Extent is where and when a set of incidents lies.
type Extent struct {
	Count       int
	Bound       orb.Bound
	First, Last time.Time
}
