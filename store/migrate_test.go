package store

import (
	"errors"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// writeAtVersion writes a file as a build at schema version v would have,
// then lets fill add data in that version's layout.
func writeAtVersion(t *testing.T, path string, v int, fill func(*bolt.Tx) error) {
	t.Helper()
	writeRaw(t, path, func(tx *bolt.Tx) error {
		if err := migrate(tx, v); err != nil {
			return err
		}
		return fill(tx)
	})
}

func fileVersion(t *testing.T, db *DB) int {
	t.Helper()
	var v int
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		v, err = schemaVersion(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrationsAreOrdered(t *testing.T) {
	for i, m := range migrations {
		if m.version != i+1 || m.name == "" || m.apply == nil {
			t.Fatalf("migration %d is %d %q: versions must run 1, 2, 3… with a name and a function", i, m.version, m.name)
		}
	}
}

// Version 0 -> 1: a bbolt file without buckets (what a crash between
// bbolt's initialisation and our first commit leaves) gets the layout.
func TestMigration1CreatesBuckets(t *testing.T) {
	path := tempPath(t)
	writeAtVersion(t, path, 0, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketV1) != nil {
			t.Fatal("version 0 already has v1")
		}
		return nil
	})
	db := openTest(t, path, Options{})
	if v := fileVersion(t, db); v != currentVersion {
		t.Fatalf("version = %d, want %d", v, currentVersion)
	}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketSessions, bucketEvents, bucketOutbox} {
			if getBucket(tx, bucketV1, name) == nil {
				t.Errorf("bucket v1/%s missing", name)
			}
		}
		meta := getBucket(tx, metaPath()...)
		if string(meta.Get(keyApp)) != "waconsole" {
			t.Errorf("marker = %q", meta.Get(keyApp))
		}
		var created time.Time
		if err := created.UnmarshalBinary(meta.Get(keyCreated)); err != nil || time.Since(created) > time.Minute {
			t.Errorf("meta/created = %v, %v", created, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(Session{ID: "s"}); err != nil {
		t.Fatal(err)
	}
}

// Version 1 -> 2: jobs queued under version 1 get indexed by message id.
func TestMigration2IndexesMsgIDs(t *testing.T) {
	path := tempPath(t)
	writeAtVersion(t, path, 1, func(tx *bolt.Tx) error {
		if getBucket(tx, bucketV1, bucketMsgIDs) != nil {
			t.Fatal("version 1 already has msgids")
		}
		s, err := createBucketIfNotExists(tx, sessionPath("s1")...)
		if err != nil {
			return err
		}
		if err := s.Put(fieldState, []byte("READY")); err != nil {
			return err
		}
		out, err := createBucketIfNotExists(tx, outboxPath("s1")...)
		if err != nil {
			return err
		}
		// Version 1 jobs, as version 1 wrote them.
		for seq, v := range []string{
			`{"seq":1,"session":"s1","chat_id":"c@c.us","body":"a","msg_id":"3EB0AA","state":"sent"}`,
			`{"seq":2,"session":"s1","chat_id":"c@c.us","body":"b","msg_id":"3EB0BB","state":"queued"}`,
			`{"seq":3,"session":"s1","chat_id":"c@c.us","body":"c","msg_id":"3EB0AA","state":"queued"}`,
			`{"seq":4,"session":"s1","chat_id":"c@c.us","body":"d","state":"queued"}`,
		} {
			if err := out.Put(itob(uint64(seq+1)), []byte(v)); err != nil {
				return err
			}
		}
		return out.SetSequence(4)
	})
	db := openTest(t, path, Options{})
	if v := fileVersion(t, db); v != currentVersion {
		t.Fatalf("version = %d, want %d", v, currentVersion)
	}
	for msgID, seq := range map[string]uint64{"3EB0AA": 1, "3EB0BB": 2} {
		j, err := db.JobByMsgID("s1", msgID)
		if err != nil || j.Seq != seq {
			t.Errorf("JobByMsgID(%s) = seq %d, %v; want %d", msgID, j.Seq, err, seq)
		}
	}
	if _, err := db.Enqueue(job("s1", "3EB0BB")); !errors.Is(err, ErrExists) {
		t.Errorf("enqueue of a migrated message id = %v, want ErrExists", err)
	}
	jobs, err := db.Enqueue(job("s1", "3EB0CC"))
	if err != nil || jobs[0].Seq != 5 {
		t.Fatalf("enqueue after migration = %v, %v; want seq 5", jobs, err)
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		if n := getBucket(tx, msgIDsPath("s1")...).Stats().KeyN; n != 3 {
			t.Errorf("index holds %d ids, want 3", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Version 2 -> 3: a file written at version 2 gets the inbound buckets,
// keeps its sessions, and captures messages at once.
func TestMigration3AddsInbound(t *testing.T) {
	path := tempPath(t)
	writeAtVersion(t, path, 2, func(tx *bolt.Tx) error {
		if getBucket(tx, bucketV1, bucketInbound) != nil {
			t.Fatal("version 2 already has inbound")
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
	err := db.bolt.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketInbound, bucketInboundIDs, bucketInboundStats} {
			if getBucket(tx, bucketV1, name) == nil {
				t.Errorf("bucket v1/%s missing", name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s, err := db.GetSession("s1"); err != nil || s.State != "READY" {
		t.Fatalf("session after migration = %+v, %v", s, err)
	}
	if _, err := db.SaveInbound("s1", []Inbound{{ID: "3A01", Chat: "c@c.us", Body: "hi"}}); err != nil {
		t.Fatal(err)
	}
	if st, err := db.InboundStats("s1"); err != nil || st.Stored != 1 {
		t.Fatalf("stats = %+v, %v; want 1 stored", st, err)
	}
}

func TestMigrateRefusesUnreadableVersion(t *testing.T) {
	path := tempPath(t)
	writeAtVersion(t, path, currentVersion, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketV1).Put(keyVersion, []byte{0x80} /* a uvarint cut short */)
	})
	assertRefused(t, path, ErrNotDatabase)
}

// Found by FuzzOpen: a version 1 job too damaged to index stops the
// migration, and the file is left as it was.
func TestMigration2RefusesDamagedJob(t *testing.T) {
	path := tempPath(t)
	writeAtVersion(t, path, 1, func(tx *bolt.Tx) error {
		if _, err := createBucketIfNotExists(tx, sessionPath("s1")...); err != nil {
			return err
		}
		out, err := createBucketIfNotExists(tx, outboxPath("s1")...)
		if err != nil {
			return err
		}
		return out.Put(itob(1), []byte(`{"msg_id":"3EB0`))
	})
	assertRefused(t, path, ErrNotDatabase)
}
