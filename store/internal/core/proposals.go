package core

import (
	"context"
	"fmt"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
)

// Propose stores a contributor's new incident or change for review.
func (s Store) Propose(ctx context.Context, p *geo.Proposal) error {
	if err := p.Incident.Validate(); err != nil {
		return err
	}
	feature, err := geo.FeatureJSON(p.Incident)
	if err != nil {
		return err
	}
	return s.E.Write(ctx, false, func(tx Tx) error { return insertProposal(ctx, tx, p, string(feature)) })
}

// insertProposal writes p (its feature already encoded) in tx.
func insertProposal(ctx context.Context, tx Tx, p *geo.Proposal, feature string) error {
	if p.IncidentID != 0 {
		v, err := CurrentVersion(ctx, tx, p.IncidentID)
		if err != nil {
			return err
		}
		if p.BaseVersion == 0 {
			p.BaseVersion = v
		} else if p.BaseVersion != v {
			return geo.Errorf(geo.EStale, "incident %d has changed since version %d: reload it and propose your change again", p.IncidentID, p.BaseVersion)
		}
	}
	p.Status, p.CreatedAt = geo.ProposalOpen, tx.Now().UTC().Truncate(time.Second)
	evidence, err := record.Evidence(p)
	if err != nil {
		return err
	}
	p.ID, err = tx.Insert(ctx, `INSERT INTO proposals (incident_id, base_version, author_id, author, summary, feature, created_at, report_id, evidence)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, record.NullInt(p.IncidentID), record.NullInt(p.BaseVersion), p.AuthorID, p.Author,
		p.Summary, feature, stamp(tx.Now()), record.NullInt(p.ReportID), evidence)
	if err != nil {
		return fmt.Errorf("propose: %w", err)
	}
	return nil
}

// ProposeReport stores a report and its drafts as proposals for review,
// all in one transaction: every draft is checked first, and if one is
// refused nothing is written. Each proposal's ReportID is set.
func (s Store) ProposeReport(ctx context.Context, r *geo.Report, ps []geo.Proposal) error {
	features := make([]string, len(ps))
	for i := range ps {
		if err := ps[i].Incident.Validate(); err != nil {
			return fmt.Errorf("draft %d (%s): %w", i+1, ps[i].Incident.Title, err)
		}
		b, err := geo.FeatureJSON(ps[i].Incident)
		if err != nil {
			return err
		}
		features[i] = string(b)
	}
	return s.E.Write(ctx, false, func(tx Tx) error {
		r.CreatedAt = tx.Now().UTC().Truncate(time.Second)
		var err error
		if r.ID, err = tx.Insert(ctx, `INSERT INTO reports (text, publisher, title, url, published, author_id, author, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.Text, r.Publisher, r.Title, r.URL, r.Published, r.AuthorID, r.Author, stamp(tx.Now())); err != nil {
			return fmt.Errorf("save report: %w", err)
		}
		for i := range ps {
			ps[i].ReportID = r.ID
			if err := insertProposal(ctx, tx, &ps[i], features[i]); err != nil {
				return fmt.Errorf("draft %d (%s): %w", i+1, ps[i].Incident.Title, err)
			}
		}
		return nil
	})
}

// Report returns a stored report.
func (s Store) Report(ctx context.Context, id int64) (geo.Report, error) {
	var r geo.Report
	err := s.E.Read(ctx, func(tx Tx) error {
		var created string
		err := tx.QueryRow(ctx, `SELECT id, text, publisher, title, url, published, author_id, author, created_at FROM reports WHERE id = ?`, id).
			Scan(&r.ID, &r.Text, &r.Publisher, &r.Title, &r.URL, &r.Published, &r.AuthorID, &r.Author, &created)
		r.CreatedAt, _ = time.Parse(time.RFC3339, created)
		return notFound(err, "report %d not found", id)
	})
	return r, err
}

// Proposal returns one proposal.
func (s Store) Proposal(ctx context.Context, id int64) (geo.Proposal, error) {
	var p geo.Proposal
	err := s.E.Read(ctx, func(tx Tx) error {
		var err error
		p, err = record.ScanProposal(tx.QueryRow(ctx, `SELECT `+record.ProposalColumns+` FROM proposals WHERE id = ?`, id))
		return notFound(err, "proposal %d not found", id)
	})
	return p, err
}

// Proposals lists proposals, newest first: those with the status (""
// all), by the author (0 anyone's).
func (s Store) Proposals(ctx context.Context, status string, authorID int64) ([]geo.Proposal, error) {
	return readAll(ctx, s.E, "proposals", record.ScanProposal, `SELECT `+record.ProposalColumns+` FROM proposals
		WHERE (CAST(? AS TEXT) = '' OR status = ?) AND (CAST(? AS BIGINT) = 0 OR author_id = ?) ORDER BY created_at DESC, id DESC`,
		status, status, authorID, authorID)
}

// openProposal loads an open proposal in tx, locking it where the engine
// locks rows.
func (s Store) openProposal(ctx context.Context, tx Tx, id int64) (geo.Proposal, error) {
	p, err := record.ScanProposal(tx.QueryRow(ctx, `SELECT `+record.ProposalColumns+` FROM proposals WHERE id = ?`+s.E.ForUpdate(), id))
	if err != nil {
		return p, notFound(err, "proposal %d not found", id)
	}
	if p.Status != geo.ProposalOpen {
		return p, geo.Errorf(geo.EConflict, "proposal %d was %s already", id, p.Status)
	}
	return p, nil
}

// ApproveProposal publishes a proposal (edited, when the reviewer changed
// it first: nil keeps it as proposed) as a version by its author, and
// returns the incident. A change to an incident that has changed since the
// proposal was made is refused as stale.
func (s Store) ApproveProposal(ctx context.Context, id int64, reviewer string, edited *geo.Incident) (geo.Incident, error) {
	var inc geo.Incident
	if edited != nil {
		if err := edited.Validate(); err != nil {
			return inc, err
		}
	}
	err := s.E.Write(ctx, true, func(tx Tx) error {
		p, err := s.openProposal(ctx, tx, id)
		if err != nil {
			return err
		}
		inc = p.Incident
		if edited != nil {
			inc = *edited
		}
		inc.ID = p.IncidentID
		if p.IncidentID != 0 {
			if err := s.checkVersion(ctx, tx, p.IncidentID, p.BaseVersion); err != nil {
				return err
			}
		}
		lines, err := s.ContextLines(ctx, tx)
		if err != nil {
			return err
		}
		summary := p.Summary + " (proposed by " + p.Author + ", approved by " + reviewer + ")"
		if _, err := s.E.Put(geo.WithEdit(ctx, geo.Edit{Author: p.Author, Summary: summary}), tx, &inc, lines, ""); err != nil {
			return fmt.Errorf("approve proposal %d: %w", id, err)
		}
		_, err = tx.Exec(ctx, `UPDATE proposals SET status = ?, reviewer = ?, decided_at = ?, incident_id = ? WHERE id = ?`,
			geo.ProposalApproved, reviewer, stamp(tx.Now()), inc.ID, id)
		return err
	})
	return inc, err
}

// RejectProposal closes a proposal with the reason its author will see.
func (s Store) RejectProposal(ctx context.Context, id int64, reviewer, reason string) error {
	return s.E.Write(ctx, false, func(tx Tx) error {
		if _, err := s.openProposal(ctx, tx, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE proposals SET status = ?, reviewer = ?, reason = ?, decided_at = ? WHERE id = ?`,
			geo.ProposalRejected, reviewer, reason, stamp(tx.Now()), id)
		return err
	})
}

var _ geo.Editor = Store{}
