package ui

import (
	"fmt"
	"testing"

	"github.com/waconsole/waconsole/session"
)

// openAtSearchHit opens Dana's chat from :search at the hit msgID, whose
// text it makes "<msgID> the pallet count".
func openAtSearchHit(t *testing.T, f *fakeBackend, m *Model, msgID string) {
	t.Helper()
	for i, mm := range f.messages["alpha/"+dana] {
		if mm.ID == msgID {
			mm.Body = msgID + " the pallet count"
			f.messages["alpha/"+dana][i] = mm
			f.InboxOf["alpha"] = append(f.InboxOf["alpha"], session.InboundMessage{Session: "alpha", ID: mm.ID, Chat: dana, Body: mm.Body, Time: mm.Time})
		}
	}
	runLine(t, m, "search "+msgID)
	press(t, m, "enter")
}

// A search hit older than the chatLimit newest messages is reached: paging
// back lets the newest messages go, not the page just fetched. The chat
// then stays put while new messages arrive, counts them, and G fetches the
// newest page and follows again.
func TestSearchHitOlderThanTheKeptMessages(t *testing.T) {
	deepRun(t)
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	longChat(f, 1200)
	m, ch := newTestModel(t, f, 120, 40, Options{})
	openAtSearchHit(t, f, m, "M160")
	c := paneOf[*chatView](t, m)
	if mm, _ := c.selected(); mm.ID != "M160" {
		t.Fatalf("the chat opened with %s selected, want M160 (%d messages loaded from %s)", mm.ID, len(c.lines), c.lines[0].msg.ID)
	}
	if len(c.lines) != chatLimit {
		t.Fatalf("%d messages kept, want %d", len(c.lines), chatLimit)
	}
	s := screen(m)
	requireContains(t, s, "M160 the pallet count", "newer messages let go (1000 kept): G or end shows the newest")

	live := session.Message{ID: "N1", Chat: dana, Body: "first live one", Time: t0, New: true}
	f.messages["alpha/"+dana] = append(f.messages["alpha/"+dana], live)
	f.publish(session.Update{Session: "alpha", Message: &live})
	feed(t, m, ch)
	s = screen(m)
	requireContains(t, s, "↓ 1 new: G or end shows the newest", "M160 the pallet count")
	requireNotContains(t, s, "first live one")
	c.selectAt(len(c.shown) - 1) // down to the newest loaded, which is not the newest
	if c.sel == "" || c.newCount != 1 {
		t.Fatalf("the newest loaded message followed the feed (selection %q, %d new)", c.sel, c.newCount)
	}

	press(t, m, "G")
	requireCalls(t, f, `Messages alpha `+dana+` "" 50`)
	s = screen(m)
	requireContains(t, s, "first live one")
	requireNotContains(t, s, "new: G or end", "let go")
	if c.sel != "" || len(c.lines) != chatPage {
		t.Fatalf("after G: selection %q, %d messages; want the newest page, following", c.sel, len(c.lines))
	}
	next := session.Message{ID: "N2", Chat: dana, Body: "second live one", Time: t0, New: true}
	f.publish(session.Update{Session: "alpha", Message: &next})
	feed(t, m, ch)
	requireContains(t, screen(m), "second live one")
}

// A hit further back than the console pages says so, and where to find it.
func TestSearchHitBeyondReachSaysWhereToFindIt(t *testing.T) {
	deepRun(t)
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	longChat(f, 1200)
	m, _ := newTestModel(t, f, 160, 40, Options{})
	openAtSearchHit(t, f, m, "M010")
	requireContains(t, screen(m), "the message is older than the 1000 messages the console keeps of Dana Whitfield: `waconsole search` finds it")
	if mm, _ := paneOf[*chatView](t, m).selected(); mm.ID == "M010" {
		t.Fatal("M010 selected though it was never loaded")
	}
}

// Scrolling up past chatLimit keeps going back, page after page, to the
// oldest message.
func TestChatScrollsBackPastTheKeptMessages(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	longChat(f, 1200)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	openDana(t, m)
	c := paneOf[*chatView](t, m)
	for i := 0; i < 1200/chatPage && !c.noOlder; i++ {
		press(t, m, "home")
	}
	if c.lines[0].msg.ID != "M000" || len(c.lines) != chatLimit {
		t.Fatalf("scrolled up to %s with %d messages kept, want M000 and %d", c.lines[0].msg.ID, len(c.lines), chatLimit)
	}
	requireContains(t, screen(m), fmt.Sprintf("message %d", 0))
}

// A message written while paged back goes under the newest ones: the chat
// fetches its newest page again and follows.
func TestChatSendWhilePagedBackShowsTheNewest(t *testing.T) {
	deepRun(t)
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	longChat(f, 1200)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	openAtSearchHit(t, f, m, "M160")
	c := paneOf[*chatView](t, m)
	if !c.noNewer {
		t.Fatal("the chat did not page back past the messages it keeps")
	}
	press(t, m, "i")
	typeText(t, m, "on my way")
	press(t, m, "enter")
	requireCalls(t, f, "Send alpha "+dana+" on my way")
	s := screen(m)
	requireContains(t, s, "message 1199", "you on my way  queued")
	requireNotContains(t, s, "let go", "M160 the pallet count")
	if c.sel != "" || c.lines[len(c.lines)-1].msg.Body != "on my way" {
		t.Fatalf("after the send: selection %q, last line %q; want following, the queued message last", c.sel, c.lines[len(c.lines)-1].msg.Body)
	}
}
