package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SweepDelivered removes at most limit deliveries created before cutoff,
// oldest first, that are delivered (before cutoff) or dead with their
// endpoint removed, and returns how many went. Pending ones stay, and dead
// ones of an endpoint that exists, until retried. Bounded, so a sweep never
// holds the writer long; call again while it returns limit.
func (db *DB) SweepDelivered(cutoff time.Time, limit int) (int, error) {
	n := 0
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		n = 0
		b := getBucket(tx, bucketV1, bucketDeliveries)
		var old [][]byte
		c := b.Cursor()
		for k, v := c.First(); k != nil && len(old) < limit; k, v = c.Next() {
			var d struct {
				Session     string        `json:"session"`
				Endpoint    string        `json:"endpoint"`
				State       DeliveryState `json:"state"`
				Created     time.Time     `json:"created"`
				DeliveredAt time.Time     `json:"delivered_at"`
			}
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("delivery %x is damaged: %v; restore a backup", k, err)
			}
			// Keys are in creation order and a delivery is delivered after
			// it is created: nothing further on is old enough.
			if !d.Created.Before(cutoff) {
				break
			}
			delivered := d.State == DeliveryDelivered && d.DeliveredAt.Before(cutoff)
			if delivered || d.State == DeliveryDead && endpointGone(tx, d.Session, d.Endpoint) {
				old = append(old, append([]byte(nil), k...))
			}
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sweep delivered webhook deliveries: %w", err)
	}
	return n, nil
}

// endpointGone reports whether a delivery's endpoint, or its session, was
// removed.
func endpointGone(tx *bolt.Tx, session, name string) bool {
	_, err := getWebhook(tx, session, name)
	return errors.Is(err, ErrNotFound)
}
