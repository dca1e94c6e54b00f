package store

import "testing"

func TestRecordStartCountsUncleanStartsAcrossReopens(t *testing.T) {
	path := tempPath(t)
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.RecordStart(); err != nil || got != (ProcessStarts{Starts: 1}) {
		t.Fatalf("first start = %+v, %v", got, err)
	}
	if err := db.RecordCleanStop(); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db = openTest(t, path, Options{})
	if got, err := db.RecordStart(); err != nil || got != (ProcessStarts{Starts: 2}) {
		t.Fatalf("start after a clean stop = %+v, %v", got, err)
	}
	// No clean stop: the process was killed. bbolt has the start on disk.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openTest(t, path, Options{})
	if got, err := db.RecordStart(); err != nil || got != (ProcessStarts{Starts: 3, Unclean: 1, AfterUnclean: true}) {
		t.Fatalf("start after a kill = %+v, %v", got, err)
	}
	if got, err := db.ProcessCounts(); err != nil || got != (ProcessStarts{Starts: 3, Unclean: 1}) {
		t.Fatalf("ProcessCounts = %+v, %v", got, err)
	}
}

func TestPingFailsOnceClosed(t *testing.T) {
	db, err := Open(tempPath(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err != nil {
		t.Fatalf("open store: %v", err)
	}
	if size, err := db.Size(); err != nil || size <= 0 {
		t.Fatalf("Size = %d, %v", size, err)
	}
	db.Close()
	if err := db.Ping(); err == nil {
		t.Fatal("a closed store answered Ping")
	}
}

func TestDeliveryCountsBySessionAndState(t *testing.T) {
	db := newTestDB(t, "s1", "s2")
	for _, s := range []string{"s1", "s2"} {
		if _, err := db.AddWebhook(Webhook{Session: s, Name: "crm", URL: "https://example.com/h", SecretEnv: "S"}); err != nil {
			t.Fatal(err)
		}
	}
	var seqs []uint64
	for _, s := range []string{"s1", "s1", "s1", "s2"} {
		ds, err := db.EnqueueDeliveries(WebhookEvent{Session: s, Type: "session.state"})
		if err != nil || len(ds) != 1 {
			t.Fatalf("enqueue: %v, %v", ds, err)
		}
		seqs = append(seqs, ds[0].Seq)
	}
	if _, err := db.UpdateDelivery(seqs[0], func(d *Delivery) error { d.State = DeliveryDead; return nil }); err != nil {
		t.Fatal(err)
	}
	got, err := db.DeliveryCounts()
	if err != nil {
		t.Fatal(err)
	}
	if got["s1"][DeliveryPending] != 2 || got["s1"][DeliveryDead] != 1 || got["s2"][DeliveryPending] != 1 || len(got) != 2 {
		t.Fatalf("DeliveryCounts = %v", got)
	}
}
