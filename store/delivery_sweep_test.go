package store

import (
	"testing"
	"time"
)

// Delivered deliveries older than the cutoff go, oldest first and at most
// limit per call; recent, pending and dead ones stay.
func TestSweepDeliveredKeepsRecentPendingAndDead(t *testing.T) {
	db := newTestDB(t, "s1")
	if _, err := db.AddWebhook(Webhook{Session: "s1", Name: "crm", URL: "https://example.com/h", SecretEnv: "S"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	old := now.Add(-8 * 24 * time.Hour)
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
	if n, err := db.SweepDelivered(cutoff, 3); err != nil || n != 2 {
		t.Fatalf("second sweep = %d, %v; want the 2 left", n, err)
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
