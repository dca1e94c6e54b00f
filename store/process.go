package store

import (
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// Keys under v1/meta that count the processes that ran on this file. They
// live in an existing bucket, so older files need no migration.
var (
	keyStarts        = []byte("starts")
	keyUncleanStarts = []byte("uncleanstarts")
	keyRunning       = []byte("running")
)

// ProcessStarts counts the processes that ran the sessions of this file.
type ProcessStarts struct {
	Starts int64 `json:"starts"`
	// Unclean counts the starts that found the previous process had not
	// stopped cleanly: killed, crashed or the machine lost power.
	Unclean int64 `json:"unclean"`
	// AfterUnclean is set by RecordStart when this very start followed a
	// process that did not stop cleanly.
	AfterUnclean bool `json:"-"`
}

// RecordStart counts a process taking the file, and an unclean start when
// the one before never called RecordCleanStop. Call it once per process
// that runs sessions, after Open.
func (db *DB) RecordStart() (ProcessStarts, error) {
	var out ProcessStarts
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		meta := getBucket(tx, metaPath()...)
		r := fieldReader{b: meta}
		out = ProcessStarts{Starts: r.int(keyStarts) + 1, Unclean: r.int(keyUncleanStarts)}
		if r.bool(keyRunning) {
			out.Unclean++
			out.AfterUnclean = true
		}
		if r.err != nil {
			return r.err
		}
		return putFields(
			field{meta, keyStarts, intValue(out.Starts)},
			field{meta, keyUncleanStarts, intValue(out.Unclean)},
			field{meta, keyRunning, boolValue(true)},
		)
	})
	if err != nil {
		return ProcessStarts{}, fmt.Errorf("store %s: recording this start: %w", db.path, err)
	}
	return out, nil
}

// RecordCleanStop marks that the process stopped cleanly, so the next
// start is not counted unclean.
func (db *DB) RecordCleanStop() error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		return putFields(field{getBucket(tx, metaPath()...), keyRunning, nil})
	})
	if err != nil {
		return fmt.Errorf("store %s: recording a clean stop: %w", db.path, err)
	}
	return nil
}

// ProcessCounts reads the counts RecordStart keeps.
func (db *DB) ProcessCounts() (ProcessStarts, error) {
	var out ProcessStarts
	err := db.bolt.View(func(tx *bolt.Tx) error {
		r := fieldReader{b: getBucket(tx, metaPath()...)}
		out = ProcessStarts{Starts: r.int(keyStarts), Unclean: r.int(keyUncleanStarts)}
		return r.err
	})
	if err != nil {
		return ProcessStarts{}, fmt.Errorf("store %s: reading process starts: %w", db.path, err)
	}
	return out, nil
}

// Size is the store file's size in bytes.
func (db *DB) Size() (int64, error) {
	info, err := os.Stat(db.path)
	if err != nil {
		return 0, fmt.Errorf("store %s: %w", db.path, err)
	}
	return info.Size(), nil
}

// Ping reports whether the store still answers a read: an error once it
// is closed or its file cannot be read.
func (db *DB) Ping() error {
	if err := guard(func() error { return db.bolt.View(func(*bolt.Tx) error { return nil }) }); err != nil {
		return fmt.Errorf("store %s: %w", db.path, err)
	}
	return nil
}
