package store

import (
	"encoding/binary"
	"errors"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func fullSession(id string) Session {
	return Session{
		ID:         id,
		PairMethod: "link",
		PairPhone:  "4915112345678",
		AutoStart:  true,
		Created:    time.Date(2026, 3, 1, 10, 0, 0, 123, time.UTC),
		State:      "READY",
		StateSince: time.Date(2026, 3, 1, 10, 5, 0, 0, time.UTC),
		Reason:     "synced",
		LastError:  "auth timeout",
		Account:    "4915112345678",
		Paused:     true,
		HoldReason: "paused by the operator",
		ReplyFirst: 24 * time.Hour,
		Pacing:     Pacing{MinGap: ptr(2 * time.Second), JitterMin: ptr(100 * time.Millisecond), Jitter: ptr(500 * time.Millisecond), ChatGap: ptr(10 * time.Second), BulkLimit: ptr(50)},
		Browser:    Browser{Proxy: "http://ops:s3cret@10.0.0.1:3128", UserAgent: "Mozilla/5.0 test", Flags: []string{"--lang=de", "--disable-notifications"}},
	}
}

func ptr[T any](v T) *T { return &v }

func sameSession(t *testing.T, got, want Session) {
	t.Helper()
	if !got.Created.Equal(want.Created) || !got.StateSince.Equal(want.StateSince) {
		t.Fatalf("times differ: got %v/%v want %v/%v", got.Created, got.StateSince, want.Created, want.StateSince)
	}
	got.Created, got.StateSince, want.Created, want.StateSince = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

func TestSessionRoundTrip(t *testing.T) {
	db := newTestDB(t)
	want := fullSession("s1")
	if err := db.CreateSession(want); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetSession("s1")
	if err != nil {
		t.Fatal(err)
	}
	sameSession(t, got, want)

	// One key per field, not a blob.
	err = db.bolt.View(func(tx *bolt.Tx) error {
		b := getBucket(tx, sessionPath("s1")...)
		if string(b.Get(fieldPairMethod)) != "link" || string(b.Get(fieldAccount)) != "4915112345678" {
			t.Errorf("fields are not stored one per key")
		}
		if b.Bucket(bucketPacing).Get(fieldChatGap) == nil {
			t.Errorf("pacing/chatgap missing")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A session stored before browser settings existed has no browser bucket:
// it reads as nothing set, and clearing every setting leaves no key.
func TestSessionWithoutBrowserSettings(t *testing.T) {
	db := newTestDB(t)
	if err := db.CreateSession(fullSession("s1")); err != nil {
		t.Fatal(err)
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		return getBucket(tx, sessionPath("s1")...).DeleteBucket(bucketBrowser)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.GetSession("s1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Browser.Proxy != "" || got.Browser.UserAgent != "" || got.Browser.Flags != nil || got.Pacing.MinGap == nil {
		t.Fatalf("a session without a browser bucket reads %+v (pacing %+v)", got.Browser, got.Pacing)
	}
	if _, err := db.UpdateSession("s1", func(s *Session) error { s.Browser = Browser{}; return nil }); err != nil {
		t.Fatal(err)
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		if k, _ := getBucket(tx, sessionPath("s1")...).Bucket(bucketBrowser).Cursor().First(); k != nil {
			t.Errorf("cleared browser settings left key %s", k)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCreateSession(t *testing.T) {
	db := newTestDB(t)
	before := time.Now()
	if err := db.CreateSession(Session{ID: "s1"}); err != nil {
		t.Fatal(err)
	}
	s, err := db.GetSession("s1")
	if err != nil {
		t.Fatal(err)
	}
	if s.Created.Before(before.Add(-time.Second)) || s.Created.After(time.Now()) {
		t.Errorf("Created = %v, want about now", s.Created)
	}
	if err := db.CreateSession(Session{ID: "s1"}); !errors.Is(err, ErrExists) {
		t.Errorf("second CreateSession = %v, want ErrExists", err)
	}
	if err := db.CreateSession(Session{}); err == nil {
		t.Errorf("CreateSession with an empty id succeeded")
	}
	if _, err := db.GetSession("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetSession(nope) = %v, want ErrNotFound", err)
	}
}

func TestListSessionsSorted(t *testing.T) {
	db := newTestDB(t, "charlie", "alpha", "bravo")
	list, err := db.ListSessions()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	if !reflect.DeepEqual(ids, []string{"alpha", "bravo", "charlie"}) {
		t.Fatalf("ids = %v", ids)
	}
}

func TestUpdateSession(t *testing.T) {
	db := newTestDB(t)
	if err := db.CreateSession(fullSession("s1")); err != nil {
		t.Fatal(err)
	}
	got, err := db.UpdateSession("s1", func(s *Session) error {
		s.State, s.Reason, s.LastError = "DISCONNECTED", "", ""
		s.Paused, s.AutoStart = false, false
		s.Pacing = Pacing{}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := db.GetSession("s1")
	if err != nil {
		t.Fatal(err)
	}
	sameSession(t, stored, got)
	if stored.State != "DISCONNECTED" || stored.Reason != "" || stored.Paused || stored.Pacing != (Pacing{}) {
		t.Fatalf("update not stored: %+v", stored)
	}

	boom := errors.New("boom")
	if _, err := db.UpdateSession("s1", func(s *Session) error { s.State = "FAILED"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if s, _ := db.GetSession("s1"); s.State != "DISCONNECTED" {
		t.Errorf("an aborted update was stored: %q", s.State)
	}
	if _, err := db.UpdateSession("s1", func(s *Session) error { s.ID = "s2"; return nil }); err == nil {
		t.Errorf("changing the id succeeded")
	}
	if _, err := db.UpdateSession("nope", func(*Session) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateSession(nope) = %v, want ErrNotFound", err)
	}
}

func TestDeleteSessionCascades(t *testing.T) {
	db := newTestDB(t, "s1", "s2")
	for _, id := range []string{"s1", "s2"} {
		if _, err := db.AppendEvent(id, Event{Kind: "state"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Enqueue(Job{Session: id, ChatID: "c@c.us", MsgID: "m1"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeleteSession("s1"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSession("s1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second DeleteSession = %v, want ErrNotFound", err)
	}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		for _, path := range [][][]byte{sessionPath("s1"), eventsPath("s1"), outboxPath("s1"), msgIDsPath("s1")} {
			if getBucket(tx, path...) != nil {
				t.Errorf("%s survived DeleteSession", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.JobByMsgID("s2", "m1"); err != nil {
		t.Errorf("the other session lost its job: %v", err)
	}
	// A recreated session starts empty.
	if err := db.CreateSession(Session{ID: "s1"}); err != nil {
		t.Fatal(err)
	}
	if jobs, err := db.Jobs("s1"); err != nil || len(jobs) != 0 {
		t.Errorf("recreated session has jobs %v, %v", jobs, err)
	}
	if evs, err := db.LastEvents("s1", 10); err != nil || len(evs) != 0 {
		t.Errorf("recreated session has events %v, %v", evs, err)
	}
}

func TestDamagedSessionFieldIsAnError(t *testing.T) {
	db := newTestDB(t, "s1")
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		return getBucket(tx, sessionPath("s1")...).Put(fieldStateSince, []byte("garbage"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetSession("s1"); err == nil {
		t.Fatal("a damaged field was read without error")
	}
}

// A zero the operator set is kept apart from a field never set: only the
// unset one takes the default.
func TestPacingZeroIsNotUnset(t *testing.T) {
	db := newTestDB(t)
	want := Session{ID: "s1", Pacing: Pacing{MinGap: ptr(time.Duration(0)), BulkLimit: ptr(0)}}
	if err := db.CreateSession(want); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetSession("s1")
	if err != nil {
		t.Fatal(err)
	}
	p := got.Pacing
	if p.MinGap == nil || *p.MinGap != 0 || p.BulkLimit == nil || *p.BulkLimit != 0 {
		t.Fatalf("set zeros read back as %+v, want min gap 0 and bulk limit 0", p)
	}
	if p.JitterMin != nil || p.Jitter != nil || p.ChatGap != nil {
		t.Fatalf("unset fields read back as set: %+v", p)
	}
	_, err = db.UpdateSession("s1", func(s *Session) error { s.Pacing.MinGap = nil; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := db.GetSession("s1"); got.Pacing.MinGap != nil {
		t.Fatalf("min gap still set after unsetting it: %v", *got.Pacing.MinGap)
	}
}

// Files written before a set zero could be stored kept a key only for a
// non-zero pacing value: they read as set where a key is, unset elsewhere,
// so no migration is needed.
func TestPacingOfEarlierFilesReadsAsSetOrUnset(t *testing.T) {
	path := tempPath(t)
	writeAtVersion(t, path, currentVersion, func(tx *bolt.Tx) error {
		b, err := createBucketIfNotExists(tx, sessionPath("old")...)
		if err != nil {
			return err
		}
		p, err := b.CreateBucket(bucketPacing)
		if err != nil {
			return err
		}
		return p.Put(fieldChatGap, binary.AppendVarint(nil, int64(time.Minute)))
	})
	db := openTest(t, path, Options{})
	s, err := db.GetSession("old")
	if err != nil {
		t.Fatal(err)
	}
	if p := s.Pacing; p.ChatGap == nil || *p.ChatGap != time.Minute || p.MinGap != nil || p.JitterMin != nil || p.Jitter != nil || p.BulkLimit != nil {
		t.Fatalf("pacing %+v, want the chat gap set to 1m and the rest unset", p)
	}
}
