package store

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func inboundDB(t *testing.T) *DB {
	t.Helper()
	db := openTest(t, tempPath(t), Options{})
	if err := db.CreateSession(Session{ID: "s"}); err != nil {
		t.Fatal(err)
	}
	return db
}

func save(t *testing.T, db *DB, msgs ...Inbound) []InboundOutcome {
	t.Helper()
	out, err := db.SaveInbound("s", msgs)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSaveInboundOncePerID(t *testing.T) {
	db := inboundDB(t)
	got := save(t, db,
		Inbound{ID: "A", Chat: "111@lid", Body: "hi"},
		Inbound{ID: "A", Chat: "111@lid", Body: "hi"},
		Inbound{ID: "A", Chat: "4915@c.us", Body: "hi"},
		Inbound{ID: "B", Chat: "4915@c.us", Pending: true, Type: "ciphertext"},
	)
	if want := []InboundOutcome{InboundNew, InboundSeen, InboundSeen, InboundNew}; !reflect.DeepEqual(got, want) {
		t.Fatalf("outcomes = %v, want %v", got, want)
	}
	if got := save(t, db, Inbound{ID: "B", Chat: "4915@c.us", Type: "chat", Body: "decrypted"}, Inbound{ID: "B", Chat: "4915@c.us", Pending: true}); !reflect.DeepEqual(got, []InboundOutcome{InboundFinal, InboundSeen}) {
		t.Fatalf("final form outcomes = %v", got)
	}
	list, err := db.Inbox("s", InboxQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != "A" || list[0].Twin != "4915@c.us" || list[1].Body != "decrypted" || list[1].Pending {
		t.Fatalf("inbox = %+v", list)
	}
	for _, chat := range []string{"111@lid", "4915@c.us"} {
		if l, _ := db.Inbox("s", InboxQuery{Chat: chat}); len(l) == 0 || l[0].ID != "A" {
			t.Errorf("inbox of chat %s = %+v, want A first", chat, l)
		}
	}
	if st, _ := db.InboundStats("s"); st.Stored != 2 || st.Bytes <= 0 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestInboundFilteredCountedOnce(t *testing.T) {
	db := inboundDB(t)
	save(t, db, Inbound{ID: "O", Chat: "c@c.us", FromMe: true, Filtered: "own"}, Inbound{ID: "S", Chat: "status@broadcast", Filtered: "status"})
	save(t, db, Inbound{ID: "O", Chat: "c@c.us", FromMe: true, Filtered: "own"}, Inbound{ID: "K", Chat: "c@c.us", Body: "kept"})
	db.Close()
	db = openTest(t, db.Path(), Options{})
	st, err := db.InboundStats("s")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"own": 1, "status": 1}; !reflect.DeepEqual(st.Filtered, want) || st.Stored != 3 {
		t.Fatalf("stats after reopening = %+v, want 3 stored and filtered %v", st, want)
	}
	list, _ := db.Inbox("s", InboxQuery{})
	if len(list) != 1 || list[0].ID != "K" {
		t.Fatalf("inbox = %+v, want only the kept message", list)
	}
	if all, _ := db.Inbox("s", InboxQuery{Filtered: true}); len(all) != 3 {
		t.Fatalf("inbox with filtered = %d messages, want 3", len(all))
	}
}

func TestInboxSinceAndLimit(t *testing.T) {
	db := inboundDB(t)
	base := time.Now().Add(-time.Hour)
	for i, id := range []string{"1", "2", "3", "4"} {
		save(t, db, Inbound{ID: id, Chat: "c@c.us", Received: base.Add(time.Duration(i) * time.Minute)})
	}
	ids := func(q InboxQuery) (out []string) {
		list, err := db.Inbox("s", q)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range list {
			out = append(out, m.ID)
		}
		return out
	}
	if got := ids(InboxQuery{Since: base.Add(90 * time.Second)}); !reflect.DeepEqual(got, []string{"3", "4"}) {
		t.Errorf("since = %v", got)
	}
	if got := ids(InboxQuery{Limit: 3}); !reflect.DeepEqual(got, []string{"2", "3", "4"}) {
		t.Errorf("limit 3 = %v, want the newest three, oldest first", got)
	}
	if _, err := db.Inbox("nope", InboxQuery{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("inbox of a missing session = %v", err)
	}
}

func TestSweepInboundBounded(t *testing.T) {
	db := inboundDB(t)
	old := time.Now().Add(-48 * time.Hour)
	for _, id := range []string{"a", "b", "c"} {
		save(t, db, Inbound{ID: id, Chat: "c@c.us", Received: old})
	}
	save(t, db, Inbound{ID: "new", Chat: "c@c.us"})
	cutoff := time.Now().Add(-24 * time.Hour)
	if n, err := db.SweepInbound("s", cutoff, 2); err != nil || n != 2 {
		t.Fatalf("first pass = %d, %v; want 2", n, err)
	}
	if n, err := db.SweepInbound("s", cutoff, 2); err != nil || n != 1 {
		t.Fatalf("second pass = %d, %v; want 1", n, err)
	}
	list, _ := db.Inbox("s", InboxQuery{})
	if len(list) != 1 || list[0].ID != "new" {
		t.Fatalf("left = %+v", list)
	}
	if st, _ := db.InboundStats("s"); st.Stored != 1 {
		t.Fatalf("stats = %+v", st)
	}
	// A swept id is forgotten: seen again it is a new message.
	if got := save(t, db, Inbound{ID: "a", Chat: "c@c.us"}); got[0] != InboundNew {
		t.Fatalf("outcome after sweep = %v", got)
	}
}

func TestInboxSettingsRoundTrip(t *testing.T) {
	db := inboundDB(t)
	if s, err := db.GetInboxSettings("s"); err != nil || s != (InboxSettings{}) {
		t.Fatalf("defaults = %+v, %v", s, err)
	}
	want := InboxSettings{KeepOwn: true, MentionsOnly: true, Retention: 720 * time.Hour}
	if err := db.SetInboxSettings("s", want); err != nil {
		t.Fatal(err)
	}
	if s, err := db.GetInboxSettings("s"); err != nil || s != want {
		t.Fatalf("read back %+v, %v; want %+v", s, err, want)
	}
	if err := db.DeleteSession("s"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetInboxSettings("s"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete = %v", err)
	}
}

func TestInboundByID(t *testing.T) {
	db := inboundDB(t)
	save(t, db, Inbound{ID: "A", Chat: "111@lid", Body: "hi"}, Inbound{ID: "A", Chat: "4915@c.us"})
	m, err := db.InboundByID("s", "A")
	if err != nil || m.Body != "hi" || m.Twin != "4915@c.us" {
		t.Fatalf("InboundByID(A) = %+v, %v; want the message with its twin", m, err)
	}
	if _, err := db.InboundByID("s", "B"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("InboundByID(B) error = %v, want ErrNotFound", err)
	}
	if _, err := db.InboundByID("nope", "A"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("InboundByID of a missing session error = %v, want ErrNotFound", err)
	}
}
