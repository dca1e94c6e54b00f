package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// sweepScan is how many deliveries one sweep pass looks at, at most: the
// dead deliveries of endpoints that exist stay until retried, and a pass
// must not decode them all each time.
const sweepScan = 10000

// sweepCursor is where the next sweep pass starts, so the passes go round
// the older deliveries a bounded slice at a time.
type sweepCursor struct {
	mu   sync.Mutex
	from uint64 // the last delivery looked at; 0: start from the oldest
	scan int    // the bound of a pass; 0: sweepScan
}

// sweepFields are the fields of a delivery a sweep reads.
type sweepFields struct {
	Session     string        `json:"session"`
	Endpoint    string        `json:"endpoint"`
	State       DeliveryState `json:"state"`
	Created     time.Time     `json:"created"`
	DeliveredAt time.Time     `json:"delivered_at"`
}

// SweepDelivered removes at most limit deliveries created before cutoff,
// oldest first, that are delivered (before cutoff) or dead with their
// endpoint removed, and returns how many went. Pending ones stay, and dead
// ones of an endpoint that exists, until retried. Bounded twice, so a
// sweep never holds the writer long: a pass looks at no more than
// sweepScan deliveries, in a read transaction, going on where the last
// one stopped, and removes what it found in a short write transaction;
// call again while it returns limit.
func (db *DB) SweepDelivered(cutoff time.Time, limit int) (int, error) {
	db.sweep.mu.Lock()
	defer db.sweep.mu.Unlock()
	scan := db.sweep.scan
	if scan <= 0 {
		scan = sweepScan
	}
	var old [][]byte
	last := uint64(0)
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := getBucket(tx, bucketV1, bucketDeliveries).Cursor()
		looked := 0
		for k, v := c.Seek(itob(db.sweep.from + 1)); k != nil; k, v = c.Next() {
			if looked == scan || len(old) == limit {
				return nil // the next pass goes on after last
			}
			d, err := decodeSweep(k, v)
			if err != nil {
				return err
			}
			// Keys are in creation order and a delivery is delivered after
			// it is created: nothing further on is old enough.
			if !d.Created.Before(cutoff) {
				break
			}
			looked++
			last, _ = btoi(k)
			if sweepable(tx, d, cutoff) {
				old = append(old, append([]byte(nil), k...))
			}
		}
		last = 0 // all the old ones looked at: the next pass starts over
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sweep delivered webhook deliveries: %w", err)
	}
	db.sweep.from = last
	if len(old) == 0 {
		return 0, nil
	}
	n := 0
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		n = 0
		b := getBucket(tx, bucketV1, bucketDeliveries)
		for _, k := range old {
			v := b.Get(k)
			if v == nil {
				continue
			}
			// Looked at again: an endpoint may have been added back since.
			if d, err := decodeSweep(k, v); err != nil || !sweepable(tx, d, cutoff) {
				continue
			}
			if err := b.Delete(k); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sweep delivered webhook deliveries: %w", err)
	}
	return n, nil
}

func decodeSweep(k, v []byte) (sweepFields, error) {
	var d sweepFields
	if err := json.Unmarshal(v, &d); err != nil {
		return d, fmt.Errorf("delivery %x is damaged: %v; restore a backup", k, err)
	}
	return d, nil
}

// sweepable reports whether a delivery may go: delivered before cutoff, or
// dead with its endpoint removed.
func sweepable(tx *bolt.Tx, d sweepFields, cutoff time.Time) bool {
	delivered := d.State == DeliveryDelivered && d.DeliveredAt.Before(cutoff)
	return delivered || d.State == DeliveryDead && endpointGone(tx, d.Session, d.Endpoint)
}

// endpointGone reports whether a delivery's endpoint, or its session, was
// removed.
func endpointGone(tx *bolt.Tx, session, name string) bool {
	_, err := getWebhook(tx, session, name)
	return errors.Is(err, ErrNotFound)
}
