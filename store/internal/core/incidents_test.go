package core

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
	"github.com/paulmach/orb"
)

func validIncident(i int) geo.Incident {
	return geo.Incident{
		Title: fmt.Sprint("incident ", i), EventDate: time.Date(2016, 3, 2, 0, 0, 0, 0, time.UTC), TimePrecision: geo.TimeDay,
		DisorderType: geo.DisorderPoliticalViolence, EventType: "Battles", SubEventType: "Armed clash",
		Actor1: "Military Forces of Tunisia", Country: "TN", Geometry: orb.Point{11, 33}, GeoPrecision: geo.GeoExact,
		Sources: []geo.Source{{Publisher: "Reuters", URL: "https://www.reuters.com/x"}},
	}
}

// importRun is one ImportEach over n incidents whose read, encode and put
// misbehave as the test says, and what each of them saw.
type importRun struct {
	n          int
	invalidAt  int // -1: none
	putFailsAt int // -1: none
	readFails  int // the index at which read gives up with its own error; -1: never
	readPanics int // -1: never

	puts, encodes  []int // titles' indexes, in the order seen
	readReturned   bool
	readSawStopped bool
	created        int
	updated        int
	err            error
}

func (r *importRun) run() {
	read := func(put func(*geo.Incident) error) error {
		defer func() { r.readReturned = true }()
		for i := range r.n {
			if i == r.readFails {
				return errors.New("the file ends early")
			}
			if i == r.readPanics {
				panic("decoder bug")
			}
			inc := validIncident(i)
			if i == r.invalidAt {
				inc.Title = ""
			}
			if i%3 == 0 {
				inc.ID = int64(i + 1) // a stored one
			}
			if err := put(&inc); err != nil {
				r.readSawStopped = true
				return err
			}
		}
		return nil
	}
	encode := func(inc *geo.Incident) (record.Row, error) {
		var i int
		fmt.Sscanf(inc.Title, "incident %d", &i)
		r.encodes = append(r.encodes, i)
		return record.Row{inc.Title}, nil
	}
	put := func(inc *geo.Incident, row record.Row) (bool, error) {
		if row == nil || row[0] != inc.Title {
			return false, fmt.Errorf("%s came with the row of %v", inc.Title, row)
		}
		var i int
		fmt.Sscanf(inc.Title, "incident %d", &i)
		if i == r.putFailsAt {
			return false, errors.New("disk full")
		}
		r.puts = append(r.puts, i)
		return inc.ID == 0, nil
	}
	r.created, r.updated, r.err = ImportEach(read, encode, put, nil)
}

func newRun(n int) *importRun {
	return &importRun{n: n, invalidAt: -1, putFailsAt: -1, readFails: -1, readPanics: -1}
}

// ImportEach reads on its own goroutine, ahead of the writes: every
// incident reaches put once, in order, with the row encode made of it;
// a failed put stops the reading and is the error returned, only once
// read has returned; a refused incident and read's own error are
// reported as before, and a panic in read comes back in the caller.
func TestImportEachReadsAheadOfTheWrites(t *testing.T) {
	t.Run("all", func(t *testing.T) {
		r := newRun(1000)
		r.run()
		if r.err != nil {
			t.Fatal(r.err)
		}
		if len(r.puts) != 1000 || len(r.encodes) != 1000 {
			t.Fatalf("put %d and encoded %d of 1000", len(r.puts), len(r.encodes))
		}
		for i, got := range r.puts {
			if got != i {
				t.Fatalf("put %d in place %d", got, i)
			}
		}
		if r.created != 666 || r.updated != 334 {
			t.Errorf("created %d, updated %d; want 666 and 334", r.created, r.updated)
		}
	})
	t.Run("put fails", func(t *testing.T) {
		r := newRun(100000)
		r.putFailsAt = 300
		r.run()
		if r.err == nil || !strings.Contains(r.err.Error(), "import incident 300: disk full") {
			t.Fatalf("got %v, want the put's error naming incident 300", r.err)
		}
		if !r.readReturned || !r.readSawStopped {
			t.Errorf("read returned %v, saw its put fail %v: want both before ImportEach returns", r.readReturned, r.readSawStopped)
		}
		// Read is a few batches ahead, and may read a few more while the
		// writes drain them; far from the 100 000 it would read on to.
		if len(r.puts) != 300 || len(r.encodes) > 300+10*128 {
			t.Errorf("put %d (want 300), read %d (want at most a few batches more)", len(r.puts), len(r.encodes))
		}
	})
	t.Run("invalid", func(t *testing.T) {
		r := newRun(1000)
		r.invalidAt = 10
		r.run()
		if geo.ErrorKind(r.err) != geo.EInvalid || !strings.HasPrefix(r.err.Error(), "incident 10: ") {
			t.Fatalf("got %v, want incident 10 refused", r.err)
		}
		if len(r.puts) != 10 || !r.readSawStopped {
			t.Errorf("put %d, read stopped %v; want 10 put and read stopped", len(r.puts), r.readSawStopped)
		}
	})
	t.Run("read fails", func(t *testing.T) {
		r := newRun(1000)
		r.readFails = 500
		r.run()
		if r.err == nil || r.err.Error() != "the file ends early" {
			t.Fatalf("got %v, want read's error", r.err)
		}
	})
	t.Run("read panics", func(t *testing.T) {
		r := newRun(1000)
		r.readPanics = 700
		defer func() {
			if p := recover(); p != "decoder bug" {
				t.Errorf("recovered %v, want read's panic", p)
			}
		}()
		r.run()
		t.Error("ImportEach returned after read panicked")
	})
}
