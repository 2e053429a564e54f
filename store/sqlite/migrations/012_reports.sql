-- Reports read into draft incidents (geo/report): the text as read, kept so
-- that a reviewer sees each drafted field's evidence in it. Each draft is a
-- proposal that names its report and carries its evidence (JSON: field,
-- start, end, quote, note).
CREATE TABLE reports (
    id         INTEGER PRIMARY KEY,
    text       TEXT NOT NULL,
    publisher  TEXT NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    url        TEXT NOT NULL DEFAULT '',
    published  TEXT NOT NULL DEFAULT '',
    author_id  INTEGER NOT NULL REFERENCES users (id),
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
ALTER TABLE proposals ADD COLUMN report_id INTEGER REFERENCES reports (id);
ALTER TABLE proposals ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
CREATE INDEX proposals_report ON proposals (report_id);
