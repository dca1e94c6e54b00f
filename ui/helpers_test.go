package ui

import (
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/waconsole/waconsole/session"
)

// t0 is the fixed "now" of every test.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return t0 }

// qrPayload is a realistic WhatsApp pairing payload of 219 characters:
// "2@", an 80-character ref, three 44-character base64 keys and ",1".
func qrPayload(seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 7))
	b64 := func(n int) string {
		buf := make([]byte, n)
		for i := range buf {
			buf[i] = byte(r.UintN(256))
		}
		return base64.StdEncoding.EncodeToString(buf)
	}
	return "2@" + b64(60) + "," + b64(32) + "," + b64(32) + "," + b64(32) + ",1"
}

// fixture fills f with sessions in several states.
func fixture(f *fakeBackend) {
	ago := func(d time.Duration) time.Time { return t0.Add(-d) }
	f.put(session.Snapshot{ID: "alpha", State: session.Ready, Since: ago(3*time.Minute + 12*time.Second), Account: "12025550108",
		PairMethod: session.PairQR, Reason: "connected and synced", Queue: session.QueueInfo{Depth: 2}})
	f.put(session.Snapshot{ID: "bravo", State: session.QR, Since: ago(14 * time.Second), PairMethod: session.PairQR,
		Reason: "waiting for the QR code to be scanned",
		QR:     session.QRInfo{Payload: qrPayload(1), Index: 2, Total: 6, Expires: t0.Add(14 * time.Second)}})
	f.put(session.Snapshot{ID: "charlie", State: session.LinkCode, Since: ago(time.Minute), PairMethod: session.PairLink,
		PairPhone: "447700900123", Reason: "waiting for the link code to be entered on the phone",
		Code: session.CodeInfo{Code: "K7PQ2XW9", Phone: "447700900123", Expires: t0.Add(2*time.Minute + 41*time.Second)}})
	f.put(session.Snapshot{ID: "delta", State: session.Disconnected, Since: ago(2*time.Hour + 5*time.Minute), Account: "4915123456789",
		LastError: "send failed: timeout waiting for the page to answer the send call after 30s",
		Queue:     session.QueueInfo{Depth: 41, Failures5m: 3},
		Browser:   session.BrowserSettings{Proxy: "http://ops:***@10.0.0.1:3128", Flags: []string{"--lang=de"}}})
	f.put(session.Snapshot{ID: "echo", State: session.Failed, Since: ago(26 * time.Hour), Account: "33612345678",
		LastError: "browser crashed 5 times in 5m: chromium exited with signal 9 (killed)"})
	f.put(session.Snapshot{ID: "foxtrot", State: session.Stopped, Since: ago(45 * time.Second)})
	f.put(session.Snapshot{ID: "golf", State: session.LoggedOut, Since: ago(9 * time.Minute), Account: "5511987654321",
		Reason: "the phone unlinked this browser: pair it again"})
}

// chatFixture gives alpha chats, a conversation and a queue.
func chatFixture(f *fakeBackend) {
	at := func(h, m int) time.Time { return time.Date(2026, 3, 1, h, m, 0, 0, time.UTC) }
	f.chats["alpha"] = []session.Chat{
		{ID: "447700900456@c.us", Name: "Dana Whitfield", Unread: 0, LastActivity: at(11, 40)},
		{ID: "120363041234567890@g.us", Name: "Ops on call", Unread: 12, LastActivity: at(11, 58), Group: true},
		{ID: "12025550177@c.us", Name: "Sam Ortega", Unread: 1, LastActivity: at(9, 3)},
	}
	f.messages["alpha/447700900456@c.us"] = []session.Message{
		{ID: "A1", Chat: "447700900456@c.us", Body: "Morning! Is the 10:30 delivery still on?", Time: at(9, 12)},
		{ID: "A2", Chat: "447700900456@c.us", FromMe: true, Body: "Yes, the van left at 9. You will get a message when it is 15 minutes away.", Time: at(9, 14), Ack: session.AckRead},
		{ID: "A3", Chat: "447700900456@c.us", Body: "Perfect, thanks", Time: at(9, 15)},
		{ID: "A4", Chat: "447700900456@c.us", FromMe: true, Body: "Driver is 15 minutes away.", Time: at(11, 38), Ack: session.AckDevice},
		{ID: "A5", Chat: "447700900456@c.us", FromMe: true, Body: "Delivered, signed by D. Whitfield.", Time: at(11, 40), Ack: session.AckServer},
	}
	f.stats["alpha"] = session.QueueStats{Depth: 2, InFlight: 1, Oldest: 42 * time.Second, LatencyP50: 1200 * time.Millisecond,
		LatencyP95: 3400 * time.Millisecond, Sent5m: 12, Failed5m: 1, SentTotal: 340, FailedTotal: 7, NextSend: t0.Add(4 * time.Second),
		Pacing: session.Pacing{MinGap: 15 * time.Second, JitterMin: 5 * time.Second, Jitter: 15 * time.Second, ChatGap: 30 * time.Second, BulkLimit: 5}}
	f.jobs["alpha"] = []session.Job{
		{Seq: 17, Session: "alpha", ChatID: "12025550177@c.us", Body: "Your order #4411 has shipped.", MsgID: "3EB0AAAA", State: session.JobDead,
			Attempts: 5, LastError: "page did not answer the send call within 30s", Created: t0.Add(-20 * time.Minute)},
		{Seq: 23, Session: "alpha", ChatID: "447700900999@c.us", Body: "Flash sale: 20% off today only!", MsgID: "3EB0BBBB", State: session.JobHeld,
			HoldReason: "same text to more than 5 chats within an hour: approve to send", Created: t0.Add(-3 * time.Minute)},
	}
}

// newTestModel is a console over f at w × h, subscribed, with a fixed clock.
func newTestModel(t *testing.T, f *fakeBackend, w, h int, opts Options) (*Model, <-chan session.Update) {
	t.Helper()
	opts.Now = fixedNow
	m := New(f, opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	ch, cancel := f.Subscribe()
	t.Cleanup(cancel)
	m.Update(subscribedMsg{ch: ch, cancel: cancel, list: f.List()})
	return m, ch
}

// keyMsg builds the key press a terminal would send for s.
func keyMsg(s string) tea.KeyPressMsg {
	special := map[string]tea.KeyPressMsg{
		"enter":     {Code: tea.KeyEnter},
		"alt+enter": {Code: tea.KeyEnter, Mod: tea.ModAlt},
		"end":       {Code: tea.KeyEnd},
		"esc":       {Code: tea.KeyEscape},
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"up":        {Code: tea.KeyUp},
		"down":      {Code: tea.KeyDown},
		"left":      {Code: tea.KeyLeft},
		"right":     {Code: tea.KeyRight},
		"home":      {Code: tea.KeyHome},
		"pgup":      {Code: tea.KeyPgUp},
		"pgdn":      {Code: tea.KeyPgDown},
		"backspace": {Code: tea.KeyBackspace},
		"space":     {Code: tea.KeySpace, Text: " "},
		"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
		"ctrl+u":    {Code: 'u', Mod: tea.ModCtrl},
	}
	if k, ok := special[s]; ok {
		return k
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// press sends keys one by one and runs the commands they return; it
// returns every message those commands produced.
func press(t *testing.T, m *Model, keys ...string) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		out = append(out, run(m, cmd, 0)...)
	}
	return out
}

// typeText types s rune by rune.
func typeText(t *testing.T, m *Model, s string) {
	t.Helper()
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// cmdWait is how long run waits for a command. Commands over the fake
// answer at once; the ones still waiting are timers (flash TTL, the clock),
// which run drops.
const cmdWait = 80 * time.Millisecond

// runDepth bounds the commands run follows one from another; a test that
// pages far back raises it (deepRun).
var runDepth = 8

// deepRun lets run follow a long chain of commands for the test.
func deepRun(t *testing.T) {
	runDepth = 200
	t.Cleanup(func() { runDepth = 8 })
}

// run executes cmd and feeds what it returns back into m, like the Bubble
// Tea loop does, and returns the messages seen.
func run(m *Model, cmd tea.Cmd, depth int) []tea.Msg {
	if cmd == nil || depth > runDepth {
		return nil
	}
	got := make(chan tea.Msg, 1)
	go func() { got <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-got:
	case <-time.After(cmdWait):
		return nil
	}
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, run(m, c, depth+1)...)
		}
		return out
	case tea.QuitMsg:
		return []tea.Msg{msg}
	}
	_, next := m.Update(msg)
	return append([]tea.Msg{msg}, run(m, next, depth+1)...)
}

// feed takes one coalesced batch from the subscription into m.
func feed(t *testing.T, m *Model, ch <-chan session.Update) updatesMsg {
	t.Helper()
	msg, ok := waitUpdates(ch)().(updatesMsg)
	if !ok {
		t.Fatal("waitUpdates returned something else than a batch")
	}
	m.Update(msg)
	return msg
}

// screen is the view as plain text.
func screen(m *Model) string { return ansi.Strip(m.View().Content) }

func requireContains(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Fatalf("the screen lacks %q:\n%s", sub, s)
		}
	}
}

func requireNotContains(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			t.Fatalf("the screen shows %q but should not:\n%s", sub, s)
		}
	}
}

// where names the screen on display and its session, e.g. "queue alpha".
func where(m *Model) string { return strings.TrimSpace(m.top().crumb() + " " + m.current()) }

// paneOf is the topmost pane of type T on the stack.
func paneOf[T pane](t *testing.T, m *Model) T {
	t.Helper()
	for i := len(m.stack) - 1; i >= 0; i-- {
		if p, ok := m.stack[i].(T); ok {
			return p
		}
	}
	var none T
	t.Fatalf("no %T on the stack; on display: %s", none, where(m))
	return none
}
