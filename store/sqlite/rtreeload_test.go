package sqlite

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
)

// The packed R*Trees hold exactly what SQLite's R*Tree module holds for
// the same rows (every entry, its box rounded as the module rounds it, its
// auxiliary columns), pass the module's own rtreecheck(), and the module
// goes on writing them: after a large import and every other kind of
// write, and when the tree is empty or a single node.
func TestPackedRTreesAreSQLites(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		fill func(t *testing.T, db *DB)
	}{
		{"empty", func(*testing.T, *DB) {}},
		{"one node", func(t *testing.T, db *DB) {
			r := rand.New(rand.NewPCG(7, 8))
			var incs []geo.Incident
			for i := range 20 {
				incs = append(incs, randomIncident(r, i))
			}
			if _, _, err := db.ImportIncidents(ctx, incs); err != nil {
				t.Fatal(err)
			}
		}},
		{"churned", func(t *testing.T, db *DB) { churn(t, db, rand.New(rand.NewPCG(5, 6))) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := openTestDB(t)
			c.fill(t, db)
			compare := func(when string, exact bool) {
				t.Helper()
				err := db.read(ctx, func(tx *Tx) error {
					for _, rt := range []rtreeTree{incidentsRTree, versionsRTree} {
						var check string
						if err := tx.QueryRowContext(ctx, `SELECT rtreecheck(?)`, rt.name).Scan(&check); err != nil {
							return err
						}
						if check != "ok" {
							t.Errorf("%s: rtreecheck(%s): %s", when, rt.name, check)
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				// The module's own tree of the same rows, in a temporary table.
				err = db.write(ctx, func(tx *Tx) error {
					for _, q := range []string{
						`CREATE VIRTUAL TABLE temp.ref_incidents USING rtree (id, min_x, max_x, min_y, max_y,
							+event_date TEXT, +date_first TEXT, +date_last TEXT, +event_type TEXT)`,
						`INSERT INTO temp.ref_incidents SELECT id, min_x, max_x, min_y, max_y, event_date, date_first, date_last, event_type FROM incidents`,
						`CREATE VIRTUAL TABLE temp.ref_versions USING rtree_i32 (version_id, min_x, max_x, min_y, max_y, min_t, max_t,
							+valid_from TEXT, +valid_to TEXT, +id INTEGER, +event_date TEXT, +date_first TEXT, +date_last TEXT, +event_type TEXT)`,
						`INSERT INTO temp.ref_versions SELECT version_id, ` + versionRTreeBox + `, ` + versionTicks + `, ` + versionRTreeColumns +
							` FROM incident_versions WHERE ` + inVersionsRTree,
					} {
						if _, err := tx.ExecContext(ctx, q); err != nil {
							return err
						}
					}
					for _, p := range [][2]string{{"incidents_rtree", "temp.ref_incidents"}, {"incident_versions_rtree", "temp.ref_versions"}} {
						got, err := rtreeRows(ctx, tx, p[0])
						if err != nil {
							return err
						}
						want, err := rtreeRows(ctx, tx, p[1])
						if err != nil {
							return err
						}
						if !exact {
							// Written row by row, the versions' tree also
							// holds a version that stood for no time (one
							// incident twice in one import).
							var empty int
							if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM incident_versions WHERE valid_to = valid_from AND change <> ?`, geo.ChangeDelete).Scan(&empty); err != nil {
								return err
							}
							if p[0] == "incident_versions_rtree" && len(got) == len(want)+empty {
								continue
							}
						}
						if !reflect.DeepEqual(got, want) {
							t.Errorf("%s: %s holds %d entries, the module's tree of its rows %d, or they differ", when, p[0], len(got), len(want))
						}
					}
					for _, q := range []string{`DROP TABLE temp.ref_incidents`, `DROP TABLE temp.ref_versions`} {
						if _, err := tx.ExecContext(ctx, q); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			compare("as written", false)
			if err := db.write(ctx, func(tx *Tx) error { return rebuildRTrees(ctx, tx) }); err != nil {
				t.Fatal(err)
			}
			compare("packed", true)
			var nodes int
			if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM incidents_rtree_node`).Scan(&nodes); err != nil {
				t.Fatal(err)
			}
			t.Logf("%d nodes", nodes)
			if c.name == "churned" && nodes < 100 {
				t.Errorf("%d nodes: the test packs no tree of several levels", nodes)
			}
			// The module writes on in a packed tree: its full nodes split.
			writeMore(t, db, rand.New(rand.NewPCG(9, 10)))
			compare("written after packing", true)
		})
	}
}

// writeMore creates, replaces, edits and deletes incidents of db, one of
// each at most once.
func writeMore(t *testing.T, db *DB, r *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	if err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM incidents ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	}); err != nil {
		t.Fatal(err)
	}
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	var incs []geo.Incident
	for i := range 300 {
		inc := randomIncident(r, 30000+i)
		if i%3 == 0 && len(ids) > 0 {
			inc.ID, ids = ids[0], ids[1:]
		}
		incs = append(incs, inc)
	}
	if _, _, err := db.ImportIncidents(ctx, incs); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 60 && len(ids) > 0; i++ {
		id := ids[0]
		ids = ids[1:]
		if i%2 == 0 {
			inc := randomIncident(r, 40000+i)
			inc.ID = id
			if err := db.UpdateIncident(ctx, &inc); err != nil {
				t.Fatal(err)
			}
		} else if err := db.DeleteIncident(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
}

// rtreeRows reads every row of the R*Tree name, in id order.
func rtreeRows(ctx context.Context, tx *Tx, name string) ([][]any, error) {
	rows, err := tx.QueryContext(ctx, `SELECT * FROM `+name+` ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		row := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// Every index a large import writes first, for its place in the file, is
// one the schema has: a renamed index would silently go last.
func TestReadFirstIndexesExist(t *testing.T) {
	db := openTestDB(t)
	for _, name := range readFirst {
		var n int
		if err := db.reader.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents' AND name = ?`, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("readFirst names %s, which is no index of incidents", name)
		}
	}
}
