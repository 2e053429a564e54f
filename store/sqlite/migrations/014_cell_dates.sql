-- The incidents in date order cell by cell: 0.5° cells, numbered
-- x * 1000 + y from 180° W and 90° S, an incident in the cell its box lies
-- in, or in -1 when its box crosses a cell's edge. A page of a small box is
-- the merge of the date orders of the few cells it meets, each read only
-- up to the page's last date, rather than the whole date order read until
-- enough incidents fell in the box (boxPage). The expression is cellKey's,
-- in store/sqlite/summaries.go: a query uses this index only when its text
-- is the same expression.
CREATE INDEX incidents_cell_date ON incidents ((CASE
    WHEN CAST((min_x + 180) * 2 AS INTEGER) = CAST((max_x + 180) * 2 AS INTEGER)
     AND CAST((min_y + 90) * 2 AS INTEGER) = CAST((max_y + 90) * 2 AS INTEGER)
    THEN CAST((min_x + 180) * 2 AS INTEGER) * 1000 + CAST((min_y + 90) * 2 AS INTEGER)
    ELSE -1 END), event_date, id, min_x, max_x, min_y, max_y, event_type, date_first, date_last);
