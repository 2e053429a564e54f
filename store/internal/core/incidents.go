package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/borderwatch/borderwatch/geo"
	"github.com/borderwatch/borderwatch/store/internal/record"
)

// Resolve finds whether inc replaces a stored incident: by its id in the
// dataset it came from (ACLED's event_id_cnty, which names one incident
// only), or by its ID. It sets inc.ID (from the event id) and, for a
// stored incident, inc.CreatedAt, locking the row where the engine locks
// rows, and reports whether a row is to be created.
func (s Store) Resolve(ctx context.Context, tx Tx, inc *geo.Incident) (created bool, err error) {
	if inc.ExternalID != "" {
		var other int64
		err := tx.QueryRow(ctx, `SELECT id FROM incidents WHERE external_id = ?`, inc.ExternalID).Scan(&other)
		switch {
		case errors.Is(err, ErrNoRows):
		case err != nil:
			return false, err
		case inc.ID == 0:
			inc.ID = other
		case inc.ID != other:
			return false, geo.Errorf(geo.EConflict, "event_id_cnty %s is already incident %d", inc.ExternalID, other)
		}
	}
	if inc.ID == 0 {
		return true, nil
	}
	var createdAt string
	err = tx.QueryRow(ctx, `SELECT created_at FROM incidents WHERE id = ?`+s.E.ForUpdate(), inc.ID).Scan(&createdAt)
	switch {
	case errors.Is(err, ErrNoRows):
		return true, nil
	case err != nil:
		return false, err
	}
	inc.CreatedAt, _ = time.Parse(time.RFC3339, createdAt)
	return false, nil
}

// Prepare resolves inc's row (Resolve), sets its times (a new row is
// created now, at the transaction's second) and encodes it with its
// derived values: what an engine writes, and whether as a new row. A row
// Encode made ahead (an import's, as new, at now) is taken as it is.
func (s Store) Prepare(ctx context.Context, tx Tx, inc *geo.Incident, lines record.ContextLines, row record.Row) (created bool, _ record.Row, err error) {
	if row == nil {
		if row, err = Encode(tx, inc, lines); err != nil {
			return false, nil, err
		}
	}
	if created, err = s.Resolve(ctx, tx, inc); err != nil {
		return false, nil, err
	}
	if !created { // a stored incident keeps its creation time
		row[record.CreatedArg] = record.Stamp(inc.CreatedAt)
	}
	return created, row, nil
}

// Encode encodes inc as a new row written in tx, with its derived values;
// Prepare settles the rest. It reads nothing from tx but its time, so an
// import runs it while the rows before are written.
func Encode(tx interface{ Now() time.Time }, inc *geo.Incident, lines record.ContextLines) (record.Row, error) {
	now := tx.Now().Truncate(time.Second)
	return record.Encode(inc, lines, now, now)
}

// ImportEach hands put each incident read gives, validated first and
// encoded (by encode) on the reading goroutine, and counts those created
// and updated; row, when not nil, runs before each put (an engine's
// bookkeeping). An error names the incident by its index.
//
// read runs on a goroutine of its own, up to two batches ahead of the
// writes: decoding and encoding the next incidents (a third of an
// import's work) overlaps writing these. When a put fails, read's put
// returns an error (so read stops) and ImportEach waits for read to return
// before it returns the put's error. A panic in read is raised again here.
func ImportEach(read func(put func(*geo.Incident) error) error, encode func(*geo.Incident) (record.Row, error), put func(*geo.Incident, record.Row) (bool, error), row func() error) (created, updated int, err error) {
	type item struct {
		inc *geo.Incident
		row record.Row
		err error // why the incident is refused
	}
	const batch = 128
	batches := make(chan []item, 2)
	stop := make(chan struct{}) // closed when the writes stop early
	readErr := make(chan error, 1)
	var panicked any // read's panic, raised again in the caller's goroutine
	go func() {
		defer close(batches)
		defer func() {
			if p := recover(); p != nil {
				panicked = p
				readErr <- errStopped
			}
		}()
		var b []item
		send := func() bool {
			select {
			case <-stop: // before a send that would also be ready
				return false
			default:
			}
			select {
			case batches <- b:
				b = make([]item, 0, batch)
				return true
			case <-stop:
				return false
			}
		}
		n := 0
		err := read(func(inc *geo.Incident) error {
			it := item{inc: inc}
			if it.err = inc.Validate(); it.err == nil {
				it.row, it.err = encode(inc)
			}
			if it.err != nil {
				it.err = fmt.Errorf("incident %d: %w", n, it.err)
			}
			n++
			if b = append(b, it); (len(b) == batch || it.err != nil) && !send() {
				return errStopped
			}
			if it.err != nil {
				return errStopped // what the writes give back
			}
			return nil
		})
		if len(b) > 0 && err == nil {
			send()
		}
		readErr <- err
	}()
	n := 0
	write := func(it item) error {
		if it.err != nil {
			return it.err
		}
		if row != nil {
			if err := row(); err != nil {
				return fmt.Errorf("import: %w", err)
			}
		}
		isNew, err := put(it.inc, it.row)
		switch {
		case err != nil:
			return fmt.Errorf("import incident %d: %w", n, err)
		case isNew:
			created++
		default:
			updated++
		}
		n++
		return nil
	}
batches:
	for b := range batches {
		for _, it := range b {
			if err = write(it); err != nil {
				close(stop)
				for range batches { // let read see the stop and return
				}
				break batches
			}
		}
	}
	rerr := <-readErr
	if panicked != nil {
		panic(panicked)
	}
	if err == nil {
		err = rerr
	} // else the writes' error, whatever read made of it
	return created, updated, err
}

// errStopped is what read's put returns once the writes have stopped.
var errStopped = errors.New("import stopped")
