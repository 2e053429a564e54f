-- Each incident's distance to the border and to the barrier, in km,
-- computed on every write from the context layers of those kinds (NULL when
-- there is no such layer), and recomputed when such a layer changes.
ALTER TABLE incidents ADD COLUMN border_km REAL;
ALTER TABLE incidents ADD COLUMN barrier_km REAL;
CREATE INDEX incidents_barrier_km ON incidents (barrier_km);

-- What changed when: one version number bumped by every write, for ETags
-- and Last-Modified.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('version', '1'), ('modified_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
