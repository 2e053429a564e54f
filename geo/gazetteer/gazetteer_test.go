package gazetteer_test

import (
	"slices"
	"testing"

	"github.com/borderwatch/borderwatch/data"
	"github.com/borderwatch/borderwatch/geo/gazetteer"
)

func load(t *testing.T) *gazetteer.Gazetteer {
	t.Helper()
	g, err := data.Gazetteer()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// Every spelling the region's press uses leads to one place.
func TestAlternateNames(t *testing.T) {
	g := load(t)
	for _, tt := range []struct{ name, want, country string }{
		{"Ben Guerdane", "Ben Guerdane", "TN"},
		{"Ben Gardane", "Ben Guerdane", "TN"},
		{"Bin Qirdan", "Ben Guerdane", "TN"},
		{"BEN-GARDANE", "Ben Guerdane", "TN"},
		{"Ras Jedir", "Ras Jedir", "TN"},
		{"Ras Ajdir", "Ras Jedir", "TN"},
		{"Sabratha", "Sabratha", "LY"},
		{"Sabratah", "Sabratha", "LY"},
		{"Şabrātah", "Sabratha", "LY"},
		{"صبراتة", "Sabratha", "LY"},
		{"El Amria", "El Amria", "TN"},
		{"El-Amria", "El Amria", "TN"},
		{"Al Amiriyah", "El Amria", "TN"},
		{"Médenine", "Medenine", "TN"},
		{"Medenine Governorate", "Medenine Governorate", "TN"},
		{"Gouvernorat de Médenine", "Medenine Governorate", "TN"},
		{"Tunisie", "Tunisia", "TN"},
		{"Libya", "Libya", "LY"},
	} {
		ps := g.Lookup(tt.name)
		if !slices.ContainsFunc(ps, func(p *gazetteer.Place) bool { return p.Name == tt.want && p.Country == tt.country }) {
			names := []string{}
			for _, p := range ps {
				names = append(names, p.Name+" ("+p.Country+")")
			}
			t.Errorf("Lookup(%q) = %v, want %s (%s)", tt.name, names, tt.want, tt.country)
		}
	}
	// Codes and short alternates are not names: an airport code in capitals
	// would otherwise turn "SFA" into Sfax.
	if ps := g.Lookup("SFA"); len(ps) > 0 {
		t.Errorf("Lookup(SFA) = %v, want nothing", ps[0].Name)
	}
}

// Find returns the longest name at each place in a text, capitalised names
// only, with their byte offsets.
func TestFind(t *testing.T) {
	g := load(t)
	text := "Clashes in the town of El Amria, 5 km from Ben Gardane, near the Ras Jedir border crossing; Tunisia’s army and sus-pected militants from Sabratha, Libya."
	var got []string
	for _, m := range g.Find(text) {
		if text[m.Start:m.End] != m.Text {
			t.Errorf("mention %q at [%d, %d) reads %q", m.Text, m.Start, m.End, text[m.Start:m.End])
		}
		got = append(got, m.Text+"="+m.Places[0].Name)
	}
	want := []string{"El Amria=El Amria", "Ben Gardane=Ben Guerdane", "Ras Jedir border crossing=Ras Jedir", "Tunisia=Tunisia", "Sabratha=Sabratha", "Libya=Libya"}
	if !slices.Equal(got, want) {
		t.Errorf("Find:\n got %v\nwant %v", got, want)
	}
}
