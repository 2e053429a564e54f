-- How many incidents lie in each 1/64° cell, by event type and of all
-- types (event type ''), kept by the writer: a box's count is the sum of
-- the cells inside it, plus the incidents of the cells on its edge and of
-- those over a cell's edge (cell -1), tested against the box one by one
-- from incidents_fine_cell (cellsCount, in store/sqlite/cellcounts.go).
-- Cells are numbered x * 100000 + y from 180° W and 90° S. The expression
-- is fineCell's there: a query uses the index only when its text is the
-- same expression.
CREATE TABLE cell_counts (
    event_type TEXT    NOT NULL, -- '': all types
    cell       INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (event_type, cell)
) WITHOUT ROWID;

CREATE INDEX incidents_fine_cell ON incidents ((CASE
    WHEN CAST((min_x + 180) * 64 AS INTEGER) = CAST((max_x + 180) * 64 AS INTEGER)
     AND CAST((min_y + 90) * 64 AS INTEGER) = CAST((max_y + 90) * 64 AS INTEGER)
    THEN CAST((min_x + 180) * 64 AS INTEGER) * 100000 + CAST((min_y + 90) * 64 AS INTEGER)
    ELSE -1 END), event_type, min_x, max_x, min_y, max_y);

-- A cell emptied keeps its rows, at 0, until the next rebuild. Named as
-- the other summaries' triggers, so that a large import drops them and
-- sums the counts again at the end (bulk, rebuildSummaries).
CREATE TRIGGER incidents_summaries_cells_insert AFTER INSERT ON incidents
BEGIN
    INSERT INTO cell_counts (event_type, cell, n)
    SELECT t.event_type, c.cell, 1
    FROM (SELECT NEW.event_type AS event_type UNION ALL SELECT '') t, (SELECT CASE
        WHEN CAST((NEW.min_x + 180) * 64 AS INTEGER) = CAST((NEW.max_x + 180) * 64 AS INTEGER)
         AND CAST((NEW.min_y + 90) * 64 AS INTEGER) = CAST((NEW.max_y + 90) * 64 AS INTEGER)
        THEN CAST((NEW.min_x + 180) * 64 AS INTEGER) * 100000 + CAST((NEW.min_y + 90) * 64 AS INTEGER)
        ELSE -1 END AS cell) c
    WHERE true
    ON CONFLICT (event_type, cell) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER incidents_summaries_cells_delete AFTER DELETE ON incidents
BEGIN
    UPDATE cell_counts SET n = n - 1 WHERE event_type IN (OLD.event_type, '') AND cell = (CASE
        WHEN CAST((OLD.min_x + 180) * 64 AS INTEGER) = CAST((OLD.max_x + 180) * 64 AS INTEGER)
         AND CAST((OLD.min_y + 90) * 64 AS INTEGER) = CAST((OLD.max_y + 90) * 64 AS INTEGER)
        THEN CAST((OLD.min_x + 180) * 64 AS INTEGER) * 100000 + CAST((OLD.min_y + 90) * 64 AS INTEGER)
        ELSE -1 END);
END;

-- The counts of the rows already stored are summed on open.
UPDATE summary_state SET stale = 1;
