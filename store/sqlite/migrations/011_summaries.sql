-- Summaries kept in step with the incidents by triggers, in the writing
-- transaction, so that clusters, counts and the timeline of the common
-- views cost the same at a million incidents as at ten thousand.

-- The cluster grid: for each zoom the map clusters at (0 to 12), cells of
-- 64 px, i.e. 4·2^z cells across the world in Web Mercator, one row per cell
-- and event type with the members' count, the sum of their ids (the id
-- itself when the count is 1), the sums of their marker points (the mean is
-- the cluster's centre) and the box of those points.
CREATE TABLE cluster_zooms (z INTEGER PRIMARY KEY);
INSERT INTO cluster_zooms (z) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12);

CREATE TABLE cluster_cells (
    z          INTEGER NOT NULL,
    cx         INTEGER NOT NULL,
    cy         INTEGER NOT NULL,
    event_type TEXT    NOT NULL,
    n          INTEGER NOT NULL,
    sum_id     INTEGER NOT NULL,
    sx REAL NOT NULL, sy REAL NOT NULL,
    min_x REAL NOT NULL, min_y REAL NOT NULL, max_x REAL NOT NULL, max_y REAL NOT NULL,
    PRIMARY KEY (z, cx, cy, event_type)
) WITHOUT ROWID;

-- Counts by event type and the two days that bound each event's date, with
-- the box of their markers: the filter panel's counts, the timeline, and
-- the count and box of a date range.
CREATE TABLE incident_spans (
    event_type TEXT    NOT NULL,
    date_first TEXT    NOT NULL,
    date_last  TEXT    NOT NULL,
    n          INTEGER NOT NULL,
    min_x REAL NOT NULL, min_y REAL NOT NULL, max_x REAL NOT NULL, max_y REAL NOT NULL,
    PRIMARY KEY (event_type, date_first, date_last)
) WITHOUT ROWID;

-- A large import turns the triggers off for its own transaction and
-- rebuilds the summaries before it commits (store.rebuildSummaries): no
-- reader ever sees bulk = 1. stale = 1 asks for a rebuild on open: the
-- rows stored before this migration are summed there, once.
CREATE TABLE summary_state (bulk INTEGER NOT NULL, stale INTEGER NOT NULL);
INSERT INTO summary_state (bulk, stale) VALUES (0, 1);

-- Finds a cell's members again when one on the edge of its box leaves.
CREATE INDEX incidents_cell ON incidents (event_type, mx, my, px, py);
-- Dates with what clustering a date range needs, so that it reads no row
-- (it replaces the index on dates alone, and the one on type and date).
DROP INDEX incidents_date;
DROP INDEX incidents_type;
CREATE INDEX incidents_date ON incidents (date_first, date_last, event_type, mx, my, px, py);
-- The sort orders the API offers, over everything and within one type. The
-- first carries what a box's page tests, so that the page of a dense box is
-- read in order from it, no row but the page's touched.
CREATE INDEX incidents_event_date ON incidents (event_date, id, min_x, max_x, min_y, max_y, event_type, date_first, date_last);
CREATE INDEX incidents_type_date ON incidents (event_type, event_date, id);

-- The R*Tree carries each incident's dates and type, so that a box's count
-- and its first page in date order need no row but the page's.
CREATE VIRTUAL TABLE incidents_rtree_011 USING rtree (id, min_x, max_x, min_y, max_y,
    +event_date TEXT, +date_first TEXT, +date_last TEXT, +event_type TEXT);
INSERT INTO incidents_rtree_011 (id, min_x, max_x, min_y, max_y, event_date, date_first, date_last, event_type)
SELECT r.id, r.min_x, r.max_x, r.min_y, r.max_y, i.event_date, i.date_first, i.date_last, i.event_type
FROM incidents_rtree r JOIN incidents i ON i.id = r.id;
DROP TABLE incidents_rtree;
ALTER TABLE incidents_rtree_011 RENAME TO incidents_rtree;

CREATE TRIGGER incidents_summaries_insert AFTER INSERT ON incidents
WHEN NEW.mx IS NOT NULL AND NOT (SELECT bulk FROM summary_state)
BEGIN
    INSERT INTO cluster_cells (z, cx, cy, event_type, n, sum_id, sx, sy, min_x, min_y, max_x, max_y)
    SELECT z, CAST(NEW.mx * (4 << z) AS INTEGER), CAST(NEW.my * (4 << z) AS INTEGER), NEW.event_type,
        1, NEW.id, NEW.px, NEW.py, NEW.px, NEW.py, NEW.px, NEW.py
    FROM cluster_zooms WHERE true
    ON CONFLICT (z, cx, cy, event_type) DO UPDATE SET n = n + 1, sum_id = sum_id + excluded.sum_id,
        sx = sx + excluded.sx, sy = sy + excluded.sy,
        min_x = min(min_x, excluded.min_x), min_y = min(min_y, excluded.min_y),
        max_x = max(max_x, excluded.max_x), max_y = max(max_y, excluded.max_y);
    INSERT INTO incident_spans (event_type, date_first, date_last, n, min_x, min_y, max_x, max_y)
    VALUES (NEW.event_type, NEW.date_first, NEW.date_last, 1, NEW.px, NEW.py, NEW.px, NEW.py)
    ON CONFLICT (event_type, date_first, date_last) DO UPDATE SET n = n + 1,
        min_x = min(min_x, excluded.min_x), min_y = min(min_y, excluded.min_y),
        max_x = max(max_x, excluded.max_x), max_y = max(max_y, excluded.max_y);
END;

CREATE TRIGGER incidents_summaries_delete AFTER DELETE ON incidents
WHEN OLD.mx IS NOT NULL AND NOT (SELECT bulk FROM summary_state)
BEGIN
    UPDATE cluster_cells SET n = n - 1, sum_id = sum_id - OLD.id, sx = sx - OLD.px, sy = sy - OLD.py
    WHERE event_type = OLD.event_type
      AND (z, cx, cy) IN (SELECT z, CAST(OLD.mx * (4 << z) AS INTEGER), CAST(OLD.my * (4 << z) AS INTEGER) FROM cluster_zooms);
    DELETE FROM cluster_cells WHERE n = 0 AND event_type = OLD.event_type
      AND (z, cx, cy) IN (SELECT z, CAST(OLD.mx * (4 << z) AS INTEGER), CAST(OLD.my * (4 << z) AS INTEGER) FROM cluster_zooms);
    -- A member on the edge of the box left: measure the box again.
    UPDATE cluster_cells SET (min_x, min_y, max_x, max_y) = (
        SELECT min(px), min(py), max(px), max(py) FROM incidents
        WHERE event_type = cluster_cells.event_type
          AND mx >= cluster_cells.cx * 1.0 / (4 << cluster_cells.z) AND mx < (cluster_cells.cx + 1) * 1.0 / (4 << cluster_cells.z)
          AND my >= cluster_cells.cy * 1.0 / (4 << cluster_cells.z) AND my < (cluster_cells.cy + 1) * 1.0 / (4 << cluster_cells.z))
    WHERE event_type = OLD.event_type AND (OLD.px IN (min_x, max_x) OR OLD.py IN (min_y, max_y))
      AND (z, cx, cy) IN (SELECT z, CAST(OLD.mx * (4 << z) AS INTEGER), CAST(OLD.my * (4 << z) AS INTEGER) FROM cluster_zooms);
    UPDATE incident_spans SET n = n - 1
    WHERE event_type = OLD.event_type AND date_first = OLD.date_first AND date_last = OLD.date_last;
    DELETE FROM incident_spans
    WHERE n = 0 AND event_type = OLD.event_type AND date_first = OLD.date_first AND date_last = OLD.date_last;
    UPDATE incident_spans SET (min_x, min_y, max_x, max_y) = (
        SELECT min(px), min(py), max(px), max(py) FROM incidents
        WHERE event_type = OLD.event_type AND date_first = OLD.date_first AND date_last = OLD.date_last)
    WHERE event_type = OLD.event_type AND date_first = OLD.date_first AND date_last = OLD.date_last
      AND (OLD.px IN (min_x, max_x) OR OLD.py IN (min_y, max_y));
END;

-- There is no update trigger: the store changes a row's event type, dates
-- or marker only by INSERT OR REPLACE, which fires the delete trigger for
-- the old row (the store turns recursive_triggers on), and fills markers of
-- old rows on open with a rebuild (TestSummariesMatchTheirRebuild).
