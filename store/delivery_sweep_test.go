package store

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Delivered deliveries older than the cutoff go, oldest first and at most
// limit per call, and old dead ones of a removed endpoint; recent, pending
// and dead ones of an endpoint that exists stay.
func TestSweepDeliveredKeepsRecentPendingAndDead(t *testing.T) {
	db := newTestDB(t, "s1")
	if _, err := db.AddWebhook(Webhook{Session: "s1", Name: "crm", URL: "https://example.com/h", SecretEnv: "S"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	old := now.Add(-8 * 24 * time.Hour)
	// A dead delivery of an endpoint removed since.
	if _, err := db.AddWebhook(Webhook{Session: "s1", Name: "old", URL: "https://example.com/old", SecretEnv: "S", Events: []string{"outbox.dead"}}); err != nil {
		t.Fatal(err)
	}
	orphans, err := db.EnqueueDeliveries(WebhookEvent{Session: "s1", Type: "outbox.dead", Endpoint: "old"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateDelivery(orphans[0].Seq, func(d *Delivery) error { d.State, d.Created = DeliveryDead, old; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteWebhook("s1", "old"); err != nil {
		t.Fatal(err)
	}
	// Five old delivered, one old dead, one old pending, one recent delivered.
	states := []struct {
		state DeliveryState
		at    time.Time
	}{
		{DeliveryDelivered, old}, {DeliveryDead, old}, {DeliveryDelivered, old}, {DeliveryPending, old},
		{DeliveryDelivered, old}, {DeliveryDelivered, old}, {DeliveryDelivered, old}, {DeliveryDelivered, now},
	}
	seqs := make([]uint64, len(states))
	for i, st := range states {
		ds, err := db.EnqueueDeliveries(WebhookEvent{Session: "s1", Type: "session.state"})
		if err != nil || len(ds) != 1 {
			t.Fatalf("enqueue = %v, %v", ds, err)
		}
		seqs[i] = ds[0].Seq
		_, err = db.UpdateDelivery(ds[0].Seq, func(d *Delivery) error {
			d.State, d.Created = st.state, st.at
			if st.state == DeliveryDelivered {
				d.DeliveredAt = st.at
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	cutoff := now.Add(-7 * 24 * time.Hour)
	if n, err := db.SweepDelivered(cutoff, 3); err != nil || n != 3 {
		t.Fatalf("first sweep = %d, %v; want 3 (the limit)", n, err)
	}
	if n, err := db.SweepDelivered(cutoff, 3); err != nil || n != 3 {
		t.Fatalf("second sweep = %d, %v; want the 2 delivered left and the removed endpoint's dead one", n, err)
	}
	if n, err := db.SweepDelivered(cutoff, 3); err != nil || n != 0 {
		t.Fatalf("third sweep = %d, %v; want 0", n, err)
	}
	left, err := db.Deliveries("s1")
	if err != nil {
		t.Fatal(err)
	}
	var got []uint64
	for _, d := range left {
		got = append(got, d.Seq)
	}
	want := []uint64{seqs[1], seqs[3], seqs[7]}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("left %v, want the dead, the pending and the recent one %v", got, want)
	}
}

// A pass looks at no more than its bound: over many dead deliveries of an
// endpoint that exists (kept until retried) each pass goes on where the
// last stopped, and a delivered one behind them goes once the passes reach
// it; then they start over from the oldest.
func TestSweepDeliveredLooksAtABoundedSlice(t *testing.T) {
	db := newTestDB(t, "s1")
	if _, err := db.AddWebhook(Webhook{Session: "s1", Name: "crm", URL: "https://example.com/h", SecretEnv: "S"}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-8 * 24 * time.Hour)
	const dead, scan = 1000, 100
	var seqs []uint64
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		for i := 0; i <= dead; i++ {
			ds, err := EnqueueDeliveriesTx(tx, WebhookEvent{Session: "s1", Type: "session.state"}, old)
			if err != nil {
				return err
			}
			d := ds[0]
			d.State = DeliveryDead
			if i == dead {
				d.State, d.DeliveredAt = DeliveryDelivered, old
			}
			if err := putDelivery(tx, d); err != nil {
				return err
			}
			seqs = append(seqs, d.Seq)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.sweep.scan = scan
	cutoff := time.Now().Add(-7 * 24 * time.Hour)
	for pass := 1; pass <= dead/scan; pass++ {
		if n, err := db.SweepDelivered(cutoff, 500); err != nil || n != 0 {
			t.Fatalf("pass %d = %d, %v; want nothing removed", pass, n, err)
		}
		if want := seqs[pass*scan-1]; db.sweep.from != want {
			t.Fatalf("pass %d stopped after delivery %d, want %d: %d looked at at most", pass, db.sweep.from, want, scan)
		}
	}
	if n, err := db.SweepDelivered(cutoff, 500); err != nil || n != 1 {
		t.Fatalf("pass %d = %d, %v; want the delivered one behind the dead removed", dead/scan+1, n, err)
	}
	if db.sweep.from != 0 {
		t.Errorf("after the last old delivery the next pass starts at %d, want 0: over from the oldest", db.sweep.from)
	}
	if left, err := db.Deliveries("s1", DeliveryDead); err != nil || len(left) != dead {
		t.Errorf("dead deliveries left = %d, %v; want all %d", len(left), err, dead)
	}
}
