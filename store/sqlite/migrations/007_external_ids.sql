-- The id a record has in the dataset it came from (ACLED's event_id_cnty),
-- unique, so a re-import updates rather than duplicates; and ACLED's
-- columns Borderwatch keeps as they came (a JSON object).
ALTER TABLE incidents ADD COLUMN external_id TEXT;
ALTER TABLE incidents ADD COLUMN acled TEXT NOT NULL DEFAULT '{}';
CREATE UNIQUE INDEX incidents_external_id ON incidents (external_id) WHERE external_id IS NOT NULL;
ALTER TABLE incident_versions ADD COLUMN external_id TEXT;
ALTER TABLE incident_versions ADD COLUMN acled TEXT NOT NULL DEFAULT '{}';
