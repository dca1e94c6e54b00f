package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// FuzzOpen feeds arbitrary bytes to Open as a database file. It must never
// panic; it either opens the file (and then reads it without panicking) or
// refuses it with ErrNotDatabase or ErrNewerSchema, leaving it unchanged.
func FuzzOpen(f *testing.F) {
	dir := f.TempDir()
	// A small store: the fuzzer works far better on a few pages.
	small := filepath.Join(dir, "small.db")
	db, err := Open(small, Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	if err := db.CreateSession(fullSession("s1")); err != nil {
		f.Fatal(err)
	}
	if _, err := db.AppendEvent("s1", Event{Kind: "state", From: "QR", To: "SYNCING"}); err != nil {
		f.Fatal(err)
	}
	if _, err := db.Enqueue(job("s1", "3EB0A"), job("s1", "3EB0B")); err != nil {
		f.Fatal(err)
	}
	if err := db.Close(); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(small)
	if err != nil {
		f.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.db")
	bdb, err := bolt.Open(foreign, 0o600, nil)
	if err != nil {
		f.Fatal(err)
	}
	if err := bdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err }); err != nil {
		f.Fatal(err)
	}
	if err := bdb.Close(); err != nil {
		f.Fatal(err)
	}
	other, err := os.ReadFile(foreign)
	if err != nil {
		f.Fatal(err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0xFF
	f.Add([]byte{})
	f.Add([]byte("not a database"))
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:4096])
	f.Add(flipped)
	f.Add(other)

	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "fuzz.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(path, Options{NoSync: true})
		if err == nil {
			exercise(t, db)
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			return
		}
		if !errors.Is(err, ErrNotDatabase) && !errors.Is(err, ErrNewerSchema) {
			t.Fatalf("unexpected error: %v", err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, data) {
			t.Fatalf("refused file was changed: %v", err)
		}
	})
}
