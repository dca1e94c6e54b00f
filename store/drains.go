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
	Type     string    `json:"type,omitempty"`
	Media    bool      `json:"media,omitempty"`
	Mentions []string  `json:"mentions,omitempty"`
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
// already listed (an earlier snapshot) stays as it is; a new one takes the
// action chosen for its chat, if any. It returns how many were new.
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
		// A new message of a chat the operator chose an action for takes it.
		actions := map[string]string{}
		err = list.ForEach(func(_, v []byte) error {
			var it DrainItem
			if err := json.Unmarshal(v, &it); err != nil {
				return err
			}
			if it.Action != "" {
				actions[it.Chat] = it.Action
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, it := range items {
			if it.ID == "" || ids.Get([]byte(it.ID)) != nil {
				continue
			}
			it.Action = actions[it.Chat]
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

// What handing a drained message on did.
const (
	DrainDelivered = "delivered" // captured, and handed to the webhooks
	DrainMarked    = "read"      // captured; its chat was marked read
	DrainSkipped   = "skipped"   // captured, handed on to no one
	DrainAlready   = "already"   // captured and handed on before, by the live path
)

// CaptureDrained captures drained messages through the inbound path, as
// SaveInbound does, and marks their items done, all in one transaction. With
// deliver, the inbound hook hands on each message this capture stores in
// its final form for the first time: one the live path captured before
// was handed on then, and is not again (DrainAlready). outcome is what the
// others are recorded as. It returns the outcome of each item.
func (db *DB) CaptureDrained(session string, seqs []uint64, msgs []Inbound, outcome string, deliver bool) ([]string, error) {
	if len(seqs) != len(msgs) {
		return nil, fmt.Errorf("capture drained: %d items but %d messages", len(seqs), len(msgs))
	}
	now := time.Now()
	outs := make([]string, len(msgs))
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		captured, err := db.saveInboundTx(tx, session, msgs, now, deliver)
		if err != nil {
			return err
		}
		list := getBucket(tx, append(drainPath(session), bucketItems)...)
		if list == nil {
			return fmt.Errorf("session %q has no drain: %w", session, ErrNotFound)
		}
		for i, seq := range seqs {
			outs[i] = outcome
			if deliver && !handedOn(msgs[i], captured[i]) {
				outs[i] = DrainAlready
				if msgs[i].Filtered != "" {
					outs[i] = DrainSkipped
				}
			}
			if err := finishDrainItem(list, seq, outs[i]); err != nil {
				return fmt.Errorf("drain item %d of session %q: %w", seq, session, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("capture drained messages of session %q: %w", session, err)
	}
	return outs, nil
}

// handedOn reports whether a capture with outcome o stored m in its final
// form for the first time, which is when the operator's endpoints hear of
// a message the filters kept.
func handedOn(m Inbound, o InboundOutcome) bool {
	return m.Filtered == "" && ((o == InboundNew && !m.Pending) || o == InboundFinal)
}

func finishDrainItem(list *bolt.Bucket, seq uint64, outcome string) error {
	v := list.Get(itob(seq))
	if v == nil {
		return ErrNotFound
	}
	var it DrainItem
	if err := json.Unmarshal(v, &it); err != nil {
		return err
	}
	it.Done, it.Outcome = true, outcome
	return putJSON(list, itob(seq), it)
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
