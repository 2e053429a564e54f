package web

import (
	"net/http"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/views"
	"github.com/labstack/echo/v4"
)

type obj = map[string]any

// paramDocs documents every query parameter; parseFilter accepts exactly
// these (a test checks the two agree).
func paramDocs() []views.Param {
	return []views.Param{
		{Name: "bbox", Doc: "Only features whose box meets this one: minLon,minLat,maxLon,maxLat in WGS 84 (CRS84). A box with minLon > maxLon crosses the antimeridian.",
			Schema: obj{"type": "array", "minItems": 4, "maxItems": 4, "items": obj{"type": "number"}}, Style: "form", Explode: false},
		{Name: "datetime", Doc: "A date or RFC 3339 time, or an interval start/end with .. for an open end. An incident of week or month precision matches any day it may have happened on.",
			Schema: obj{"type": "string"}},
		{Name: "limit", Doc: "How many features a page holds. Larger values are clamped to 10000.",
			Schema: obj{"type": "integer", "minimum": 1, "maximum": geo.MaxLimit, "default": defaultLimit}},
		{Name: "offset", Doc: "How many matching features to skip.", Schema: obj{"type": "integer", "minimum": 0, "default": 0}},
		{Name: "f", Doc: "The format: json (GeoJSON for features) or html.", Schema: obj{"type": "string", "enum": formats}},
		{Name: "event_type", Doc: "Incidents: any of these ACLED event types, comma-separated.", Incidents: true,
			Schema: obj{"type": "array", "items": obj{"type": "string", "enum": geo.EventTypeNames()}}, Style: "form", Explode: false},
		{Name: "sub_event_type", Doc: "Incidents: any of these ACLED sub-event types, comma-separated.", Incidents: true,
			Schema: obj{"type": "array", "items": obj{"type": "string", "enum": geo.SubEventTypeNames()}}, Style: "form", Explode: false},
		{Name: "actor", Doc: "Incidents: this text in any actor field, ignoring case.", Incidents: true, Schema: obj{"type": "string"}},
		{Name: "country", Doc: "Incidents: any of these ISO 3166-1 alpha-2 codes, comma-separated.", Incidents: true,
			Schema: obj{"type": "array", "items": obj{"type": "string", "pattern": "^[A-Za-z]{2}$"}}, Style: "form", Explode: false},
		{Name: "q", Doc: "Incidents: this text in the title, summary, actors or place, ignoring case.", Incidents: true, Schema: obj{"type": "string"}},
		{Name: "min_fatalities", Doc: "Incidents: at least this many reported fatalities (unknown counts never match).", Incidents: true,
			Schema: obj{"type": "integer", "minimum": 0}},
		{Name: "near_barrier_km", Doc: "Incidents: within this many km of the border barrier.", Incidents: true,
			Schema: obj{"type": "number", "minimum": 0}},
		{Name: "sortby", Doc: "Incidents: event_date (oldest first, the default) or -event_date (newest first).", Incidents: true,
			Schema: obj{"type": "string", "enum": []string{"event_date", "-event_date"}}},
		{Name: "as_of", Doc: "Incidents as they stood at this RFC 3339 time, before any later edit or deletion: a frozen view.", Incidents: true,
			Schema: obj{"type": "string", "format": "date-time"}},
	}
}

func (s *Server) openAPI(c echo.Context) (obj, error) {
	layers, err := s.cfg.Store.Layers(c.Request().Context())
	if err != nil {
		return nil, err
	}
	ids := []string{geo.IncidentsCollection}
	for _, l := range layers {
		ids = append(ids, l.ID)
	}
	params := obj{
		"collectionId": obj{"name": "collectionId", "in": "path", "required": true, "description": "A collection's id.",
			"schema": obj{"type": "string", "enum": ids}},
		"featureId": obj{"name": "featureId", "in": "path", "required": true, "description": "A feature's id.",
			"schema": obj{"type": "integer", "minimum": 1}},
		"file": obj{"name": "file", "in": "path", "required": true, "description": "COLLECTION.geojson or COLLECTION.csv",
			"schema": obj{"type": "string", "pattern": `^[a-z][a-z0-9-]*\.(geojson|csv)$`}},
	}
	var itemParams, fOnly []any
	fOnly = append(fOnly, obj{"$ref": "#/components/parameters/f"})
	for _, p := range paramDocs() {
		def := obj{"name": p.Name, "in": "query", "required": false, "description": p.Doc, "schema": p.Schema}
		if p.Style != "" {
			def["style"], def["explode"] = p.Style, p.Explode
		}
		params[p.Name] = def
		itemParams = append(itemParams, obj{"$ref": "#/components/parameters/" + p.Name})
	}
	problem := obj{"description": "A problem (RFC 9457) that says what is wrong.",
		"content": obj{"application/problem+json": obj{"schema": obj{"$ref": "#/components/schemas/problem"}}}}
	ok := func(desc string, types ...string) obj {
		content := obj{}
		for _, t := range types {
			content[t] = obj{}
		}
		return obj{"200": obj{"description": desc, "content": content}, "400": problem, "404": problem}
	}
	get := func(id, summary string, parameters []any, responses obj) obj {
		return obj{"get": obj{"operationId": id, "summary": summary, "parameters": parameters, "responses": responses}}
	}
	ref := func(names ...string) []any {
		var out []any
		for _, n := range names {
			out = append(out, obj{"$ref": "#/components/parameters/" + n})
		}
		return out
	}
	return obj{
		"openapi": "3.0.3",
		"info": obj{"title": "Borderwatch", "version": "1.0",
			"description": "Border and security incidents and their context layers as OGC API – Features (Part 1: Core).",
			"license":     obj{"name": "Data: see each collection's attribution"}},
		"servers": []any{obj{"url": s.baseURL(c)}},
		"paths": obj{
			"/":            get("getLandingPage", "The landing page", fOnly, ok("Links to the API", mediaJSON, mediaHTML)),
			"/conformance": get("getConformance", "The conformance classes", fOnly, ok("Conformance classes", mediaJSON, mediaHTML)),
			"/openapi":     get("getAPI", "This document", fOnly, ok("The API definition", mediaOpenAPI, mediaHTML)),
			"/collections": get("getCollections", "The collections", fOnly, ok("Collections", mediaJSON, mediaHTML)),
			"/collections/{collectionId}": get("describeCollection", "One collection",
				append(ref("collectionId"), fOnly...), ok("A collection", mediaJSON, mediaHTML)),
			"/collections/{collectionId}/items": get("getFeatures", "A collection's features",
				append(ref("collectionId"), itemParams...), ok("A page of features", geoJSON, mediaHTML)),
			"/collections/{collectionId}/items/{featureId}": get("getFeature", "One feature",
				append(ref("collectionId", "featureId"), fOnly...), ok("A feature", geoJSON, mediaHTML)),
			"/export/{file}": get("export", "Download a collection under the items filters, streamed",
				append(ref("file"), itemParams[:len(itemParams)]...), ok("The download", geoJSON, mediaCSV)),
		},
		"components": obj{
			"parameters": params,
			"schemas": obj{"problem": obj{"type": "object", "properties": obj{
				"type": obj{"type": "string"}, "title": obj{"type": "string"}, "status": obj{"type": "integer"},
				"detail": obj{"type": "string"}, "instance": obj{"type": "string"},
				"errors": obj{"type": "array", "items": obj{"type": "object", "properties": obj{
					"field": obj{"type": "string"}, "reason": obj{"type": "string"}}}},
			}}},
		},
	}, nil
}

func (s *Server) handleOpenAPI(c echo.Context) error {
	if negotiate(c.Request(), false) == "html" {
		return s.render(c, http.StatusOK, views.APIPage(paramDocs()))
	}
	doc, err := s.openAPI(c)
	if err != nil {
		return err
	}
	return s.writeJSON(c, mediaOpenAPI, doc)
}
