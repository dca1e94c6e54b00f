package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// EventLimit is how many events are kept per session; older ones are
// dropped as new ones arrive.
const EventLimit = 1000

// Event is one entry of a session's log, e.g. a state transition.
type Event struct {
	Seq    uint64    `json:"seq"`
	Time   time.Time `json:"time"`
	Kind   string    `json:"kind"`
	From   string    `json:"from,omitzero"`
	To     string    `json:"to,omitzero"`
	Reason string    `json:"reason,omitzero"`
	Detail string    `json:"detail,omitzero"`
	// Count is how many occurrences an event stands for when several were
	// recorded as one (webhook failures); 0 means one.
	Count int `json:"count,omitzero"`
}

// AppendEvent adds ev to the session's log, assigning Seq (and Time when
// zero), and drops the oldest events beyond EventLimit. It returns the
// stored event; ErrNotFound if the session does not exist.
func (db *DB) AppendEvent(session string, ev Event) (Event, error) {
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := requireSession(tx, session); err != nil {
			return err
		}
		b, err := createBucketIfNotExists(tx, eventsPath(session)...)
		if err != nil {
			return err
		}
		if ev.Seq, err = b.NextSequence(); err != nil {
			return err
		}
		v, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		if err := b.Put(itob(ev.Seq), v); err != nil {
			return err
		}
		if err := trimEvents(b, ev.Seq); err != nil {
			return err
		}
		return db.eventHook(tx, session, ev)
	})
	if err != nil {
		return Event{}, fmt.Errorf("append event to session %q: %w", session, err)
	}
	return ev, nil
}

// trimEvents keeps only seqs above newest-EventLimit. Trimming on every
// append means at most one key goes per call.
func trimEvents(b *bolt.Bucket, newest uint64) error {
	if newest <= EventLimit {
		return nil
	}
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.First() {
		if seq, _ := btoi(k); seq > newest-EventLimit {
			return nil
		}
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// LastEvents returns the newest n events, oldest first; ErrNotFound if the
// session does not exist.
func (db *DB) LastEvents(session string, n int) ([]Event, error) {
	var out []Event
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if err := requireSession(tx, session); err != nil {
			return err
		}
		b := getBucket(tx, eventsPath(session)...)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
			ev, err := decodeEvent(k, v)
			if err != nil {
				return err
			}
			out = append(out, ev)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("last events of session %q: %w", session, err)
	}
	slices.Reverse(out)
	return out, nil
}

func decodeEvent(k, v []byte) (Event, error) {
	var ev Event
	if err := json.Unmarshal(v, &ev); err != nil {
		return Event{}, fmt.Errorf("event %x is damaged: %w", k, err)
	}
	return ev, nil
}
