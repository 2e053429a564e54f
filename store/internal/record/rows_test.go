package record

import (
	"errors"
	"fmt"
	"testing"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// fakeRows yields n incident rows with ids 1…n in IncidentColumns' order;
// row badGeom has a broken geometry, row failScan fails to scan, and
// read counts the rows asked for.
type fakeRows struct {
	n, at, badGeom, failScan, read int
}

func (r *fakeRows) Next() bool {
	if r.at == r.n {
		return false
	}
	r.at++
	r.read++
	return true
}

func (r *fakeRows) Err() error { return nil }

func (r *fakeRows) Scan(dest ...any) error {
	if r.at == r.failScan {
		return errors.New("disk on fire")
	}
	geom, _ := wkb.Marshal(orb.Point{10, float64(r.at)})
	if r.at == r.badGeom {
		geom = []byte{1, 2}
	}
	values := []any{int64(r.at), fmt.Sprint("incident ", r.at), "", "2016-03-07", 1, "", "Battles", "", "", "", "", "",
		nil, nil, "", "", "TN", 1, geom, `[{"publisher":"Reuters"}]`, "[]", `["a"]`, "", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z",
		nil, nil, nil, nil, "{}"}
	if len(dest) != len(values) {
		return fmt.Errorf("scan into %d, have %d columns", len(dest), len(values))
	}
	for i, v := range values {
		switch d := dest[i].(type) {
		case *int64:
			*d = v.(int64)
		case *int:
			*d = v.(int)
		case *string:
			*d = v.(string)
		case *[]byte:
			*d = v.([]byte)
		}
	}
	return nil
}

// TestEachIncidentHandsOnEveryRowInOrder: fn gets every row's incident,
// decoded, in order, across whole and partial batches (so with and
// without the decoding goroutine); fn's failure stops the reading soon
// and is returned; a decoding or scanning failure is returned.
func TestEachIncidentHandsOnEveryRowInOrder(t *testing.T) {
	for _, n := range []int{0, 1, rowBatch - 1, rowBatch, rowBatch + 1, 7*rowBatch + 3} {
		var ids []int64
		err := EachIncident(&fakeRows{n: n}, func(inc geo.Incident) error {
			if inc.Geometry.(orb.Point)[1] != float64(inc.ID) || inc.Sources[0].Publisher != "Reuters" || inc.Tags[0] != "a" {
				return fmt.Errorf("incident %d decoded as %+v", inc.ID, inc)
			}
			ids = append(ids, inc.ID)
			return nil
		})
		if err != nil {
			t.Fatalf("%d rows: %v", n, err)
		}
		if len(ids) != n {
			t.Fatalf("%d rows: fn saw %d", n, len(ids))
		}
		for i, id := range ids {
			if id != int64(i+1) {
				t.Fatalf("%d rows: place %d holds %d", n, i, id)
			}
		}
	}

	rows, calls := &fakeRows{n: 100 * rowBatch}, 0
	err := EachIncident(rows, func(geo.Incident) error {
		if calls++; calls == 10 {
			return errors.New("client gone")
		}
		return nil
	})
	if err == nil || err.Error() != "client gone" || calls != 10 {
		t.Fatalf("fn failing: %v after %d calls", err, calls)
	}
	if rows.read > 4*rowBatch {
		t.Errorf("%d rows read after fn failed at the 10th", rows.read)
	}

	for _, r := range []*fakeRows{{n: 3 * rowBatch, badGeom: 2*rowBatch + 5}, {n: 10, badGeom: 4}} {
		if err := EachIncident(r, func(geo.Incident) error { return nil }); err == nil || err.Error() != fmt.Sprintf("incident %d geometry: wkb: invalid data", r.badGeom) {
			t.Errorf("broken geometry at %d: %v", r.badGeom, err)
		}
	}
	for _, r := range []*fakeRows{{n: 3 * rowBatch, failScan: 2*rowBatch + 5}, {n: 10, failScan: 4}} {
		if err := EachIncident(r, func(geo.Incident) error { return nil }); err == nil || err.Error() != "read incident: disk on fire" {
			t.Errorf("scan failing at %d: %v", r.failScan, err)
		}
	}

	// A panic in fn, on the decoding goroutine, reaches the caller, where a
	// server's recovery turns it into a 500 rather than a crash.
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("fn's panic on row %d: recovered %v", 3*rowBatch, p)
			}
		}()
		EachIncident(&fakeRows{n: 5 * rowBatch}, func(inc geo.Incident) error {
			if inc.ID == 3*rowBatch {
				panic("boom")
			}
			return nil
		})
	}()
}
