package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Inbound is one message a session's page reported, as captured: what a
// webhook or the inbox needs to hand it on without asking the page again.
type Inbound struct {
	Session  string    `json:"session"`
	ID       string    `json:"id"`             // raw message id: one entry per id
	Key      string    `json:"key"`            // serialized MsgKey
	Chat     string    `json:"chat"`           // the chat it was first seen in
	Twin     string    `json:"twin,omitempty"` // the same chat under its other id (@lid or phone number)
	Author   string    `json:"author,omitempty"`
	Type     string    `json:"type,omitempty"`
	Body     string    `json:"body,omitempty"` // text, or a media message's caption
	Time     time.Time `json:"time"`           // when it was sent, as the page says
	FromMe   bool      `json:"fromMe,omitempty"`
	Filtered string    `json:"filtered,omitempty"` // why the filters skipped it; "" when kept
	// Unsupported marks media: captured with its caption, but its content
	// is not handed on.
	Unsupported bool `json:"unsupported,omitempty"`
	// Pending marks an encrypted placeholder not decrypted yet.
	Pending  bool      `json:"pending,omitempty"`
	Received time.Time `json:"received"` // when it was captured: its place in the store
}

// InboundOutcome says what SaveInbound did with one message.
type InboundOutcome int

const (
	// InboundNew: first seen, stored.
	InboundNew InboundOutcome = iota
	// InboundFinal: the final form of a pending placeholder replaced it.
	InboundFinal
	// InboundSeen: already stored; nothing new (a twin chat id may be noted).
	InboundSeen
)

// InboundStats is how much of the store a session's inbound messages take.
type InboundStats struct {
	Stored   int            `json:"stored"`
	Bytes    int64          `json:"bytes"`    // approximate: keys and values
	Filtered map[string]int `json:"filtered"` // since the session was created, per reason
}

var (
	statStored   = []byte("stored")
	statBytes    = []byte("bytes")
	statFiltered = []byte("filtered")
)

// inboundKey is the arrival time, big-endian nanoseconds, then the id: byte
// order is arrival order, and a sweep stops at the first key it keeps.
func inboundKey(received time.Time, id string) []byte {
	return append(itob(uint64(max(received.UnixNano(), 0))), id...)
}

// SaveInbound stores messages of one session, one entry per message id, and
// says for each what it did. Filtered messages are stored with their reason
// and counted once. Concurrent calls share one commit through db.Batch, so
// a burst costs one fsync, not one per message.
func (db *DB) SaveInbound(session string, msgs []Inbound) ([]InboundOutcome, error) {
	now := time.Now()
	var out []InboundOutcome
	err := db.bolt.Batch(func(tx *bolt.Tx) error {
		var err error
		out, err = db.saveInboundTx(tx, session, msgs, now, true)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("save inbound of session %q: %w", session, err)
	}
	return out, nil
}

// saveInboundTx captures msgs in tx; with hooked, the Inbound hook sees
// what it stores (a drain captures without it what it does not deliver).
func (db *DB) saveInboundTx(tx *bolt.Tx, session string, msgs []Inbound, now time.Time, hooked bool) ([]InboundOutcome, error) {
	if err := requireSession(tx, session); err != nil {
		return nil, err
	}
	b, err := createBucketIfNotExists(tx, bucketV1, bucketInbound, []byte(session))
	if err != nil {
		return nil, err
	}
	ids, err := createBucketIfNotExists(tx, bucketV1, bucketInboundIDs, []byte(session))
	if err != nil {
		return nil, err
	}
	idx, err := createBucketIfNotExists(tx, searchPath(session)...)
	if err != nil {
		return nil, err
	}
	st, err := openStats(tx, session)
	if err != nil {
		return nil, err
	}
	out := make([]InboundOutcome, len(msgs))
	for i, m := range msgs {
		if m.ID == "" {
			return nil, fmt.Errorf("message %d has no id", i)
		}
		m.Session = session
		if k := ids.Get([]byte(m.ID)); k != nil {
			if out[i], err = mergeInbound(b, idx, st, k, m); err != nil {
				return nil, err
			}
			if err := db.inboundHook(tx, m, out[i], now, hooked); err != nil {
				return nil, err
			}
			continue
		}
		if m.Received.IsZero() {
			// A nanosecond apart, so that the keys keep the page's order.
			m.Received = now.Add(time.Duration(i))
		}
		k := inboundKey(m.Received, m.ID)
		v, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		if err := b.Put(k, v); err != nil {
			return nil, err
		}
		if err := ids.Put([]byte(m.ID), k); err != nil {
			return nil, err
		}
		if err := indexText(idx, k, m); err != nil {
			return nil, err
		}
		st.stored++
		st.bytes += int64(len(k) + len(v) + len(m.ID) + len(k))
		if m.Filtered != "" {
			st.filtered[m.Filtered]++
		}
		out[i] = InboundNew
		if err := db.inboundHook(tx, m, InboundNew, now, hooked); err != nil {
			return nil, err
		}
	}
	return out, st.write()
}

// mergeInbound handles an id seen before: the final form of a pending
// placeholder replaces it; another chat id is noted as its twin.
func mergeInbound(b, idx *bolt.Bucket, st *inboundStats, k []byte, m Inbound) (InboundOutcome, error) {
	old := b.Get(k)
	if old == nil {
		return InboundSeen, fmt.Errorf("message %q: its index entry points at nothing; restore a backup", m.ID)
	}
	var cur Inbound
	if err := json.Unmarshal(old, &cur); err != nil {
		return InboundSeen, fmt.Errorf("message %q is damaged: %w", m.ID, err)
	}
	outcome, in := InboundSeen, m.Chat
	next := cur
	switch {
	case cur.Pending && !m.Pending:
		m.Received, m.Chat, m.Twin = cur.Received, cur.Chat, cur.Twin
		if cur.Filtered == "" && m.Filtered != "" {
			st.filtered[m.Filtered]++
		}
		next, outcome = m, InboundFinal
	case in != cur.Chat && cur.Twin == "":
	default:
		return InboundSeen, nil
	}
	if in != next.Chat && next.Twin == "" {
		next.Twin = in
	}
	v, err := json.Marshal(next)
	if err != nil {
		return outcome, err
	}
	st.bytes += int64(len(v) - len(old))
	if err := indexText(idx, k, next); err != nil {
		return outcome, err
	}
	return outcome, b.Put(k, v)
}

// InboxQuery selects a session's captured messages.
type InboxQuery struct {
	Chat  string    // this chat id or its twin; "" for all
	Since time.Time // received at or after; zero for all
	Limit int       // the newest this many; 0 for all
	// Filtered includes what the filters skipped.
	Filtered bool
}

// Inbox returns the session's captured messages that match q, oldest
// first; ErrNotFound if the session does not exist.
func (db *DB) Inbox(session string, q InboxQuery) ([]Inbound, error) {
	var out []Inbound
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if err := requireSession(tx, session); err != nil {
			return err
		}
		b := getBucket(tx, bucketV1, bucketInbound, []byte(session))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		var from []byte
		if !q.Since.IsZero() {
			from = inboundKey(q.Since, "")
		}
		// Newest first, so a limit stops the walk early.
		for k, v := c.Last(); k != nil && bytes.Compare(k, from) >= 0; k, v = c.Prev() {
			var m Inbound
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("message %x is damaged: %w", k, err)
			}
			if (!q.Filtered && m.Filtered != "") || (q.Chat != "" && m.Chat != q.Chat && m.Twin != q.Chat) {
				continue
			}
			out = append(out, m)
			if q.Limit > 0 && len(out) == q.Limit {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("inbox of session %q: %w", session, err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// InboundByID returns the session's captured message id, or ErrNotFound.
func (db *DB) InboundByID(session, id string) (Inbound, error) {
	var m Inbound
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if err := requireSession(tx, session); err != nil {
			return err
		}
		ids := getBucket(tx, bucketV1, bucketInboundIDs, []byte(session))
		b := getBucket(tx, bucketV1, bucketInbound, []byte(session))
		if ids == nil || b == nil {
			return ErrNotFound
		}
		k := ids.Get([]byte(id))
		if k == nil {
			return ErrNotFound
		}
		v := b.Get(k)
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &m)
	})
	if err != nil {
		return Inbound{}, fmt.Errorf("session %q message %q: %w", session, id, err)
	}
	return m, nil
}

// SweepInbound removes at most limit of the session's messages received
// before cutoff, oldest first, and returns how many went. Bounded, so a
// sweep never holds the writer long; call again while it returns limit.
func (db *DB) SweepInbound(session string, cutoff time.Time, limit int) (int, error) {
	n := 0
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		n = 0
		b := getBucket(tx, bucketV1, bucketInbound, []byte(session))
		ids := getBucket(tx, bucketV1, bucketInboundIDs, []byte(session))
		if b == nil || ids == nil {
			return nil
		}
		idx, err := createBucketIfNotExists(tx, searchPath(session)...)
		if err != nil {
			return err
		}
		st, err := openStats(tx, session)
		if err != nil {
			return err
		}
		end := inboundKey(cutoff, "")
		c := b.Cursor()
		for k, v := c.First(); k != nil && n < limit && bytes.Compare(k, end) < 0; k, v = c.First() {
			id := k[min(len(k), 8):]
			st.stored--
			st.bytes -= int64(len(k) + len(v) + len(id) + len(k))
			if err := ids.Delete(id); err != nil {
				return err
			}
			if err := idx.Delete(k); err != nil {
				return err
			}
			if err := c.Delete(); err != nil {
				return err
			}
			n++
		}
		return st.write()
	})
	if err != nil {
		return 0, fmt.Errorf("sweep inbound of session %q: %w", session, err)
	}
	return n, nil
}

// InboundStats returns the session's inbound counts.
func (db *DB) InboundStats(session string) (InboundStats, error) {
	var out InboundStats
	err := db.bolt.View(func(tx *bolt.Tx) error {
		st, err := readStats(getBucket(tx, bucketV1, bucketInboundStats, []byte(session)))
		out = InboundStats{Stored: int(st.stored), Bytes: max(st.bytes, 0), Filtered: st.filtered}
		return err
	})
	if err != nil {
		return InboundStats{}, fmt.Errorf("inbound stats of session %q: %w", session, err)
	}
	return out, nil
}

// inboundStats are the counters under inboundstats/<session>, read and
// written back within one transaction.
type inboundStats struct {
	b        *bolt.Bucket
	stored   int64
	bytes    int64
	filtered map[string]int
}

func openStats(tx *bolt.Tx, session string) (*inboundStats, error) {
	b, err := createBucketIfNotExists(tx, bucketV1, bucketInboundStats, []byte(session))
	if err != nil {
		return nil, err
	}
	st, err := readStats(b)
	return &st, err
}

func readStats(b *bolt.Bucket) (inboundStats, error) {
	st := inboundStats{b: b, filtered: map[string]int{}}
	if b == nil {
		return st, nil
	}
	r := fieldReader{b: b}
	st.stored, st.bytes = r.int(statStored), r.int(statBytes)
	if f := b.Bucket(statFiltered); f != nil {
		r.b = f
		_ = f.ForEach(func(k, _ []byte) error {
			st.filtered[string(k)] = int(r.int(k))
			return nil
		})
	}
	return st, r.err
}

func (st *inboundStats) write() error {
	f, err := st.b.CreateBucketIfNotExists(statFiltered)
	if err != nil {
		return err
	}
	fields := []field{{st.b, statStored, intValue(max(st.stored, 0))}, {st.b, statBytes, intValue(max(st.bytes, 0))}}
	for reason, n := range st.filtered {
		fields = append(fields, field{f, []byte(reason), binary.AppendVarint(nil, int64(n))})
	}
	return putFields(fields...)
}
