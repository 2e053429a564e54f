package record

import "strings"

// Table is one table as a copy between engines (borderwatch migrate) reads
// and writes it: its portable columns, the geometry column (WKB in
// transit) and the JSON ones (text in transit).
type Table struct {
	Name    string
	Columns []string
	Geom    string
	JSON    []string
	Key     string // the order rows are read in
}

func columns(list string) []string {
	var out []string
	for _, c := range strings.Split(list, ",") {
		out = append(out, strings.TrimSpace(c))
	}
	return out
}

// Tables are what a copy moves, in an order that keeps foreign keys
// satisfied. Failed logins are not moved: they are gone in a day anyway.
var Tables = []Table{
	{Name: "layers", Columns: columns(`id, title, description, kind, attribution, position`), Key: "id"},
	{Name: "layer_features", Columns: columns(`layer_id, id, geom, properties, min_x, min_y, max_x, max_y`), Geom: "geom", JSON: []string{"properties"}, Key: "layer_id, id"},
	{Name: "users", Columns: columns(`id, name, role, password_hash, disabled_at, created_at`), Key: "id"},
	{Name: "sessions", Columns: columns(`id_hash, user_id, created_at, expires_at`), Key: "id_hash"},
	{Name: "api_tokens", Columns: columns(`id, token_hash, user_id, name, created_at, expires_at, revoked_at`), Key: "id"},
	{Name: "reports", Columns: columns(`id, text, publisher, title, url, published, author_id, author, created_at`), Key: "id"},
	{Name: "incidents", Columns: append([]string{"id"}, columns(InsertColumns)...), Geom: "geom",
		JSON: []string{"sources", "disagreements", "tags", "acled"}, Key: "id"},
	{Name: "incident_versions", Columns: append(columns(`version_id, valid_from, valid_to, author, edit_summary, change`), columns(VersionColumns)...),
		Geom: "geom", JSON: []string{"sources", "disagreements", "tags", "acled"}, Key: "version_id"},
	{Name: "proposals", Columns: columns(`id, incident_id, base_version, author_id, author, summary, feature, status, reason, reviewer, created_at, decided_at, report_id, evidence`),
		JSON: []string{"evidence"}, Key: "id"},
	{Name: "meta", Columns: columns(`key, value`), Key: "key"},
}

// Select is the query that reads t, each column through read (which may
// wrap the geometry or a JSON column).
func (t Table) Select(read func(column string, geom, json bool) string) string {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = read(c, c == t.Geom, t.isJSON(c))
	}
	return `SELECT ` + strings.Join(cols, `, `) + ` FROM ` + t.Name + ` ORDER BY ` + t.Key
}

// Insert is the statement that writes a row of t, each value through
// write (which may wrap the geometry).
func (t Table) Insert(write func(column string, geom bool) string) string {
	vals := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		vals[i] = write(c, c == t.Geom)
	}
	return `INSERT INTO ` + t.Name + ` (` + strings.Join(t.Columns, `, `) + `) VALUES (` + strings.Join(vals, `, `) + `)`
}

func (t Table) isJSON(c string) bool {
	for _, j := range t.JSON {
		if j == c {
			return true
		}
	}
	return false
}
