package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// OGC API – Features, Part 1: Core (OGC 17-069r4).
const (
	crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	trs   = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
)

var conformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
}

// editing are the classes of OGC API – Features Part 4 the incidents
// collection conforms to when the server can edit.
var editing = []string{
	"http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
	"http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
	"http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
}

// conformsTo lists the classes this server conforms to.
func (s *Server) conformsTo() []string {
	if s.cfg.Editor == nil || s.cfg.Accounts == nil {
		return conformance
	}
	return append(conformance[:len(conformance):len(conformance)], editing...)
}

// handleLanding is the map for people and the API's landing page for clients.
func (s *Server) handleLanding(c echo.Context) error {
	if wantsHTML(c) {
		return s.handleMap(c)
	}
	if err := checkFormatOnly(c); err != nil {
		return err
	}
	base := s.baseURL(c)
	return writeJSON(c, http.StatusOK, mediaJSON, landingJSON{
		Title:       "Borderwatch",
		Description: "Sourced border and security incidents around the Tunisia–Libya border, with context layers, as OGC API – Features.",
		Links: []Link{
			{Href: base + "/?f=json", Rel: "self", Type: mediaJSON, Title: "This document"},
			{Href: base + "/?f=html", Rel: "alternate", Type: mediaHTML, Title: "The map"},
			{Href: base + "/openapi", Rel: "service-desc", Type: mediaOpenAPI, Title: "The API definition"},
			{Href: base + "/openapi?f=html", Rel: "service-doc", Type: mediaHTML, Title: "The API documentation"},
			{Href: base + "/conformance", Rel: "conformance", Type: mediaJSON, Title: "Conformance classes"},
			{Href: base + "/collections", Rel: "data", Type: mediaJSON, Title: "Collections"},
		},
	})
}

func (s *Server) handleConformance(c echo.Context) error {
	if err := checkFormatOnly(c); err != nil {
		return err
	}
	if wantsHTML(c) {
		return s.conformanceHTML(c)
	}
	return writeJSON(c, http.StatusOK, mediaJSON, conformanceJSON{ConformsTo: s.conformsTo()})
}
