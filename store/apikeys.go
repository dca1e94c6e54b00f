package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// APIKey is a key of the TCP API. The store keeps the SHA-256 of the key,
// never the key: it is shown once, when it is made.
type APIKey struct {
	Name     string    `json:"name"`
	Role     string    `json:"role"`
	Sessions []string  `json:"sessions,omitempty"` // empty: every session
	Created  time.Time `json:"created"`
	LastUsed time.Time `json:"last_used,omitzero"`
	Hash     []byte    `json:"hash"`
}

// AddAPIKey stores a new key; a name already used fails with ErrExists.
func (db *DB) AddAPIKey(k APIKey) error {
	if k.Name == "" || k.Role == "" || len(k.Hash) == 0 {
		return errors.New("add API key: it lacks a name, role or hash")
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b := getBucket(tx, bucketV1, bucketAPIKeys)
		if b.Get([]byte(k.Name)) != nil {
			return ErrExists
		}
		return putAPIKey(b, k)
	})
	if err != nil {
		return fmt.Errorf("add API key %q: %w", k.Name, err)
	}
	return nil
}

// APIKeys returns every key, by name.
func (db *DB) APIKeys() ([]APIKey, error) {
	var out []APIKey
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return getBucket(tx, bucketV1, bucketAPIKeys).ForEach(func(name, v []byte) error {
			var k APIKey
			if err := json.Unmarshal(v, &k); err != nil {
				return fmt.Errorf("API key %q is damaged (%v); revoke it and create another", name, err)
			}
			out = append(out, k)
			return nil
		})
	})
	return out, err
}

// RevokeAPIKey removes a key, or fails with ErrNotFound.
func (db *DB) RevokeAPIKey(name string) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b := getBucket(tx, bucketV1, bucketAPIKeys)
		if b.Get([]byte(name)) == nil {
			return ErrNotFound
		}
		return b.Delete([]byte(name))
	})
	if err != nil {
		return fmt.Errorf("revoke API key %q: %w", name, err)
	}
	return nil
}

// TouchAPIKey records when a key was last used; a key revoked meanwhile
// is left revoked.
func (db *DB) TouchAPIKey(name string, at time.Time) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b := getBucket(tx, bucketV1, bucketAPIKeys)
		v := b.Get([]byte(name))
		if v == nil {
			return nil
		}
		var k APIKey
		if err := json.Unmarshal(v, &k); err != nil {
			return fmt.Errorf("API key %q is damaged (%v); revoke it and create another", name, err)
		}
		k.LastUsed = at
		return putAPIKey(b, k)
	})
}

func putAPIKey(b *bolt.Bucket, k APIKey) error {
	v, err := json.Marshal(k)
	if err != nil {
		return err
	}
	return b.Put([]byte(k.Name), v)
}
