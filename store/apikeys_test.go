package store

import (
	"errors"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestAPIKeysAddListTouchRevoke(t *testing.T) {
	db := openTest(t, tempPath(t), Options{})
	created := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	for _, k := range []APIKey{
		{Name: "worker", Role: "operate", Sessions: []string{"shop"}, Created: created, Hash: []byte{1}},
		{Name: "admin", Role: "admin", Created: created, Hash: []byte{2}},
	} {
		if err := db.AddAPIKey(k); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddAPIKey(APIKey{Name: "worker", Role: "read", Hash: []byte{3}}); !errors.Is(err, ErrExists) {
		t.Fatalf("a second key named worker = %v, want ErrExists", err)
	}
	used := created.Add(time.Hour)
	if err := db.TouchAPIKey("worker", used); err != nil {
		t.Fatal(err)
	}
	keys, err := db.APIKeys()
	if err != nil || len(keys) != 2 || keys[0].Name != "admin" || keys[1].Name != "worker" {
		t.Fatalf("APIKeys = %+v, %v; want admin, worker", keys, err)
	}
	if w := keys[1]; w.Role != "operate" || len(w.Sessions) != 1 || w.Sessions[0] != "shop" || !w.LastUsed.Equal(used) || string(w.Hash) != "\x01" {
		t.Errorf("worker = %+v, want operate on shop, last used %v", w, used)
	}
	if err := db.RevokeAPIKey("worker"); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeAPIKey("worker"); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoking twice = %v, want ErrNotFound", err)
	}
	// A touch racing a revoke does not bring the key back.
	if err := db.TouchAPIKey("worker", used); err != nil {
		t.Fatal(err)
	}
	if keys, _ := db.APIKeys(); len(keys) != 1 || keys[0].Name != "admin" {
		t.Errorf("after revoke: %+v, want admin alone", keys)
	}
}

// Version 5 -> 7: a file written at version 5 gets the apikeys bucket and
// keeps its sessions.
func TestMigration7AddsAPIKeys(t *testing.T) {
	path := tempPath(t)
	writeAtVersion(t, path, 5, func(tx *bolt.Tx) error {
		if getBucket(tx, bucketV1, bucketAPIKeys) != nil {
			t.Fatal("version 5 already has apikeys")
		}
		s, err := createBucketIfNotExists(tx, sessionPath("s1")...)
		if err != nil {
			return err
		}
		return s.Put(fieldState, []byte("READY"))
	})
	db := openTest(t, path, Options{})
	if v := fileVersion(t, db); v != currentVersion {
		t.Fatalf("version = %d, want %d", v, currentVersion)
	}
	if s, err := db.GetSession("s1"); err != nil || s.State != "READY" {
		t.Fatalf("session after migration = %+v, %v", s, err)
	}
	if err := db.AddAPIKey(APIKey{Name: "k", Role: "read", Hash: []byte{1}}); err != nil {
		t.Fatal(err)
	}
}
