package sshconsole

import (
	"errors"
	"fmt"
	"testing"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/ui"
)

// stubHooks answers the two webhook changes; the rest is not called.
type stubHooks struct{ ui.Webhooks }

func (stubHooks) AddEndpoint(_ string, e ui.NewEndpoint) (ui.WebhookEndpoint, error) {
	return ui.WebhookEndpoint{Name: "hook1", URL: e.URL}, nil
}

func (stubHooks) RemoveWebhook(string, string) error { return errors.New("no endpoint hook9") }

func TestConnRuntimeLogsEachDestructiveActionAndEndsItsSubscriptions(t *testing.T) {
	fake := readyFake()
	seq := fake.AddJob("shop", session.JobDead)
	var lines []string
	audit := func(action, id string, err error) {
		outcome := "done"
		if err != nil {
			outcome = "failed"
		}
		lines = append(lines, action+" "+id+": "+outcome)
	}
	rt := newConnRuntime(fake, audit)
	hooks := connWebhooks{Webhooks: stubHooks{}, audit: audit}

	_, quit := rt.Subscribe()
	rt.Subscribe()
	quit()
	if fake.Subscribers() != 1 {
		t.Fatalf("%d subscriptions after one of two ended", fake.Subscribers())
	}

	rt.Restart("shop")
	rt.Stop("shop")
	rt.DiscardJob("shop", seq)
	rt.StartDrain("shop", session.DrainRequest{Action: session.DrainSkip})
	rt.StartDrain("shop", session.DrainRequest{Action: session.DrainRead})
	hooks.AddEndpoint("shop", ui.NewEndpoint{URL: "https://example.com/hook?token=s3cret"})
	hooks.RemoveWebhook("shop", "hook9")
	rt.Logout("shop")
	rt.Delete("shop")
	rt.Start("nope")

	want := []string{
		"restart shop: done",
		"stop shop: done",
		"discard a queued message of shop: done",
		"mark read the unread messages of shop: failed",
		"add webhook endpoint hook1 to shop: done",
		"remove webhook endpoint hook9 of shop: failed",
		"logout shop: done",
		"delete shop: done",
	}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Fatalf("logged:\n%q\nwant:\n%q", lines, want)
	}

	rt.close()
	if fake.Subscribers() != 0 {
		t.Fatalf("%d subscriptions after the connection closed", fake.Subscribers())
	}
}
