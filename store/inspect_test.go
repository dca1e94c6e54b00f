package store

import (
	"bytes"
	"errors"
	"os"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestInspectReadsTheVersionAndWritesNothing(t *testing.T) {
	path := tempPath(t)
	writeRealDB(t, path)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Inspect(path)
	if err != nil || v != currentVersion {
		t.Fatalf("Inspect = %d, %v; want %d", v, err, currentVersion)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("Inspect changed the file")
	}
}

func TestInspectRefusesWhatOpenRefuses(t *testing.T) {
	newer := tempPath(t)
	writeRealDB(t, newer)
	writeRaw(t, newer, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketV1).Put(keyVersion, []byte{byte(currentVersion + 1)})
	})
	if _, err := Inspect(newer); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("Inspect of a newer schema = %v, want ErrNewerSchema", err)
	}

	garbage := tempPath(t)
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("not bolt "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Inspect(garbage); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("Inspect of garbage = %v, want ErrNotDatabase", err)
	}

	empty := tempPath(t)
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Inspect(empty); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("Inspect of an empty file = %v, want ErrNotDatabase", err)
	}

	bare := tempPath(t)
	writeRaw(t, bare, func(*bolt.Tx) error { return nil })
	if _, err := Inspect(bare); err == nil {
		t.Error("Inspect of a bbolt file without waconsole data succeeded")
	}
}
