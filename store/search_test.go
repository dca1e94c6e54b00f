package store

import (
	"fmt"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func searchIDs(t *testing.T, db *DB, q SearchQuery) []string {
	t.Helper()
	hits, err := db.SearchInbound("s", q)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range hits {
		ids = append(ids, m.ID)
	}
	return ids
}

func TestSearchInbound(t *testing.T) {
	db := inboundDB(t)
	save(t, db,
		Inbound{ID: "A", Chat: "111@lid", Body: "Where is my Order #1234?"},
		Inbound{ID: "B", Chat: "4915@c.us", Body: "order arrived, thanks"},
		Inbound{ID: "C", Chat: "4915@c.us", Body: "ORDER 1234 again", Filtered: "own"},
		Inbound{ID: "D", Chat: "222@g.us", Pending: true, Type: "ciphertext"},
		Inbound{ID: "E", Chat: "222@g.us", Type: "image", Body: "photo of the order"},
	)
	save(t, db, Inbound{ID: "A", Chat: "4915@c.us"}) // the twin of 111@lid
	for _, tc := range []struct {
		q    SearchQuery
		want []string
	}{
		{SearchQuery{Words: []string{"order"}, Limit: 10}, []string{"E", "B", "A"}}, // newest first, filtered C left out
		{SearchQuery{Words: []string{"ORDER", "1234"}, Limit: 10}, []string{"A"}},   // every word, any case
		{SearchQuery{Words: []string{"order"}, Limit: 2}, []string{"E", "B"}},
		{SearchQuery{Words: []string{"order"}, Chat: "4915@c.us", Limit: 10}, []string{"B", "A"}}, // A by its twin
		{SearchQuery{Words: []string{"nothing"}, Limit: 10}, nil},
	} {
		if got := searchIDs(t, db, tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("search %+v = %v, want %v", tc.q, got, tc.want)
		}
	}
	// The decrypted form of a placeholder becomes searchable.
	save(t, db, Inbound{ID: "D", Chat: "222@g.us", Type: "chat", Body: "late order"})
	if got := searchIDs(t, db, SearchQuery{Words: []string{"late"}, Limit: 10}); !slices.Equal(got, []string{"D"}) {
		t.Errorf("after decryption: %v, want [D]", got)
	}
	for _, q := range []SearchQuery{{Words: []string{" "}, Limit: 1}, {Words: []string{"x"}}} {
		if _, err := db.SearchInbound("s", q); err == nil {
			t.Errorf("search %+v: no error", q)
		}
	}
	if _, err := db.SearchInbound("nobody", SearchQuery{Words: []string{"x"}, Limit: 1}); err == nil {
		t.Error("search of a missing session: no error")
	}
}

func TestSearchFollowsSweepAndDelete(t *testing.T) {
	db := inboundDB(t)
	old := time.Now().Add(-48 * time.Hour)
	save(t, db, Inbound{ID: "OLD", Chat: "1@c.us", Body: "old order", Received: old}, Inbound{ID: "NEW", Chat: "1@c.us", Body: "new order"})
	if n, err := db.SweepInbound("s", time.Now().Add(-time.Hour), 10); err != nil || n != 1 {
		t.Fatalf("sweep = %d, %v", n, err)
	}
	if got := searchIDs(t, db, SearchQuery{Words: []string{"order"}, Limit: 10}); !slices.Equal(got, []string{"NEW"}) {
		t.Fatalf("after the sweep: %v, want [NEW]", got)
	}
	if err := db.DeleteSession("s"); err != nil {
		t.Fatal(err)
	}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if getBucket(tx, searchPath("s")...) != nil {
			t.Error("the deleted session's search index is left")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Version 7 -> 8: messages captured before the index are found.
func TestMigration8IndexesInbound(t *testing.T) {
	path := tempPath(t)
	writeAtVersion(t, path, 7, func(tx *bolt.Tx) error {
		if getBucket(tx, bucketV1, bucketInboundText) != nil {
			t.Fatal("version 7 already has the search index")
		}
		s, err := createBucketIfNotExists(tx, sessionPath("s")...)
		if err != nil {
			return err
		}
		if err := s.Put(fieldState, []byte("READY")); err != nil {
			return err
		}
		b, err := createBucketIfNotExists(tx, bucketV1, bucketInbound, []byte("s"))
		if err != nil {
			return err
		}
		for i, v := range []string{`{"id":"K","chat":"1@c.us","body":"Kept Text"}`, `{"id":"F","chat":"1@c.us","body":"kept too","filtered":"own"}`} {
			if err := b.Put(inboundKey(time.Unix(int64(i+1), 0), fmt.Sprint(i)), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	})
	db := openTest(t, path, Options{})
	if v := fileVersion(t, db); v != currentVersion {
		t.Fatalf("version = %d, want %d", v, currentVersion)
	}
	hits, err := db.SearchInbound("s", SearchQuery{Words: []string{"kept"}, Limit: 10})
	if err != nil || len(hits) != 1 || hits[0].ID != "K" {
		t.Fatalf("search after migration = %+v, %v; want K only", hits, err)
	}
}
