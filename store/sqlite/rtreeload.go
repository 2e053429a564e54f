package sqlite

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"strings"
)

// An R*Tree of a few hundred thousand entries or more is built faster
// packed than entry by entry: SQLite's R*Tree module takes 12–15 µs an
// insert at a million entries, choosing a leaf and splitting nodes, where
// reading the entries back from their table, sorting them into full nodes
// (Sort-Tile-Recursive: Leutenegger, Lopez and Edgington, 1997) and
// writing the module's three tables directly takes 4–5 µs. GDAL builds a
// GeoPackage's R*Tree the same way. The tables' format is the one the
// header of SQLite's ext/rtree/rtree.c describes, part of SQLite's stable
// file format: nodes as big-endian blobs (a 2-byte depth, on the root
// only, a 2-byte cell count, then per cell the 8-byte id and a minimum and
// maximum per dimension), each entry's leaf and auxiliary columns in
// %_rowid, each non-root node's parent in %_parent. The module's README
// warns that writing these tables by hand corrupts a tree unless done
// exactly so: TestPackedRTreesAreSQLites holds a packed tree to the
// module's own tree of the same rows, entry for entry, and to the
// module's rtreecheck(), and has the module write on in it.

// rtreeTree describes one of the store's R*Trees.
type rtreeTree struct {
	name    string // the virtual table
	dims    int
	ints    bool   // rtree_i32: coordinates are 32-bit integers, not floats
	entries string // SELECT id, then a minimum and a maximum per dimension, of every entry
	aux     int    // auxiliary columns
	// auxOf selects, for ids in a VALUES list v (column1 the id, column2
	// its leaf), the rows of %_rowid: id, leaf, then the auxiliary columns.
	auxOf string
}

var (
	incidentsRTree = rtreeTree{
		name: "incidents_rtree", dims: 2, aux: 4,
		entries: `SELECT id, min_x, max_x, min_y, max_y FROM incidents`,
		auxOf: `SELECT v.column1, v.column2, i.event_date, i.date_first, i.date_last, i.event_type
			FROM (%s) v JOIN incidents i ON i.id = v.column1`,
	}
	versionsRTree = rtreeTree{
		name: "incident_versions_rtree", dims: 3, ints: true, aux: 7,
		entries: `SELECT version_id, ` + versionRTreeBox + `, ` + versionTicks + ` FROM incident_versions WHERE ` + inVersionsRTree,
		auxOf: `SELECT v.column1, v.column2, ` + versionRTreeColumns + `
			FROM (%s) v JOIN incident_versions x ON x.version_id = v.column1`,
	}
)

// inVersionsRTree is which versions the versions' R*Tree holds: all but a
// deletion's tombstone, which stood for no time.
const inVersionsRTree = `(valid_to IS NULL OR valid_to > valid_from)`

// rtreeCell is one cell of a node: an entry's id or a child node's number,
// and its box as the node holds it (a float32's or an int32's bits).
type rtreeCell struct {
	id  int64
	box [6]uint32
	key float64 // what str sorts by
}

// rebuildRTrees builds both R*Trees again from their tables.
func rebuildRTrees(ctx context.Context, tx *Tx) error {
	// Reading a million entries through database/sql boxes every value:
	// collect that garbage early, not at twice the entries' 40 MB.
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	for _, t := range []rtreeTree{incidentsRTree, versionsRTree} {
		if err := t.rebuild(ctx, tx); err != nil {
			return fmt.Errorf("build %s: %w", t.name, err)
		}
	}
	// The entries (40 MB a million) are garbage now: hand their memory
	// back before the indexes' sorts take theirs.
	debug.FreeOSMemory()
	return nil
}

// rebuild empties the R*Tree and writes it again, packed, from its table.
func (t rtreeTree) rebuild(ctx context.Context, tx *Tx) error {
	// An existing tree's node size is its root's (the module reads it so).
	var nodeSize int
	if err := tx.QueryRowContext(ctx, `SELECT length(data) FROM "`+t.name+`_node" WHERE nodeno = 1`).Scan(&nodeSize); err != nil {
		return err
	}
	perCell := 8 + 8*t.dims
	fanout := (nodeSize - 4) / perCell
	if fanout < 2 {
		return fmt.Errorf("nodes of %d bytes hold %d cells", nodeSize, fanout)
	}
	cells, err := t.read(ctx, tx)
	if err != nil {
		return err
	}
	for _, suffix := range []string{"_node", "_rowid", "_parent"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM "`+t.name+suffix+`"`); err != nil {
			return err
		}
	}
	w := &rtreeWriter{ctx: ctx, tx: tx, t: t, nodeSize: nodeSize, next: 2}
	// Pack the entries into leaves, the leaves into their parents and so
	// on up to one node, the root, which is always node 1.
	level, depth := cells, 0
	for {
		t.str(level, fanout)
		nodes := (len(level) + fanout - 1) / fanout
		if nodes <= 1 {
			if err := w.node(1, depth, level, depth == 0); err != nil {
				return err
			}
			break
		}
		up := make([]rtreeCell, nodes)
		for i := range up {
			members := level[i*fanout : min((i+1)*fanout, len(level))]
			up[i] = rtreeCell{id: w.next, box: t.union(members)}
			w.next++
			if err := w.node(up[i].id, -1, members, depth == 0); err != nil {
				return err
			}
		}
		if depth == 0 {
			// The entries' leaves are known: keep each in box[0] (its box
			// is in the leaf now) for %_rowid.
			for i := range cells {
				cells[i].box[0] = uint32(up[i/fanout].id)
			}
		}
		level, depth = up, depth+1
	}
	if err := w.flush(); err != nil {
		return err
	}
	if depth == 0 {
		for i := range cells {
			cells[i].box[0] = 1
		}
	}
	slices.SortFunc(cells, func(a, b rtreeCell) int { return cmp.Compare(a.id, b.id) })
	return w.rowids(cells)
}

// read reads every entry of the tree from its table, its box rounded as
// the module rounds it.
func (t rtreeTree) read(ctx context.Context, tx *Tx) ([]rtreeCell, error) {
	var size int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (`+t.entries+`)`).Scan(&size); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, t.entries)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cells := make([]rtreeCell, 0, size)
	var c rtreeCell
	var f [6]float64
	var n [6]int64
	dest := make([]any, 1+2*t.dims)
	dest[0] = &c.id
	for i := range 2 * t.dims {
		if t.ints {
			dest[1+i] = &n[i]
		} else {
			dest[1+i] = &f[i]
		}
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for i := range 2 * t.dims {
			if t.ints {
				c.box[i] = uint32(int32(n[i])) // as the module's sqlite3_value_int
			} else if i%2 == 0 {
				c.box[i] = math.Float32bits(roundDown(f[i]))
			} else {
				c.box[i] = math.Float32bits(roundUp(f[i]))
			}
		}
		for d := range t.dims {
			if t.value(c.box[2*d]) > t.value(c.box[2*d+1]) {
				return nil, fmt.Errorf("entry %d: its minimum in dimension %d is above its maximum", c.id, d)
			}
		}
		cells = append(cells, c)
	}
	return cells, rows.Err()
}

// roundDown and roundUp are the module's rtreeValueDown and rtreeValueUp:
// the nearest float32, moved one step outward when it is inside.
func roundDown(d float64) float32 {
	f := float32(d)
	if float64(f) > d {
		x := math.Float32bits(f)
		if x&0x80000000 != 0 {
			x++
		} else {
			x--
		}
		f = math.Float32frombits(x)
	}
	return f
}

func roundUp(d float64) float32 {
	f := float32(d)
	if float64(f) < d {
		x := math.Float32bits(f)
		if x&0x80000000 != 0 {
			x--
		} else {
			x++
		}
		f = math.Float32frombits(x)
	}
	return f
}

// value is a coordinate of a box, as the node holds it, as a number.
func (t rtreeTree) value(bits uint32) float64 {
	if t.ints {
		return float64(int32(bits))
	}
	return float64(math.Float32frombits(bits))
}

// union is the box of cells.
func (t rtreeTree) union(cells []rtreeCell) [6]uint32 {
	box := cells[0].box
	for i := 1; i < len(cells); i++ {
		for d := range 2 * t.dims {
			v, u := t.value(cells[i].box[d]), t.value(box[d])
			if (d%2 == 0 && v < u) || (d%2 == 1 && v > u) {
				box[d] = cells[i].box[d]
			}
		}
	}
	return box
}

// str orders cells so that each run of fanout is a node of nearby cells
// (Sort-Tile-Recursive): sorted by the centre of their first dimension,
// cut into slabs, each slab sorted by the next dimension and cut again,
// and the last dimension's runs are the nodes.
func (t rtreeTree) str(cells []rtreeCell, fanout int) {
	var tile func(cells []rtreeCell, d int)
	tile = func(cells []rtreeCell, d int) {
		for i := range cells {
			c := &cells[i]
			c.key = t.value(c.box[2*d])/2 + t.value(c.box[2*d+1])/2
		}
		slices.SortFunc(cells, func(a, b rtreeCell) int {
			if c := cmp.Compare(a.key, b.key); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		})
		if d == t.dims-1 {
			return
		}
		nodes := (len(cells) + fanout - 1) / fanout
		slabs := int(math.Ceil(math.Pow(float64(nodes), 1/float64(t.dims-d))))
		per := (nodes + slabs - 1) / slabs * fanout
		for i := 0; i < len(cells); i += per {
			tile(cells[i:min(i+per, len(cells))], d+1)
		}
	}
	if len(cells) > fanout {
		tile(cells, 0)
	}
}

// rtreeWriter writes a tree's nodes and entries, many rows a statement.
type rtreeWriter struct {
	ctx      context.Context
	tx       *Tx
	t        rtreeTree
	nodeSize int
	next     int64 // the next node's number
	nodes    []any // node rows waiting: nodeno, data
	parents  []any // parent rows waiting: nodeno, parentnode
}

// rtreeBatch is how many rows one statement writes.
const rtreeBatch = 500

// node writes node number no holding cells: entries when leaf, else
// child nodes, whose parent it records. rootDepth is the tree's depth for
// the root (node 1), -1 for any other node.
func (w *rtreeWriter) node(no int64, rootDepth int, cells []rtreeCell, leaf bool) error {
	data := make([]byte, w.nodeSize)
	if rootDepth >= 0 {
		binary.BigEndian.PutUint16(data, uint16(rootDepth))
	}
	binary.BigEndian.PutUint16(data[2:], uint16(len(cells)))
	at := 4
	for _, c := range cells {
		binary.BigEndian.PutUint64(data[at:], uint64(c.id))
		at += 8
		for i := range 2 * w.t.dims {
			binary.BigEndian.PutUint32(data[at:], c.box[i])
			at += 4
		}
		if !leaf {
			w.parents = append(w.parents, c.id, no)
		}
	}
	w.nodes = append(w.nodes, no, data)
	if len(w.nodes) >= 2*rtreeBatch || len(w.parents) >= 2*rtreeBatch {
		return w.flush()
	}
	return nil
}

// flush writes the node and parent rows waiting.
func (w *rtreeWriter) flush() error {
	if err := w.insert(`INSERT INTO "`+w.t.name+`_node" (nodeno, data) %s`, 2, w.nodes); err != nil {
		return err
	}
	w.nodes = w.nodes[:0]
	if err := w.insert(`INSERT INTO "`+w.t.name+`_parent" (nodeno, parentnode) %s`, 2, w.parents); err != nil {
		return err
	}
	w.parents = w.parents[:0]
	return nil
}

// rowids writes each entry's row of %_rowid: its id, its leaf (box[0])
// and its auxiliary columns from its table; cells are in id order, so
// that both tables are read and written in key order.
func (w *rtreeWriter) rowids(cells []rtreeCell) error {
	cols := make([]string, w.t.aux)
	for i := range cols {
		cols[i] = fmt.Sprintf("a%d", i)
	}
	head := `INSERT INTO "` + w.t.name + `_rowid" (rowid, nodeno, ` + strings.Join(cols, ", ") + `) `
	args := make([]any, 0, 2*rtreeBatch)
	for start := 0; start < len(cells); start += rtreeBatch {
		args = args[:0]
		for _, c := range cells[start:min(start+rtreeBatch, len(cells))] {
			args = append(args, c.id, int64(c.box[0]))
		}
		if err := w.insert(head+w.t.auxOf, 2, args); err != nil {
			return err
		}
	}
	return nil
}

// insert runs query with its %s replaced by a VALUES list of the rows in
// args, width values a row.
func (w *rtreeWriter) insert(query string, width int, args []any) error {
	if len(args) == 0 {
		return nil
	}
	row := "(?" + strings.Repeat(", ?", width-1) + ")"
	values := "VALUES " + row + strings.Repeat(", "+row, len(args)/width-1)
	_, err := w.tx.ExecContext(w.ctx, fmt.Sprintf(query, values), args...)
	return err
}
