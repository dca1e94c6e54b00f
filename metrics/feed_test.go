package metrics

import (
	"testing"

	"github.com/waconsole/waconsole/session"
)

// A webhook event that stands for several failures held back counts them
// all; one without a count is one.
func TestWebhookFailuresCountWhatAnEventHolds(t *testing.T) {
	f := newFeed(nil)
	f.take(session.Update{Session: "ops", Event: &session.Event{Kind: session.EventWebhookFailed}})
	f.take(session.Update{Session: "ops", Event: &session.Event{Kind: session.EventWebhookFailed, Count: 5}})
	f.take(session.Update{Session: "ops", Event: &session.Event{Kind: session.EventWebhookDead, Count: 2}})
	if n := f.counts("ops").hookFails; n != 8 {
		t.Errorf("webhook failures = %d, want 8", n)
	}
}
