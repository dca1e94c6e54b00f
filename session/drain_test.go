package session

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/store"
)

// drainEnv is a READY session on the current build with a webhook
// endpoint, whose next downtime leaves a backlog.
func drainEnv(t *testing.T, phone string) *testEnv {
	t.Helper()
	e := newEnv(t)
	e.close()
	e.drainAfter = 10 * time.Millisecond
	e.open(t)
	e.pairQR("s1", phone)
	if _, err := e.db.AddWebhook(store.Webhook{Session: "s1", Name: "w", URL: "http://127.0.0.1:9/", Events: []string{HookReceived}, SecretEnv: "DRAIN_TEST_SECRET"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// queuedReceived returns the message.received bodies queued for the session.
func queuedReceived(t *testing.T, db *store.DB) []string {
	t.Helper()
	ds, err := db.Deliveries("s1")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range ds {
		var ev struct {
			Type string
			Data receivedData
		}
		if err := json.Unmarshal(d.Body, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Type == HookReceived {
			out = append(out, ev.Data.Body)
		}
	}
	return out
}

func TestDrainAfterDowntimeDeliversReadsAndSkips(t *testing.T) {
	const phone = "15551230090"
	e := drainEnv(t, phone)
	e.backlogAfterDowntime("s1", phone, 3, 4)
	if err := e.m.Start("s1"); err != nil {
		t.Fatal(err)
	}
	// Back READY after a downtime: the snapshot waits for the operator.
	e.wait("s1", "an unread snapshot", 60*time.Second, func(s Snapshot) bool {
		return s.State == Ready && s.Drain.State == DrainWaiting && s.Drain.Total == 12
	})
	d, err := e.m.Drain("s1")
	if err != nil || len(d.Chats) != 3 {
		t.Fatalf("drain %+v %v, want 3 chats", d, err)
	}
	for _, c := range d.Chats {
		if c.Count != 4 || c.Left != 4 || c.Oldest.IsZero() || !strings.HasSuffix(c.Preview, "#1") {
			t.Fatalf("drain chat %+v, want 4 left, the oldest shown first", c)
		}
	}
	if got := queuedReceived(t, e.db); len(got) != 0 {
		t.Fatalf("a snapshot alone handed on %v", got)
	}
	deliver, read, skip := d.Chats[0], d.Chats[1], d.Chats[2]
	for _, req := range []DrainRequest{
		{Chats: []string{deliver.ID}, Action: DrainDeliver, Rate: 20},
		{Chats: []string{read.ID}, Action: DrainRead},
		{Chats: []string{skip.ID}, Action: DrainSkip},
	} {
		if _, err := e.m.StartDrain("s1", req); err != nil {
			t.Fatal(err)
		}
	}
	s := e.wait("s1", "the drain done", 30*time.Second, func(s Snapshot) bool { return s.Drain.State == DrainDone })
	if s.Drain.Done != 12 || s.Drain.Delivered != 4 || s.Drain.Read != 4 || s.Drain.Skipped != 4 {
		t.Fatalf("drain finished with %+v", s.Drain)
	}
	got := queuedReceived(t, e.db)
	want := []string{}
	for i := 1; i <= 4; i++ {
		want = append(want, strings.TrimSuffix(deliver.Preview, "1")+string(rune('0'+i)))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("message.received queued for %v, want %v in order", got, want)
	}
	marks, err := e.phone.Reads(context.Background(), phone)
	if err != nil || len(marks) != 1 || marks[0].Chat != read.ID || marks[0].Unread != 4 {
		t.Fatalf("chats marked read at the phone: %+v %v, want only %s", marks, err, read.ID)
	}
	if _, err := e.m.ControlDrain("s1", DrainPause); err == nil {
		t.Fatal("a finished drain paused")
	}
}

func TestDrainPacesPausesResumesAndSurvivesARestart(t *testing.T) {
	const phone = "15551230091"
	e := drainEnv(t, phone)
	e.backlogAfterDowntime("s1", phone, 2, 10)
	if err := e.m.Start("s1"); err != nil {
		t.Fatal(err)
	}
	e.wait("s1", "an unread snapshot", 60*time.Second, func(s Snapshot) bool { return s.Drain.Total == 20 })
	start := time.Now()
	if _, err := e.m.StartDrain("s1", DrainRequest{Action: DrainDeliver, Rate: 10}); err != nil {
		t.Fatal(err)
	}
	e.wait("s1", "5 delivered", 30*time.Second, func(s Snapshot) bool { return s.Drain.Delivered >= 5 })
	// 10 a second: the fifth goes no sooner than 0.4 s after the first.
	if took := time.Since(start); took < 400*time.Millisecond {
		t.Fatalf("5 messages handed on in %s at 10/s", took)
	}
	if _, err := e.m.ControlDrain("s1", DrainPause); err != nil {
		t.Fatal(err)
	}
	paused := e.wait("s1", "paused", 10*time.Second, func(s Snapshot) bool { return s.Drain.State == DrainPaused })
	if paused.Drain.ETA != 0 || paused.Drain.Left() == 0 {
		t.Fatalf("paused drain %+v: want messages left and no ETA", paused.Drain)
	}
	if _, err := e.m.ControlDrain("s1", DrainResume); err != nil {
		t.Fatal(err)
	}
	e.wait("s1", "10 delivered", 30*time.Second, func(s Snapshot) bool { return s.Drain.Delivered >= 10 })

	// A restart mid-drain goes on where it stopped: nothing again, nothing skipped.
	e.close()
	e.open(t)
	e.wait("s1", "the drain done after the restart", 30*time.Second, func(s Snapshot) bool { return s.Drain.State == DrainDone })
	got := queuedReceived(t, e.db)
	if len(got) != 20 {
		t.Fatalf("%d message.received queued, want 20", len(got))
	}
	seen := map[string]bool{}
	for _, b := range got {
		if seen[b] {
			t.Fatalf("%q handed on twice", b)
		}
		seen[b] = true
	}
}

// A message that arrives while a drain runs takes the live path and is
// handed on once, also when a later snapshot lists it in the drain too.
func TestDrainHandsOnAMessageArrivingMeanwhileOnce(t *testing.T) {
	const phone = "15551230092"
	e := drainEnv(t, phone)
	e.backlogAfterDowntime("s1", phone, 1, 10)
	if err := e.m.Start("s1"); err != nil {
		t.Fatal(err)
	}
	e.wait("s1", "an unread snapshot", 60*time.Second, func(s Snapshot) bool { return s.Drain.Total == 10 })
	d, err := e.m.Drain("s1")
	if err != nil {
		t.Fatal(err)
	}
	chat := d.Chats[0].ID
	if _, err := e.m.StartDrain("s1", DrainRequest{Action: DrainDeliver, Rate: 5}); err != nil {
		t.Fatal(err)
	}
	if err := e.phone.Inbound(context.Background(), phone, chat, "live during the drain", 1); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !slices.Contains(queuedReceived(t, e.db), "live during the drain") {
		if time.Now().After(deadline) {
			t.Fatal("the live message was not handed on")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The chat's unread now include it: a new snapshot lists it in the drain.
	if d, err = e.m.UnreadSnapshot(context.Background(), "s1"); err != nil || d.Total != 11 {
		t.Fatalf("snapshot during the drain: %+v %v, want 11 messages", d, err)
	}
	s := e.wait("s1", "the drain done", 30*time.Second, func(s Snapshot) bool { return s.Drain.State == DrainDone })
	if s.Drain.Done != 11 || s.Drain.Delivered != 10 || s.Drain.Already != 1 {
		t.Fatalf("drain %+v, want 10 delivered and the live one handed on before", s.Drain)
	}
	got := queuedReceived(t, e.db)
	if len(got) != 11 {
		t.Fatalf("message.received queued for %q, want the 10 drained and the live one", got)
	}
	live := 0
	for _, b := range got {
		if b == "live during the drain" {
			live++
		}
	}
	if live != 1 {
		t.Fatalf("the live message was handed on %d times", live)
	}
}
