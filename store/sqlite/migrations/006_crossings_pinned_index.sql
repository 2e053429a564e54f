-- The distance to the nearest border crossing, beside those to the border
-- and the barrier, each with an index for the "within N km" filters.
ALTER TABLE incidents ADD COLUMN crossing_km REAL;
CREATE INDEX incidents_border_km ON incidents (border_km);
CREATE INDEX incidents_crossing_km ON incidents (crossing_km);
ALTER TABLE incident_versions ADD COLUMN crossing_km REAL;

-- Versions keep their marker point (as incidents do since 004), so pinned
-- views cluster and count like current ones.
ALTER TABLE incident_versions ADD COLUMN px REAL;
ALTER TABLE incident_versions ADD COLUMN py REAL;
ALTER TABLE incident_versions ADD COLUMN mx REAL;
ALTER TABLE incident_versions ADD COLUMN my REAL;

-- Versions indexed in space and time: the box and the seconds since 1970
-- during which the version stood (the current one: to a far future). The
-- R*Tree stores 32-bit floats rounded outward, so it narrows the search
-- and the exact valid_from/valid_to test decides. Filled by the store on
-- every write; rows from before are filled on open.
CREATE VIRTUAL TABLE incident_versions_rtree USING rtree (version_id, min_x, max_x, min_y, max_y, min_t, max_t);
