package store

import (
	"errors"
	"strings"
	"testing"
)

// The hooks' events are queued by the write that causes them, and a write
// that fails queues nothing.
func TestHooksQueueWithTheirWrite(t *testing.T) {
	db := newTestDB(t, "s1")
	if _, err := db.AddWebhook(Webhook{Session: "s1", Name: "all", URL: "https://example.com/h", SecretEnv: "S"}); err != nil {
		t.Fatal(err)
	}
	db.SetHooks(Hooks{
		Event: func(session string, ev Event) []WebhookEvent {
			return []WebhookEvent{{Session: session, Type: "event." + ev.Kind, Data: ev}}
		},
		Job: func(before, after Job) []WebhookEvent {
			return []WebhookEvent{{Session: after.Session, Type: "job." + string(before.State) + "." + string(after.State), Data: after}}
		},
	})
	if _, err := db.AppendEvent("s1", Event{Kind: "state", From: "STARTING", To: "QR"}); err != nil {
		t.Fatal(err)
	}
	jobs, err := db.Enqueue(Job{Session: "s1", ChatID: "15550001111@c.us", Body: "hi", MsgID: "3EB0AAAAAAAAAAAAAAAAAA"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateJob("s1", jobs[0].Seq, func(j *Job) error { j.State = JobSent; return nil }); err != nil {
		t.Fatal(err)
	}
	refused := errors.New("refused")
	if _, err := db.UpdateJob("s1", jobs[0].Seq, func(j *Job) error { j.State = JobDead; return refused }); !errors.Is(err, refused) {
		t.Fatalf("a refused update answered %v", err)
	}
	ds, err := db.Deliveries("s1")
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, d := range ds {
		types = append(types, d.Type)
	}
	if got := strings.Join(types, " "); got != "event.state job.queued.sent" {
		t.Fatalf("queued %q, want the event and the one job update that was written", got)
	}
}

// A captured message is handed on when it is new or final, never again.
func TestInboundHookOncePerMessage(t *testing.T) {
	db := newTestDB(t, "s1")
	var seen []string
	db.SetHooks(Hooks{Inbound: func(m Inbound, o InboundOutcome) []WebhookEvent {
		seen = append(seen, m.ID+":"+m.Body)
		return nil
	}})
	msgs := []Inbound{{ID: "A", Chat: "1@c.us", Body: "", Pending: true}, {ID: "B", Chat: "1@c.us", Body: "b"}}
	if _, err := db.SaveInbound("s1", msgs); err != nil {
		t.Fatal(err)
	}
	again := []Inbound{{ID: "A", Chat: "1@c.us", Body: "a"}, {ID: "B", Chat: "1@lid", Body: "b"}}
	if _, err := db.SaveInbound("s1", again); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(seen, " "); got != "A: B:b A:a" {
		t.Fatalf("the hook saw %q, want each new message, then the placeholder's final form only", got)
	}
}
