package record

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/borderwatch/borderwatch/geo"
)

// Rows is a result being read: *sql.Rows or pgx.Rows.
type Rows interface {
	Next() bool
	Scanner
	Err() error
}

var errPanicked = errors.New("fn panicked")

// rowBatch is how many rows the reader hands the decoder at once.
const rowBatch = 256

// firstBatches are EachIncident's first batches, used again: most reads
// (a page) need no other, and a new one was the largest allocation of a
// page's request (170 KB).
var firstBatches = sync.Pool{New: func() any { b := make([]rawIncident, 0, rowBatch); return &b }}

// EachIncident calls fn with the incident of each of rows (in the columns
// of IncidentColumns), in their order, and returns rows' error. Past one
// batch of rows, reading and decoding overlap: this goroutine reads and
// scans the next rows while another decodes the last ones (geometry,
// dates, JSON) and calls fn, so a long read (an export) takes the time of
// the slower side rather than of both. fn is called from one goroutine at
// a time, never two at once; memory holds two batches. When fn
// fails, the reading stops and its error is returned; when it panics, the
// panic goes on in the caller's goroutine, as if fn had run there.
//
// fn must not query the store: it may run while rows are being read, and
// SQLite's readers are opened without locks of their own (store/sqlite's
// Open).
func EachIncident(rows Rows, fn func(geo.Incident) error) error {
	kept := firstBatches.Get().(*[]rawIncident)
	batch := (*kept)[:0]
	defer func() { // once no goroutine holds batch
		clear(batch)
		*kept = batch[:0]
		firstBatches.Put(kept)
	}()
	var (
		batches  chan []rawIncident
		free     chan []rawIncident
		done     chan struct{}
		ferr     error // fn's or a decoding error; read after done
		failed   atomic.Bool
		serr     error // the reader's
		panicked any   // fn's panic on the other goroutine; read after done
	)
	decode := func(b []rawIncident) error {
		for i := range b {
			inc, err := b[i].decode()
			if err == nil {
				err = fn(inc)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	for rows.Next() {
		batch = append(batch, rawIncident{})
		if serr = batch[len(batch)-1].scan(rows); serr != nil {
			break
		}
		if len(batch) < rowBatch {
			continue
		}
		if batches == nil { // a long read: decode on another goroutine
			batches, free, done = make(chan []rawIncident, 1), make(chan []rawIncident, 2), make(chan struct{})
			free <- make([]rawIncident, 0, rowBatch)
			go func() {
				defer close(done)
				for b := range batches {
					if ferr == nil {
						func() {
							defer func() {
								if p := recover(); p != nil {
									panicked, ferr = p, errPanicked
								}
							}()
							ferr = decode(b)
						}()
						if ferr != nil {
							failed.Store(true)
						}
					}
					clear(b)
					free <- b[:0]
				}
			}()
		}
		if failed.Load() {
			break
		}
		batches <- batch
		batch = <-free
	}
	if batches != nil {
		close(batches)
		<-done
		if panicked != nil {
			panic(panicked)
		}
	}
	if ferr == nil && serr == nil {
		ferr = decode(batch)
	}
	switch {
	case ferr != nil:
		return ferr
	case serr != nil:
		return fmt.Errorf("read incident: %w", serr)
	}
	return rows.Err()
}
