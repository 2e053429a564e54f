package geo_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
)

// Cells a spreadsheet would run as formulas are neutralised on export and
// come back as they were on import; numbers are left alone.
func TestCSVNeutralisesFormulasAndRoundTrips(t *testing.T) {
	inc := validIncident()
	inc.ID = 4
	inc.Title = `=HYPERLINK("http://evil.example","click")`
	inc.Summary = "@SUM(A1:A9)"
	inc.Notes = "-2+3"
	inc.Actor2 = "+cmd|' /C calc'!A0"
	inc.Location = "\tTab"
	inc.Admin1 = "\rReturn"
	inc.Geometry = orb.Point{-3.5, -20.25} // negative numbers stay numbers
	rec := geo.CSVRecord(inc)
	cell := map[string]string{}
	for i, h := range geo.CSVHeader {
		cell[h] = rec[i]
	}
	tests := []struct{ column, want string }{
		{"title", `'=HYPERLINK("http://evil.example","click")`},
		{"notes", "'@SUM(A1:A9)"},
		{"coding_notes", "'-2+3"},
		{"actor2", "'+cmd|' /C calc'!A0"},
		{"location", "'\tTab"},
		{"admin1", "'\rReturn"},
		{"longitude", "-3.5"},
		{"latitude", "-20.25"},
	}
	for _, tt := range tests {
		if cell[tt.column] != tt.want {
			t.Errorf("%s: got %q, want %q", tt.column, cell[tt.column], tt.want)
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(geo.CSVHeader)
	w.Write(rec)
	w.Flush()
	incs, bad, err := geo.DecodeIncidentsCSV(&buf)
	if err != nil || len(bad) > 0 || len(incs) != 1 {
		t.Fatalf("re-import: got %v %v", bad, err)
	}
	got := incs[0]
	// Cells are trimmed on import, so the tab and return go; the rest is whole.
	if got.Title != inc.Title || got.Summary != inc.Summary || got.Notes != inc.Notes || got.Actor2 != inc.Actor2 ||
		got.Location != "Tab" || got.Admin1 != "Return" || got.Geometry != inc.Geometry {
		t.Errorf("re-import: got %+v", got)
	}
}

func TestCSVRefusesInvalidUTF8(t *testing.T) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(geo.CSVHeader)
	inc := validIncident()
	inc.ID = 1
	rec := geo.CSVRecord(inc)
	w.Write(rec)
	for i := range rec {
		rec[i] = strings.Replace(rec[i], "El Amria", "El \xffAmria", 1)
	}
	rec[slices.Index(geo.CSVHeader, "id")] = "2"
	w.Write(rec)
	w.Flush()
	incs, bad, err := geo.DecodeIncidentsCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 1 || len(bad) != 1 || bad[0].Index != 1 || !strings.Contains(bad[0].Err.Error(), "not valid UTF-8") {
		t.Errorf("got %d good and %v, want row 1 refused as invalid UTF-8", len(incs), bad)
	}
}

func TestParseEventDate(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2016-03-07", "2016-03-07"}, {"07 March 2016", "2016-03-07"}, {"7 March 2016", "2016-03-07"},
		{"07 Mar 2016", "2016-03-07"}, {" 2016-03-07 ", "2016-03-07"},
		{"31 February 2016", ""}, {"2016-02-30", ""}, {"March 7, 2016", ""}, {"07/03/2016", ""}, {"", ""},
	} {
		d, problem := geo.ParseEventDate(tt.in)
		if got := d.Format(geo.DateLayout); (tt.want == "" && problem == "") || (tt.want != "" && got != tt.want) {
			t.Errorf("ParseEventDate(%q) = %s, %q; want %q", tt.in, got, problem, tt.want)
		}
	}
}

func TestEventIDsGivenTwiceAreRefused(t *testing.T) {
	head := strings.Join(geo.ACLEDHeader, ",") + "\n"
	row := "TUN9001,2016-03-07,2016,1,Political violence,Battles,Armed clash,Military Forces of Tunisia,,State forces,,,,,,788,Northern Africa,Tunisia,Medenine,,,Ben Gardane,33.1383,11.2197,1,Reuters,International,,0,,1618350476\n"
	incs, bad, err := geo.DecodeIncidentsCSV(strings.NewReader(head + row + row))
	if err != nil || len(incs) != 1 || len(bad) != 1 || !strings.Contains(bad[0].Err.Error(), "event_id_cnty TUN9001 is also used by row 0") {
		t.Fatalf("got %d good, %v, %v; want the second row refused", len(incs), bad, err)
	}
	if incs[0].ExternalID != "TUN9001" || incs[0].ACLED["region"] != "Northern Africa" || incs[0].ACLED["timestamp"] != "1618350476" || incs[0].ACLED["inter1"] != "State forces" {
		t.Errorf("got external id %q and ACLED columns %v", incs[0].ExternalID, incs[0].ACLED)
	}
}
