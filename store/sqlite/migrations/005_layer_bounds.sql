-- Each layer feature's bounding box, so layers are queried by box, paged
-- and counted in SQL like incidents. Filled by the store on every write;
-- rows from before are filled on open.
ALTER TABLE layer_features ADD COLUMN min_x REAL;
ALTER TABLE layer_features ADD COLUMN min_y REAL;
ALTER TABLE layer_features ADD COLUMN max_x REAL;
ALTER TABLE layer_features ADD COLUMN max_y REAL;
