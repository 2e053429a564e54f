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
