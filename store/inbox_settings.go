package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// InboxSettings are a session's inbound filters and retention. The zero
// value is the default: every filter on, mentions not required, the
// default retention.
type InboxSettings struct {
	KeepOwn      bool          // capture own messages unfiltered
	KeepStatus   bool          // capture status@broadcast unfiltered
	KeepSystem   bool          // capture system and notification messages unfiltered
	MentionsOnly bool          // in groups, filter what does not mention the account
	Retention    time.Duration // 0: the default
}

var (
	fieldKeepOwn      = []byte("keepown")
	fieldKeepStatus   = []byte("keepstatus")
	fieldKeepSystem   = []byte("keepsystem")
	fieldMentionsOnly = []byte("mentionsonly")
	fieldRetention    = []byte("retention")
)

// GetInboxSettings returns session id's inbox settings.
func (db *DB) GetInboxSettings(id string) (InboxSettings, error) {
	var s InboxSettings
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if err := requireSession(tx, id); err != nil {
			return err
		}
		b := getBucket(tx, append(sessionPath(id), bucketInbox)...)
		if b == nil {
			return nil
		}
		r := fieldReader{b: b}
		s = InboxSettings{KeepOwn: r.bool(fieldKeepOwn), KeepStatus: r.bool(fieldKeepStatus), KeepSystem: r.bool(fieldKeepSystem),
			MentionsOnly: r.bool(fieldMentionsOnly), Retention: time.Duration(r.int(fieldRetention))}
		return r.err
	})
	if err != nil {
		return InboxSettings{}, fmt.Errorf("inbox settings of session %q: %w", id, err)
	}
	return s, nil
}

// SetInboxSettings replaces session id's inbox settings.
func (db *DB) SetInboxSettings(id string, s InboxSettings) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := requireSession(tx, id); err != nil {
			return err
		}
		b, err := createBucketIfNotExists(tx, append(sessionPath(id), bucketInbox)...)
		if err != nil {
			return err
		}
		return putFields(
			field{b, fieldKeepOwn, boolValue(s.KeepOwn)},
			field{b, fieldKeepStatus, boolValue(s.KeepStatus)},
			field{b, fieldKeepSystem, boolValue(s.KeepSystem)},
			field{b, fieldMentionsOnly, boolValue(s.MentionsOnly)},
			field{b, fieldRetention, intValue(int64(s.Retention))},
		)
	})
	if err != nil {
		return fmt.Errorf("inbox settings of session %q: %w", id, err)
	}
	return nil
}
