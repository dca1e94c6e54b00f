package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A cause raises one open alert at a time; resolving it lets the next one
// be raised, and the history keeps both.
func TestAlertOnePerCauseThenResolved(t *testing.T) {
	db := newTestDB(t, "s1")
	first, raised, err := db.RaiseAlert(Alert{Session: "s1", Kind: "disconnected", Severity: "critical", Reason: "down"})
	if err != nil || !raised || first.ID == 0 {
		t.Fatalf("raise = %+v, %v, %v", first, raised, err)
	}
	again, raised, err := db.RaiseAlert(Alert{Session: "s1", Kind: "disconnected", Reason: "still down"})
	if err != nil || raised || again.ID != first.ID || again.Reason != "down" {
		t.Fatalf("a second raise of one cause = %+v, %v, %v; want the open one", again, raised, err)
	}
	other, raised, err := db.RaiseAlert(Alert{Kind: "disk-full", Severity: "critical"})
	if err != nil || !raised {
		t.Fatalf("an alert of no session = %+v, %v, %v", other, raised, err)
	}
	at := time.Now()
	res, found, err := db.ResolveAlert("s1", "disconnected", at)
	if err != nil || !found || !res.Resolved.Equal(at) {
		t.Fatalf("resolve = %+v, %v, %v", res, found, err)
	}
	if _, found, err := db.ResolveAlert("s1", "disconnected", at); err != nil || found {
		t.Fatalf("resolving twice = %v, %v; want nothing found", found, err)
	}
	if _, raised, _ := db.RaiseAlert(Alert{Session: "s1", Kind: "disconnected"}); !raised {
		t.Fatal("the cause came back but raised nothing")
	}
	open, err := db.Alerts(AlertQuery{Open: true})
	if err != nil || len(open) != 2 || open[0].Kind != "disconnected" || open[1].Kind != "disk-full" {
		t.Fatalf("open alerts = %+v, %v; want the new disconnect, then the disk", open, err)
	}
	all, err := db.Alerts(AlertQuery{Session: "s1"})
	if err != nil || len(all) != 2 || all[1].Resolved.IsZero() || !all[0].Resolved.IsZero() {
		t.Fatalf("history of s1 = %+v, %v", all, err)
	}
	if last, _ := db.Alerts(AlertQuery{Limit: 1}); len(last) != 1 || last[0].ID != all[0].ID {
		t.Fatalf("limit 1 = %+v", last)
	}
	if _, _, err := db.RaiseAlert(Alert{Session: "gone", Kind: "failed"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an alert of a missing session = %v, want ErrNotFound", err)
	}
}

func TestAlertAckKeepsTheFirstTime(t *testing.T) {
	db := newTestDB(t, "s1")
	a, _, err := db.RaiseAlert(Alert{Session: "s1", Kind: "failed"})
	if err != nil {
		t.Fatal(err)
	}
	first := time.Now()
	if got, err := db.AckAlert(a.ID, first); err != nil || !got.Acked.Equal(first) || !got.Resolved.IsZero() {
		t.Fatalf("ack = %+v, %v", got, err)
	}
	if got, _ := db.AckAlert(a.ID, first.Add(time.Hour)); !got.Acked.Equal(first) {
		t.Fatalf("a second ack moved the time to %v", got.Acked)
	}
	if _, err := db.AckAlert(999, first); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ack of an unknown alert = %v, want ErrNotFound", err)
	}
}

// History is bounded: the oldest resolved alerts go, open ones stay.
func TestAlertHistoryBounded(t *testing.T) {
	db := newTestDB(t, "s1")
	keep, _, err := db.RaiseAlert(Alert{Session: "s1", Kind: "blocked"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range AlertHistory + 5 {
		kind := fmt.Sprintf("k%d", i)
		if _, _, err := db.RaiseAlert(Alert{Session: "s1", Kind: kind}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.ResolveAlert("s1", kind, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.Alerts(AlertQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != AlertHistory {
		t.Fatalf("%d alerts kept, want %d", len(all), AlertHistory)
	}
	if all[len(all)-1].ID != keep.ID {
		t.Fatalf("the oldest kept is %+v, want the open one", all[len(all)-1])
	}
}

// Raising and resolving queue their deliveries in the same transaction; an
// alert of no session goes to every session's endpoints.
func TestAlertHookQueuesDeliveries(t *testing.T) {
	db := newTestDB(t, "s1", "s2")
	for _, s := range []string{"s1", "s2"} {
		if _, err := db.AddWebhook(Webhook{Session: s, Name: "pager", URL: "https://example.com/h", SecretEnv: "S", Events: []string{"alert.raised", "alert.resolved"}}); err != nil {
			t.Fatal(err)
		}
	}
	db.SetHooks(Hooks{Alert: func(a Alert) []WebhookEvent {
		typ := "alert.raised"
		if !a.Resolved.IsZero() {
			typ = "alert.resolved"
		}
		return []WebhookEvent{{Session: a.Session, Type: typ, Data: a}}
	}})
	if _, _, err := db.RaiseAlert(Alert{Session: "s1", Kind: "failed"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.RaiseAlert(Alert{Session: "s1", Kind: "failed"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.ResolveAlert("s1", "failed", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.RaiseAlert(Alert{Kind: "disk-full"}); err != nil {
		t.Fatal(err)
	}
	for s, want := range map[string]string{"s1": "alert.raised alert.resolved alert.raised", "s2": "alert.raised"} {
		ds, err := db.Deliveries(s)
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, d := range ds {
			types = append(types, d.Type)
		}
		if got := strings.Join(types, " "); got != want {
			t.Errorf("session %s queued %q, want %q", s, got, want)
		}
	}
}

func TestAlertThresholdsRoundTrip(t *testing.T) {
	db := newTestDB(t, "s1")
	if got, err := db.GetAlertThresholds("s1"); err != nil || got != (AlertThresholds{}) {
		t.Fatalf("before any setting = %+v, %v", got, err)
	}
	d, n := 2*time.Minute, 0
	if err := db.SetAlertThresholds("s1", AlertThresholds{Disconnected: &d, SendFailures: &n}); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetAlertThresholds("s1")
	if err != nil || got.Disconnected == nil || *got.Disconnected != d || got.SendFailures == nil || *got.SendFailures != 0 || got.Restarts != nil {
		t.Fatalf("read back %+v, %v", got, err)
	}
	if err := db.SetAlertThresholds("gone", AlertThresholds{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("thresholds of a missing session = %v", err)
	}
}

// Version 5 -> 6: a file written at version 5 gets the alert buckets and
// keeps its sessions.
func TestMigration6AddsAlerts(t *testing.T) {
	path := tempPath(t)
	writeAtVersion(t, path, 5, func(tx *bolt.Tx) error {
		if getBucket(tx, bucketV1, bucketAlerts) != nil {
			t.Fatal("version 5 already has alerts")
		}
		s, err := createBucketIfNotExists(tx, sessionPath("s1")...)
		if err != nil {
			return err
		}
		return s.Put(fieldState, []byte("FAILED"))
	})
	db := openTest(t, path, Options{})
	if v := fileVersion(t, db); v != currentVersion {
		t.Fatalf("version = %d, want %d", v, currentVersion)
	}
	if s, err := db.GetSession("s1"); err != nil || s.State != "FAILED" {
		t.Fatalf("session after migration = %+v, %v", s, err)
	}
	if _, raised, err := db.RaiseAlert(Alert{Session: "s1", Kind: "failed"}); err != nil || !raised {
		t.Fatalf("raise after migration = %v, %v", raised, err)
	}
	if open, err := db.Alerts(AlertQuery{Open: true}); err != nil || len(open) != 1 {
		t.Fatalf("open after migration = %+v, %v", open, err)
	}
}
