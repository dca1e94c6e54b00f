package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
)

// eventsFixture gives alpha and delta event logs that interleave in time.
func eventsFixture(f *fakeBackend) {
	at := func(d time.Duration) time.Time { return t0.Add(-d) }
	f.history["alpha"] = []session.Event{
		{Seq: 1, Time: at(3 * time.Hour), Kind: "created", To: "STOPPED", Reason: "pairing by qr"},
		{Seq: 2, Time: at(2 * time.Hour), Kind: "state", From: "SYNCING", To: "READY", Reason: "connected and synced"},
		{Seq: 3, Time: at(10 * time.Minute), Kind: "job-dead", From: "READY", To: "READY",
			Detail: "job 17 to 12025550177@c.us: page did not answer the send call within 30s"},
	}
	f.history["delta"] = []session.Event{
		{Seq: 1, Time: at(150 * time.Minute), Kind: "page-loaded", From: "STARTING", To: "STARTING", Detail: "WhatsApp Web 2.3000.1"},
		{Seq: 2, Time: at(125 * time.Minute), Kind: "state", From: "READY", To: "DISCONNECTED",
			Reason: "connection lost; WhatsApp Web is reconnecting"},
	}
}

func eventsModel(t *testing.T, w, h int) (*Model, *fakeBackend, <-chan session.Update) {
	t.Helper()
	f := newFake(fixedNow)
	fixture(f)
	eventsFixture(f)
	m, ch := newTestModel(t, f, w, h, Options{})
	return m, f, ch
}

// runCommand types a ':' command and runs it.
func runCommand(t *testing.T, m *Model, line string) {
	t.Helper()
	press(t, m, ":")
	typeText(t, m, line)
	press(t, m, "enter")
}

// requireOrder fails unless the screen shows subs in this order.
func requireOrder(t *testing.T, s string, subs ...string) {
	t.Helper()
	at := -1
	for _, sub := range subs {
		i := strings.Index(s, sub)
		if i < 0 || i < at {
			t.Fatalf("the screen lacks %q or shows it out of order %q:\n%s", sub, subs, s)
		}
		at = i
	}
}

// lastRow is the bottom row of the events table.
func lastRow(t *testing.T, m *Model) string {
	t.Helper()
	lines := strings.Split(paneOf[*eventsView](t, m).view(m, m.width, m.bodyHeight()), "\n")
	return lines[len(lines)-1]
}

func TestEventsOfAllSessionsMergedByTime(t *testing.T) {
	m, _, _ := eventsModel(t, 120, 40)
	runCommand(t, m, "e")
	if where(m) != "events" {
		t.Fatalf(":e opened %s", where(m))
	}
	s := screen(m)
	requireContains(t, s, "Events of all sessions", "SESSION", "FROM → TO")
	requireOrder(t, s, "pairing by qr", "WhatsApp Web 2.3000.1", "READY → DISCONNECTED", "SYNCING → READY", "job 17 to 12025550177@c.us")
}

func TestEventsOfOneSession(t *testing.T) {
	m, _, _ := eventsModel(t, 120, 40)
	m.table.selected = "delta"
	press(t, m, "enter", "E")
	if where(m) != "events delta" {
		t.Fatalf("E on the detail opened %s", where(m))
	}
	s := screen(m)
	requireContains(t, s, "Events of delta", "connection lost")
	requireNotContains(t, s, "pairing by qr")

	// :events without an ID keeps the session on display; with one, it
	// names the session.
	runCommand(t, m, "events")
	requireContains(t, screen(m), "Events of delta")
	runCommand(t, m, "e alpha")
	requireContains(t, screen(m), "Events of alpha", "pairing by qr")
	requireNotContains(t, screen(m), "connection lost")

	runCommand(t, m, "e nope")
	requireContains(t, screen(m), `no session "nope"`, "Events of alpha")
}

func TestEventsFollowTheFeed(t *testing.T) {
	m, f, ch := eventsModel(t, 120, 40)
	runCommand(t, m, "e")
	f.publish(session.Update{Session: "delta", Event: &session.Event{Seq: 3, Time: t0.Add(-time.Second), Kind: "state",
		From: "DISCONNECTED", To: "READY", Reason: "reconnected"}})
	feed(t, m, ch)
	if r := lastRow(t, m); !strings.Contains(r, "reconnected") {
		t.Fatalf("the newest row is %q, want the live event", r)
	}

	// A send that will be retried is no event of the log: it shows from the
	// job; a held one does not.
	f.publish(session.Update{Session: "alpha", Job: &session.Job{Seq: 31, Session: "alpha", ChatID: "447700900456@c.us",
		State: session.JobRetrying, Attempts: 2, LastError: "page did not answer", Updated: t0}})
	f.publish(session.Update{Session: "alpha", Job: &session.Job{Seq: 32, Session: "alpha", State: session.JobHeld, Updated: t0}})
	feed(t, m, ch)
	r := lastRow(t, m)
	requireContains(t, r, "send-failed", "job 31 to 447700900456@c.us, attempt 2: page did")
	requireNotContains(t, screen(m), "job 32")
}

func TestEventsOfOneSessionIgnoreOthers(t *testing.T) {
	m, f, ch := eventsModel(t, 120, 40)
	runCommand(t, m, "e alpha")
	f.publish(session.Update{Session: "delta", Event: &session.Event{Seq: 3, Time: t0, Kind: "state", From: "DISCONNECTED", To: "READY", Reason: "reconnected"}})
	f.publish(session.Update{Session: "alpha", Event: &session.Event{Seq: 4, Time: t0, Kind: "queue-paused", Reason: "by the operator"}})
	feed(t, m, ch)
	requireContains(t, lastRow(t, m), "queue-paused")
	requireNotContains(t, screen(m), "reconnected")
}

func TestEventsScrolledUpCountNew(t *testing.T) {
	m, f, ch := eventsModel(t, 80, 24)
	for i := range 40 {
		f.history["alpha"] = append(f.history["alpha"], session.Event{Seq: uint64(4 + i), Time: t0.Add(time.Duration(i-60) * time.Second),
			Kind: "page-error", Detail: fmt.Sprintf("error %02d", i)})
	}
	runCommand(t, m, "e")
	requireContains(t, lastRow(t, m), "error 39")
	press(t, m, "pgup")
	f.publish(session.Update{Session: "alpha", Event: &session.Event{Seq: 100, Time: t0, Kind: "state", From: "READY", To: "DISCONNECTED", Reason: "link lost"}})
	f.publish(session.Update{Session: "delta", Event: &session.Event{Seq: 3, Time: t0, Kind: "state", From: "DISCONNECTED", To: "READY", Reason: "link up"}})
	feed(t, m, ch)
	s := screen(m)
	requireContains(t, s, "2 new")
	requireNotContains(t, s, "link lost", "link up", "error 39")

	press(t, m, "end")
	requireContains(t, lastRow(t, m), "link up")
	requireNotContains(t, screen(m), "2 new")

	// Pinned to the bottom again, new rows are followed, not counted.
	f.publish(session.Update{Session: "delta", Event: &session.Event{Seq: 4, Time: t0, Kind: "paired", Detail: "+4915123456789"}})
	feed(t, m, ch)
	requireContains(t, lastRow(t, m), "+4915123456789")
	requireNotContains(t, screen(m), " new")
}

func TestEventsFilter(t *testing.T) {
	m, f, ch := eventsModel(t, 120, 40)
	runCommand(t, m, "e")
	press(t, m, "/")
	typeText(t, m, "DELTA")
	press(t, m, "enter")
	s := screen(m)
	requireContains(t, s, "filter /DELTA/ shows 2 of 5", "connection lost", "WhatsApp Web 2.3000.1")
	requireNotContains(t, s, "pairing by qr")

	press(t, m, "/", "ctrl+u")
	typeText(t, m, "job-dead")
	press(t, m, "enter")
	requireContains(t, screen(m), "shows 1 of 5", "job 17")

	press(t, m, "/", "ctrl+u")
	typeText(t, m, "!alpha")
	press(t, m, "enter")
	requireContains(t, screen(m), "shows 2 of 5")
	requireNotContains(t, screen(m), "pairing by qr")

	// Scrolled up, only new rows that pass the filter are counted.
	press(t, m, "up")
	f.publish(session.Update{Session: "alpha", Event: &session.Event{Seq: 4, Time: t0, Kind: "queue-paused"}})
	f.publish(session.Update{Session: "delta", Event: &session.Event{Seq: 3, Time: t0, Kind: "queue-resumed"}})
	feed(t, m, ch)
	requireContains(t, screen(m), "1 new", "shows 3 of 7")

	press(t, m, "esc")
	requireContains(t, screen(m), "pairing by qr", "Events of all sessions")
	requireNotContains(t, screen(m), "filter /")
	if where(m) != "events" {
		t.Fatalf("esc with a filter left the screen: %s", where(m))
	}
}

func TestGoldenEvents(t *testing.T) {
	goldenScreens(t, goldenSizes, func(t *testing.T, m *Model, f *fakeBackend) {
		eventsFixture(f)
		runCommand(t, m, "e")
	})
}
