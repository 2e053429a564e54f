-- Proposals: a contributor's new incident or change, waiting for review.
-- They live apart from incidents and their versions, so nothing that
-- serves the public can show one; an approval writes it as a version.
CREATE TABLE proposals (
    id           INTEGER PRIMARY KEY,
    incident_id  INTEGER,           -- NULL: a new incident
    base_version INTEGER,           -- the version it was made against
    author_id    INTEGER NOT NULL REFERENCES users (id),
    author       TEXT NOT NULL,
    summary      TEXT NOT NULL,
    feature      TEXT NOT NULL,     -- the proposed incident, a GeoJSON feature
    status       TEXT NOT NULL DEFAULT 'open',
    reason       TEXT NOT NULL DEFAULT '',
    reviewer     TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    decided_at   TEXT
);
CREATE INDEX proposals_status ON proposals (status, created_at);
CREATE INDEX proposals_author ON proposals (author_id, created_at);
