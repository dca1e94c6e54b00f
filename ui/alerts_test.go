package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

// alertFixture raises four alerts: delta disconnected (acknowledged), echo
// in a restart loop (critical), the webhooks failing for the whole process,
// and alpha's send failures, resolved since.
func alertFixture(f *fakeBackend) {
	f.RaiseAlert(session.Alert{Session: "delta", Kind: session.AlertDisconnected, Severity: session.SeverityWarning,
		Reason: "DISCONNECTED for longer than 60s", Raised: t0.Add(-2 * time.Hour)})
	f.RaiseAlert(session.Alert{Session: "echo", Kind: session.AlertRestartLoop, Severity: session.SeverityCritical,
		Reason: "the browser restarted 5 times in 5m", Raised: t0.Add(-26 * time.Hour)})
	f.RaiseAlert(session.Alert{Kind: session.AlertWebhookFailing, Severity: session.SeverityWarning,
		Reason: "12 deliveries failing to https://hooks.example.com/wa", Raised: t0.Add(-15 * time.Minute)})
	f.RaiseAlert(session.Alert{Session: "alpha", Kind: session.AlertSendFailures, Severity: session.SeverityWarning,
		Reason: "3 sends failed in 5m", Raised: t0.Add(-40 * time.Minute)})
	if err := f.AckAlert(1); err != nil {
		panic(err)
	}
	f.ResolveAlert(4)
}

// alertsModel is a console over the fixture with its alerts raised before
// the console started, subscribed as Init subscribes.
func alertsModel(t *testing.T, w, h int, opts Options) (*Model, *fakeBackend, <-chan session.Update) {
	t.Helper()
	f := newFake(fixedNow)
	fixture(f)
	alertFixture(f)
	opts.Now = fixedNow
	m := New(f, opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	msg := subscribe(f)().(subscribedMsg)
	t.Cleanup(msg.cancel)
	m.Update(msg)
	return m, f, msg.ch
}

// acks counts the acknowledgements that reached the runtime.
func acks(f *fakeBackend) int {
	n := 0
	for _, c := range f.called() {
		if strings.HasPrefix(c, "AckAlert ") {
			n++
		}
	}
	return n
}

// crumbLine is the second line of the screen: breadcrumbs and banner.
func crumbLine(m *Model) string { return strings.Split(screen(m), "\n")[1] }

func TestAlertBannerFollowsTheFeed(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, ch := newTestModel(t, f, 120, 40, Options{})
	if l := crumbLine(m); l != "sessions" {
		t.Fatalf("with no alert open the line shows %q, want the breadcrumbs alone", l)
	}

	f.RaiseAlert(session.Alert{Session: "delta", Kind: session.AlertDisconnected, Severity: session.SeverityWarning, Reason: "down"})
	feed(t, m, ch)
	requireContains(t, crumbLine(m), "sessions", "▲ 1 alert (1 new) · ! :alerts")
	f.RaiseAlert(session.Alert{Session: "echo", Kind: session.AlertFailed, Severity: session.SeverityCritical, Reason: "gave up"})
	feed(t, m, ch)
	banner := "▲ 2 alerts (1 critical, 2 new)"
	requireContains(t, crumbLine(m), banner)
	// A critical alert colours the banner as the severity colour says.
	requireContains(t, m.View().Content, severityStyle(session.SeverityCritical).Render(banner))

	// It shows on every screen, acknowledged alerts are no longer new, and
	// resolved ones are no longer counted.
	m.table.selected = "alpha"
	press(t, m, "u")
	if err := f.AckAlert(1); err != nil {
		t.Fatal(err)
	}
	feed(t, m, ch)
	requireContains(t, crumbLine(m), "sessions > alpha > queue", "▲ 2 alerts (1 critical, 1 new)")
	f.ResolveAlert(2)
	feed(t, m, ch)
	requireContains(t, crumbLine(m), "▲ 1 alert · ! :alerts")
	requireContains(t, m.View().Content, severityStyle(session.SeverityWarning).Render("▲ 1 alert"))
	f.ResolveAlert(1)
	feed(t, m, ch)
	if l := crumbLine(m); l != "sessions > alpha > queue" {
		t.Fatalf("with every alert resolved the line shows %q", l)
	}
}

func TestAlertBannerReadAtStart(t *testing.T) {
	m, _, _ := alertsModel(t, 120, 40, Options{})
	requireContains(t, crumbLine(m), "▲ 3 alerts (1 critical, 2 new)")

	// At the narrowest terminal the banner keeps its room; the crumbs give way.
	m.Update(tea.WindowSizeMsg{Width: minWidth, Height: minHeight})
	m.table.selected = "alpha"
	press(t, m, "enter", "w")
	if l := crumbLine(m); !strings.HasSuffix(l, "▲ 3 alerts (1 critical, 2 new) · ! :ale…") {
		t.Fatalf("at %d columns the line is %q", minWidth, l)
	}
}

func TestAlertBannerSaysWhenAlertsCannotBeRead(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	f.fail["Alerts"] = errors.New("store closed: restart waconsole")
	m := New(f, Options{Now: fixedNow})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	msg := subscribe(f)().(subscribedMsg)
	t.Cleanup(msg.cancel)
	m.Update(msg)
	requireContains(t, crumbLine(m), "▲ alerts unreadable · ! :alerts")
	press(t, m, "!")
	requireContains(t, screen(m), "could not read the alerts: store closed: restart waconsole")

	// Opening the screen reads again; once that works, the count is back.
	delete(f.fail, "Alerts")
	f.RaiseAlert(session.Alert{Session: "delta", Kind: session.AlertDisconnected, Severity: session.SeverityWarning, Reason: "down"})
	press(t, m, "esc", "!")
	requireContains(t, crumbLine(m), "▲ 1 alert (1 new)")
	requireNotContains(t, screen(m), "could not read")
}

func TestAlertBannerRereadsOnResync(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, ch := newTestModel(t, f, 120, 40, Options{})
	f.Unpublished(func(map[string]session.Snapshot) {
		f.AlertList = append(f.AlertList, session.Alert{ID: 1, Session: "golf", Kind: session.AlertLoggedOut,
			Severity: session.SeverityCritical, Reason: "pair again", Raised: t0})
	})
	requireNotContains(t, crumbLine(m), "▲")
	f.publish(session.Update{Resync: true})
	_, cmd := m.Update(waitUpdates(ch)())
	run(m, cmd, 0)
	requireContains(t, crumbLine(m), "▲ 1 alert (1 critical, 1 new)")
}

// An alert the feed brings while reads are out survives their older
// answers.
func TestAlertBannerKeepsWhatTheFeedBroughtDuringARead(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, ch := newTestModel(t, f, 120, 40, Options{})
	first := m.rereadAlerts()() // read before either alert is raised
	f.RaiseAlert(session.Alert{Session: "delta", Kind: session.AlertDisconnected, Severity: session.SeverityWarning, Reason: "down"})
	feed(t, m, ch)
	second := m.rereadAlerts()() // read before the second one
	f.RaiseAlert(session.Alert{Session: "echo", Kind: session.AlertFailed, Severity: session.SeverityCritical, Reason: "gave up"})
	feed(t, m, ch)
	m.Update(first)
	requireContains(t, crumbLine(m), "▲ 2 alerts (1 critical, 2 new)")
	m.Update(second)
	requireContains(t, crumbLine(m), "▲ 2 alerts (1 critical, 2 new)")
}

func TestAlertsScreenListsOpenAlertsThenHistory(t *testing.T) {
	m, f, _ := alertsModel(t, 120, 40, Options{})
	press(t, m, "!")
	if where(m) != "alerts" {
		t.Fatalf("! opened %s", where(m))
	}
	s := screen(m)
	requireContains(t, s, "Open alerts (3)", "SEVERITY", "SESSION", "KIND", "REASON", "RAISED", "STATE")
	// Newest first; what an alert is about the process is "-".
	requireOrder(t, s, "webhook-failing", "disconnected", "restart-loop")
	requireContains(t, s, "critical", "1d02h", "acked", "open", "warning  -       webhook-failing")
	requireNotContains(t, s, "send-failures")
	requireCalls(t, f, "Alerts  true 0")

	press(t, m, "h")
	s = screen(m)
	requireCalls(t, f, "Alerts  false 500")
	requireContains(t, s, "Alerts, open and resolved (4)", "resolved")
	requireOrder(t, s, "webhook-failing", "send-failures", "disconnected", "restart-loop")
	press(t, m, "h")
	requireContains(t, screen(m), "Open alerts (3)")
	requireNotContains(t, screen(m), "send-failures")

	// The commands open it too.
	press(t, m, "esc")
	runCommand(t, m, "al")
	if where(m) != "alerts" {
		t.Fatalf(":al opened %s", where(m))
	}
}

func TestAlertsScreenFilter(t *testing.T) {
	m, _, _ := alertsModel(t, 120, 40, Options{})
	runCommand(t, m, "alerts")
	press(t, m, "/")
	typeText(t, m, "critical")
	press(t, m, "enter")
	s := screen(m)
	requireContains(t, s, "filter /critical/ shows 1 of 3", "restart-loop")
	requireNotContains(t, s, "webhook-failing", "disconnected")
	press(t, m, "esc")
	requireContains(t, screen(m), "webhook-failing", "restart-loop")
	if where(m) != "alerts" {
		t.Fatalf("esc with a filter left the screen for %s", where(m))
	}
}

func TestAlertsScreenFollowsTheFeed(t *testing.T) {
	m, f, ch := alertsModel(t, 120, 40, Options{})
	press(t, m, "!", "down") // the cursor on delta's alert
	f.RaiseAlert(session.Alert{Session: "golf", Kind: session.AlertLoggedOut, Severity: session.SeverityCritical,
		Reason: "the phone unlinked this browser", Raised: t0})
	feed(t, m, ch)
	requireContains(t, screen(m), "Open alerts (4)", "logged-out")
	// The new alert at the top did not move the selection to another alert.
	if a := paneOf[*alertsView](t, m).syncCursor(m)[paneOf[*alertsView](t, m).cur.idx]; a.ID != 1 {
		t.Fatalf("the cursor is on alert %d after a new one arrived, want 1", a.ID)
	}
	f.ResolveAlert(5)
	feed(t, m, ch)
	requireNotContains(t, screen(m), "logged-out")

	// The history follows the feed too.
	press(t, m, "h")
	f.RaiseAlert(session.Alert{Session: "bravo", Kind: session.AlertFailed, Severity: session.SeverityCritical, Reason: "gave up", Raised: t0})
	feed(t, m, ch)
	requireContains(t, screen(m), "Alerts, open and resolved (6)", "logged-out", "gave up")
}

func TestAlertsAcknowledge(t *testing.T) {
	// Acknowledging only says someone is on it: read-only mode allows it.
	m, f, ch := alertsModel(t, 120, 40, Options{ReadOnly: true})
	press(t, m, "!")
	msgs := press(t, m, "a") // the cursor on the webhooks alert, not acknowledged yet
	requireCalls(t, f, "AckAlert 3")
	if len(msgs) == 0 {
		t.Fatal("acknowledging reported nothing")
	}
	requireContains(t, screen(m), "acknowledged alert 3: webhook-failing on -; it stays open until its cause goes away")
	feed(t, m, ch)
	requireContains(t, crumbLine(m), "▲ 3 alerts (1 critical, 1 new)")
	if l := strings.Split(screen(m), "\n")[4]; !strings.Contains(l, "webhook-failing") || !strings.Contains(l, "acked") {
		t.Fatalf("the acknowledged alert's row is %q", l)
	}

	// One acknowledged already is not acknowledged again.
	press(t, m, "down", "a")
	requireContains(t, screen(m), "alert 1 was acknowledged 0s ago")
	if n := acks(f); n != 2 { // the fixture's and the one above
		t.Fatalf("%d acknowledgements reached the runtime, want 2", n)
	}

	// A failure is an error on the flash line, and nothing claims success.
	f.fail["AckAlert"] = errors.New("store closed: restart waconsole")
	press(t, m, "down", "a")
	requireContains(t, screen(m), "could not acknowledge alert 2: store closed: restart waconsole")
	requireContains(t, crumbLine(m), "(1 critical, 1 new)")
}

func TestAlertsAcknowledgeResolvedIsRefused(t *testing.T) {
	m, f, _ := alertsModel(t, 120, 40, Options{})
	press(t, m, "!", "h", "down", "a") // the second newest: alpha's resolved alert
	requireContains(t, screen(m), "alert 4 is resolved: nothing to acknowledge")
	if n := acks(f); n != 1 { // the fixture's
		t.Fatalf("%d acknowledgements reached the runtime, want only the fixture's", n)
	}
}

func TestAlertsEnterOpensTheSession(t *testing.T) {
	m, _, _ := alertsModel(t, 120, 40, Options{})
	press(t, m, "!", "enter") // the webhooks alert is about no session
	requireContains(t, screen(m), "alert 3 is about the process, not one session")
	if where(m) != "alerts" {
		t.Fatalf("enter on a process alert opened %s", where(m))
	}
	press(t, m, "down", "enter")
	if where(m) != "details delta" {
		t.Fatalf("enter on delta's alert opened %s", where(m))
	}
}

// ! is a global key, but a text input with focus takes it as text.
func TestAlertsKeyIsTextWhileTyping(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	openDana(t, m)
	press(t, m, "i")
	typeText(t, m, "On my way!")
	if v := paneOf[*chatView](t, m).input.Value(); where(m) != "Dana Whitfield alpha" || v != "On my way!" {
		t.Fatalf("! while composing: on %s, the compose line holds %q", where(m), v)
	}
	press(t, m, "esc", "!")
	if where(m) != "alerts" {
		t.Fatalf("! on the chat opened %s", where(m))
	}
}

// After the feed dropped updates, the history is read again on the next
// tick, with the open alerts.
func TestAlertsHistoryRereadAfterResync(t *testing.T) {
	m, f, ch := alertsModel(t, 120, 40, Options{})
	press(t, m, "!", "h")
	f.Unpublished(func(map[string]session.Snapshot) {
		f.AlertList = append(f.AlertList, session.Alert{ID: 5, Session: "golf", Kind: session.AlertLoggedOut,
			Severity: session.SeverityCritical, Reason: "pair again", Raised: t0.Add(-time.Minute), Resolved: t0})
	})
	f.publish(session.Update{Resync: true})
	_, cmd := m.Update(waitUpdates(ch)())
	run(m, cmd, 0)
	requireNotContains(t, screen(m), "pair again")
	_, cmd = m.Update(tickMsg(t0))
	run(m, cmd, 0)
	requireContains(t, screen(m), "Alerts, open and resolved (5)", "pair again")
}
