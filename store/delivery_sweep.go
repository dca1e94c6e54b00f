package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SweepDelivered removes at most limit deliveries delivered before cutoff,
// oldest first, and returns how many went. Pending and dead ones stay: a
// dead one until it is retried or its endpoint removed. Bounded, so a sweep
// never holds the writer long; call again while it returns limit.
func (db *DB) SweepDelivered(cutoff time.Time, limit int) (int, error) {
	n := 0
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		n = 0
		b := getBucket(tx, bucketV1, bucketDeliveries)
		var old [][]byte
		c := b.Cursor()
		for k, v := c.First(); k != nil && len(old) < limit; k, v = c.Next() {
			var d struct {
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
			if d.State == DeliveryDelivered && d.DeliveredAt.Before(cutoff) {
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
