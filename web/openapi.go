package web

import (
	"net/http"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/labstack/echo/v4"
)

func (s *Server) openAPI(c echo.Context) (obj, error) {
	layers, err := s.cfg.Store.Layers(c.Request().Context())
	if err != nil {
		return nil, err
	}
	ids := []string{geo.IncidentsCollection, geo.IncidentPointsCollection}
	for _, l := range layers {
		ids = append(ids, l.ID)
	}
	parameters := obj{
		"collectionId": obj{"name": "collectionId", "in": "path", "required": true, "description": "A collection's id.",
			"schema": obj{"type": "string", "enum": ids}},
		"featureId": obj{"name": "featureId", "in": "path", "required": true, "description": "A feature's id.",
			"schema": obj{"type": "integer", "minimum": 1}},
		"file": obj{"name": "file", "in": "path", "required": true, "description": "COLLECTION.geojson or COLLECTION.csv",
			"schema": obj{"type": "string", "pattern": `^[a-z][a-z0-9-]*\.(geojson|csv)$`}},
	}
	var itemParams, fOnly []any
	fOnly = append(fOnly, obj{"$ref": "#/components/parameters/f"})
	for _, p := range params {
		if p.scope == mapView {
			continue
		}
		def := obj{"name": p.name, "in": "query", "required": false, "description": p.doc, "schema": p.schema}
		if p.list {
			def["style"], def["explode"] = "form", false
		}
		parameters[p.name] = def
		itemParams = append(itemParams, obj{"$ref": "#/components/parameters/" + p.name})
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
	doc := obj{
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
				append(ref("collectionId"), itemParams...), ok("A page of features", mediaGeoJSON, mediaHTML)),
			"/collections/{collectionId}/items/{featureId}": get("getFeature", "One feature",
				append(ref("collectionId", "featureId", "as_of"), fOnly...), ok("A feature", mediaGeoJSON, mediaHTML)),
			"/proposals": get("getProposals", "Open proposals (editors), or one's own (contributors)", nil,
				obj{"200": obj{"description": "Proposals", "content": obj{mediaJSON: obj{}}}, "401": problem}),
			"/export/{file}": get("export", "Download a collection under the items filters, streamed",
				append(ref("file"), itemParams...), ok("The download", mediaGeoJSON, mediaCSV)),
		},
		"components": obj{
			"parameters": parameters,
			"schemas": obj{"problem": obj{"type": "object", "properties": obj{
				"type": obj{"type": "string"}, "title": obj{"type": "string"}, "status": obj{"type": "integer"},
				"detail": obj{"type": "string"}, "instance": obj{"type": "string"},
				"errors": obj{"type": "array", "items": obj{"type": "object", "properties": obj{
					"field": obj{"type": "string"}, "reason": obj{"type": "string"}}}},
			}}},
			"securitySchemes": obj{
				"bearer":  obj{"type": "http", "scheme": "bearer", "description": "An API token from /account or `borderwatch token create`"},
				"session": obj{"type": "apiKey", "in": "cookie", "name": "bw_session", "description": "A signed-in browser; writes also need the X-CSRF-Token header"},
			},
		},
	}
	if s.cfg.Editor != nil && s.cfg.Accounts != nil {
		addEditing(doc["paths"].(obj), problem)
	}
	return doc, nil
}

// addEditing declares OGC API – Features Part 4 on the items, with the
// security it needs.
func addEditing(paths obj, problem obj) {
	security := []any{obj{"bearer": []any{}}, obj{"session": []any{}}}
	body := func(media string) obj {
		return obj{"required": true, "content": obj{media: obj{"schema": obj{"type": "object"}}}}
	}
	header := func(name, desc string, required bool) obj {
		return obj{"name": name, "in": "header", "required": required, "description": desc, "schema": obj{"type": "string"}}
	}
	summary := header("Edit-Summary", "Why: kept with the version", false)
	ifMatch := header("If-Match", "The item's ETag from GET: a write against an older version gets 412", true)
	refused := func(r obj) obj {
		for _, code := range []string{"400", "401", "403", "404", "409", "412", "415", "428"} {
			r[code] = problem
		}
		return r
	}
	proposal := obj{"description": "A contributor's write: a proposal, waiting for review (Location: /proposals/{id})"}
	items := paths["/collections/{collectionId}/items"].(obj)
	items["post"] = obj{"operationId": "createFeature", "summary": "Create an incident", "security": security,
		"parameters": []any{obj{"$ref": "#/components/parameters/collectionId"}, summary}, "requestBody": body(mediaGeoJSON),
		"responses": refused(obj{"201": obj{"description": "Created (Location, ETag)"}, "202": proposal})}
	item := paths["/collections/{collectionId}/items/{featureId}"].(obj)
	idParams := []any{obj{"$ref": "#/components/parameters/collectionId"}, obj{"$ref": "#/components/parameters/featureId"}, ifMatch, summary}
	item["put"] = obj{"operationId": "replaceFeature", "summary": "Replace an incident", "security": security, "parameters": idParams,
		"requestBody": body(mediaGeoJSON), "responses": refused(obj{"200": obj{"description": "Replaced (ETag)"}, "202": proposal})}
	item["patch"] = obj{"operationId": "updateFeature", "summary": "Update an incident with a JSON merge patch", "security": security,
		"parameters": idParams, "requestBody": body(mediaMergePatch), "responses": refused(obj{"200": obj{"description": "Updated (ETag)"}, "202": proposal})}
	item["delete"] = obj{"operationId": "deleteFeature", "summary": "Delete an incident (editors; history keeps it)", "security": security,
		"parameters": idParams, "responses": refused(obj{"204": obj{"description": "Deleted"}})}
}

func (s *Server) handleOpenAPI(c echo.Context) error {
	if err := checkFormatOnly(c); err != nil {
		return err
	}
	if wantsHTML(c) {
		return s.apiHTML(c)
	}
	doc, err := s.openAPI(c)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mediaOpenAPI, doc)
}
