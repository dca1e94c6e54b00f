package store

import (
	"errors"
	"testing"
	"time"
)

func TestAppendEvent(t *testing.T) {
	db := newTestDB(t, "s1")
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ev, err := db.AppendEvent("s1", Event{Time: at, Kind: "state", From: "STOPPED", To: "STARTING", Reason: "operator"})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Seq != 1 || !ev.Time.Equal(at) {
		t.Fatalf("first event = %+v", ev)
	}
	ev, err = db.AppendEvent("s1", Event{Kind: "state"})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Seq != 2 || time.Since(ev.Time) > time.Minute {
		t.Fatalf("second event = %+v, want seq 2 and time now", ev)
	}
	evs, err := db.LastEvents("s1", EventLimit+100)
	if err != nil || len(evs) != 2 {
		t.Fatalf("LastEvents = %v, %v", evs, err)
	}
	if evs[0].From != "STOPPED" || evs[0].To != "STARTING" || evs[0].Reason != "operator" || !evs[0].Time.Equal(at) {
		t.Errorf("stored event = %+v", evs[0])
	}
	if _, err := db.AppendEvent("nope", Event{Kind: "state"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("AppendEvent to a missing session = %v, want ErrNotFound", err)
	}
	if _, err := db.LastEvents("nope", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("LastEvents of a missing session = %v, want ErrNotFound", err)
	}
}

func TestLastEvents(t *testing.T) {
	db := newTestDB(t, "s1")
	for range 10 {
		if _, err := db.AppendEvent("s1", Event{Kind: "k"}); err != nil {
			t.Fatal(err)
		}
	}
	last, err := db.LastEvents("s1", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(last) != 3 || last[0].Seq != 8 || last[2].Seq != 10 {
		t.Fatalf("LastEvents(3) = %v", last)
	}
	if all, _ := db.LastEvents("s1", 50); len(all) != 10 || all[0].Seq != 1 {
		t.Errorf("LastEvents(50) = %d events", len(all))
	}
}

func TestEventsTrimmedAtLimit(t *testing.T) {
	db := newTestDB(t, "s1", "s2")
	const extra = 25
	for range EventLimit + extra {
		if _, err := db.AppendEvent("s1", Event{Kind: "k"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.AppendEvent("s2", Event{Kind: "k"}); err != nil {
		t.Fatal(err)
	}
	evs, err := db.LastEvents("s1", EventLimit+100)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != EventLimit {
		t.Fatalf("kept %d events, want %d", len(evs), EventLimit)
	}
	if evs[0].Seq != extra+1 || evs[len(evs)-1].Seq != EventLimit+extra {
		t.Fatalf("kept seqs %d..%d, want %d..%d", evs[0].Seq, evs[len(evs)-1].Seq, extra+1, EventLimit+extra)
	}
	if other, _ := db.LastEvents("s2", 10); len(other) != 1 {
		t.Errorf("trimming touched another session: %d events", len(other))
	}
}
