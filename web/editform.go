package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/web/auth"
	"github.com/borderwatch/borderwatch/web/i18n"
	"github.com/borderwatch/borderwatch/web/views"
	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// The editing pages: the incident form (new, edit, and the 409 page of a
// save over a newer version), the history, the review queue, one's own
// proposals and the deleted incidents. Writes go through the same store
// calls as the API, with the same checks.

// formOf fills the form from an incident.
func formOf(inc geo.Incident) views.IncidentForm {
	p := inc.Properties()
	v := map[string]string{
		"title": p.Title, "summary": p.Summary, "event_date": p.EventDate, "time_precision": strconv.Itoa(p.TimePrecision),
		"disorder_type": p.DisorderType, "event_type": p.EventType, "sub_event_type": p.SubEventType,
		"actor1": p.Actor1, "assoc_actor_1": p.AssocActor1, "actor2": p.Actor2, "assoc_actor_2": p.AssocActor2,
		"location": p.Location, "admin1": p.Admin1, "country": p.Country, "geo_precision": strconv.Itoa(p.GeoPrecision),
		"tags": strings.Join(p.Tags, ", "), "notes": p.Notes,
	}
	if p.Fatalities != nil {
		v["fatalities"] = strconv.Itoa(*p.Fatalities)
	}
	if p.Injuries != nil {
		v["injuries"] = strconv.Itoa(*p.Injuries)
	}
	if pt, ok := inc.Geometry.(orb.Point); ok {
		v["lon"], v["lat"] = strconv.FormatFloat(pt[0], 'f', -1, 64), strconv.FormatFloat(pt[1], 'f', -1, 64)
	} else if inc.Geometry != nil {
		b, _ := json.Marshal(geojson.NewGeometry(geo.RoundGeometry(inc.Geometry)))
		v["geometry"] = string(b)
	}
	f := views.IncidentForm{ID: inc.ID, Values: v}
	for _, s := range inc.Sources {
		f.Sources = append(f.Sources, views.SourceRow{Publisher: s.Publisher, Title: s.Title, URL: s.URL, Published: s.Published, Note: s.Note})
	}
	for _, d := range inc.Disagreements {
		f.Disagreements = append(f.Disagreements, views.DisagreementRow{Field: d.Field, Note: d.Note})
	}
	return withBlankRows(f)
}

// withBlankRows leaves room to add a source and a disagreement without
// the page's script.
func withBlankRows(f views.IncidentForm) views.IncidentForm {
	f.Sources = append(f.Sources, views.SourceRow{})
	f.Disagreements = append(f.Disagreements, views.DisagreementRow{})
	return f
}

// incidentFromForm reads the posted form into an incident, and the form as
// typed with what is wrong with each field (nil Errors: none).
func incidentFromForm(c echo.Context) (geo.Incident, views.IncidentForm) {
	form, _ := c.FormParams()
	v := map[string]string{}
	for _, k := range []string{"title", "summary", "event_date", "time_precision", "disorder_type", "event_type", "sub_event_type",
		"actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "fatalities", "injuries", "location", "admin1", "country",
		"lon", "lat", "geometry", "geo_precision", "tags", "notes", "why"} {
		v[k] = strings.TrimSpace(form.Get(k))
	}
	f := views.IncidentForm{Values: v, Errors: map[string]string{}}
	ctx := c.Request().Context()
	// Problems in the reader's language: the form's own, and the domain's
	// through the formats they were written from.
	problem := func(field, msg string) {
		if _, seen := f.Errors[field]; !seen {
			f.Errors[field] = msg
		}
	}
	say := func(format string, args ...any) string {
		if tr := i18n.T(ctx, "problem:"+format); tr != "problem:"+format {
			return fmt.Sprintf(tr, args...)
		}
		return fmt.Sprintf(format, args...)
	}
	inc := geo.Incident{Title: v["title"], Summary: v["summary"], DisorderType: v["disorder_type"], EventType: v["event_type"],
		SubEventType: v["sub_event_type"], Actor1: v["actor1"], AssocActor1: v["assoc_actor_1"], Actor2: v["actor2"],
		AssocActor2: v["assoc_actor_2"], Location: v["location"], Admin1: v["admin1"], Country: strings.ToUpper(v["country"]), Notes: v["notes"]}
	if d, p := geo.ParseEventDate(v["event_date"]); p == "" {
		inc.EventDate = d
	} else {
		problem("event_date", say("must be a date"))
	}
	inc.TimePrecision, _ = strconv.Atoi(v["time_precision"])
	inc.GeoPrecision, _ = strconv.Atoi(v["geo_precision"])
	count := func(name string) *int {
		if v[name] == "" {
			return nil
		}
		n, err := strconv.Atoi(v[name])
		if err != nil {
			problem(name, say("must be a whole number, or empty when not reported"))
			return nil
		}
		return &n
	}
	inc.Fatalities, inc.Injuries = count("fatalities"), count("injuries")
	if v["geometry"] != "" {
		g, err := geojson.UnmarshalGeometry([]byte(v["geometry"]))
		if err != nil {
			problem("geometry", say("is not a GeoJSON geometry: %s", err.Error()))
		} else {
			inc.Geometry = g.Geometry()
		}
	} else if v["lon"] != "" || v["lat"] != "" {
		lon, err1 := strconv.ParseFloat(v["lon"], 64)
		lat, err2 := strconv.ParseFloat(v["lat"], 64)
		if err1 != nil || err2 != nil {
			problem("geometry", say("longitude and latitude must be numbers"))
		} else {
			inc.Geometry = orb.Point{lon, lat}
		}
	}
	for _, t := range strings.Split(v["tags"], ",") {
		if t = strings.TrimSpace(t); t != "" {
			inc.Tags = append(inc.Tags, t)
		}
	}
	pubs, titles, urls, dates, notes := form["source_publisher"], form["source_title"], form["source_url"], form["source_published"], form["source_note"]
	for i := range pubs {
		at := func(xs []string) string {
			if i < len(xs) {
				return strings.TrimSpace(xs[i])
			}
			return ""
		}
		row := views.SourceRow{Publisher: at(pubs), Title: at(titles), URL: at(urls), Published: at(dates), Note: at(notes)}
		if row == (views.SourceRow{}) {
			continue
		}
		f.Sources = append(f.Sources, row)
		inc.Sources = append(inc.Sources, geo.Source{Publisher: row.Publisher, Title: row.Title, URL: row.URL, Published: row.Published, Note: row.Note})
	}
	fields, dnotes := form["disagreement_field"], form["disagreement_note"]
	for i := range fields {
		row := views.DisagreementRow{Field: strings.TrimSpace(fields[i])}
		if i < len(dnotes) {
			row.Note = strings.TrimSpace(dnotes[i])
		}
		if row == (views.DisagreementRow{}) {
			continue
		}
		f.Disagreements = append(f.Disagreements, row)
		inc.Disagreements = append(inc.Disagreements, geo.Disagreement{Field: row.Field, Note: row.Note})
	}
	if v["why"] == "" {
		problem("why", say("say why, in a few words: the history keeps it"))
	}
	if err := inc.Validate(); err != nil {
		for _, p := range geo.ErrorProblems(err) {
			field := p.Field
			if i := strings.Index(field, "]"); strings.HasPrefix(field, "sources[") && i > 0 {
				field = field[:i+1] // a source's row
			}
			if p.Format != "" {
				problem(field, say(p.Format, p.Args...))
			} else {
				problem(field, p.Reason)
			}
		}
	}
	f = withBlankRows(f)
	if len(f.Errors) == 0 {
		f.Errors = nil
	}
	return inc, f
}

func taxonomy() []geo.EventType { return geo.EventTypes }

// formPage renders the incident form for who is asking.
func (s *Server) formPage(c echo.Context, status int, f views.IncidentForm) error {
	u, _ := auth.UserOf(c.Request().Context())
	f.CSRF, f.Proposal = auth.CSRFToken(c), !u.Role.AtLeast(geo.RoleEditor)
	if f.Errors != nil && f.Problem == "" {
		f.Problem = i18n.T(c.Request().Context(), "form.nothing_saved")
	}
	cfg, err := s.mapConfig(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, views.IncidentFormPage(f, cfg, taxonomy()))
}

func (s *Server) handleNewForm(c echo.Context) error {
	f := withBlankRows(views.IncidentForm{Values: map[string]string{"time_precision": "1", "geo_precision": "1", "country": "TN",
		"disorder_type": geo.DisorderPoliticalViolence}})
	f.Action, f.Heading = "/incidents/new", i18n.T(c.Request().Context(), "nav.new_incident")
	return s.formPage(c, http.StatusOK, f)
}

func (s *Server) handleNewSave(c echo.Context) error {
	inc, f := incidentFromForm(c)
	f.Action, f.Heading = "/incidents/new", i18n.T(c.Request().Context(), "nav.new_incident")
	if f.Errors != nil {
		return s.formPage(c, http.StatusBadRequest, f)
	}
	u, c := editWhy(c, f)
	if !u.Role.AtLeast(geo.RoleEditor) {
		p := geo.Proposal{AuthorID: u.ID, Author: u.Name, Summary: f.Values["why"], Incident: inc}
		if err := s.editor().Propose(c.Request().Context(), &p); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/proposals")
	}
	if _, err := s.editor().AddIncident(c.Request().Context(), &inc); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/collections/incidents/items/"+strconv.FormatInt(inc.ID, 10))
}

// editWhy carries who is saving and the form's "why" to the store.
func editWhy(c echo.Context, f views.IncidentForm) (geo.User, echo.Context) {
	u, _ := auth.UserOf(c.Request().Context())
	r := c.Request()
	c.SetRequest(r.WithContext(geo.WithEdit(r.Context(), geo.Edit{Author: u.Name, Summary: f.Values["why"]})))
	return u, c
}

func (s *Server) handleEditForm(c echo.Context) error {
	id, err := itemID(c)
	if err != nil {
		return err
	}
	inc, version, err := s.editor().IncidentVersion(c.Request().Context(), id)
	if err != nil {
		return err
	}
	f := formOf(inc)
	f.Version, f.Action, f.Heading = version, "/collections/incidents/items/"+strconv.FormatInt(id, 10)+"/edit", i18n.T(c.Request().Context(), "form.edit_heading", "title", i18n.Isolate(inc.Title))
	return s.formPage(c, http.StatusOK, f)
}

func (s *Server) handleEditSave(c echo.Context) error {
	id, err := itemID(c)
	if err != nil {
		return err
	}
	inc, f := incidentFromForm(c)
	inc.ID = id
	f.ID, f.Action, f.Heading = id, "/collections/incidents/items/"+strconv.FormatInt(id, 10)+"/edit", i18n.T(c.Request().Context(), "form.edit_heading", "title", i18n.Isolate(inc.Title))
	f.Version, _ = strconv.ParseInt(c.FormValue("version"), 10, 64)
	if f.Errors != nil {
		return s.formPage(c, http.StatusBadRequest, f)
	}
	u, c := editWhy(c, f)
	if !u.Role.AtLeast(geo.RoleEditor) {
		p := geo.Proposal{IncidentID: id, BaseVersion: f.Version, AuthorID: u.ID, Author: u.Name, Summary: f.Values["why"], Incident: inc}
		err = s.editor().Propose(c.Request().Context(), &p)
		if err == nil {
			return c.Redirect(http.StatusSeeOther, "/proposals")
		}
	} else {
		_, err = s.editor().ReplaceIncident(c.Request().Context(), &inc, f.Version)
		if err == nil {
			return c.Redirect(http.StatusSeeOther, "/collections/incidents/items/"+strconv.FormatInt(id, 10))
		}
	}
	if geo.ErrorKind(err) != geo.EStale {
		return err
	}
	return s.conflictPage(c, id, f, inc)
}

// conflictPage answers a save over a newer version with 409: what changed
// meanwhile, what the person changed, and their form over the newer version.
func (s *Server) conflictPage(c echo.Context, id int64, f views.IncidentForm, mine geo.Incident) error {
	ctx := c.Request().Context()
	hist, err := s.editor().History(ctx, id)
	if err != nil {
		return err
	}
	var base, current geo.Version
	for _, v := range hist {
		if v.ID == f.Version {
			base = v
		}
		if v.To.IsZero() && !v.Deleted() {
			current = v
		}
	}
	f = mergeForms(formOf(base.Incident), formOf(current.Incident), f)
	f.Version = current.ID
	f.CSRF, f.Problem = auth.CSRFToken(c), ""
	cfg, err := s.mapConfig(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusConflict, views.ConflictPage(f, geo.Diff(base.Incident, current.Incident),
		geo.Diff(base.Incident, mine), current.Author, cfg, taxonomy()))
}

// mergeForms is a three-way merge of a form saved against base while
// current was saved: the fields the person changed keep their values, the
// others take current's. The person sees it before saving again.
func mergeForms(base, current, mine views.IncidentForm) views.IncidentForm {
	out := mine
	out.Values = map[string]string{}
	for k, v := range current.Values {
		out.Values[k] = v
	}
	for k, v := range mine.Values {
		if k == "why" || v != base.Values[k] {
			out.Values[k] = v
		}
	}
	if slices.Equal(nonBlank(mine.Sources), nonBlank(base.Sources)) {
		out.Sources = current.Sources
	}
	if slices.Equal(nonBlank(mine.Disagreements), nonBlank(base.Disagreements)) {
		out.Disagreements = current.Disagreements
	}
	return out
}

func nonBlank[T comparable](rows []T) []T {
	var zero T
	var out []T
	for _, r := range rows {
		if r != zero {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) historyPage(c echo.Context, id int64, vs []geo.Version) error {
	views_ := make([]views.VersionView, len(vs))
	var prev geo.Incident
	title := ""
	for i, v := range vs {
		views_[i] = views.VersionView{Version: v, Current: v.To.IsZero() && !v.Deleted()}
		if !v.Deleted() {
			views_[i].Changes = geo.Diff(prev, v.Incident)
			prev, title = v.Incident, v.Incident.Title
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, views.HistoryPage(auth.CSRFToken(c), id, title, views_))
}

func (s *Server) proposalViews(c echo.Context, ps []geo.Proposal) []views.ProposalView {
	out := make([]views.ProposalView, len(ps))
	reports := map[int64]geo.Report{}
	for i, p := range ps {
		out[i] = views.ProposalView{Proposal: p, Changes: s.proposalJSON(c, p).Changes}
		if p.ReportID == 0 {
			continue
		}
		r, ok := reports[p.ReportID]
		if !ok {
			var err error
			if r, err = s.editor().Report(c.Request().Context(), p.ReportID); err != nil {
				continue // the proposal stands without its evidence
			}
			reports[p.ReportID] = r
		}
		marks := make([]views.Mark, len(p.Evidence))
		for j, e := range p.Evidence {
			marks[j] = views.Mark{Evidence: e, Draft: 1}
		}
		out[i].Report, out[i].Body = r, views.Highlight(r.Text, marks)
	}
	return out
}

func (s *Server) handleReview(c echo.Context) error {
	ps, err := s.editor().Proposals(c.Request().Context(), geo.ProposalOpen, 0)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, views.ReviewPage(auth.CSRFToken(c), s.proposalViews(c, ps)))
}

func (s *Server) handleDeleted(c echo.Context) error {
	vs, err := s.editor().DeletedIncidents(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, views.DeletedPage(auth.CSRFToken(c), vs))
}

// handleProposalForm lets an editor change a proposal before approving it.
func (s *Server) handleProposalForm(c echo.Context) error {
	p, err := s.proposalFor(c)
	if err != nil {
		return err
	}
	if p.Status != geo.ProposalOpen {
		return geo.Errorf(geo.EConflict, "proposal %d was %s already", p.ID, p.Status)
	}
	f := formOf(p.Incident)
	f.Values["why"] = p.Summary
	f.Action, f.Heading = "/proposals/"+strconv.FormatInt(p.ID, 10)+"/approve", i18n.T(c.Request().Context(), "form.review_approve", "title", i18n.Isolate(p.Incident.Title))
	return s.formPage(c, http.StatusOK, f)
}

// handleDeleteForm deletes from the edit page: an editor, the version the
// page was loaded at, and why.
func (s *Server) handleDeleteForm(c echo.Context) error {
	id, err := itemID(c)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	why := strings.TrimSpace(c.FormValue("why"))
	if version == 0 || why == "" {
		return &geo.Error{Kind: geo.EInvalid, Message: "say why the incident is deleted", Problems: []geo.Problem{{Field: "why", Reason: "must not be empty: the history keeps it"}}}
	}
	u, _ := auth.UserOf(c.Request().Context())
	ctx := geo.WithEdit(c.Request().Context(), geo.Edit{Author: u.Name, Summary: why})
	if err := s.editor().DeleteIncidentAt(ctx, id, version); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/deleted")
}
