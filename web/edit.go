package web

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/auth"
	"github.com/borderwatch/borderwatch/web/i18n"
	"github.com/borderwatch/borderwatch/web/views"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Editing over the API: OGC API – Features Part 4 (create, replace, update,
// delete) on the incidents, each write conditional on the item's version
// (If-Match); a contributor's write becomes a proposal (202); history,
// revert and the review of proposals for editors.

const (
	mediaMergePatch = "application/merge-patch+json"
	maxFeatureBytes = "2M"
)

// editRoutes are every write of incident data. Each knows who is asking,
// checks the CSRF token of cookie-authenticated requests, and refuses
// anonymous ones before reading a body.
func (s *Server) editRoutes(e *echo.Echo, timeout echo.MiddlewareFunc) {
	base := []echo.MiddlewareFunc{timeout, middleware.BodyLimit(maxFeatureBytes), auth.Identify(s.cfg.Accounts)}
	csrf := auth.CSRF(strings.HasPrefix(s.cfg.BaseURL, "https://"), s.origin)
	// Who first (401, 403), then the CSRF token of a cookie's write (403).
	with := func(role echo.MiddlewareFunc) []echo.MiddlewareFunc {
		return append(base[:len(base):len(base)], role, csrf)
	}
	contributor, editor := auth.Require(geo.RoleContributor), auth.Require(geo.RoleEditor)
	// Only incidents are edited: any other collection's items answer 405
	// before anything else is judged.
	items := func(m echo.MiddlewareFunc) []echo.MiddlewareFunc {
		return append([]echo.MiddlewareFunc{editableOnly}, with(m)...)
	}
	e.POST("/collections/:collection/items", s.handleCreate, items(contributor)...)
	e.PUT("/collections/:collection/items/:id", s.handleReplace, items(contributor)...)
	e.PATCH("/collections/:collection/items/:id", s.handlePatch, items(contributor)...)
	e.DELETE("/collections/:collection/items/:id", s.handleDelete, items(editor)...)
	get := func(path string, h echo.HandlerFunc, role echo.MiddlewareFunc) {
		e.Match([]string{http.MethodGet, http.MethodHead}, path, h, with(role)...)
	}
	// Pages send an anonymous person to sign in; the API answers 401.
	contributorPage, editorPage := s.signedIn(geo.RoleContributor), s.signedIn(geo.RoleEditor)
	get("/collections/incidents/items/:id/history", s.handleHistory, editorPage)
	e.POST("/collections/incidents/items/:id/revert", s.handleRevert, with(editor)...)
	get("/proposals", s.handleProposals, contributorPage)
	get("/proposals/:id", s.handleProposal, contributor)
	get("/incidents/new", s.handleNewForm, contributorPage)
	e.POST("/incidents/new", s.handleNewSave, with(contributor)...)
	get("/collections/incidents/items/:id/edit", s.handleEditForm, contributorPage)
	e.POST("/collections/incidents/items/:id/edit", s.handleEditSave, with(contributor)...)
	e.POST("/collections/incidents/items/:id/delete", s.handleDeleteForm, with(editor)...)
	get("/review", s.handleReview, editorPage)
	get("/proposals/:id/edit", s.handleProposalForm, editorPage)
	get("/deleted", s.handleDeleted, editorPage)
	e.POST("/proposals/:id/approve", s.handleApprove, with(editor)...)
	e.POST("/proposals/:id/reject", s.handleReject, with(editor)...)
	// Reports read into drafts: the page, its form, the API, a stored report.
	// Who first, then the size: an anonymous upload is refused unread. A
	// form may bring a file of any size to be told, on the page, that it is
	// too large; the API answers 413 at once.
	withReport := func(role echo.MiddlewareFunc, limit string) []echo.MiddlewareFunc {
		return []echo.MiddlewareFunc{timeout, auth.Identify(s.cfg.Accounts), role, middleware.BodyLimit(limit), csrf}
	}
	e.Match([]string{http.MethodGet, http.MethodHead}, "/reports/new", s.handleReportForm, withReport(contributorPage, "1K")...)
	e.POST("/reports/new", s.handleReportForm, withReport(contributor, "64M")...)
	e.POST("/reports", s.handleReportsAPI, withReport(contributor, strconv.Itoa(maxReportBody/1024)+"K")...)
	get("/reports/:id", s.handleReport, contributorPage)
}

// editCtx carries who is writing, and why, to the store.
func editCtx(c echo.Context) (geo.User, echo.Context) {
	u, _ := auth.UserOf(c.Request().Context())
	summary := strings.TrimSpace(c.Request().Header.Get("Edit-Summary"))
	if summary == "" {
		summary = strings.TrimSpace(c.FormValue("summary"))
	}
	r := c.Request()
	c.SetRequest(r.WithContext(geo.WithEdit(r.Context(), geo.Edit{Author: u.Name, Summary: summary})))
	return u, c
}

// editableOnly answers 405 to writes to anything but the incidents
// collection.
func editableOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Param("collection") != geo.IncidentsCollection {
			c.Response().Header().Set("Allow", "GET, HEAD")
			return echo.ErrMethodNotAllowed
		}
		return next(c)
	}
}

func itemID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, geo.Errorf(geo.ENotFound, "feature %q not found: feature ids are positive integers", c.Param("id"))
	}
	return id, nil
}

// itemETag is an item's strong ETag: its version.
func itemETag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch reads the version a write was made against from If-Match.
func ifMatch(c echo.Context) (int64, error) {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if h == "" {
		return 0, geo.Errorf(geo.ENeedsVersion, "send If-Match with the item's ETag (from GET), so that a later change is not overwritten")
	}
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || strings.HasPrefix(h, "W/") {
		return 0, geo.Errorf(geo.EStale, "If-Match %s is not an ETag this server gave for the item", h)
	}
	return v, nil
}

// readBody reads the request's body, which must be of one of the media
// types (415 otherwise).
func readBody(c echo.Context, media ...string) ([]byte, error) {
	ct, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	ok := false
	for _, m := range media {
		ok = ok || ct == m
	}
	if !ok {
		return nil, &echo.HTTPError{Code: http.StatusUnsupportedMediaType, Message: "send the body as " + strings.Join(media, " or ")}
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, err
	}
	return body, nil
}

// writeItem answers a write with the item as it now stands (the store
// fills in what it derives), with its ETag.
func (s *Server) writeItem(c echo.Context, status int, id int64) error {
	inc, version, err := s.editor().IncidentVersion(c.Request().Context(), id)
	if err != nil {
		return err
	}
	path := s.baseURL(c) + "/collections/incidents/items/" + strconv.FormatInt(id, 10)
	h := c.Response().Header()
	h.Set("ETag", itemETag(version))
	h.Set("Cache-Control", "no-store")
	if status == http.StatusCreated {
		h.Set("Location", path)
	}
	return writeJSON(c, status, mediaGeoJSON, incidentFeature(inc, true, selfLinks(path, nil, mediaGeoJSON, "This feature")))
}

func (s *Server) editor() geo.Editor { return s.cfg.Editor }

func (s *Server) handleCreate(c echo.Context) error {
	body, err := readBody(c, mediaGeoJSON, mediaJSON)
	if err != nil {
		return err
	}
	inc, err := geo.IncidentFromFeature(body)
	if err != nil {
		return err
	}
	if inc.ID != 0 {
		return geo.Errorf(geo.EInvalid, "a new feature takes no id: the server gives one (PUT replaces a feature by its id)")
	}
	u, c := editCtx(c)
	if !u.Role.AtLeast(geo.RoleEditor) {
		return s.propose(c, u, inc, 0, 0)
	}
	if _, err := s.editor().AddIncident(c.Request().Context(), &inc); err != nil {
		return err
	}
	return s.writeItem(c, http.StatusCreated, inc.ID)
}

// conditionalWrite reads what every write to one item needs: its id, the
// version it was made against (If-Match), and its body of the media types.
func conditionalWrite(c echo.Context, media ...string) (id, version int64, body []byte, err error) {
	if id, err = itemID(c); err != nil {
		return
	}
	if version, err = ifMatch(c); err != nil {
		return
	}
	body, err = readBody(c, media...)
	return
}

func (s *Server) handleReplace(c echo.Context) error {
	id, version, body, err := conditionalWrite(c, mediaGeoJSON, mediaJSON)
	if err != nil {
		return err
	}
	inc, err := geo.IncidentFromFeature(body)
	if err != nil {
		return err
	}
	if inc.ID != 0 && inc.ID != id {
		return geo.Errorf(geo.EInvalid, "the body's id %d is not the feature's id %d", inc.ID, id)
	}
	inc.ID = id
	return s.replace(c, inc, version)
}

// replace writes inc over its stored version (an editor) or proposes it (a
// contributor).
func (s *Server) replace(c echo.Context, inc geo.Incident, version int64) error {
	u, c := editCtx(c)
	if !u.Role.AtLeast(geo.RoleEditor) {
		return s.propose(c, u, inc, inc.ID, version)
	}
	if _, err := s.editor().ReplaceIncident(c.Request().Context(), &inc, version); err != nil {
		return err
	}
	return s.writeItem(c, http.StatusOK, inc.ID)
}

func (s *Server) handlePatch(c echo.Context) error {
	id, version, patch, err := conditionalWrite(c, mediaMergePatch)
	if err != nil {
		return err
	}
	cur, v, err := s.editor().IncidentVersion(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if v != version {
		return geo.Errorf(geo.EStale, "incident %d has changed since version %d: it is at version %d now; reload it and apply your change again", id, version, v)
	}
	doc, err := geo.FeatureJSON(cur)
	if err != nil {
		return err
	}
	merged, err := mergePatch(doc, patch)
	if err != nil {
		return err
	}
	inc, err := geo.IncidentFromFeature(merged)
	if err != nil {
		return err
	}
	inc.ID = id
	return s.replace(c, inc, version)
}

// mergePatch applies an RFC 7396 JSON merge patch to doc.
func mergePatch(doc, patch []byte) ([]byte, error) {
	var d, p any
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(patch))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, geo.Errorf(geo.EInvalid, "the merge patch is not JSON: %v", err)
	}
	if _, ok := p.(map[string]any); !ok {
		return nil, geo.Errorf(geo.EInvalid, "a merge patch of a feature must be a JSON object")
	}
	return json.Marshal(merge(d, p))
}

func merge(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
		} else {
			tm[k] = merge(tm[k], v)
		}
	}
	return tm
}

func (s *Server) handleDelete(c echo.Context) error {
	id, err := itemID(c)
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	_, c = editCtx(c)
	if err := s.editor().DeleteIncidentAt(c.Request().Context(), id, version); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// propose stores a contributor's write for review and answers 202.
func (s *Server) propose(c echo.Context, u geo.User, inc geo.Incident, id, version int64) error {
	p := geo.Proposal{IncidentID: id, BaseVersion: version, AuthorID: u.ID, Author: u.Name,
		Summary: geo.EditOf(c.Request().Context()).Summary, Incident: inc}
	if err := s.editor().Propose(c.Request().Context(), &p); err != nil {
		return err
	}
	c.Response().Header().Set("Location", s.baseURL(c)+"/proposals/"+strconv.FormatInt(p.ID, 10))
	return writeJSON(c, http.StatusAccepted, mediaJSON, s.proposalJSON(c, p))
}

// proposalJSON is a proposal as the API shows it, with its diff against
// the published incident.
type proposalJSON struct {
	ID          int64             `json:"id"`
	Status      string            `json:"status"`
	IncidentID  int64             `json:"incident_id,omitempty"`
	BaseVersion int64             `json:"base_version,omitempty"`
	Author      string            `json:"author"`
	Summary     string            `json:"summary"`
	Reason      string            `json:"reason,omitempty"`
	Reviewer    string            `json:"reviewer,omitempty"`
	CreatedAt   string            `json:"created_at"`
	DecidedAt   string            `json:"decided_at,omitempty"`
	Changes     []geo.FieldChange `json:"changes"`
	Feature     incidentJSON      `json:"feature"`
	Links       []Link            `json:"links"`
}

func (s *Server) proposalJSON(c echo.Context, p geo.Proposal) proposalJSON {
	out := proposalJSON{ID: p.ID, Status: p.Status, IncidentID: p.IncidentID, BaseVersion: p.BaseVersion, Author: p.Author,
		Summary: p.Summary, Reason: p.Reason, Reviewer: p.Reviewer, CreatedAt: p.CreatedAt.UTC().Format(time.RFC3339),
		Feature: incidentFeature(p.Incident, false, nil),
		Links:   []Link{{Href: s.baseURL(c) + "/proposals/" + strconv.FormatInt(p.ID, 10), Rel: "self", Type: mediaJSON}}}
	if !p.DecidedAt.IsZero() {
		out.DecidedAt = p.DecidedAt.UTC().Format(time.RFC3339)
	}
	var base geo.Incident
	if p.IncidentID != 0 && p.Status == geo.ProposalOpen {
		base, _, _ = s.editor().IncidentVersion(c.Request().Context(), p.IncidentID)
	}
	out.Changes = geo.Diff(base, p.Incident)
	if out.Changes == nil {
		out.Changes = []geo.FieldChange{}
	}
	return out
}

// proposalFor loads a proposal its asker may see: editors see every one,
// contributors their own (another's is not found, not forbidden: its
// existence is not theirs to know).
func (s *Server) proposalFor(c echo.Context) (geo.Proposal, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return geo.Proposal{}, geo.Errorf(geo.ENotFound, "proposal %q not found", c.Param("id"))
	}
	p, err := s.editor().Proposal(c.Request().Context(), id)
	if err != nil {
		return p, err
	}
	if u, _ := auth.UserOf(c.Request().Context()); !u.Role.AtLeast(geo.RoleEditor) && p.AuthorID != u.ID {
		return geo.Proposal{}, geo.Errorf(geo.ENotFound, "proposal %d not found", id)
	}
	return p, nil
}

func (s *Server) handleProposal(c echo.Context) error {
	p, err := s.proposalFor(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return writeJSON(c, http.StatusOK, mediaJSON, s.proposalJSON(c, p))
}

// handleProposals lists open proposals to editors (newest first), one's
// own to a contributor.
func (s *Server) handleProposals(c echo.Context) error {
	u, _ := auth.UserOf(c.Request().Context())
	status, author := geo.ProposalOpen, int64(0)
	if !u.Role.AtLeast(geo.RoleEditor) || c.QueryParam("mine") != "" {
		status, author = "", u.ID
	}
	if wantsHTML(c) {
		status, author = "", u.ID // a person's page: their own
	}
	ps, err := s.editor().Proposals(c.Request().Context(), status, author)
	if err != nil {
		return err
	}
	if wantsHTML(c) {
		c.Response().Header().Set("Cache-Control", "no-store")
		return s.render(c, http.StatusOK, views.MyProposalsPage(s.proposalViews(c, ps)))
	}
	out := struct {
		Proposals []proposalJSON `json:"proposals"`
	}{[]proposalJSON{}}
	for _, p := range ps {
		out.Proposals = append(out.Proposals, s.proposalJSON(c, p))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return writeJSON(c, http.StatusOK, mediaJSON, out)
}

func (s *Server) handleApprove(c echo.Context) error {
	p, err := s.proposalFor(c)
	if err != nil {
		return err
	}
	u, c := editCtx(c)
	// From the review form: the editor's edits are what is approved.
	var edited *geo.Incident
	if fromForm(c) && c.FormValue("title") != "" {
		inc, f := incidentFromForm(c)
		if f.Errors != nil {
			f.Action, f.Heading = "/proposals/"+strconv.FormatInt(p.ID, 10)+"/approve", i18n.T(c.Request().Context(), "form.review_approve", "title", i18n.Isolate(p.Incident.Title))
			return s.formPage(c, http.StatusBadRequest, f)
		}
		edited = &inc
	}
	inc, err := s.editor().ApproveProposal(c.Request().Context(), p.ID, u.Name, edited)
	if err != nil {
		return err
	}
	if fromForm(c) {
		return c.Redirect(http.StatusSeeOther, "/review")
	}
	return s.writeItem(c, http.StatusOK, inc.ID)
}

func (s *Server) handleReject(c echo.Context) error {
	p, err := s.proposalFor(c)
	if err != nil {
		return err
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if ct := c.Request().Header.Get(echo.HeaderContentType); strings.HasPrefix(ct, mediaJSON) {
		if err := json.NewDecoder(c.Request().Body).Decode(&body); err != nil {
			return geo.Errorf(geo.EInvalid, "the body must be {\"reason\": \"…\"}: %v", err)
		}
	} else {
		body.Reason = c.FormValue("reason")
	}
	if strings.TrimSpace(body.Reason) == "" {
		return &geo.Error{Kind: geo.EInvalid, Message: "say why the proposal is rejected", Problems: []geo.Problem{{Field: "reason", Reason: "must not be empty: its author will read it"}}}
	}
	u, _ := auth.UserOf(c.Request().Context())
	if err := s.editor().RejectProposal(c.Request().Context(), p.ID, u.Name, strings.TrimSpace(body.Reason)); err != nil {
		return err
	}
	if fromForm(c) {
		return c.Redirect(http.StatusSeeOther, "/review")
	}
	p, err = s.editor().Proposal(c.Request().Context(), p.ID)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, mediaJSON, s.proposalJSON(c, p))
}

// versionJSON is one version in an incident's history.
type versionJSON struct {
	Version int64             `json:"version"`
	From    string            `json:"from"`
	To      string            `json:"to,omitempty"`
	User    string            `json:"user"`
	Summary string            `json:"summary"`
	Change  string            `json:"change"`
	Changes []geo.FieldChange `json:"changes"`
}

func (s *Server) handleHistory(c echo.Context) error {
	id, err := itemID(c)
	if err != nil {
		return err
	}
	vs, err := s.editor().History(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if wantsHTML(c) {
		return s.historyPage(c, id, vs)
	}
	out := struct {
		Versions []versionJSON `json:"versions"`
	}{}
	var prev geo.Incident
	for _, v := range vs {
		j := versionJSON{Version: v.ID, From: v.From.UTC().Format(time.RFC3339Nano), User: v.Author, Summary: v.Summary, Change: v.Change}
		if !v.To.IsZero() && !v.Deleted() {
			j.To = v.To.UTC().Format(time.RFC3339Nano)
		}
		if v.Deleted() {
			j.Changes = []geo.FieldChange{}
		} else {
			j.Changes = geo.Diff(prev, v.Incident)
			prev = v.Incident
		}
		if j.Changes == nil {
			j.Changes = []geo.FieldChange{}
		}
		out.Versions = append(out.Versions, j)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return writeJSON(c, http.StatusOK, mediaJSON, out)
}

func (s *Server) handleRevert(c echo.Context) error {
	id, err := itemID(c)
	if err != nil {
		return err
	}
	to, err := strconv.ParseInt(c.QueryParam("version"), 10, 64)
	if err != nil {
		return &geo.Error{Kind: geo.EInvalid, Message: "name the version to go back to", Problems: []geo.Problem{{Field: "version", Reason: "must be a version number from the history"}}}
	}
	_, c = editCtx(c)
	if _, err := s.editor().RevertIncident(c.Request().Context(), id, to); err != nil {
		return err
	}
	if fromForm(c) {
		return c.Redirect(http.StatusSeeOther, "/collections/incidents/items/"+strconv.FormatInt(id, 10)+"/history")
	}
	return s.writeItem(c, http.StatusOK, id)
}

// fromForm says whether a write came from one of the pages' forms, to be
// answered with a redirect rather than JSON.
func fromForm(c echo.Context) bool {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	return wantsHTML(c) && (strings.HasPrefix(ct, echo.MIMEApplicationForm) || strings.HasPrefix(ct, echo.MIMEMultipartForm))
}
