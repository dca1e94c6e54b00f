package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DrainState is where a session's unread drain stands.
type DrainState string

// The drain states. A snapshot waits for the operator's choice; a drain
// runs, pauses, ends done or is cancelled (what is left stays listed).
const (
	DrainWaiting   DrainState = "waiting"
	DrainRunning   DrainState = "running"
	DrainPaused    DrainState = "paused"
	DrainDone      DrainState = "done"
	DrainCancelled DrainState = "cancelled"
)

// The actions a drain takes per chat; "" is not chosen yet.
const (
	DrainDeliver = "deliver"
	DrainRead    = "read"
	DrainSkip    = "skip"
)

// Drain is a session's unread drain: the state and pace the operator set.
type Drain struct {
	State    DrainState `json:"state"`
	Rate     float64    `json:"rate"` // messages a second
	Snapshot time.Time  `json:"snapshot"`
	Started  time.Time  `json:"started,omitzero"`
	Updated  time.Time  `json:"updated"`
}

// DrainItem is one unread message of a snapshot. Seq is its place in the
// drain, oldest message first; Done is set in the same transaction that
// hands the message on, so a crash resumes at the first item not done.
type DrainItem struct {
	Seq      uint64    `json:"seq"`
	Chat     string    `json:"chat"`
	ChatName string    `json:"chatName,omitempty"`
	ID       string    `json:"id"` // raw message id: one item per id
	Key      string    `json:"key"`
	Author   string    `json:"author,omitempty"`
	Body     string    `json:"body"`
	Time     time.Time `json:"time"`
	Action   string    `json:"action,omitempty"`
	Done     bool      `json:"done,omitempty"`
	Outcome  string    `json:"outcome,omitempty"` // what handing it on did
}

var (
	keyDrain      = []byte("drain")
	bucketItems   = []byte("items")
	bucketItemIDs = []byte("ids")
)

func drainPath(session string) [][]byte { return [][]byte{bucketV1, bucketDrains, []byte(session)} }

// GetDrain returns the session's drain; the zero Drain when it never had one.
func (db *DB) GetDrain(session string) (Drain, error) {
	var d Drain
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := getBucket(tx, drainPath(session)...)
		if b == nil || b.Get(keyDrain) == nil {
			return nil
		}
		return json.Unmarshal(b.Get(keyDrain), &d)
	})
	return d, err
}

// UpdateDrain lets fn change the session's drain and writes it back.
func (db *DB) UpdateDrain(session string, fn func(*Drain) error) (Drain, error) {
	var d Drain
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := drainBucket(tx, session)
		if err != nil {
			return err
		}
		if v := b.Get(keyDrain); v != nil {
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
		}
		if err := fn(&d); err != nil {
			return err
		}
		d.Updated = time.Now()
		return putJSON(b, keyDrain, d)
	})
	if err != nil {
		return Drain{}, fmt.Errorf("update the drain of session %q: %w", session, err)
	}
	return d, nil
}

// AddDrainItems adds a snapshot's messages to the session's drain, oldest
// first, and leaves it waiting unless it is running or paused. A message
// already listed (an earlier snapshot) stays as it is. It returns how many
// were new.
func (db *DB) AddDrainItems(session string, items []DrainItem) (int, error) {
	items = slices.Clone(items)
	slices.SortStableFunc(items, func(a, b DrainItem) int { return a.Time.Compare(b.Time) })
	added := 0
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := drainBucket(tx, session)
		if err != nil {
			return err
		}
		list, ids := b.Bucket(bucketItems), b.Bucket(bucketItemIDs)
		for _, it := range items {
			if it.ID == "" || ids.Get([]byte(it.ID)) != nil {
				continue
			}
			seq, err := list.NextSequence()
			if err != nil {
				return err
			}
			it.Seq, it.Done, it.Outcome = seq, false, ""
			if err := putJSON(list, itob(seq), it); err != nil {
				return err
			}
			if err := ids.Put([]byte(it.ID), itob(seq)); err != nil {
				return err
			}
			added++
		}
		var d Drain
		if v := b.Get(keyDrain); v != nil {
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
		}
		now := time.Now()
		d.Snapshot, d.Updated = now, now
		if d.State != DrainRunning && d.State != DrainPaused {
			d.State = DrainWaiting
		}
		return putJSON(b, keyDrain, d)
	})
	if err != nil {
		return 0, fmt.Errorf("add to the drain of session %q: %w", session, err)
	}
	return added, nil
}

// DrainItems returns the session's drain items in drain order.
func (db *DB) DrainItems(session string) ([]DrainItem, error) {
	var out []DrainItem
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := getBucket(tx, append(drainPath(session), bucketItems)...)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var it DrainItem
			if err := json.Unmarshal(v, &it); err != nil {
				return fmt.Errorf("drain item %x: %w", k, err)
			}
			out = append(out, it)
			return nil
		})
	})
	return out, err
}

// SetDrainAction sets action on the items not done of the given chats
// (every chat when chats is empty) and says how many it set.
func (db *DB) SetDrainAction(session string, chats []string, action string) (int, error) {
	n := 0
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := drainBucket(tx, session)
		if err != nil {
			return err
		}
		list := b.Bucket(bucketItems)
		c := list.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var it DrainItem
			if err := json.Unmarshal(v, &it); err != nil {
				return err
			}
			if it.Done || (len(chats) > 0 && !slices.Contains(chats, it.Chat)) {
				continue
			}
			it.Action = action
			if err := putJSON(list, k, it); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("set the drain action of session %q: %w", session, err)
	}
	return n, nil
}

// FinishDrainItemsTx marks items done with their outcome inside the
// caller's transaction, so the step that hands a message on and the record
// that it did commit together.
func FinishDrainItemsTx(tx *bolt.Tx, session string, seqs []uint64, outcome string) error {
	list := getBucket(tx, append(drainPath(session), bucketItems)...)
	if list == nil {
		return fmt.Errorf("session %q has no drain: %w", session, ErrNotFound)
	}
	for _, seq := range seqs {
		v := list.Get(itob(seq))
		if v == nil {
			return fmt.Errorf("drain item %d of session %q: %w", seq, session, ErrNotFound)
		}
		var it DrainItem
		if err := json.Unmarshal(v, &it); err != nil {
			return err
		}
		it.Done, it.Outcome = true, outcome
		if err := putJSON(list, itob(seq), it); err != nil {
			return err
		}
	}
	return nil
}

// FinishDrainItems marks items done and queues the deliveries of evs in
// one transaction: a message is handed on and recorded as such together.
func (db *DB) FinishDrainItems(session string, seqs []uint64, outcome string, evs ...WebhookEvent) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := FinishDrainItemsTx(tx, session, seqs, outcome); err != nil {
			return err
		}
		return emit(tx, evs, time.Now())
	})
	if err != nil {
		return fmt.Errorf("finish drain items of session %q: %w", session, err)
	}
	return nil
}

// ClearDrain forgets the session's drain and its items.
func (db *DB) ClearDrain(session string) error {
	return db.bolt.Update(func(tx *bolt.Tx) error { return deleteBucket(tx, drainPath(session)...) })
}

func drainBucket(tx *bolt.Tx, session string) (*bolt.Bucket, error) {
	if err := requireSession(tx, session); err != nil {
		return nil, err
	}
	b, err := createBucketIfNotExists(tx, drainPath(session)...)
	if err != nil {
		return nil, err
	}
	for _, name := range [][]byte{bucketItems, bucketItemIDs} {
		if _, err := b.CreateBucketIfNotExists(name); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func putJSON(b *bolt.Bucket, k []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(k, data)
}
