-- Summaries kept in step with the incidents by a trigger, in the writing
-- transaction, as the SQLite schema keeps them (its migration 011): the
-- cluster grid (64 px cells at zooms 0 to 12, 4·2^z cells across the world
-- in Web Mercator, by event type: count, sum of ids, sums and box of the
-- marker points) and counts with marker boxes by event type and date span.
-- Clusters, counts and the timeline of the map's common views are read
-- from them (store/internal/core), so they cost the same at a million
-- incidents as at ten thousand.
CREATE TABLE cluster_cells (
    z          integer NOT NULL,
    cx         bigint  NOT NULL,
    cy         bigint  NOT NULL,
    event_type text    NOT NULL,
    n          bigint  NOT NULL,
    sum_id     bigint  NOT NULL,
    sx float8 NOT NULL, sy float8 NOT NULL,
    min_x float8 NOT NULL, min_y float8 NOT NULL, max_x float8 NOT NULL, max_y float8 NOT NULL,
    PRIMARY KEY (z, cx, cy, event_type)
);
CREATE TABLE incident_spans (
    event_type text   NOT NULL,
    date_first text   NOT NULL,
    date_last  text   NOT NULL,
    n          bigint NOT NULL,
    min_x float8 NOT NULL, min_y float8 NOT NULL, max_x float8 NOT NULL, max_y float8 NOT NULL,
    PRIMARY KEY (event_type, date_first, date_last)
);
-- Finds a cell's members again when one on the edge of its box leaves.
CREATE INDEX incidents_cell ON incidents (event_type, mx, my);

-- A large import sets borderwatch.bulk for its own transaction and
-- rebuilds the summaries before it commits: no reader sees it half done.
CREATE FUNCTION incidents_summaries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('borderwatch.bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE cluster_cells c SET n = c.n - 1, sum_id = c.sum_id - OLD.id, sx = c.sx - OLD.px, sy = c.sy - OLD.py
        FROM generate_series(0, 12) g(z)
        WHERE c.z = g.z AND c.cx = floor(OLD.mx * (4 << g.z))::bigint AND c.cy = floor(OLD.my * (4 << g.z))::bigint
          AND c.event_type = OLD.event_type;
        DELETE FROM cluster_cells WHERE n = 0 AND (z, cx, cy, event_type) IN (
            SELECT g.z, floor(OLD.mx * (4 << g.z))::bigint, floor(OLD.my * (4 << g.z))::bigint, OLD.event_type
            FROM generate_series(0, 12) g(z));
        -- A member on the edge of the box left: measure the box again.
        UPDATE cluster_cells c SET (min_x, min_y, max_x, max_y) = (
            SELECT min(i.px), min(i.py), max(i.px), max(i.py) FROM incidents i
            WHERE i.event_type = c.event_type
              AND i.mx >= c.cx::float8 / (4 << c.z) AND i.mx < (c.cx + 1)::float8 / (4 << c.z)
              AND i.my >= c.cy::float8 / (4 << c.z) AND i.my < (c.cy + 1)::float8 / (4 << c.z))
        FROM generate_series(0, 12) g(z)
        WHERE c.z = g.z AND c.cx = floor(OLD.mx * (4 << g.z))::bigint AND c.cy = floor(OLD.my * (4 << g.z))::bigint
          AND c.event_type = OLD.event_type AND (OLD.px IN (c.min_x, c.max_x) OR OLD.py IN (c.min_y, c.max_y));
        UPDATE incident_spans SET n = n - 1
        WHERE event_type = OLD.event_type AND date_first = OLD.date_first AND date_last = OLD.date_last;
        DELETE FROM incident_spans
        WHERE n = 0 AND event_type = OLD.event_type AND date_first = OLD.date_first AND date_last = OLD.date_last;
        UPDATE incident_spans s SET (min_x, min_y, max_x, max_y) = (
            SELECT min(px), min(py), max(px), max(py) FROM incidents
            WHERE event_type = OLD.event_type AND date_first = OLD.date_first AND date_last = OLD.date_last)
        WHERE s.event_type = OLD.event_type AND s.date_first = OLD.date_first AND s.date_last = OLD.date_last
          AND (OLD.px IN (s.min_x, s.max_x) OR OLD.py IN (s.min_y, s.max_y));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO cluster_cells AS c (z, cx, cy, event_type, n, sum_id, sx, sy, min_x, min_y, max_x, max_y)
        SELECT g.z, floor(NEW.mx * (4 << g.z))::bigint, floor(NEW.my * (4 << g.z))::bigint, NEW.event_type,
            1, NEW.id, NEW.px, NEW.py, NEW.px, NEW.py, NEW.px, NEW.py
        FROM generate_series(0, 12) g(z)
        ON CONFLICT (z, cx, cy, event_type) DO UPDATE SET n = c.n + 1, sum_id = c.sum_id + excluded.sum_id,
            sx = c.sx + excluded.sx, sy = c.sy + excluded.sy,
            min_x = least(c.min_x, excluded.min_x), min_y = least(c.min_y, excluded.min_y),
            max_x = greatest(c.max_x, excluded.max_x), max_y = greatest(c.max_y, excluded.max_y);
        INSERT INTO incident_spans AS s (event_type, date_first, date_last, n, min_x, min_y, max_x, max_y)
        VALUES (NEW.event_type, NEW.date_first, NEW.date_last, 1, NEW.px, NEW.py, NEW.px, NEW.py)
        ON CONFLICT (event_type, date_first, date_last) DO UPDATE SET n = s.n + 1,
            min_x = least(s.min_x, excluded.min_x), min_y = least(s.min_y, excluded.min_y),
            max_x = greatest(s.max_x, excluded.max_x), max_y = greatest(s.max_y, excluded.max_y);
    END IF;
    RETURN NULL;
END
$$;

-- An update of anything the summaries count by; a remeasure of distances
-- sets none of these and fires nothing.
CREATE TRIGGER incidents_summaries AFTER INSERT OR DELETE OR UPDATE OF id, event_type, date_first, date_last, px, py, mx, my
    ON incidents FOR EACH ROW EXECUTE FUNCTION incidents_summaries();
