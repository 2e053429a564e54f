package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/geo/report"
	"github.com/borderwatch/borderwatch/web/auth"
	"github.com/borderwatch/borderwatch/web/views"
	"github.com/labstack/echo/v4"
)

// maxReportBody is the largest request a report comes in: the report's
// own limit and room for a form's other fields and its encoding.
const maxReportBody = report.MaxBytes + 64<<10

// reportStore is the store as reading reports needs it: its reads, and
// the editor's ProposeReport.
type reportStore struct {
	geo.Store
	geo.Editor
}

// ingest reads raw as a report for u: dry, or into the review queue.
func (s *Server) ingest(c echo.Context, raw []byte, meta report.Meta, u geo.User, dry bool) (report.Result, error) {
	if s.cfg.Gazetteer == nil {
		return report.Result{}, geo.Errorf(geo.ENotFound, "reading reports is not set up on this server")
	}
	g, err := s.cfg.Gazetteer()
	if err != nil {
		return report.Result{}, err
	}
	ctx := c.Request().Context()
	st := reportStore{s.cfg.Store, s.editor()}
	if err := report.WithLayers(ctx, st, g); err != nil {
		return report.Result{}, err
	}
	return report.Ingest(ctx, st, g, raw, meta, u, dry)
}

// reportMeta reads the report's publisher, date, address and title from
// a form or query; the problem names what is wrong.
func reportMeta(get func(string) string) (report.Meta, *geo.Error) {
	m := report.Meta{Publisher: strings.TrimSpace(get("publisher")), URL: strings.TrimSpace(get("url")), Title: strings.TrimSpace(get("title"))}
	var ps []geo.Problem
	if d := strings.TrimSpace(get("published")); d != "" {
		t, err := time.Parse(geo.DateLayout, d)
		if err != nil {
			ps = append(ps, geo.Problem{Field: "published", Reason: "must be a date (YYYY-MM-DD), got " + strconv.Quote(d)})
		}
		m.Published = t
	}
	if m.URL != "" && !strings.HasPrefix(m.URL, "http://") && !strings.HasPrefix(m.URL, "https://") {
		ps = append(ps, geo.Problem{Field: "url", Reason: "must be an http(s) address"})
	}
	if len(ps) > 0 {
		return m, &geo.Error{Kind: geo.EInvalid, Message: "the report's details are wrong", Problems: ps}
	}
	return m, nil
}

// handleReportsAPI is POST /reports: the body is the report (text/plain or
// text/html), the query its details; dry_run=true answers the drafts and
// writes nothing, else they wait for review (201, Location: the report).
func (s *Server) handleReportsAPI(c echo.Context) error {
	raw, err := readBody(c, echo.MIMETextPlain, echo.MIMETextHTML)
	if err != nil {
		return err
	}
	meta, problem := reportMeta(c.QueryParam)
	if problem != nil {
		return problem
	}
	dry := c.QueryParam("dry_run") == "true"
	u, _ := auth.UserOf(c.Request().Context())
	res, err := s.ingest(c, raw, meta, u, dry)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !dry {
		status = http.StatusCreated
		c.Response().Header().Set("Location", s.baseURL(c)+"/reports/"+strconv.FormatInt(res.Stored.ID, 10))
	}
	var b bytes.Buffer
	if err := report.WriteGeoJSON(&b, res.Drafts); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(status, mediaGeoJSON, b.Bytes())
}

// handleReportForm shows the "Read a report" page, and reads what it
// sends: "Read" shows the drafts with their evidence, "Propose" puts them
// in the review queue and shows the report.
func (s *Server) handleReportForm(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	f := views.ReportForm{CSRF: auth.CSRFToken(c)}
	if c.Request().Method != http.MethodPost {
		return s.render(c, http.StatusOK, views.ReportFormPage(f))
	}
	f.Text, f.Publisher, f.Published, f.URL, f.Title = c.FormValue("text"), c.FormValue("publisher"), c.FormValue("published"), c.FormValue("url"), c.FormValue("title")
	raw := []byte(f.Text)
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		file, err := fh.Open()
		if err != nil {
			return err
		}
		raw, err = io.ReadAll(io.LimitReader(file, report.MaxBytes+1))
		file.Close()
		if err != nil {
			return err
		}
	}
	fail := func(err error) error {
		var ge *geo.Error
		if !errors.As(err, &ge) || ge.Kind == geo.EInternal {
			return err
		}
		f.Problem = ge.Message
		for _, p := range ge.Problems {
			f.Problem += "; " + p.Field + " " + p.Reason
		}
		return s.render(c, http.StatusBadRequest, views.ReportFormPage(f))
	}
	meta, problem := reportMeta(c.FormValue)
	if problem != nil {
		return fail(problem)
	}
	propose := c.FormValue("action") == "propose"
	u, _ := auth.UserOf(c.Request().Context())
	res, err := s.ingest(c, raw, meta, u, !propose)
	if err != nil {
		if res.Report != nil { // read, but nothing could be proposed: show why beside the drafts
			f.Drafts = draftViews(res)
		}
		return fail(err)
	}
	if propose {
		return c.Redirect(http.StatusSeeOther, "/reports/"+strconv.FormatInt(res.Stored.ID, 10))
	}
	if f.Text == "" { // an upload: the form keeps the text for "Propose"
		f.Text = string(raw)
	}
	f.Read, f.Drafts = true, draftViews(res)
	f.Body = views.Highlight(res.Report.Text, allEvidence(res.Drafts))
	return s.render(c, http.StatusOK, views.ReportFormPage(f))
}

func draftViews(res report.Result) []views.DraftView {
	out := make([]views.DraftView, len(res.Drafts))
	for i, d := range res.Drafts {
		out[i] = views.DraftView{N: i + 1, Text: res.Report.Text, Incident: d.Read, Evidence: d.Evidence, Problems: d.Problems, Match: d.Match, Known: d.Known}
	}
	return out
}

// allEvidence numbers each draft's evidence by its draft, for colours.
func allEvidence(ds []report.Draft) []views.Mark {
	var out []views.Mark
	for i, d := range ds {
		for _, e := range d.Evidence {
			out = append(out, views.Mark{Evidence: e, Draft: i + 1})
		}
	}
	return out
}

// handleReport shows a stored report with the evidence of its drafts, to
// its author and to editors.
func (s *Server) handleReport(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return geo.Errorf(geo.ENotFound, "report %q not found", c.Param("id"))
	}
	ctx := c.Request().Context()
	r, err := s.editor().Report(ctx, id)
	if err != nil {
		return err
	}
	u, _ := auth.UserOf(ctx)
	if r.AuthorID != u.ID && !u.Role.AtLeast(geo.RoleEditor) {
		return geo.Errorf(geo.ENotFound, "report %d not found", id) // not even whether it exists
	}
	ps, err := s.editor().Proposals(ctx, "", 0)
	if err != nil {
		return err
	}
	var mine []geo.Proposal
	var marks []views.Mark
	for i := len(ps) - 1; i >= 0; i-- { // oldest first: the report's order
		if ps[i].ReportID == id {
			mine = append(mine, ps[i])
			for _, e := range ps[i].Evidence {
				marks = append(marks, views.Mark{Evidence: e, Draft: len(mine)})
			}
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, views.ReportPage(r, mine, views.Highlight(r.Text, marks), u.Role.AtLeast(geo.RoleEditor)))
}
