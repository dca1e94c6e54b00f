package store

import (
	"errors"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// webhookMigration is the version that added the webhook buckets, looked
// up rather than written down, so the migrations can be renumbered.
func webhookMigration(t *testing.T) int {
	t.Helper()
	for _, m := range migrations {
		for _, name := range m.adds {
			if string(name) == string(bucketDeliveries) {
				return m.version
			}
		}
	}
	t.Fatal("no migration adds the deliveries bucket")
	return 0
}

// The version before the webhook migration -> it: a session of that
// version gets endpoints and deliveries.
func TestMigrationAddsWebhookBuckets(t *testing.T) {
	path := tempPath(t)
	v := webhookMigration(t)
	writeAtVersion(t, path, v-1, func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketWebhooks, bucketDeliveries, bucketWebhookQueue} {
			if getBucket(tx, bucketV1, name) != nil {
				t.Fatalf("version %d already has %s", v-1, name)
			}
		}
		s, err := createBucketIfNotExists(tx, sessionPath("s1")...)
		if err != nil {
			return err
		}
		return s.Put(fieldState, []byte("READY"))
	})
	db := openTest(t, path, Options{})
	if got := fileVersion(t, db); got != currentVersion {
		t.Fatalf("version = %d, want %d", got, currentVersion)
	}
	if _, err := db.AddWebhook(Webhook{Session: "s1", Name: "crm", URL: "https://example.com/h", SecretEnv: "S"}); err != nil {
		t.Fatal(err)
	}
	ds, err := db.EnqueueDeliveries(WebhookEvent{Session: "s1", Type: "session.state"})
	if err != nil || len(ds) != 1 {
		t.Fatalf("enqueue after migration = %v, %v", ds, err)
	}
}

func TestWebhooksAddListDelete(t *testing.T) {
	db := newTestDB(t, "s1")
	w := Webhook{Session: "s1", Name: "crm", URL: "https://example.com/h", Events: []string{"message.received"}, SecretFile: "/run/secret"}
	if _, err := db.AddWebhook(w); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddWebhook(w); !errors.Is(err, ErrExists) {
		t.Errorf("second add = %v, want ErrExists", err)
	}
	if _, err := db.AddWebhook(Webhook{Session: "nope", Name: "x", URL: "https://e", SecretEnv: "S"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("add to a missing session = %v, want ErrNotFound", err)
	}
	if _, err := db.AddWebhook(Webhook{Session: "s1", Name: "x", URL: "https://e", SecretEnv: "S", SecretFile: "f"}); err == nil {
		t.Error("two secret sources accepted")
	}
	got, err := db.GetWebhook("s1", "crm")
	if err != nil || got.URL != w.URL || got.SecretFile != w.SecretFile || len(got.Events) != 1 {
		t.Fatalf("get = %+v, %v", got, err)
	}
	all, err := db.Webhooks("s1")
	if err != nil || len(all) != 1 {
		t.Fatalf("list = %v, %v", all, err)
	}
	if err := db.DeleteWebhook("s1", "crm"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteWebhook("s1", "crm"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete = %v, want ErrNotFound", err)
	}
}

func TestDeliveriesFollowSubscriptions(t *testing.T) {
	db := newTestDB(t, "s1")
	for _, w := range []Webhook{
		{Session: "s1", Name: "all", URL: "https://a", SecretEnv: "A"},
		{Session: "s1", Name: "acks", URL: "https://b", SecretEnv: "B", Events: []string{"message.ack"}},
	} {
		if _, err := db.AddWebhook(w); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := db.EnqueueDeliveries(WebhookEvent{Session: "s1", Type: "message.received", Data: map[string]string{"chat": "c@c.us"}})
	if err != nil || len(ds) != 1 || ds[0].Endpoint != "all" {
		t.Fatalf("message.received went to %+v, %v; want only endpoint all", ds, err)
	}
	ds, err = db.EnqueueDeliveries(WebhookEvent{Session: "s1", Type: "webhook.test", Endpoint: "acks"})
	if err != nil || len(ds) != 1 || ds[0].Endpoint != "acks" {
		t.Fatalf("a test to acks went to %+v, %v", ds, err)
	}
	if _, err := db.EnqueueDeliveries(WebhookEvent{Session: "s1", Type: "webhook.test", Endpoint: "gone"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("a test to a missing endpoint = %v, want ErrNotFound", err)
	}
	d := ds[0]
	if len(d.WebhookID) < 20 || d.WebhookID[:4] != "msg_" || d.State != DeliveryPending {
		t.Errorf("delivery = %+v", d)
	}
}

// The queue index holds exactly the deliveries still to make: due ones
// come back, future ones set the next wake-up, finished ones leave it.
func TestDueDeliveriesAndRequeue(t *testing.T) {
	db := newTestDB(t, "s1")
	if _, err := db.AddWebhook(Webhook{Session: "s1", Name: "a", URL: "https://a", SecretEnv: "A"}); err != nil {
		t.Fatal(err)
	}
	var seqs []uint64
	for range 3 {
		ds, err := db.EnqueueDeliveries(WebhookEvent{Session: "s1", Type: "session.state"})
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, ds[0].Seq)
	}
	later := time.Now().Add(time.Hour)
	mustUpdate := func(seq uint64, fn func(*Delivery)) {
		t.Helper()
		if _, err := db.UpdateDelivery(seq, func(d *Delivery) error { fn(d); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	mustUpdate(seqs[0], func(d *Delivery) { d.State = DeliveryDelivered })
	mustUpdate(seqs[1], func(d *Delivery) { d.NextAttempt = later })
	mustUpdate(seqs[2], func(d *Delivery) { d.State = DeliveryDelivering })
	due, next, err := db.DueDeliveries(time.Now())
	if err != nil || len(due) != 0 || !next.Equal(later) {
		t.Fatalf("due = %v, next %v, %v; want none, next %v", due, next, err, later)
	}
	if n, err := db.RequeueDelivering(); err != nil || n != 1 {
		t.Fatalf("requeue = %d, %v; want 1", n, err)
	}
	due, _, err = db.DueDeliveries(time.Now())
	if err != nil || len(due) != 1 || due[0].Seq != seqs[2] || due[0].State != DeliveryPending {
		t.Fatalf("due after requeue = %+v, %v", due, err)
	}
	if _, err := db.UpdateDelivery(seqs[2], func(d *Delivery) error { d.WebhookID = "msg_other"; return nil }); err == nil {
		t.Error("the webhook id changed")
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		if n := getBucket(tx, bucketV1, bucketWebhookQueue).Stats().KeyN; n != 2 {
			t.Errorf("queue index holds %d, want 2", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dead, err := db.Deliveries("s1", DeliveryDelivered)
	if err != nil || len(dead) != 1 || dead[0].Seq != seqs[0] {
		t.Errorf("delivered = %v, %v", dead, err)
	}
}

// Deliveries added inside a caller's transaction commit or roll back with it.
func TestEnqueueDeliveriesTxSharesTheTransaction(t *testing.T) {
	db := newTestDB(t, "s1")
	if _, err := db.AddWebhook(Webhook{Session: "s1", Name: "a", URL: "https://a", SecretEnv: "A"}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("the fact failed")
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if _, err := EnqueueDeliveriesTx(tx, WebhookEvent{Session: "s1", Type: "message.received"}, time.Now()); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if ds, err := db.Deliveries("s1"); err != nil || len(ds) != 0 {
		t.Fatalf("a rolled back transaction left deliveries %v, %v", ds, err)
	}
}

// A disabled endpoint gets no new deliveries, its pending ones go dead with
// the reason, a test to it is refused, and adding it again enables it.
func TestDisabledWebhookTakesNothingUntilAddedAgain(t *testing.T) {
	db := newTestDB(t, "s1")
	w := Webhook{Session: "s1", Name: "crm", URL: "https://example.com/h", SecretEnv: "S"}
	if _, err := db.AddWebhook(w); err != nil {
		t.Fatal(err)
	}
	queued, err := db.EnqueueDeliveries(WebhookEvent{Session: "s1", Type: "session.state"})
	if err != nil || len(queued) != 1 {
		t.Fatalf("enqueue = %v, %v", queued, err)
	}
	n, err := db.DisableWebhook("s1", "crm", "it answered 410 Gone")
	if err != nil || n != 1 {
		t.Fatalf("disable = %d, %v; want 1 delivery dead", n, err)
	}
	d, err := db.GetDelivery(queued[0].Seq)
	if err != nil || d.State != DeliveryDead || d.LastError != "it answered 410 Gone" {
		t.Fatalf("queued delivery after disable = %+v, %v", d, err)
	}
	if due, _, err := db.DueDeliveries(time.Now()); err != nil || len(due) != 0 {
		t.Fatalf("due after disable = %v, %v", due, err)
	}
	got, err := db.GetWebhook("s1", "crm")
	if err != nil || got.Disabled.IsZero() || got.DisabledReason != "it answered 410 Gone" {
		t.Fatalf("endpoint after disable = %+v, %v", got, err)
	}
	if ds, err := db.EnqueueDeliveries(WebhookEvent{Session: "s1", Type: "session.state"}); err != nil || len(ds) != 0 {
		t.Fatalf("enqueue to a disabled endpoint = %v, %v; want none", ds, err)
	}
	if _, err := db.EnqueueDeliveries(WebhookEvent{Session: "s1", Type: "webhook.test", Endpoint: "crm"}); !errors.Is(err, ErrDisabled) {
		t.Fatalf("test of a disabled endpoint = %v, want ErrDisabled", err)
	}
	w.URL = "https://example.com/new"
	if _, err := db.AddWebhook(w); err != nil {
		t.Fatalf("adding a disabled endpoint again = %v", err)
	}
	if got, err := db.GetWebhook("s1", "crm"); err != nil || !got.Disabled.IsZero() || got.URL != w.URL {
		t.Fatalf("endpoint added again = %+v, %v", got, err)
	}
	if ds, err := db.EnqueueDeliveries(WebhookEvent{Session: "s1", Type: "session.state"}); err != nil || len(ds) != 1 {
		t.Fatalf("enqueue after enabling = %v, %v", ds, err)
	}
	if _, err := db.AddWebhook(w); !errors.Is(err, ErrExists) {
		t.Fatalf("adding an enabled endpoint again = %v, want ErrExists", err)
	}
}
