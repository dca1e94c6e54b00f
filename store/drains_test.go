package store

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestDrainItemsKeepTheirProgress(t *testing.T) {
	db := openTest(t, tempPath(t), Options{})
	if err := db.CreateSession(Session{ID: "s"}); err != nil {
		t.Fatal(err)
	}
	if d, err := db.GetDrain("s"); err != nil || d.State != "" {
		t.Fatalf("drain before any snapshot: %+v %v", d, err)
	}
	now := time.Now()
	items := []DrainItem{
		{Chat: "b@c.us", ID: "B2", Body: "b2", Time: now.Add(-1 * time.Minute)},
		{Chat: "a@c.us", ID: "A1", Body: "a1", Time: now.Add(-3 * time.Minute)},
		{Chat: "b@c.us", ID: "B1", Body: "b1", Time: now.Add(-2 * time.Minute)},
	}
	if n, err := db.AddDrainItems("s", items); err != nil || n != 3 {
		t.Fatalf("added %d, %v", n, err)
	}
	// A later snapshot lists each message once.
	if n, err := db.AddDrainItems("s", append(items, DrainItem{Chat: "a@c.us", ID: "A2", Time: now})); err != nil || n != 1 {
		t.Fatalf("second snapshot added %d, %v; want only the new message", n, err)
	}
	got, err := db.DrainItems("s")
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, it := range got {
		order = append(order, it.ID)
	}
	if !slices.Equal(order, []string{"A1", "B1", "B2", "A2"}) {
		t.Fatalf("drain order %v, want oldest first, then the later snapshot", order)
	}
	if d, _ := db.GetDrain("s"); d.State != DrainWaiting || d.Snapshot.IsZero() {
		t.Fatalf("drain after a snapshot: %+v", d)
	}

	if n, err := db.SetDrainAction("s", []string{"b@c.us"}, DrainDeliver); err != nil || n != 2 {
		t.Fatalf("set on b: %d %v", n, err)
	}
	if _, err := db.CaptureDrained("s", []uint64{got[1].Seq}, []Inbound{{ID: "B1", Chat: "b@c.us"}}, DrainDelivered, false); err != nil {
		t.Fatal(err)
	}
	// Done items keep their action when the rest is chosen again.
	if n, err := db.SetDrainAction("s", nil, DrainSkip); err != nil || n != 3 {
		t.Fatalf("set on all: %d %v, want the 3 not done", n, err)
	}
	got, _ = db.DrainItems("s")
	if !got[1].Done || got[1].Outcome != "delivered" || got[1].Action != DrainDeliver || got[2].Action != DrainSkip || got[2].Done {
		t.Fatalf("items after finishing one: %+v", got)
	}
	if _, err := db.UpdateDrain("s", func(d *Drain) error { d.State, d.Rate = DrainRunning, 2; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddDrainItems("s", []DrainItem{{Chat: "c@c.us", ID: "C1", Time: now}}); err != nil {
		t.Fatal(err)
	}
	if d, _ := db.GetDrain("s"); d.State != DrainRunning || d.Rate != 2 {
		t.Fatalf("a snapshot taken while running changed the drain: %+v", d)
	}
	if _, err := db.AddDrainItems("s", []DrainItem{{Chat: "b@c.us", ID: "B3", Time: now}}); err != nil {
		t.Fatal(err)
	}
	if got, _ = db.DrainItems("s"); got[len(got)-1].Action != DrainSkip || got[len(got)-2].Action != "" {
		t.Fatalf("new items %+v, want B3 to take b's action and C1 none", got[len(got)-2:])
	}
	if _, err := db.CaptureDrained("s", []uint64{999}, []Inbound{{ID: "X1", Chat: "x@c.us"}}, DrainSkipped, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("finishing an unknown item: %v", err)
	}
	if _, err := db.AddDrainItems("nope", items); !errors.Is(err, ErrNotFound) {
		t.Fatalf("drain of an unknown session: %v", err)
	}
	if err := db.DeleteSession("s"); err != nil {
		t.Fatal(err)
	}
	if got, err := db.DrainItems("s"); err != nil || len(got) != 0 {
		t.Fatalf("drain items after the session was deleted: %d %v", len(got), err)
	}
}

// A drained message is captured through the inbound path: handed on once
// whichever of the live path and the drain captures it first.
func TestCaptureDrainedHandsOnOnce(t *testing.T) {
	db := openTest(t, tempPath(t), Options{})
	if err := db.CreateSession(Session{ID: "s"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddWebhook(Webhook{Session: "s", Name: "w", URL: "http://127.0.0.1:9/", SecretEnv: "X"}); err != nil {
		t.Fatal(err)
	}
	db.SetHooks(Hooks{Inbound: func(m Inbound, _ InboundOutcome) []WebhookEvent {
		if m.Filtered != "" {
			return nil
		}
		return []WebhookEvent{{Session: m.Session, Type: "message.received", Data: map[string]string{"id": m.ID}}}
	}})
	now := time.Now()
	var items []DrainItem
	for _, id := range []string{"L1", "D1", "D2", "F1"} {
		items = append(items, DrainItem{Chat: "a@c.us", ID: id, Time: now})
	}
	if _, err := db.AddDrainItems("s", items); err != nil {
		t.Fatal(err)
	}
	// L1 arrives live first: captured and handed on by the live path.
	if _, err := db.SaveInbound("s", []Inbound{{ID: "L1", Chat: "a@c.us"}}); err != nil {
		t.Fatal(err)
	}
	got, _ := db.DrainItems("s")
	var seqs []uint64
	for _, it := range got {
		seqs = append(seqs, it.Seq)
	}
	msgs := []Inbound{{ID: "L1", Chat: "a@c.us"}, {ID: "D1", Chat: "a@c.us"}, {ID: "D2", Chat: "a@c.us"}, {ID: "F1", Chat: "a@c.us", Filtered: "system"}}
	outs, err := db.CaptureDrained("s", seqs, msgs, DrainDelivered, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{DrainAlready, DrainDelivered, DrainDelivered, DrainSkipped}; !slices.Equal(outs, want) {
		t.Fatalf("outcomes %v, want %v", outs, want)
	}
	// D1 arrives live after the drain captured it: not handed on again.
	if _, err := db.SaveInbound("s", []Inbound{{ID: "D1", Chat: "a@c.us"}}); err != nil {
		t.Fatal(err)
	}
	ds, err := db.Deliveries("s")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range ds {
		ids = append(ids, string(d.Body))
	}
	if len(ds) != 3 || !strings.Contains(ids[0], `"L1"`) || !strings.Contains(ids[1], `"D1"`) || !strings.Contains(ids[2], `"D2"`) {
		t.Fatalf("deliveries %q, want L1, D1, D2 once each", ids)
	}
	if got, _ = db.DrainItems("s"); !got[0].Done || got[0].Outcome != DrainAlready {
		t.Fatalf("item of L1 %+v", got[0])
	}
	stored, _ := db.Inbox("s", InboxQuery{Filtered: true})
	if len(stored) != 4 {
		t.Fatalf("%d messages captured, want 4, each once", len(stored))
	}
}

// The migration that adds drains keeps what the version before held.
func TestMigrationAddsDrains(t *testing.T) {
	v := 0
	for _, m := range migrations {
		if slices.ContainsFunc(m.adds, func(b []byte) bool { return string(b) == string(bucketDrains) }) {
			v = m.version
		}
	}
	if v == 0 {
		t.Fatal("no migration adds the drains bucket")
	}
	path := tempPath(t)
	writeAtVersion(t, path, v-1, func(tx *bolt.Tx) error {
		_, err := createBucketIfNotExists(tx, sessionPath("s")...)
		return err
	})
	db := openTest(t, path, Options{})
	if got := fileVersion(t, db); got != currentVersion {
		t.Fatalf("version = %d, want %d", got, currentVersion)
	}
	if n, err := db.AddDrainItems("s", []DrainItem{{Chat: "a@c.us", ID: "A1", Time: time.Now()}}); err != nil || n != 1 {
		t.Fatalf("drain after the migration: %d %v", n, err)
	}
}
