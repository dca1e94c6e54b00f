package sshconsole

import (
	"errors"
	"fmt"
	"strings"
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

// recordAudit keeps one line per action: what, on what, how it went and
// the attributes logged with it.
func recordAudit() (*[]string, func(action, target string, err error, attrs ...any)) {
	var lines []string
	return &lines, func(action, target string, err error, attrs ...any) {
		outcome := "done"
		if err != nil {
			outcome = "failed"
		}
		line := action + " " + target + ": " + outcome
		if len(attrs) > 0 {
			line += " " + fmt.Sprint(attrs)
		}
		lines = append(lines, line)
	}
}

func TestConnRuntimeLogsEachDestructiveActionAndEndsItsSubscriptions(t *testing.T) {
	fake := readyFake()
	seq := fake.AddJob("shop", session.JobDead)
	alert := fake.RaiseAlert(session.Alert{Session: "shop", Kind: session.AlertDisconnected, Reason: "the phone is offline"})
	lines, audit := recordAudit()
	rt := newConnRuntime(fake, false, audit)
	hooks := connWebhooks{Webhooks: stubHooks{}, audit: audit}

	_, quit := rt.Subscribe()
	rt.Subscribe()
	quit()
	if fake.Subscribers() != 1 {
		t.Fatalf("%d subscriptions after one of two ended", fake.Subscribers())
	}

	rt.MarkRead(t.Context(), "shop", "447700900456@c.us")
	rt.AckAlert(alert.ID)
	rt.AckAlert(99)
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
		"mark read a chat of shop: done [chat 447700900456@c.us]",
		fmt.Sprintf("acknowledge alert %d: done", alert.ID),
		"acknowledge alert 99: failed",
		"restart shop: done",
		"stop shop: done",
		"discard a queued message of shop: done",
		"mark read the unread messages of shop: failed",
		"add webhook endpoint hook1 to shop: done",
		"remove webhook endpoint hook9 of shop: failed",
		"logout shop: done",
		"delete shop: done",
	}
	if fmt.Sprint(*lines) != fmt.Sprint(want) {
		t.Fatalf("logged:\n%q\nwant:\n%q", *lines, want)
	}

	rt.close()
	if fake.Subscribers() != 0 {
		t.Fatalf("%d subscriptions after the connection closed", fake.Subscribers())
	}
}

// Every send over SSH is logged with its chat and jobs, never its text; a
// read-only connection's sends are refused (and logged) even if its
// console let one through.
func TestConnRuntimeLogsSendsAndRefusesThemReadOnly(t *testing.T) {
	const chat = "447700900456@c.us"
	fake := readyFake()
	lines, audit := recordAudit()
	rt := newConnRuntime(fake, false, audit)
	job, err := rt.Send(t.Context(), "shop", chat, "the gate code is 4411")
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := rt.SendMany(t.Context(), "shop", chat, "", []string{"part one", "part two"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		fmt.Sprintf("send a message from shop: done [chat %s job %d]", chat, job.Seq),
		fmt.Sprintf("send a message from shop: done [chat %s jobs [%d %d]]", chat, jobs[0].Seq, jobs[1].Seq),
	}
	if fmt.Sprint(*lines) != fmt.Sprint(want) {
		t.Fatalf("logged:\n%q\nwant:\n%q", *lines, want)
	}
	for _, l := range *lines {
		if strings.Contains(l, "4411") || strings.Contains(l, "part") {
			t.Fatalf("a send's text was logged: %q", l)
		}
	}

	roFake := readyFake()
	lines, audit = recordAudit()
	ro := newConnRuntime(roFake, true, audit)
	if _, err := ro.Send(t.Context(), "shop", chat, "hello"); !errors.Is(err, errReadOnlySend) {
		t.Fatalf("a read-only Send returned %v", err)
	}
	if _, err := ro.SendMany(t.Context(), "shop", chat, "M1", []string{"hello"}); !errors.Is(err, errReadOnlySend) {
		t.Fatalf("a read-only SendMany returned %v", err)
	}
	for _, call := range roFake.Calls() {
		if strings.HasPrefix(call, "Send") {
			t.Fatalf("a read-only connection reached the runtime: %s", call)
		}
	}
	want = []string{"send a message from shop: failed", "send a message from shop: failed"}
	if fmt.Sprint(*lines) != fmt.Sprint(want) {
		t.Fatalf("logged:\n%q\nwant:\n%q", *lines, want)
	}
}

// A console whose first command runs after its connection closed gets a
// feed that has already ended, and the runtime keeps no subscription.
func TestConnRuntimeSubscribeAfterCloseEndsAtOnce(t *testing.T) {
	fake := readyFake()
	_, audit := recordAudit()
	rt := newConnRuntime(fake, false, audit)
	rt.close()
	ch, cancel := rt.Subscribe()
	select {
	case _, ok := <-ch:
		if ok {
			t.Fatal("a subscription made after close delivered an update")
		}
	default: // a closed channel never gets here
		t.Fatal("a subscription made after close is still open")
	}
	if fake.Subscribers() != 0 {
		t.Fatalf("%d subscriptions open after the connection closed", fake.Subscribers())
	}
	cancel()
}
