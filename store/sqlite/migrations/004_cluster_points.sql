-- Where each incident's marker goes (its representative point), in degrees
-- and in Web Mercator units of [0, 1), for clustering on a pixel grid at any
-- zoom. Filled by the store on every write; rows from before are filled on
-- open.
ALTER TABLE incidents ADD COLUMN px REAL;
ALTER TABLE incidents ADD COLUMN py REAL;
ALTER TABLE incidents ADD COLUMN mx REAL;
ALTER TABLE incidents ADD COLUMN my REAL;
