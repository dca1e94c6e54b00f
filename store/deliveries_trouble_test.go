package store

import (
	"testing"
)

// Failing and dead deliveries count as trouble, but not those of alerts:
// they go to the same endpoints, and counting them would raise the alert
// about the trouble again each time its own delivery failed.
func TestDeliveriesInTroubleLeaveOutAlerts(t *testing.T) {
	db := newTestDB(t, "s1")
	if _, err := db.AddWebhook(Webhook{Session: "s1", Name: "crm", URL: "https://example.com/h", SecretEnv: "S"}); err != nil {
		t.Fatal(err)
	}
	set := func(typ string, state DeliveryState, attempts int) {
		t.Helper()
		ds, err := db.EnqueueDeliveries(WebhookEvent{Session: "s1", Type: typ})
		if err != nil || len(ds) != 1 {
			t.Fatalf("enqueue %s = %v, %v", typ, ds, err)
		}
		if _, err := db.UpdateDelivery(ds[0].Seq, func(d *Delivery) error { d.State, d.Attempts = state, attempts; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	set("session.state", DeliveryPending, 3)
	set("session.state", DeliveryPending, 2) // not yet failing
	set("outbox.dead", DeliveryDead, 4)
	for _, typ := range []string{"alert.raised", "alert.resolved"} {
		set(typ, DeliveryPending, 3)
		set(typ, DeliveryDead, 4)
	}
	got, err := db.DeliveriesInTrouble(3)
	if err != nil {
		t.Fatal(err)
	}
	if want := (DeliveryTrouble{Failing: 1, Dead: 1}); got["s1"] != want || len(got) != 1 {
		t.Fatalf("trouble = %+v, want s1: %+v and nothing of the alerts' deliveries", got, want)
	}
}
