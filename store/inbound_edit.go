package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// EditInbound replaces the body of the session's captured message id with
// an edit's text, and its search entry with it. It reports whether the
// stored body changed: false for a message never captured or an edit to
// the same text.
func (db *DB) EditInbound(session, id, body string) (bool, error) {
	changed := false
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		ids := getBucket(tx, bucketV1, bucketInboundIDs, []byte(session))
		b := getBucket(tx, bucketV1, bucketInbound, []byte(session))
		idx := getBucket(tx, searchPath(session)...)
		if ids == nil || b == nil || idx == nil {
			return nil
		}
		k := ids.Get([]byte(id))
		if k == nil {
			return nil
		}
		old := b.Get(k)
		var m Inbound
		if err := json.Unmarshal(old, &m); err != nil {
			return fmt.Errorf("message %q is damaged: %w", id, err)
		}
		if m.Body == body {
			return nil
		}
		m.Body = body
		v, err := json.Marshal(m)
		if err != nil {
			return err
		}
		st, err := openStats(tx, session)
		if err != nil {
			return err
		}
		st.bytes += int64(len(v) - len(old))
		if err := indexText(idx, k, m); err != nil {
			return err
		}
		if err := b.Put(k, v); err != nil {
			return err
		}
		changed = true
		return st.write()
	})
	if err != nil {
		return false, fmt.Errorf("session %q: editing message %q: %w", session, id, err)
	}
	return changed, nil
}
