package store

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// AlertHistory is how many alerts are kept: when a new one is raised, the
// oldest resolved ones beyond this many are removed. Open alerts are never.
const AlertHistory = 1000

// Alert is one alert as kept: raised, maybe acknowledged, resolved once its
// cause went away. Session is "" for what belongs to no session (the
// process, the disk).
type Alert struct {
	ID       uint64    `json:"id"`
	Session  string    `json:"session,omitzero"`
	Kind     string    `json:"kind"`
	Severity string    `json:"severity"`
	Reason   string    `json:"reason"`
	Raised   time.Time `json:"raised"`
	Acked    time.Time `json:"acked,omitzero"`
	Resolved time.Time `json:"resolved,omitzero"`
}

// AlertQuery selects alerts: Session "" is every one, Limit 0 all.
type AlertQuery struct {
	Session string
	Open    bool
	Limit   int
}

// openKey indexes an open alert by its cause: at most one per session and kind.
func openKey(session, kind string) []byte { return []byte(session + "\x00" + kind) }

// RaiseAlert stores a as open unless its session already has an open
// alert of its kind; it returns the open alert and whether it is new. The
// Alert hook's deliveries commit with it.
func (db *DB) RaiseAlert(a Alert) (Alert, bool, error) {
	if a.Kind == "" {
		return Alert{}, false, errors.New("raise alert: it has no kind")
	}
	if a.Raised.IsZero() {
		a.Raised = time.Now()
	}
	a.Acked, a.Resolved = time.Time{}, time.Time{}
	raised := false
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		open := getBucket(tx, bucketV1, bucketAlertsOpen)
		if seq, ok := btoi(open.Get(openKey(a.Session, a.Kind))); ok {
			var err error
			a, err = getAlert(tx, seq)
			return err
		}
		if a.Session != "" {
			if err := requireSession(tx, a.Session); err != nil {
				return err
			}
		}
		b := getBucket(tx, bucketV1, bucketAlerts)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		a.ID, raised = seq, true
		if err := putAlert(tx, a); err != nil {
			return err
		}
		if err := open.Put(openKey(a.Session, a.Kind), itob(seq)); err != nil {
			return err
		}
		if err := pruneAlerts(b); err != nil {
			return err
		}
		return db.alertHook(tx, a, a.Raised)
	})
	if err != nil {
		return Alert{}, false, fmt.Errorf("raise %s alert: %w", a.Kind, err)
	}
	return a, raised, nil
}

// ResolveAlert resolves the open alert of session and kind, at; it returns
// it and true, or false when none was open.
func (db *DB) ResolveAlert(session, kind string, at time.Time) (Alert, bool, error) {
	var a Alert
	found := false
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		open := getBucket(tx, bucketV1, bucketAlertsOpen)
		seq, ok := btoi(open.Get(openKey(session, kind)))
		if !ok {
			return nil
		}
		var err error
		if a, err = getAlert(tx, seq); err != nil {
			return err
		}
		a.Resolved, found = at, true
		if err := putAlert(tx, a); err != nil {
			return err
		}
		if err := open.Delete(openKey(session, kind)); err != nil {
			return err
		}
		return db.alertHook(tx, a, at)
	})
	if err != nil {
		return Alert{}, false, fmt.Errorf("resolve %s alert: %w", kind, err)
	}
	return a, found, nil
}

// AckAlert marks alert id acknowledged at (once: a second ack keeps the
// first time), or fails with ErrNotFound.
func (db *DB) AckAlert(id uint64, at time.Time) (Alert, error) {
	var a Alert
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		if a, err = getAlert(tx, id); err != nil || !a.Acked.IsZero() {
			return err
		}
		a.Acked = at
		return putAlert(tx, a)
	})
	if err != nil {
		return Alert{}, fmt.Errorf("alert %d: %w", id, err)
	}
	return a, nil
}

// Alerts returns the alerts q selects, newest first.
func (db *DB) Alerts(q AlertQuery) ([]Alert, error) {
	var out []Alert
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if q.Open {
			// The index holds the open ones only: no walk through history.
			err := getBucket(tx, bucketV1, bucketAlertsOpen).ForEach(func(_, v []byte) error {
				seq, _ := btoi(v)
				a, err := getAlert(tx, seq)
				if err == nil && (q.Session == "" || a.Session == q.Session) {
					out = append(out, a)
				}
				return err
			})
			slices.SortFunc(out, func(x, y Alert) int { return cmp.Compare(y.ID, x.ID) })
			if q.Limit > 0 && len(out) > q.Limit {
				out = out[:q.Limit]
			}
			return err
		}
		c := getBucket(tx, bucketV1, bucketAlerts).Cursor()
		for k, v := c.Last(); k != nil && (q.Limit <= 0 || len(out) < q.Limit); k, v = c.Prev() {
			a, err := decodeAlert(k, v)
			if err != nil {
				return err
			}
			if q.Session == "" || a.Session == q.Session {
				out = append(out, a)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	return out, nil
}

// pruneAlerts removes the oldest resolved alerts beyond AlertHistory.
func pruneAlerts(b *bolt.Bucket) error {
	// Counted by a walk: Stats does not see this transaction's writes.
	extra := -AlertHistory
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		extra++
	}
	var old [][]byte
	for k, v := c.First(); k != nil && len(old) < extra; k, v = c.Next() {
		var a struct {
			Resolved time.Time `json:"resolved"`
		}
		if json.Unmarshal(v, &a) == nil && !a.Resolved.IsZero() {
			old = append(old, k)
		}
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func getAlert(tx *bolt.Tx, id uint64) (Alert, error) {
	k := itob(id)
	if v := getBucket(tx, bucketV1, bucketAlerts).Get(k); v != nil {
		return decodeAlert(k, v)
	}
	return Alert{}, ErrNotFound
}

func putAlert(tx *bolt.Tx, a Alert) error {
	v, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return getBucket(tx, bucketV1, bucketAlerts).Put(itob(a.ID), v)
}

// decodeAlert trusts the key over the value for ID.
func decodeAlert(k, v []byte) (Alert, error) {
	id, ok := btoi(k)
	var a Alert
	if err := json.Unmarshal(v, &a); err != nil || !ok {
		return Alert{}, fmt.Errorf("alert %x is damaged: %v; restore a backup", k, err)
	}
	a.ID = id
	return a, nil
}
