package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
)

func TestEventsShowAlertsRaisedAndResolved(t *testing.T) {
	m, f, ch := eventsModel(t, 120, 40)
	alertFixture(f)
	runCommand(t, m, "e")
	s := screen(m)
	requireContains(t, s, "restart-loop: the browser restarted 5 times in 5m", "webhook-failing: 12 deliveries failing")
	// By time: echo's alert a day ago, delta's two hours ago, alpha's raised
	// 40 minutes ago and resolved now; the webhooks' is about no session.
	requireOrder(t, s, "restart-loop", "pairing by qr", "disconnected: DISCONNECTED for longer",
		"send-failures: 3 sends failed", "webhook-failing", "job 17 to", "alert-resolved")
	if r := lastRow(t, m); !strings.Contains(r, "alert-resolved") || !strings.Contains(r, "send-failures") {
		t.Fatalf("the newest row is %q, want alpha's alert resolved", r)
	}

	// Live: a raise and a resolution are rows, an acknowledgement is none.
	f.RaiseAlert(session.Alert{Session: "golf", Kind: session.AlertLoggedOut, Severity: session.SeverityCritical,
		Reason: "the phone unlinked this browser", Raised: t0.Add(time.Second)})
	feed(t, m, ch)
	requireContains(t, lastRow(t, m), "golf", "alert", "logged-out: the phone unlinked this browser")
	n := len(paneOf[*eventsView](t, m).rows)
	if err := f.AckAlert(5); err != nil {
		t.Fatal(err)
	}
	feed(t, m, ch)
	requireContains(t, lastRow(t, m), "logged-out")
	requireNotContains(t, lastRow(t, m), "alert-resolved")
	f.ResolveAlert(5)
	feed(t, m, ch)
	requireContains(t, lastRow(t, m), "golf", "alert-resolved", "logged-out")
	if got := len(paneOf[*eventsView](t, m).rows); got != n+1 {
		t.Fatalf("the acknowledgement and the resolution made %d rows, want 1", got-n)
	}
}

func TestEventsOfOneSessionShowItsAlertsOnly(t *testing.T) {
	m, f, ch := eventsModel(t, 120, 40)
	alertFixture(f)
	runCommand(t, m, "e delta")
	s := screen(m)
	requireContains(t, s, "disconnected: DISCONNECTED for longer than 60s")
	requireNotContains(t, s, "restart-loop", "webhook-failing")
	f.RaiseAlert(session.Alert{Session: "echo", Kind: session.AlertFailed, Severity: session.SeverityCritical, Reason: "gave up"})
	feed(t, m, ch)
	requireNotContains(t, screen(m), "gave up")
}

// An alert the feed brings before the read answers, and the read also
// has, is one row.
func TestEventsShowAnAlertOnceWhenTheReadAlsoHasIt(t *testing.T) {
	m, f, ch := eventsModel(t, 120, 40)
	cmd := m.openEvents("")
	f.RaiseAlert(session.Alert{Session: "delta", Kind: session.AlertDisconnected, Severity: session.SeverityWarning,
		Reason: "DISCONNECTED for longer than 60s", Raised: t0})
	feed(t, m, ch)
	run(m, cmd, 0)
	if n := strings.Count(screen(m), "DISCONNECTED for longer than 60s"); n != 1 {
		t.Fatalf("the alert shows %d times:\n%s", n, screen(m))
	}
}
