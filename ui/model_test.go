package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/internal/qrscan"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

func quits(msgs []tea.Msg) bool {
	return slices.ContainsFunc(msgs, func(m tea.Msg) bool { _, ok := m.(tea.QuitMsg); return ok })
}

func requireCalls(t *testing.T, f *fakeBackend, want ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(f.called(), w) {
			t.Fatalf("backend call %q missing; calls: %q", w, f.called())
		}
	}
}

func requireNoCall(t *testing.T, f *fakeBackend, method string) {
	t.Helper()
	for _, c := range f.called() {
		if strings.HasPrefix(c, method+" ") {
			t.Fatalf("unexpected backend call %q", c)
		}
	}
}

func ids(rows []session.Snapshot) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

func TestKeyRoutingOrder(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})

	// An open dialog gets q as text instead of quitting.
	press(t, m, "n")
	if msgs := press(t, m, "q"); quits(msgs) {
		t.Fatal("q quit while the add dialog had focus")
	}
	if d, ok := m.dialog.(*addDialog); !ok || d.id.Value() != "q" {
		t.Fatalf("the add dialog did not get the key: %#v", m.dialog)
	}
	// ctrl+c quits whatever has focus.
	if !quits(press(t, m, "ctrl+c")) {
		t.Fatal("ctrl+c did not quit with a dialog open")
	}
	press(t, m, "esc")
	if m.dialog != nil {
		t.Fatal("esc did not close the dialog")
	}

	// An open prompt gets the keys before the global ones.
	press(t, m, "/", "q", "?")
	if m.table.filter != "q?" || m.showHelp {
		t.Fatalf("filter = %q, help = %v: the prompt did not own the keys", m.table.filter, m.showHelp)
	}
	press(t, m, "esc")

	// Global before the pane: ? opens help on the pairing view, and the help
	// page swallows pane keys.
	press(t, m, "down", "enter")
	if where(m) != "pairing bravo" {
		t.Fatalf("enter on bravo (QR) opened %s, not the pairing view", where(m))
	}
	press(t, m, "?", "r")
	if !m.showHelp {
		t.Fatal("? did not open help")
	}
	requireNoCall(t, f, "RefreshQR")
	if !quits(press(t, m, "q")) {
		t.Fatal("q did not quit from the help page")
	}
}

func TestAddDialogValidation(t *testing.T) {
	f := newFake(fixedNow)
	m, _ := newTestModel(t, f, 80, 24, Options{})
	press(t, m, "n")
	typeText(t, m, "Bad ID!")
	press(t, m, "enter")
	s := screen(m)
	requireContains(t, s, `session id "Bad ID!" is not valid`, "> Bad ID!")
	if m.dialog == nil {
		t.Fatal("a bad id closed the dialog")
	}

	press(t, m, "ctrl+u")
	typeText(t, m, "demo")
	press(t, m, "enter", "right", "enter") // id ok, link code, on to the phone
	d := m.dialog.(*addDialog)
	if !d.link || d.focus != addPhone {
		t.Fatalf("link = %v, focus = %d: expected the phone field of a link-code add", d.link, d.focus)
	}
	typeText(t, m, "+44 7700")
	press(t, m, "enter")
	requireContains(t, screen(m), `phone number "+44 7700" is not valid: digits only`)
	if d.phone.Value() != "+44 7700" {
		t.Fatalf("the phone field lost its text: %q", d.phone.Value())
	}
	requireNoCall(t, f, "Add")

	press(t, m, "ctrl+u")
	typeText(t, m, "1234")
	press(t, m, "enter")
	requireContains(t, screen(m), "has 4 digits: it needs 8 to 15")

	press(t, m, "ctrl+u")
	typeText(t, m, "447700900123")
	press(t, m, "enter")
	requireCalls(t, f, "Add demo link 447700900123")
	if m.dialog != nil || where(m) != "pairing demo" {
		t.Fatalf("after add: dialog %v, page %s; want the pairing view of demo", m.dialog, where(m))
	}
}

func TestAddDialogBackendErrorKeepsInput(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	press(t, m, "n")
	typeText(t, m, "alpha")
	press(t, m, "enter", "enter")
	requireCalls(t, f, "Add alpha qr ")
	d, ok := m.dialog.(*addDialog)
	if !ok || d.id.Value() != "alpha" {
		t.Fatalf("the dialog did not come back with the id: %#v", m.dialog)
	}
	requireContains(t, screen(m), `session "alpha" exists already`)
}

func TestConfirmBeforeDeleteAndLogout(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	press(t, m, "D")
	requireContains(t, screen(m), "Delete alpha?", "y confirm")
	press(t, m, "n")
	requireNoCall(t, f, "Delete")
	if m.dialog != nil {
		t.Fatal("n did not close the confirmation")
	}
	press(t, m, "D", "enter", "esc")
	requireNoCall(t, f, "Delete")
	press(t, m, "D", "y")
	requireCalls(t, f, "Delete alpha")

	press(t, m, "down", "L")
	requireContains(t, screen(m), "Log out bravo?")
	requireNoCall(t, f, "Logout")
	press(t, m, "y")
	requireCalls(t, f, "Logout bravo")
}

func TestReadOnlyDisablesDestructiveActions(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{ReadOnly: true})
	requireContains(t, screen(m), "[READ-ONLY]")
	for _, k := range []string{"D", "L", "x", "r"} {
		press(t, m, k)
		if m.dialog != nil {
			t.Fatalf("%s opened a dialog in read-only mode", k)
		}
		requireContains(t, screen(m), "read-only mode:", "is disabled")
	}
	for _, method := range []string{"Delete", "Logout", "Stop", "Restart"} {
		requireNoCall(t, f, method)
	}
	press(t, m, "?")
	help := screen(m)
	keys := help[:strings.Index(help, "Commands (type : first)")]
	requireNotContains(t, keys, "delete", "logout", "stop", "restart")
	requireContains(t, keys, "chats", "queue", "add")
	requireContains(t, help, "Read-only mode")
	press(t, m, "?")

	// What destroys nothing still works: starting, opening, sending.
	press(t, m, "s")
	requireCalls(t, f, "Start alpha")
	press(t, m, "u", "X")
	if m.dialog != nil {
		t.Fatal("discard opened a dialog in read-only mode")
	}
	requireNoCall(t, f, "DiscardJob")
	press(t, m, "R")
	requireCalls(t, f, "RetryJob alpha 17")

	m.table.selected = "echo" // FAILED: the pairing view offers restart, here disabled
	m.stack = m.stack[:1]
	m.openPairing("echo")
	press(t, m, "r")
	requireNoCall(t, f, "Restart")
	requireContains(t, screen(m), `read-only mode: "r" (restart) is disabled`)
}

func TestFilter(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	check := func(want ...string) {
		t.Helper()
		if got := ids(m.table.visible(m)); !slices.Equal(got, want) {
			t.Fatalf("filter %q shows %q, want %q", m.table.filter, got, want)
		}
	}
	press(t, m, "/")
	typeText(t, m, "ReAdY")
	check("alpha")
	press(t, m, "enter")
	if m.prompt.active() || m.table.filter != "ReAdY" {
		t.Fatal("enter did not keep the filter and close the prompt")
	}
	requireContains(t, screen(m), "filter /ReAdY/ shows 1 of 7")
	press(t, m, "esc")
	check("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf")

	press(t, m, "/")
	typeText(t, m, "^(alpha|bravo)$")
	check("alpha", "bravo")
	press(t, m, "ctrl+u")
	typeText(t, m, "!^(alpha|bravo)$")
	check("charlie", "delta", "echo", "foxtrot", "golf")
	press(t, m, "ctrl+u")
	typeText(t, m, "4477009")
	check("charlie") // the phone a link code is for
	press(t, m, "ctrl+u")
	typeText(t, m, "(")
	check() // not a regexp: a plain substring that nothing holds
	requireContains(t, screen(m), "No session matches the filter")
	press(t, m, "esc")
	check("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf")
}

func TestCommandAliases(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	cmd := func(line string) []tea.Msg {
		t.Helper()
		out := press(t, m, ":")
		typeText(t, m, line)
		return append(out, press(t, m, "enter")...)
	}
	cmd("chats alpha")
	if where(m) != "chats alpha" {
		t.Fatalf(":chats alpha opened %s", where(m))
	}
	requireCalls(t, f, "Chats alpha")
	cmd("s")
	if len(m.stack) != 1 {
		t.Fatal(":s did not go back to the sessions")
	}
	cmd("queue delta")
	if where(m) != "queue delta" {
		t.Fatalf(":queue delta opened %s", where(m))
	}
	cmd("sessions")
	cmd("u") // the session under the cursor
	if where(m) != "queue alpha" {
		t.Fatalf(":u opened %s", where(m))
	}
	cmd("chats nosuch")
	requireContains(t, screen(m), "which session?")
	cmd("add demo 447700900123")
	requireCalls(t, f, "Add demo link 447700900123")
	if where(m) != "pairing demo" {
		t.Fatalf(":add did not open the pairing view: %s", where(m))
	}
	cmd("add Demo")
	requireContains(t, screen(m), `session id "Demo" is not valid`)
	cmd("help")
	if !m.showHelp {
		t.Fatal(":help did not open help")
	}
	press(t, m, "?")
	cmd("frobnicate")
	requireContains(t, screen(m), "unknown command :frobnicate")

	// History: up brings back the last command.
	press(t, m, ":", "up")
	if v := m.prompt.input.Value(); v != "frobnicate" {
		t.Fatalf("history up gave %q", v)
	}
	press(t, m, "esc")

	for _, q := range []string{"q", "quit", "exit"} {
		if !quits(cmd(q)) {
			t.Fatalf(":%s did not quit", q)
		}
	}
}

func TestHelpToggles(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 80, 24, Options{})
	press(t, m, "?")
	s := screen(m)
	requireContains(t, s, "sessions > help", "Keys", "logout", "Commands")
	press(t, m, "?")
	requireNotContains(t, screen(m), "Commands (type : first)")
	press(t, m, "?", "esc")
	if m.showHelp {
		t.Fatal("esc did not close help")
	}
}

func TestFlashClearsAfterTTL(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	press(t, m, "x")
	requireCalls(t, f, "Stop alpha")
	requireContains(t, screen(m), "stopping alpha")
	first := m.flash.id
	f.fail["Start"] = errors.New("no Chromium found")
	press(t, m, "s")
	requireContains(t, screen(m), "could not start alpha", "no Chromium found")
	m.Update(flashExpiredMsg{id: first}) // the first flash's timer must not clear the second
	requireContains(t, screen(m), "no Chromium found")
	m.Update(flashExpiredMsg{id: m.flash.id})
	requireNotContains(t, screen(m), "no Chromium found")
}

func TestFlashArmsItsTimer(t *testing.T) {
	var fl flash
	cmd := fl.set(info("hello"))
	if cmd == nil || fl.text != "hello" {
		t.Fatal("set did not show the text and arm a timer")
	}
	fl.expire(flashExpiredMsg{id: fl.id})
	if fl.render(80) != "" {
		t.Fatal("the flash did not clear")
	}
}

func TestEnterOpensPairingOrDetail(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	for _, c := range []struct {
		id   string
		want string
	}{{"alpha", "details"}, {"bravo", "pairing"}, {"charlie", "pairing"}, {"delta", "details"},
		{"echo", "details"}, {"foxtrot", "pairing"}, {"golf", "pairing"}} {
		m.table.selected = c.id
		press(t, m, "enter")
		if where(m) != c.want+" "+c.id {
			t.Fatalf("enter on %s opened %s", c.id, where(m))
		}
		press(t, m, "esc")
	}
	requireCalls(t, f, "History alpha 15")
}

func TestDetailShowsEventsLive(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	f.history["alpha"] = []session.Event{
		{Seq: 1, Time: t0.Add(-5 * time.Minute), Kind: "state", From: "STARTING", To: "QR", Reason: "waiting for the QR code to be scanned"},
		{Seq: 2, Time: t0.Add(-4 * time.Minute), Kind: "state", From: "QR", To: "SYNCING", Reason: "phone linked; pairing"},
	}
	m, ch := newTestModel(t, f, 120, 40, Options{})
	press(t, m, "enter")
	requireContains(t, screen(m), "phone linked; pairing", "STARTING → QR")
	f.publish(session.Update{Session: "alpha", Event: &session.Event{Seq: 3, Time: t0, Kind: "state", From: "SYNCING", To: "READY", Reason: "connected and synced"}})
	feed(t, m, ch)
	requireContains(t, screen(m), "SYNCING → READY")
}

func TestPairingFollowsStatesWithoutKeys(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, ch := newTestModel(t, f, 120, 40, Options{})
	m.table.selected = "bravo"
	press(t, m, "enter")
	requireContains(t, screen(m), "code 2 of 6", "expires in 14s", "Settings > Linked devices")

	p2 := qrPayload(2)
	f.change("bravo", func(s *session.Snapshot) {
		s.QR = session.QRInfo{Payload: p2, Index: 3, Total: 6, Expires: t0.Add(20 * time.Second)}
	})
	feed(t, m, ch)
	requireContains(t, screen(m), "code 3 of 6", "expires in 20s")
	if got, err := qrscan.FromScreen(m.View().Content); err != nil || got != p2 {
		t.Fatalf("the rotated QR decodes to %q (%v)", got, err)
	}
	f.change("bravo", func(s *session.Snapshot) { s.State, s.Reason = session.Syncing, "phone linked; pairing" })
	feed(t, m, ch)
	requireContains(t, screen(m), "syncing the chats")
	f.change("bravo", func(s *session.Snapshot) { s.State, s.Account = session.Ready, "12025550166" })
	feed(t, m, ch)
	requireContains(t, screen(m), "Paired with +12025550166", "READY")
}

func TestPairingCountdownTicks(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	now := t0
	m.opts.Now = func() time.Time { return now }
	m.table.selected = "bravo"
	press(t, m, "enter")
	requireContains(t, screen(m), "expires in 14s")
	now = now.Add(5 * time.Second)
	if _, cmd := m.Update(tickMsg(now)); cmd == nil {
		t.Fatal("the tick did not re-arm")
	}
	requireContains(t, screen(m), "expires in 9s")
}

func TestPairingKeys(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	open := func(id string) {
		t.Helper()
		m.stack = m.stack[:1]
		m.openPairing(id)
	}
	open("bravo")
	press(t, m, "r")
	requireCalls(t, f, "RefreshQR bravo")
	press(t, m, "l")
	requireContains(t, screen(m), "Pair bravo with a link code")
	typeText(t, m, "12-34")
	press(t, m, "enter")
	requireContains(t, screen(m), "is not valid: digits only")
	requireNoCall(t, f, "UseLinkCode")
	press(t, m, "ctrl+u")
	typeText(t, m, "12025550166")
	press(t, m, "enter")
	requireCalls(t, f, "UseLinkCode bravo 12025550166")

	f.change("bravo", func(s *session.Snapshot) { s.QR.Expired = true })
	m.sessions["bravo"] = f.sessions["bravo"]
	requireContains(t, screen(m), "The QR code expired", "Press r for a fresh one")

	open("charlie")
	requireContains(t, screen(m), "K7PQ-2XW9", "for +447700900123", "expires in 2m41s", "Link with phone number instead")
	press(t, m, "g")
	requireCalls(t, f, "UseQR charlie")

	open("golf")
	requireContains(t, screen(m), "The phone unlinked this browser. Press s to start pairing again.")
	press(t, m, "s")
	requireCalls(t, f, "Start golf")

	open("echo")
	requireContains(t, screen(m), "chromium exited with signal 9")
	press(t, m, "r")
	requireCalls(t, f, "Restart echo")
}

func TestQRTooSmallSaysWhatItNeeds(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	// Half blocks asked for: at 80×24 auto would draw sextants.
	m, _ := newTestModel(t, f, 80, 24, Options{QRStyle: termtext.QRHalf})
	m.table.selected = "bravo"
	press(t, m, "enter")
	requireContains(t, strings.Join(strings.Fields(screen(m)), " "),
		"it needs 57 columns × 29 rows (a terminal of at least 57 × 30), and this terminal is 80 × 24",
		"press l to pair with a link code instead")
	// Layout follows the size: 64 × 31 fits the QR only alone on the screen;
	// 120 × 40 fits it with the console around it.
	for _, sz := range [][2]int{{64, 31}, {120, 40}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		if got, err := qrscan.FromScreen(m.View().Content); err != nil || got != qrPayload(1) {
			t.Fatalf("at %dx%d the QR decodes to %q (%v)", sz[0], sz[1], got, err)
		}
	}
	requireContains(t, screen(m), "sessions > bravo > pairing")
	m.Update(tea.WindowSizeMsg{Width: 64, Height: 31})
	s := screen(m)
	requireContains(t, s, "expires in 14s · code 2 of 6")
	requireNotContains(t, s, "sessions > bravo")
}

func TestTinyTerminal(t *testing.T) {
	f := newFake(fixedNow)
	m, _ := newTestModel(t, f, 30, 8, Options{})
	requireContains(t, strings.Join(strings.Fields(screen(m)), " "), "needs at least 40 columns × 10 rows; this terminal is 30 × 8")
}

func TestSessionRemovedWhileOpen(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, ch := newTestModel(t, f, 120, 40, Options{})
	m.table.selected = "bravo"
	press(t, m, "enter")
	f.publish(session.Update{Session: "bravo", Removed: true})
	feed(t, m, ch)
	if len(m.stack) != 1 {
		t.Fatal("the pairing view of a deleted session stayed open")
	}
	requireContains(t, screen(m), "session bravo was deleted", "Sessions (6)")
}

func TestQuitUnsubscribes(t *testing.T) {
	f := newFake(fixedNow)
	m, _ := newTestModel(t, f, 80, 24, Options{})
	if f.subscribers() != 1 {
		t.Fatalf("%d subscribers, want 1", f.subscribers())
	}
	if !quits(press(t, m, "q")) {
		t.Fatal("q did not quit")
	}
	if f.subscribers() != 0 {
		t.Fatal("quitting left the subscription open")
	}
}

func TestOptionsPairingOpensAtStart(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{Pairing: "bravo"})
	if where(m) != "pairing bravo" {
		t.Fatalf("opened on %s, want the pairing screen of bravo", where(m))
	}
	requireContains(t, screen(m), "sessions > bravo > pairing")
	press(t, m, "esc")
	if m.top() != pane(m.table) {
		t.Fatalf("esc from the start screen went to %s", where(m))
	}
}
