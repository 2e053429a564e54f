package report_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/geo/report"
)

type goldEvent struct {
	EventType     string `json:"event_type"`
	SubEventType  string `json:"sub_event_type"`
	EventDate     string `json:"event_date"`
	TimePrecision int    `json:"time_precision"`
	Location      string `json:"location"`
	Country       string `json:"country"`
	GeoPrecision  int    `json:"geo_precision"`
	Actor1        string `json:"actor1"`
	Fatalities    *int   `json:"fatalities"`
	Injuries      *int   `json:"injuries"`
}

type goldReport struct {
	File      string      `json:"file"`
	Publisher string      `json:"publisher"`
	Published string      `json:"published"`
	Events    []goldEvent `json:"events"`
}

// evalFields are the fields scored, each as a draft and the gold give it.
var evalFields = []struct {
	name string
	get  func(inc geo.Incident, g goldEvent) (got, want string, produced bool)
}{
	{"event_type", func(inc geo.Incident, g goldEvent) (string, string, bool) { return inc.EventType, g.EventType, true }},
	{"sub_event_type", func(inc geo.Incident, g goldEvent) (string, string, bool) {
		return inc.SubEventType, g.SubEventType, true
	}},
	{"event_date", func(inc geo.Incident, g goldEvent) (string, string, bool) {
		return dateOf(inc), g.EventDate, !inc.EventDate.IsZero()
	}},
	{"time_precision", func(inc geo.Incident, g goldEvent) (string, string, bool) {
		return fmt.Sprint(inc.TimePrecision), fmt.Sprint(g.TimePrecision), inc.TimePrecision != 0
	}},
	{"location", func(inc geo.Incident, g goldEvent) (string, string, bool) {
		got := inc.Location
		if strings.HasPrefix(got, g.Location) {
			got = g.Location
		}
		return got + "/" + inc.Country, g.Location + "/" + g.Country, inc.Location != ""
	}},
	{"geo_precision", func(inc geo.Incident, g goldEvent) (string, string, bool) {
		return fmt.Sprint(inc.GeoPrecision), fmt.Sprint(g.GeoPrecision), inc.GeoPrecision != 0
	}},
	{"actor1", func(inc geo.Incident, g goldEvent) (string, string, bool) {
		return inc.Actor1, g.Actor1, inc.Actor1 != ""
	}},
	{"fatalities", func(inc geo.Incident, g goldEvent) (string, string, bool) {
		return countText(inc.Fatalities), countText(g.Fatalities), true // unknown is a value
	}},
	{"injuries", func(inc geo.Incident, g goldEvent) (string, string, bool) {
		return countText(inc.Injuries), countText(g.Injuries), true
	}},
}

func dateOf(inc geo.Incident) string {
	if inc.EventDate.IsZero() {
		return ""
	}
	return inc.EventDate.Format(geo.DateLayout)
}

func countText(n *int) string {
	if n == nil {
		return "unknown"
	}
	return fmt.Sprint(*n)
}

// The reader over every test report, against hand-coded events: precision
// (of the values it drafts, how many are right) and recall (of the gold
// values, how many it drafts right) per field, logged for the notes and
// held above a floor. Events pair by event type and place.
func TestReaderPrecisionRecall(t *testing.T) {
	b, err := os.ReadFile("testdata/reports/gold.json")
	if err != nil {
		t.Fatal(err)
	}
	var gold struct{ Reports []goldReport }
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	g := gaz(t)
	type score struct{ right, produced, wanted int }
	scores := map[string]*score{"event": {}}
	for _, f := range evalFields {
		scores[f.name] = &score{}
	}
	for _, gr := range gold.Reports {
		raw, err := os.ReadFile(filepath.Join("testdata/reports", gr.File))
		if err != nil {
			t.Fatal(err)
		}
		r, err := report.Read(raw, report.Meta{Publisher: gr.Publisher, Published: day(gr.Published)})
		if err != nil {
			t.Fatalf("%s: %v", gr.File, err)
		}
		drafts := r.Drafts(g)
		used := make([]bool, len(drafts))
		scores["event"].produced += len(drafts)
		scores["event"].wanted += len(gr.Events)
		for _, ge := range gr.Events {
			i := -1
			for j, d := range drafts {
				if !used[j] && d.Read.EventType == ge.EventType && strings.HasPrefix(d.Read.Location, ge.Location) {
					i = j
					break
				}
			}
			for _, f := range evalFields {
				scores[f.name].wanted++
			}
			if i < 0 {
				t.Errorf("%s: no draft for %s at %s on %s", gr.File, ge.SubEventType, ge.Location, ge.EventDate)
				continue
			}
			used[i] = true
			scores["event"].right++
			for _, f := range evalFields {
				got, want, produced := f.get(drafts[i].Read, ge)
				if produced {
					scores[f.name].produced++
				}
				if got == want {
					scores[f.name].right++
				} else {
					t.Logf("%s: %s: %s, want %s", gr.File, f.name, got, want)
				}
			}
		}
		for i, d := range drafts {
			if !used[i] {
				t.Errorf("%s: a draft the report does not support: %s", gr.File, d)
				for _, f := range evalFields {
					if _, _, produced := f.get(d.Read, goldEvent{}); produced {
						scores[f.name].produced++
					}
				}
			}
		}
	}
	var lines []string
	for _, name := range append([]string{"event"}, fieldNames()...) {
		s := scores[name]
		p, r := ratio(s.right, s.produced), ratio(s.right, s.wanted)
		lines = append(lines, fmt.Sprintf("%-15s precision %5.1f %% (%d/%d)  recall %5.1f %% (%d/%d)", name, 100*p, s.right, s.produced, 100*r, s.right, s.wanted))
		if p < 0.85 || r < 0.85 {
			t.Errorf("%s: precision %.2f, recall %.2f; want both at least 0.85", name, p, r)
		}
	}
	t.Log("\n" + strings.Join(lines, "\n"))
}

func fieldNames() []string {
	var out []string
	for _, f := range evalFields {
		out = append(out, f.name)
	}
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
