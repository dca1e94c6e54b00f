package store

import (
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Inspect vets the store file at path without writing to it, as Open
// would, and returns its schema version. A backup is checked with it
// before it is restored: a file Open would refuse, or an empty one, is an
// error.
func Inspect(path string) (version int, err error) {
	info, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("store %s: %w", path, err)
	}
	if !info.Mode().IsRegular() || info.Size() == 0 {
		return 0, fmt.Errorf("store %s: %w: empty or not a regular file", path, ErrNotDatabase)
	}
	if err := validate(path, time.Second); err != nil {
		return 0, fmt.Errorf("store %s: %w", path, err)
	}
	bdb, err := openBolt(path, bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return 0, fmt.Errorf("store %s: %w", path, err)
	}
	defer bdb.Close()
	err = guard(func() error {
		return bdb.View(func(tx *bolt.Tx) error {
			version, err = schemaVersion(tx)
			return err
		})
	})
	if err == nil && version == 0 {
		err = errors.New("it holds no waconsole data (schema version 0)")
	}
	if err != nil {
		return 0, fmt.Errorf("store %s: %w", path, err)
	}
	return version, nil
}
