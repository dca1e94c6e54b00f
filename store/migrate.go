package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"
)

type migration struct {
	version int
	name    string
	// adds are the buckets under v1 this version introduces: migrate
	// creates them before apply, and Open refuses a file at this version
	// or later that lacks one (every method relies on them).
	adds  [][]byte
	apply func(*bolt.Tx) error
}

// migrations run in order, all in the one transaction Open makes. Append
// only; never change a released one; each has its own test in
// migrate_test.go that opens a file written at the previous version.
var migrations = []migration{
	{1, "create the v1 buckets", [][]byte{bucketMeta, bucketSessions, bucketEvents, bucketOutbox}, markFile},
	{2, "index outbox jobs by message id", [][]byte{bucketMsgIDs}, indexMsgIDs},
	{3, "capture inbound messages", [][]byte{bucketInbound, bucketInboundIDs, bucketInboundStats}, noData},
	{4, "webhook endpoints and their delivery queue", [][]byte{bucketWebhooks, bucketDeliveries, bucketWebhookQueue}, noData},
	{5, "unread drains and their per-message progress", [][]byte{bucketDrains}, noData},
	{6, "alerts and the index of the open ones", [][]byte{bucketAlerts, bucketAlertsOpen}, noData},
	{7, "API keys of the TCP API", [][]byte{bucketAPIKeys}, noData},
	{8, "index inbound messages for search", [][]byte{bucketInboundText}, indexInbound},
}

// currentVersion is the schema this code reads and writes.
var currentVersion = migrations[len(migrations)-1].version

// migrate brings the file up to version target (currentVersion except in
// tests, which write files at older versions).
func migrate(tx *bolt.Tx, target int) error {
	v, err := schemaVersion(tx)
	if err != nil {
		return err
	}
	if v > currentVersion {
		return newerSchema(v)
	}
	for _, m := range migrations {
		if m.version <= v || m.version > target {
			continue
		}
		for _, name := range m.adds {
			if _, err := createBucketIfNotExists(tx, bucketV1, name); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
			}
		}
		if err := m.apply(tx); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
		v = m.version
	}
	root := tx.Bucket(bucketV1)
	if root == nil {
		return nil // target 0: left as an empty bbolt file
	}
	return root.Put(keyVersion, binary.AppendUvarint(nil, uint64(v)))
}

func newerSchema(v int) error {
	return fmt.Errorf("%w: the file has schema version %d, this waconsole knows up to %d; run a newer waconsole (the file was not modified)",
		ErrNewerSchema, v, currentVersion)
}

// errStop ends a ForEach early.
var errStop = errors.New("stop")

// schemaVersion reads the file's schema version. A bbolt file with no
// buckets at all is version 0 (new); one without our marker is foreign.
func schemaVersion(tx *bolt.Tx) (int, error) {
	root := tx.Bucket(bucketV1)
	if root == nil {
		var names []string
		_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			names = append(names, string(name))
			if len(names) == 3 {
				return errStop
			}
			return nil
		})
		if len(names) == 0 {
			return 0, nil
		}
		return 0, fmt.Errorf("%w: it is another program's bbolt file (buckets %q, no %q); refusing to touch it", ErrNotDatabase, names, bucketV1)
	}
	meta := root.Bucket(bucketMeta)
	if meta == nil || string(meta.Get(keyApp)) != string(appMarker) {
		return 0, fmt.Errorf("%w: it has a %q bucket but no waconsole marker, so it belongs to another program; refusing to touch it", ErrNotDatabase, bucketV1)
	}
	raw := root.Get(keyVersion)
	v, n := binary.Uvarint(raw)
	if n <= 0 || n != len(raw) || v > math.MaxInt32 {
		return 0, fmt.Errorf("%w: its schema version %x is unreadable; restore a backup", ErrNotDatabase, raw)
	}
	return int(v), nil
}

// checkLayout refuses a file at version v that lacks a bucket its version
// must have.
func checkLayout(tx *bolt.Tx, v int) error {
	for _, m := range migrations {
		if m.version > v {
			break
		}
		for _, name := range m.adds {
			if getBucket(tx, bucketV1, name) == nil {
				return fmt.Errorf("%w: bucket v1/%s is missing; restore a backup", ErrNotDatabase, name)
			}
		}
	}
	return nil
}

// markFile (version 1) marks the file as ours and notes when.
func markFile(tx *bolt.Tx) error {
	created, err := time.Now().MarshalBinary()
	if err != nil {
		return err
	}
	meta := getBucket(tx, metaPath()...)
	if err := meta.Put(keyApp, appMarker); err != nil {
		return err
	}
	return meta.Put(keyCreated, created)
}

// noData is the apply of a migration that only adds buckets.
func noData(*bolt.Tx) error { return nil }

// indexMsgIDs (version 2) fills msgids/<session>/<msgid> -> seq from the
// jobs already queued, so a job can be found by its WhatsApp message id
// (crash reconciliation) and a duplicate id refused. Where version 1 held
// two jobs with one id, the oldest keeps it.
func indexMsgIDs(tx *bolt.Tx) error {
	return getBucket(tx, bucketV1, bucketOutbox).ForEachBucket(func(session []byte) error {
		jobs := getBucket(tx, outboxPath(string(session))...)
		index, err := createBucketIfNotExists(tx, msgIDsPath(string(session))...)
		if err != nil {
			return err
		}
		return jobs.ForEach(func(k, v []byte) error {
			// The version 1 job format, not Job: this migration must keep
			// reading what version 1 wrote whatever Job becomes.
			var j struct {
				MsgID string `json:"msg_id"`
			}
			if err := json.Unmarshal(v, &j); err != nil {
				return fmt.Errorf("%w: outbox %q job %x is damaged (%v); restore a backup", ErrNotDatabase, session, k, err)
			}
			if j.MsgID == "" || index.Get([]byte(j.MsgID)) != nil {
				return nil
			}
			return index.Put([]byte(j.MsgID), k)
		})
	})
}
