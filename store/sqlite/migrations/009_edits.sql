-- Who made each version, why, and what kind of change it was: the history
-- is the audit log. A deletion is recorded as a version that stood for no
-- time (valid_from = valid_to), so as_of never shows it and the history
-- keeps who deleted the incident and why.
ALTER TABLE incident_versions ADD COLUMN author TEXT NOT NULL DEFAULT 'system';
ALTER TABLE incident_versions ADD COLUMN edit_summary TEXT NOT NULL DEFAULT '';
ALTER TABLE incident_versions ADD COLUMN change TEXT NOT NULL DEFAULT 'edit';
