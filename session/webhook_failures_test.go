package session

import (
	"fmt"
	"regexp"
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
	e.m.WebhookFailed("hooks", "crm", false, "crm: HTTP 500 on attempt 1 of 8, next in 5s")
	e.m.WebhookFailed("hooks", "crm", true, "crm: HTTP 500 on attempt 8 of 8, dead")
	e.m.WebhookFailed("no-such-session", "crm", true, "ignored")

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

// webhookEvents waits for n webhook events of the session's log, oldest
// first.
func (e *testEnv) webhookEvents(id string, n int) []Event {
	e.t.Helper()
	var got []Event
	e.waitUntil(fmt.Sprintf("%d webhook events", n), 10*time.Second, func() bool {
		evs, err := e.m.History(id, 100)
		if err != nil {
			e.t.Fatal(err)
		}
		got = got[:0]
		for _, ev := range evs {
			if ev.Kind == EventWebhookFailed || ev.Kind == EventWebhookDead {
				got = append(got, ev)
			}
		}
		return len(got) >= n
	})
	return got
}

// An endpoint failing again and again adds one event at once, then at most
// one per interval that counts the failures it stands for; another endpoint
// has its own interval.
func TestWebhookFailuresAreOneEventPerEndpointAndInterval(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Add(AddRequest{ID: "hooks"}); err != nil {
		t.Fatal(err)
	}
	const every = 500 * time.Millisecond
	e.m.cfg.Timing.WebhookEventEvery = every
	for i := 1; i <= 6; i++ {
		e.m.WebhookFailed("hooks", "crm", false, fmt.Sprintf("crm: HTTP 500 on attempt %d of 8, next in 5s", i))
	}
	e.m.WebhookFailed("hooks", "erp", false, "erp: connection refused on attempt 1 of 8, next in 5s")

	got := e.webhookEvents("hooks", 3)
	if len(got) != 3 {
		t.Fatalf("webhook events = %+v; want 3", got)
	}
	held := regexp.MustCompile(`^crm: HTTP 500 on attempt 6 of 8, next in 5s \(and 4 more since \d\d:\d\d:\d\d\)$`)
	switch {
	case got[0].Reason != "crm: HTTP 500 on attempt 1 of 8, next in 5s" || got[0].Count != 1:
		t.Errorf("first event = %+v, want crm's first failure at once", got[0])
	case got[1].Reason != "erp: connection refused on attempt 1 of 8, next in 5s":
		t.Errorf("second event = %+v, want erp's failure at once", got[1])
	case !held.MatchString(got[2].Reason) || got[2].Count != 5 || got[2].Kind != EventWebhookFailed:
		t.Errorf("third event = %+v, want crm's 5 held failures in one", got[2])
	case got[2].Time.Sub(got[0].Time) < every-50*time.Millisecond:
		t.Errorf("crm's second event came %s after its first, want an interval (%s)", got[2].Time.Sub(got[0].Time), every)
	}
}

// A webhook failure never waits for a session whose actor is behind: it is
// held and recorded once the actor takes commands again.
func TestWebhookFailureDoesNotWaitForABusySession(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Add(AddRequest{ID: "hooks"}); err != nil {
		t.Fatal(err)
	}
	e.m.cfg.Timing.WebhookEventEvery = 200 * time.Millisecond
	a, err := e.m.actor("hooks")
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	a.post(func() { close(started); <-release })
	<-started
	for len(a.cmds) < cap(a.cmds) {
		a.post(func() {})
	}
	returned := make(chan struct{})
	go func() {
		e.m.WebhookFailed("hooks", "crm", true, "crm: HTTP 500 on attempt 8 of 8, dead")
		close(returned)
	}()
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		close(release)
		t.Fatal("WebhookFailed waited for the busy session")
	}
	close(release)
	got := e.webhookEvents("hooks", 1)
	if len(got) != 1 || got[0].Kind != EventWebhookDead || got[0].Reason != "crm: HTTP 500 on attempt 8 of 8, dead" || got[0].Count != 1 {
		t.Errorf("webhook events = %+v; want the held dead one", got)
	}
}
