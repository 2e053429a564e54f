-- Every version of every incident, written in the same transaction as the
-- change, so a view pinned to a moment (as_of) shows exactly what was there.
-- valid_from/valid_to are fixed-width UTC times with nanoseconds, so they
-- compare as text; valid_to is NULL for the current version, and a deleted
-- incident has no current version.
CREATE TABLE incident_versions (
    version_id     INTEGER PRIMARY KEY,
    valid_from     TEXT    NOT NULL,
    valid_to       TEXT,
    id             INTEGER NOT NULL,
    title          TEXT    NOT NULL,
    summary        TEXT    NOT NULL,
    event_date     TEXT    NOT NULL,
    date_first     TEXT    NOT NULL,
    date_last      TEXT    NOT NULL,
    time_precision INTEGER NOT NULL,
    disorder_type  TEXT    NOT NULL,
    event_type     TEXT    NOT NULL,
    sub_event_type TEXT    NOT NULL,
    actor1         TEXT    NOT NULL,
    assoc_actor_1  TEXT    NOT NULL,
    actor2         TEXT    NOT NULL,
    assoc_actor_2  TEXT    NOT NULL,
    fatalities     INTEGER,
    injuries       INTEGER,
    location       TEXT    NOT NULL,
    admin1         TEXT    NOT NULL,
    country        TEXT    NOT NULL,
    geo_precision  INTEGER NOT NULL,
    geom           BLOB    NOT NULL,
    min_x REAL NOT NULL, min_y REAL NOT NULL, max_x REAL NOT NULL, max_y REAL NOT NULL,
    sources        TEXT    NOT NULL,
    disagreements  TEXT    NOT NULL,
    tags           TEXT    NOT NULL,
    notes          TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    border_km      REAL,
    barrier_km     REAL
);
CREATE INDEX incident_versions_id ON incident_versions (id, valid_from);
CREATE INDEX incident_versions_time ON incident_versions (valid_from, valid_to);

-- What is stored now becomes the first version, valid from its last update.
INSERT INTO incident_versions (valid_from, id, title, summary, event_date, date_first, date_last,
    time_precision, disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, actor2,
    assoc_actor_2, fatalities, injuries, location, admin1, country, geo_precision, geom,
    min_x, min_y, max_x, max_y, sources, disagreements, tags, notes, created_at, updated_at,
    border_km, barrier_km)
SELECT strftime('%Y-%m-%dT%H:%M:%S.000000000Z', updated_at), id, title, summary, event_date, date_first, date_last,
    time_precision, disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, actor2,
    assoc_actor_2, fatalities, injuries, location, admin1, country, geo_precision, geom,
    min_x, min_y, max_x, max_y, sources, disagreements, tags, notes, created_at, updated_at,
    border_km, barrier_km
FROM incidents;
