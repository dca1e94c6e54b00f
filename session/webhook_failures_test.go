package session

import (
	"testing"
	"time"
)

// A webhook failure becomes an event of the session's log, in the state the
// session is in, and reaches subscribers live.
func TestWebhookFailureIsAnEventOfTheSession(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Add(AddRequest{ID: "hooks"}); err != nil {
		t.Fatal(err)
	}
	updates, stop := e.m.Subscribe()
	defer stop()
	e.m.WebhookFailed("hooks", false, "crm: HTTP 500 on attempt 1 of 8, next in 5s")
	e.m.WebhookFailed("hooks", true, "crm: HTTP 500 on attempt 8 of 8, dead")
	e.m.WebhookFailed("no-such-session", true, "ignored")

	var live []Event
	deadline := time.After(10 * time.Second)
	for len(live) < 2 {
		select {
		case u := <-updates:
			if u.Event != nil && u.Session == "hooks" && u.Event.Kind != "created" {
				live = append(live, *u.Event)
			}
		case <-deadline:
			t.Fatalf("published: %+v; want both webhook events", live)
		}
	}
	evs, err := e.m.History("hooks", 10)
	if err != nil {
		t.Fatal(err)
	}
	var logged []Event
	for _, ev := range evs {
		if ev.Kind == EventWebhookFailed || ev.Kind == EventWebhookDead {
			logged = append(logged, ev)
		}
	}
	for name, got := range map[string][]Event{"published": live, "logged": logged} {
		if len(got) != 2 ||
			got[0].Kind != EventWebhookFailed || got[0].Reason != "crm: HTTP 500 on attempt 1 of 8, next in 5s" || got[0].To != string(Stopped) ||
			got[1].Kind != EventWebhookDead || got[1].Reason != "crm: HTTP 500 on attempt 8 of 8, dead" {
			t.Errorf("%s events = %+v", name, got)
		}
	}
}
