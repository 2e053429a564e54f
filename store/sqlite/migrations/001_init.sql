-- Incidents: one row each; geometry as WKB, its bounding box mirrored in the
-- R*Tree below (kept in step by the store in the same transaction).
CREATE TABLE incidents (
    id             INTEGER PRIMARY KEY,
    title          TEXT    NOT NULL CHECK (title <> ''),
    summary        TEXT    NOT NULL DEFAULT '',
    event_date     TEXT    NOT NULL,
    date_first     TEXT    NOT NULL, -- first and last day the event may have been on,
    date_last      TEXT    NOT NULL, -- from event_date and time_precision
    time_precision INTEGER NOT NULL CHECK (time_precision BETWEEN 1 AND 3),
    disorder_type  TEXT    NOT NULL,
    event_type     TEXT    NOT NULL,
    sub_event_type TEXT    NOT NULL,
    actor1         TEXT    NOT NULL,
    assoc_actor_1  TEXT    NOT NULL DEFAULT '',
    actor2         TEXT    NOT NULL DEFAULT '',
    assoc_actor_2  TEXT    NOT NULL DEFAULT '',
    fatalities     INTEGER CHECK (fatalities >= 0), -- NULL: unknown
    injuries       INTEGER CHECK (injuries >= 0),   -- NULL: unknown
    location       TEXT    NOT NULL DEFAULT '',
    admin1         TEXT    NOT NULL DEFAULT '',
    country        TEXT    NOT NULL,
    geo_precision  INTEGER NOT NULL CHECK (geo_precision BETWEEN 1 AND 3),
    geom           BLOB    NOT NULL,
    min_x REAL NOT NULL, min_y REAL NOT NULL, max_x REAL NOT NULL, max_y REAL NOT NULL,
    sources        TEXT    NOT NULL DEFAULT '[]', -- JSON array of geo.Source
    disagreements  TEXT    NOT NULL DEFAULT '[]', -- JSON array of geo.Disagreement
    tags           TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    notes          TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX incidents_date ON incidents (date_first, date_last);
CREATE INDEX incidents_type ON incidents (event_type, date_first);

CREATE VIRTUAL TABLE incidents_rtree USING rtree (id, min_x, max_x, min_y, max_y);

-- Context layers and their features.
CREATE TABLE layers (
    id          TEXT    PRIMARY KEY,
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    kind        TEXT    NOT NULL,
    attribution TEXT    NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE layer_features (
    layer_id   TEXT    NOT NULL REFERENCES layers (id) ON DELETE CASCADE,
    id         INTEGER NOT NULL,
    geom       BLOB    NOT NULL,
    properties TEXT    NOT NULL DEFAULT '{}',
    PRIMARY KEY (layer_id, id)
);
