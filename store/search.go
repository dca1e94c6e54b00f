package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// The search index holds, per kept inbound message, its searchable text
// lower-cased under the message's inbound key: a search walks these short
// values newest first and decodes only the messages that match, instead
// of every captured message's JSON.

// SearchQuery selects captured messages by their text.
type SearchQuery struct {
	// Words must all occur in a message's text (body or caption), in any
	// case and order; each may be part of a longer word.
	Words []string
	Chat  string // this chat id or its twin; "" for all
	Limit int    // at most this many, newest first; must be 1 or more
}

// searchText is what the index keeps of m: nothing for what the filters
// skipped or for a message without text.
func searchText(m Inbound) []byte {
	if m.Filtered != "" || m.Body == "" {
		return nil
	}
	return []byte(strings.ToLower(m.Body))
}

// indexText puts or removes k's entry in the session's search index.
func indexText(idx *bolt.Bucket, k []byte, m Inbound) error {
	if t := searchText(m); t != nil {
		return idx.Put(k, t)
	}
	return idx.Delete(k)
}

func searchPath(session string) [][]byte {
	return [][]byte{bucketV1, bucketInboundText, []byte(session)}
}

// SearchInbound returns the session's kept messages whose text holds every
// word of q, newest first; ErrNotFound if the session does not exist.
func (db *DB) SearchInbound(session string, q SearchQuery) ([]Inbound, error) {
	words := make([][]byte, 0, len(q.Words))
	for _, w := range q.Words {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" {
			words = append(words, []byte(w))
		}
	}
	if len(words) == 0 || q.Limit < 1 {
		return nil, fmt.Errorf("search of session %q: give at least one word and a limit of 1 or more", session)
	}
	var out []Inbound
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if err := requireSession(tx, session); err != nil {
			return err
		}
		idx := getBucket(tx, searchPath(session)...)
		msgs := getBucket(tx, bucketV1, bucketInbound, []byte(session))
		if idx == nil || msgs == nil {
			return nil
		}
		c := idx.Cursor()
		for k, text := c.Last(); k != nil && len(out) < q.Limit; k, text = c.Prev() {
			if !containsAll(text, words) {
				continue
			}
			var m Inbound
			if err := json.Unmarshal(msgs.Get(k), &m); err != nil {
				return fmt.Errorf("message %x is damaged: %w", k, err)
			}
			if q.Chat == "" || m.Chat == q.Chat || m.Twin == q.Chat {
				out = append(out, m)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search of session %q: %w", session, err)
	}
	return out, nil
}

func containsAll(text []byte, words [][]byte) bool {
	for _, w := range words {
		if !bytes.Contains(text, w) {
			return false
		}
	}
	return true
}

// indexInbound (version 8) fills the search index from the messages
// captured before it existed.
func indexInbound(tx *bolt.Tx) error {
	return getBucket(tx, bucketV1, bucketInbound).ForEachBucket(func(session []byte) error {
		idx, err := createBucketIfNotExists(tx, searchPath(string(session))...)
		if err != nil {
			return err
		}
		return getBucket(tx, bucketV1, bucketInbound, session).ForEach(func(k, v []byte) error {
			// The version 3 fields only, whatever Inbound becomes.
			var m struct {
				Body     string `json:"body"`
				Filtered string `json:"filtered"`
			}
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("session %q message %x is damaged: %w", session, k, err)
			}
			return indexText(idx, k, Inbound{Body: m.Body, Filtered: m.Filtered})
		})
	})
}
