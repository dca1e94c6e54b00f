package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(crashEnvDB); path != "" {
		crashChild(path, os.Getenv(crashEnvRun))
	}
	m.Run()
}

func tempPath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "waconsole.db")
}

func openTest(t testing.TB, path string, opts Options) *DB {
	t.Helper()
	db, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// newTestDB opens a fresh store; NoSync since most tests write a lot and
// durability is tested by the crash test.
func newTestDB(t testing.TB, sessions ...string) *DB {
	t.Helper()
	db := openTest(t, tempPath(t), Options{NoSync: true})
	for _, id := range sessions {
		if err := db.CreateSession(Session{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// assertRefused checks that Open fails with target, names the path and
// leaves the file byte-for-byte unchanged.
func assertRefused(t *testing.T, path string, target error) error {
	t.Helper()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(path, Options{})
	if err == nil {
		_ = db.Close()
		t.Fatalf("Open(%s) succeeded, want %v", path, target)
	}
	if !errors.Is(err, target) {
		t.Fatalf("Open error = %v, want %v", err, target)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the path", err)
	}
	after, readErr := os.ReadFile(path)
	if readErr != nil {
		t.Fatal(readErr)
	}
	if !bytes.Equal(before, after) {
		t.Fatalf("Open changed the refused file (%d bytes before, %d after)", len(before), len(after))
	}
	return err
}

// writeRealDB writes a store with some of everything, closed.
func writeRealDB(t testing.TB, path string) {
	t.Helper()
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, id := range []string{"alpha", "beta"} {
		if err := db.CreateSession(Session{ID: id, PairMethod: "qr", Pacing: Pacing{MinGap: ptr(time.Second)}}); err != nil {
			t.Fatal(err)
		}
		var jobs []Job
		for i := range 150 {
			if _, err := db.AppendEvent(id, Event{Kind: "state", From: "STOPPED", To: "STARTING"}); err != nil {
				t.Fatal(err)
			}
			jobs = append(jobs, Job{Session: id, ChatID: "1@c.us", Body: strings.Repeat("body ", 40), MsgID: fmt.Sprintf("%s-%03d", id, i)})
		}
		// One call: a lone Enqueue waits out the batch delay.
		if _, err := db.Enqueue(jobs...); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenCreatesFileWithMode0600(t *testing.T) {
	path := tempPath(t)
	db := openTest(t, path, Options{})
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode = %v, want 0600", perm)
	}
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
}

func TestOpenDoesNotCreateParent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	_, err := Open(filepath.Join(dir, "waconsole.db"), Options{})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want ErrNotExist", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the parent directory was created")
	}
}

func TestOpenRefusesDirectory(t *testing.T) {
	if _, err := Open(t.TempDir(), Options{}); !errors.Is(err, ErrNotDatabase) {
		t.Fatalf("err = %v, want ErrNotDatabase", err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := tempPath(t)
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(Session{ID: "s1", Account: "491234"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Enqueue(Job{Session: "s1", ChatID: "c@c.us", MsgID: "3EB0A"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openTest(t, path, Options{})
	s, err := db.GetSession("s1")
	if err != nil || s.Account != "491234" {
		t.Fatalf("GetSession = %+v, %v", s, err)
	}
	if _, err := db.JobByMsgID("s1", "3EB0A"); err != nil {
		t.Fatal(err)
	}
}

// A zero-length file holds nothing to lose and is what a crash during the
// first initialisation leaves, so it is initialised like a missing one.
func TestOpenZeroLengthInitialises(t *testing.T) {
	path := tempPath(t)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db := openTest(t, path, Options{})
	if err := db.CreateSession(Session{ID: "s"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenLocked(t *testing.T) {
	path := tempPath(t)
	db := openTest(t, path, Options{})
	start := time.Now()
	_, err := Open(path, Options{Timeout: time.Second})
	elapsed := time.Since(start)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open error = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the path", err)
	}
	if elapsed > 1200*time.Millisecond {
		t.Errorf("second Open took %v, want about 1s", elapsed)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	openTest(t, path, Options{})
}

func TestOpenRefusesGarbage(t *testing.T) {
	path := tempPath(t)
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(rand.Uint32())
	}
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	assertRefused(t, path, ErrNotDatabase)

	if err := os.WriteFile(path, []byte("{\"not\": \"bolt\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	assertRefused(t, path, ErrNotDatabase)
}

func TestOpenRefusesTruncated(t *testing.T) {
	path := tempPath(t)
	writeRealDB(t, path)
	h := readTestHeader(t, path)
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	end := int(h.meta.pgid) * int(h.pageSize)
	for _, cut := range []int{100, int(h.pageSize), 2*int(h.pageSize) + 100, end / 2, end - 1} {
		if err := os.WriteFile(path, whole[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		err := assertRefused(t, path, ErrNotDatabase)
		t.Logf("cut at %d: %v", cut, err)
	}
}

// Garbling each page in turn must never panic; a page that is in use must
// be refused untouched. (Free pages may hold anything.)
func TestOpenDamagedPages(t *testing.T) {
	path := tempPath(t)
	writeRealDB(t, path)
	h := readTestHeader(t, path)
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps := int(h.pageSize)
	refused := 0
	for id := 2; id < int(h.meta.pgid); id++ {
		for _, keepHeader := range []bool{false, true} {
			damaged := bytes.Clone(whole)
			start := id * ps
			if keepHeader {
				start += pageHeaderSize
			}
			for i := start; i < (id+1)*ps; i++ {
				damaged[i] = byte(rand.Uint32())
			}
			if err := os.WriteFile(path, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := Open(path, Options{NoSync: true})
			if err == nil {
				exercise(t, db) // a damaged value may get through; reading it must not panic
				_ = db.Close()
				continue
			}
			refused++
			if !errors.Is(err, ErrNotDatabase) {
				t.Fatalf("page %d: err = %v, want ErrNotDatabase", id, err)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, damaged) {
				t.Fatalf("page %d: the refused file was changed", id)
			}
			if uint64(id) == h.meta.root && !keepHeader {
				t.Logf("root page %d: %v", id, err)
			}
		}
	}
	if refused == 0 {
		t.Fatal("no damaged page was refused")
	}
	t.Logf("%d pages, %d damaged variants refused", h.meta.pgid, refused)
}

// exercise reads everything through the API; errors are fine, panics not.
func exercise(t testing.TB, db *DB) {
	sessions, _ := db.ListSessions()
	for _, s := range sessions {
		_, _ = db.Jobs(s.ID)
		_, _ = db.CountJobs(s.ID)
		_, _ = db.LastEvents(s.ID, 10)
	}
	_ = db.Check()
}

func readTestHeader(t *testing.T, path string) header {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := readHeader(f)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestOpenRefusesForeignBolt(t *testing.T) {
	path := tempPath(t)
	writeRaw(t, path, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("widgets"))
		if err != nil {
			return err
		}
		return b.Put([]byte("w1"), []byte("blue"))
	})
	err := assertRefused(t, path, ErrNotDatabase)
	if !strings.Contains(err.Error(), "widgets") {
		t.Errorf("error %q does not say what the file holds", err)
	}

	// containerd's meta.db also has a v1 root with a version key.
	path = tempPath(t)
	writeRaw(t, path, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketV1)
		if err != nil {
			return err
		}
		return b.Put(keyVersion, []byte{3})
	})
	assertRefused(t, path, ErrNotDatabase)
}

// Found by FuzzOpen: a sound bbolt file of ours that lacks a bucket.
func TestOpenRefusesMissingBucket(t *testing.T) {
	path := tempPath(t)
	writeRealDB(t, path)
	writeRaw(t, path, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketV1).DeleteBucket(bucketSessions)
	})
	err := assertRefused(t, path, ErrNotDatabase)
	if !strings.Contains(err.Error(), "v1/sessions is missing") {
		t.Errorf("error %q does not name the bucket", err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := tempPath(t)
	writeRealDB(t, path)
	writeRaw(t, path, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketV1).Put(keyVersion, []byte{byte(currentVersion + 1)})
	})
	err := assertRefused(t, path, ErrNewerSchema)
	if !strings.Contains(err.Error(), "newer waconsole") {
		t.Errorf("error %q does not say what to do", err)
	}
}

// writeRaw changes a bbolt file directly, bypassing the store.
func writeRaw(t testing.TB, path string, fn func(*bolt.Tx) error) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	if err := bdb.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func TestBackupAndCheck(t *testing.T) {
	db := newTestDB(t, "s1", "s2")
	if _, err := db.Enqueue(Job{Session: "s1", ChatID: "c@c.us", MsgID: "m1"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Check(); err != nil {
		t.Fatalf("Check on a healthy store: %v", err)
	}
	var buf bytes.Buffer
	n, err := db.Backup(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup wrote %d bytes, reported %d", buf.Len(), n)
	}
	path := tempPath(t)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	restored := openTest(t, path, Options{})
	list, err := restored.ListSessions()
	if err != nil || len(list) != 2 {
		t.Fatalf("restored sessions = %v, %v", list, err)
	}
	if _, err := restored.JobByMsgID("s1", "m1"); err != nil {
		t.Fatal(err)
	}
}
