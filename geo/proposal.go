package geo

import (
	"encoding/json"
	"time"

	"github.com/paulmach/orb/geojson"
)

// Proposal statuses.
const (
	ProposalOpen     = "open"
	ProposalApproved = "approved"
	ProposalRejected = "rejected"
)

// Proposal is a contributor's new incident (IncidentID 0) or change to one,
// made against BaseVersion, waiting for an editor. The public never sees it.
type Proposal struct {
	ID          int64
	IncidentID  int64
	BaseVersion int64
	AuthorID    int64
	Author      string
	Summary     string
	Incident    Incident
	Status      string
	Reason      string // why it was rejected
	Reviewer    string
	CreatedAt   time.Time
	DecidedAt   time.Time
	// ReportID is the report it was drafted from (0: typed by a person),
	// with the evidence of each field in it.
	ReportID int64
	Evidence []Evidence
}

// FeatureJSON is inc as a GeoJSON Feature, as imports read it.
func FeatureJSON(inc Incident) ([]byte, error) {
	return json.Marshal(struct {
		Type       string             `json:"type"`
		ID         int64              `json:"id,omitempty"`
		Geometry   *geojson.Geometry  `json:"geometry"`
		Properties IncidentProperties `json:"properties"`
	}{"Feature", inc.ID, geojson.NewGeometry(RoundGeometry(inc.Geometry)), inc.Properties()})
}

// Evidence is where in a report one field of a drafted incident came
// from: bytes [Start, End) of the report's text, the sentence they are in,
// and how they were read.
type Evidence struct {
	Field string `json:"field"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Quote string `json:"quote"`
	Note  string `json:"note,omitempty"`
}

// Report is a news report read into draft incidents (proposals), kept so
// that a reviewer sees each field's evidence in it.
type Report struct {
	ID        int64
	Text      string
	Publisher string
	Title     string
	URL       string
	Published string // YYYY-MM-DD, or empty
	AuthorID  int64
	Author    string
	CreatedAt time.Time
}
