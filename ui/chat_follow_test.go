package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
)

// longChat gives Dana's chat n messages a minute apart, the last at t0.
func longChat(f *fakeBackend, n int) {
	var all []session.Message
	for i := range n {
		all = append(all, session.Message{ID: fmt.Sprintf("M%03d", i), Chat: dana, Body: fmt.Sprintf("message %d", i),
			Time: t0.Add(time.Duration(i-n) * time.Minute)})
	}
	f.messages["alpha/"+dana] = all
}

func live(id, body string) session.Update {
	return session.Update{Session: "alpha", Message: &session.Message{ID: id, Chat: dana, Body: body, Time: t0, New: true}}
}

// The chat follows new messages while the newest is selected; scrolled up,
// it stays put and counts them, and G (or end) jumps down and clears that.
func TestChatFollowsUnlessScrolledUp(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	longChat(f, 60)
	m, ch := newTestModel(t, f, 100, 24, Options{})
	openDana(t, m)
	f.publish(live("N1", "first live one"))
	feed(t, m, ch)
	s := screen(m)
	requireContains(t, s, "first live one")
	requireNotContains(t, s, "new: G or end")

	press(t, m, "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up")
	before := paneOf[*chatView](t, m).vp.YOffset()
	f.publish(live("N2", "second live one"))
	f.publish(live("N3", "third live one"))
	feed(t, m, ch)
	s = screen(m)
	requireContains(t, s, "↓ 2 new: G or end shows the newest")
	requireNotContains(t, s, "third live one")
	if c := paneOf[*chatView](t, m); c.vp.YOffset() != before || c.sel == "" {
		t.Fatalf("the view moved from line %d to %d (selection %q) while scrolled up", before, c.vp.YOffset(), c.sel)
	}

	press(t, m, "G")
	s = screen(m)
	requireContains(t, s, "third live one")
	requireNotContains(t, s, "new: G or end")
	f.publish(live("N4", "fourth live one"))
	feed(t, m, ch)
	requireContains(t, screen(m), "fourth live one")

	press(t, m, "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up")
	f.publish(live("N5", "fifth live one"))
	feed(t, m, ch)
	requireContains(t, screen(m), "↓ 1 new")
	press(t, m, "end")
	s = screen(m)
	requireContains(t, s, "fifth live one")
	requireNotContains(t, s, "new: G or end")
}

// u selects the oldest unread message, fetching older pages for it.
func TestChatJumpsToFirstUnread(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	longChat(f, 120)
	f.chats["alpha"][0].Unread = 80 // Dana's chat: back past the first page
	m, _ := newTestModel(t, f, 100, 24, Options{})
	openDana(t, m)
	press(t, m, "u")
	requireCalls(t, f, `Messages alpha `+dana+` "M070" 50`)
	mm, _ := paneOf[*chatView](t, m).selected()
	if mm.ID != "M040" {
		t.Fatalf("u selected %s, want M040, the 80th message from the newest", mm.ID)
	}
	requireContains(t, screen(m), "message 40")

	f.chats["alpha"][2].MarkedUnread = true // Sam's chat: marked unread, none unread
	f.chats["alpha"][2].Unread = 0
	press(t, m, "esc")
	paneOf[*chatsView](t, m).selected = "12025550177@c.us"
	press(t, m, "r", "enter", "u")
	requireContains(t, screen(m), "Sam Ortega is marked unread but holds no unread messages")
}

// up and down move the selection message by message; the raw view opens
// on the one selected.
func TestChatSelectionMovesByMessage(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	m, _ := newTestModel(t, f, 100, 24, Options{})
	openDana(t, m)
	c := paneOf[*chatView](t, m)
	for _, want := range []string{"A4", "A3", "A2", "A1", "A1"} {
		press(t, m, "up")
		if mm, _ := c.selected(); mm.ID != want {
			t.Fatalf("up selected %s, want %s", mm.ID, want)
		}
	}
	press(t, m, "down")
	if mm, _ := c.selected(); mm.ID != "A2" || c.sel != "A2" {
		t.Fatalf("down selected %s (sel %q), want A2", mm.ID, c.sel)
	}
	press(t, m, "enter")
	requireContains(t, screen(m), "Message A2")
	if !strings.Contains(screen(m), "The page reported no raw fields") {
		t.Fatal("the raw view of a message without raw fields does not say so")
	}
}

// pgup and pgdn move the selection about a screen, keeping it in view.
func TestChatPagesTheSelection(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	longChat(f, 50)
	m, _ := newTestModel(t, f, 100, 24, Options{})
	openDana(t, m)
	c := paneOf[*chatView](t, m)
	press(t, m, "pgup")
	mm, _ := c.selected()
	if want := fmt.Sprintf("M%03d", 49-(c.vp.Height()-1)); mm.ID != want {
		t.Fatalf("pgup selected %s, want %s a screen up", mm.ID, want)
	}
	if k := c.selPos(); c.starts[k] < c.vp.YOffset() || c.ends[k] > c.vp.YOffset()+c.vp.Height() {
		t.Fatalf("the selection (lines %d-%d) is off screen (from line %d)", c.starts[k], c.ends[k], c.vp.YOffset())
	}
	press(t, m, "pgdn")
	if mm, _ := c.selected(); mm.ID != "M049" || c.sel != "" {
		t.Fatalf("pgdn selected %s (sel %q), want the newest, following", mm.ID, c.sel)
	}
}
