package store

import (
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// validate vets an existing, non-empty file without writing to it. bbolt
// trusts the file: a bad offset makes it read outside the file, which
// faults (sometimes in a goroutine of its own, where nothing can recover)
// or silently reads other memory. So before bbolt reads anything, the
// structure is checked by hand (format.go) with bounds-checked reads:
//
//  1. the meta pages (lock-free: only facts a live writer cannot make
//     false mid-commit), so that bbolt can open the file;
//  2. open it read-only, which takes the shared lock (ErrLocked on timeout);
//  3. under the lock, the freelist and every page reachable from the root;
//  4. in a read transaction: identify the file (ours, foreign, newer),
//     check that its version's buckets exist, and run bbolt's consistency
//     check (page accounting, key order).
//
// Nothing here writes: a refused file is left exactly as it was.
func validate(path string, timeout time.Duration) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := readHeader(f); err != nil {
		return err
	}
	bdb, err := openBolt(path, bolt.Options{ReadOnly: true, Timeout: timeout})
	if err != nil {
		return err
	}
	defer bdb.Close()
	h, err := readHeader(f) // again: a writer may have committed before we got the lock
	if err != nil {
		return err
	}
	if err := h.checkFreelist(f); err != nil {
		return err
	}
	if err := h.checkTree(f); err != nil {
		return err
	}
	return guard(func() error {
		return bdb.View(func(tx *bolt.Tx) error {
			v, err := schemaVersion(tx)
			switch {
			case err != nil:
				return err
			case v == 0:
				return nil // no buckets at all: initialised like a new file
			case v > currentVersion:
				return newerSchema(v)
			}
			if err := checkLayout(tx, v); err != nil {
				return err
			}
			if err := checkTx(tx); err != nil {
				return fmt.Errorf("%w: bbolt consistency check failed; restore a backup: %w", ErrNotDatabase, err)
			}
			return nil
		})
	})
}
