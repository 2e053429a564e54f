package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
)

func TestParseFilter(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(geo.DateLayout, s); return d }
	tests := []struct {
		query    string
		check    func(geo.Filter) bool
		badParam string
	}{
		{"bbox=10,32,12,34", func(f geo.Filter) bool { return f.BBox != nil && f.BBox.Min[0] == 10 && f.BBox.Max[1] == 34 }, ""},
		{"bbox=170,-20,-170,-10", func(f geo.Filter) bool { return f.BBox.Min[0] == 170 && f.BBox.Max[0] == -170 }, ""},
		{"bbox=10,34,12,32", nil, "bbox"},
		{"bbox=10,32,190,34", nil, "bbox"},
		{"bbox=a,b,c,d", nil, "bbox"},
		{"datetime=2016-03-02", func(f geo.Filter) bool { return f.From.Equal(day("2016-03-02")) && f.To.Equal(day("2016-03-02")) }, ""},
		{"datetime=2016-02-01/..", func(f geo.Filter) bool { return f.From.Equal(day("2016-02-01")) && f.To.IsZero() }, ""},
		{"datetime=../2016-02-01", func(f geo.Filter) bool { return f.From.IsZero() && f.To.Equal(day("2016-02-01")) }, ""},
		{"datetime=2016-02-01T00:00:00Z/2016-03-01T00:00:00Z", func(f geo.Filter) bool { return f.To.Equal(day("2016-03-01")) }, ""},
		{"datetime=2016-02-01T/2016-02-29T", func(f geo.Filter) bool { return f.From.Equal(day("2016-02-01")) && f.To.Equal(day("2016-02-29")) }, ""},
		{"datetime=2016-03-01/2016-02-01", nil, "datetime"},
		{"datetime=..", nil, "datetime"},
		{"limit=50000", func(f geo.Filter) bool { return f.Limit == geo.MaxLimit }, ""},
		{"limit=0", nil, "limit"},
		{"offset=-1", nil, "offset"},
		{"event_type=Battles,Riots", func(f geo.Filter) bool { return len(f.EventTypes) == 2 }, ""},
		{"event_type=battles", nil, "event_type"},
		{"f=xml", nil, "f"},
		{"sub_event_type=Armed+clash", func(f geo.Filter) bool { return f.SubEventTypes[0] == "Armed clash" }, ""},
		{"sub_event_type=Clash", nil, "sub_event_type"},
		{"country=tn,LY", func(f geo.Filter) bool { return f.Countries[0] == "TN" && f.Countries[1] == "LY" }, ""},
		{"country=Tunisia", nil, "country"},
		{"min_fatalities=1", func(f geo.Filter) bool { return *f.MinFatalities == 1 }, ""},
		{"min_fatalities=-1", nil, "min_fatalities"},
		{"near_barrier_km=10", func(f geo.Filter) bool { return *f.NearBarrierKm == 10 }, ""},
		{"near_barrier_km=NaN", nil, "near_barrier_km"},
		{"q=Sabratha&actor=Guard", func(f geo.Filter) bool { return f.Query == "Sabratha" && f.Actor == "Guard" }, ""},
		{"sort=date", nil, "sort"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			f, err := parseFilter(q, incidentScopes)
			if tt.badParam != "" {
				ps := geo.ErrorProblems(err)
				if geo.ErrorKind(err) != geo.EInvalid || len(ps) == 0 || ps[0].Field != tt.badParam {
					t.Fatalf("got %v, want a problem naming %s", err, tt.badParam)
				}
				if strings.TrimSpace(ps[0].Reason) == "" {
					t.Error("got a problem with no reason")
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v, want no error", err)
			}
			if !tt.check(f) {
				t.Errorf("got %+v", f)
			}
		})
	}
}

func TestTileOrigin(t *testing.T) {
	tests := []struct{ tmpl, want string }{
		{DefaultTiles, "https://tile.openstreetmap.org"},
		{"https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"},
		{"http://localhost:9000/tiles/{z}/{x}/{y}.png", "http://localhost:9000"},
	}
	for _, tt := range tests {
		if got, err := tileOrigin(tt.tmpl); err != nil || got != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.tmpl, got, err, tt.want)
		}
	}
	for _, bad := range []string{"https://tiles.example.org/", "javascript:alert(1)/{z}/{x}/{y}", "/{z}/{x}/{y}.png"} {
		if _, err := tileOrigin(bad); err == nil {
			t.Errorf("%s: got no error", bad)
		}
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct{ query, accept, want string }{
		{"", "", "json"},
		{"", "*/*", "json"}, // OWSLib, curl
		{"", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"}, // browsers
		{"", "application/json", "json"},
		{"", "application/geo+json, text/html;q=0.5", "json"},
		{"", "text/html;q=0.9, application/json;q=0.8", "html"},
		{"", "application/json, text/html", "json"}, // a tie: the first named wins
		{"", "text/html, application/json", "html"},
		{"", "text/html;q=0", "json"},
		{"", "text/html;q=nonsense", "html"},
		{"f=json", "text/html", "json"},
		{"f=html", "application/json", "html"},
		{"f=geojson", "", "json"},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(http.MethodGet, "/?"+tt.query, nil)
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		if got := negotiate(r); got != tt.want {
			t.Errorf("?%s with Accept %q: got %s, want %s", tt.query, tt.accept, got, tt.want)
		}
	}
}
