package report

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/geo/gazetteer"
	"github.com/paulmach/orb/geojson"
)

// Store is what reading a report into the review queue needs.
type Store interface {
	Near
	Layer(ctx context.Context, id string) (geo.Layer, error)
	LayerFeatures(ctx context.Context, id string, f geo.Filter) (geo.FeaturePage, error)
	ProposeReport(ctx context.Context, r *geo.Report, ps []geo.Proposal) error
}

// Result is what reading one report gave.
type Result struct {
	Report *Report
	Drafts []Draft
	// Stored is the report as kept, with the proposals made of its drafts
	// (none for a dry run).
	Stored    *geo.Report
	Proposals []geo.Proposal
	// Left are the drafts not proposed, each with its problems; Known, those
	// whose incident already has all the report says.
	Left  []Draft
	Known []Draft
}

// WithLayers gives g's layer features (crossings, the barrier, the
// border) their geometry as the store has it.
func WithLayers(ctx context.Context, st Store, g *gazetteer.Gazetteer) error {
	for _, id := range []string{"crossings", "barrier", "border"} {
		if _, err := st.Layer(ctx, id); err != nil {
			continue // a database without that layer: the curated position stays
		}
		page, err := st.LayerFeatures(ctx, id, geo.Filter{Limit: 1000})
		if err != nil {
			return fmt.Errorf("gazetteer layer %s: %w", id, err)
		}
		for _, f := range page.Features {
			name := f.Properties.MustString("name", "")
			if len(page.Features) == 1 {
				name = ""
			}
			g.SetLayerFeature(id, name, f.Geometry, geo.RepresentativePoint(f.Geometry))
		}
	}
	return nil
}

// Ingest reads raw as a report, drafts its events, matches them to the
// incidents st knows and, unless dryRun, stores the report with its drafts
// as proposals by author, in one transaction. Drafts with problems (no
// date, no place, no publisher) are left out and listed in Result.Left;
// when none is left to propose, the error says why. A dry run may pass a
// nil st: the drafts are then matched against nothing.
func Ingest(ctx context.Context, st Store, g *gazetteer.Gazetteer, raw []byte, meta Meta, author geo.User, dryRun bool) (Result, error) {
	r, err := Read(raw, meta)
	if err != nil {
		return Result{}, err
	}
	res := Result{Report: r, Drafts: r.Drafts(g)}
	if st == nil { // a dry run with no database: nothing to match
		return res, nil
	}
	if err := Match(ctx, st, res.Drafts); err != nil {
		return res, err
	}
	if dryRun {
		return res, nil
	}
	var ps []geo.Proposal
	for _, d := range res.Drafts {
		if d.Known {
			res.Known = append(res.Known, d)
			continue
		}
		if len(d.Problems) > 0 {
			res.Left = append(res.Left, d)
			continue
		}
		summary := "Drafted from a report: " + r.Meta.Title
		if d.Match != 0 {
			summary = "Reported again by " + r.Meta.Publisher + ": " + r.Meta.Title
		}
		ps = append(ps, geo.Proposal{IncidentID: d.Match, AuthorID: author.ID, Author: author.Name, Summary: summary, Incident: d.Incident, Evidence: d.Evidence})
	}
	if len(ps) == 0 {
		if len(res.Drafts) == 0 {
			return res, geo.Errorf(geo.EInvalid, "the report tells of no event Borderwatch can draft: nothing to propose")
		}
		if len(res.Known) == len(res.Drafts) {
			return res, geo.Errorf(geo.EConflict, "every event of the report is recorded already, with this report as a source: nothing to propose")
		}
		var why []string
		for _, d := range res.Left {
			why = append(why, d.Incident.Title+": "+strings.Join(d.Problems, "; "))
		}
		return res, geo.Errorf(geo.EInvalid, "no draft can be proposed: %s", strings.Join(why, " | "))
	}
	stored := &geo.Report{Text: r.Text, Publisher: r.Meta.Publisher, Title: r.Meta.Title, URL: r.Meta.URL, AuthorID: author.ID, Author: author.Name}
	if !r.Meta.Published.IsZero() {
		stored.Published = r.Meta.Published.Format(geo.DateLayout)
	}
	if err := st.ProposeReport(ctx, stored, ps); err != nil {
		return res, err
	}
	res.Stored, res.Proposals = stored, ps
	return res, nil
}

// draftFeature is a draft as GeoJSON: the incident's properties, plus the
// evidence of each field, its problems, and the incident it reports again.
type draftFeature struct {
	Type       string            `json:"type"`
	ID         int64             `json:"id,omitempty"` // the known incident it reports again
	Geometry   *geojson.Geometry `json:"geometry"`
	Properties draftProperties   `json:"properties"`
}

type draftProperties struct {
	geo.IncidentProperties
	Evidence []Evidence `json:"evidence"`
	Problems []string   `json:"problems,omitempty"`
	Match    int64      `json:"matches_incident,omitempty"`
	Known    bool       `json:"already_recorded,omitempty"`
}

// WriteGeoJSON writes drafts as a GeoJSON FeatureCollection: what
// `borderwatch ingest --dry-run` prints and POST /reports answers.
func WriteGeoJSON(w io.Writer, drafts []Draft) error {
	fc := struct {
		Type     string         `json:"type"`
		Features []draftFeature `json:"features"`
	}{Type: "FeatureCollection", Features: []draftFeature{}}
	for _, d := range drafts {
		f := draftFeature{Type: "Feature", ID: d.Match, Properties: draftProperties{IncidentProperties: d.Incident.Properties(), Evidence: d.Evidence, Problems: d.Problems, Match: d.Match, Known: d.Known}}
		if f.Properties.Evidence == nil {
			f.Properties.Evidence = []Evidence{}
		}
		if d.Incident.Geometry != nil {
			f.Geometry = geojson.NewGeometry(geo.RoundGeometry(d.Incident.Geometry))
		}
		fc.Features = append(fc.Features, f)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(fc)
}
