-- The versions' R*Tree again, in 32-bit integers: boxes in millionths of a
-- degree, rounded outward, and whole seconds since 2000 (the start rounded
-- down, the end up; a current version's end is 2^31 - 1), so that whether
-- a version stood at a pin is decided from the R*Tree alone but within a
-- second of its start or end. It carries each version's valid times,
-- incident id, dates and type (as the incidents' one carries theirs since
-- 011): a pinned view of a box is counted, and its page chosen in date
-- order, with no version row read but the page's.
DROP TABLE incident_versions_rtree;
CREATE VIRTUAL TABLE incident_versions_rtree USING rtree_i32 (version_id, min_x, max_x, min_y, max_y, min_t, max_t,
    +valid_from TEXT, +valid_to TEXT, +id INTEGER, +event_date TEXT, +date_first TEXT, +date_last TEXT, +event_type TEXT);
INSERT INTO incident_versions_rtree (version_id, min_x, max_x, min_y, max_y, min_t, max_t,
    valid_from, valid_to, id, event_date, date_first, date_last, event_type)
SELECT version_id,
    CAST(min_x * 1e6 AS INTEGER) - 1, CAST(max_x * 1e6 AS INTEGER) + 1,
    CAST(min_y * 1e6 AS INTEGER) - 1, CAST(max_y * 1e6 AS INTEGER) + 1,
    CAST(strftime('%s', substr(valid_from, 1, 19)) AS INTEGER) - 946684800,
    CASE WHEN valid_to IS NULL THEN 2147483647 ELSE CAST(strftime('%s', substr(valid_to, 1, 19)) AS INTEGER) - 946684800
        + (substr(valid_to, 21, 9) <> '000000000') END,
    valid_from, valid_to, id, event_date, date_first, date_last, event_type
FROM incident_versions WHERE min_x IS NOT NULL AND (valid_to IS NULL OR valid_to > valid_from);
