package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
)

const dana = "447700900456@c.us"

// openDana opens alpha's chat with Dana from the sessions table.
func openDana(t *testing.T, m *Model) {
	t.Helper()
	press(t, m, "c")
	paneOf[*chatsView](t, m).selected = dana
	press(t, m, "enter")
	if c, ok := m.top().(*chatView); !ok || c.chatID != dana {
		t.Fatalf("the chat with Dana did not open: %s", where(m))
	}
}

func TestChatsListAndFilter(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	press(t, m, "c")
	s := screen(m)
	requireContains(t, s, "Chats of alpha (3)", "Ops on call", "12", "2m00s ago")
	if strings.Index(s, "Ops on call") > strings.Index(s, "Sam Ortega") {
		t.Fatal("chats are not sorted by last activity")
	}
	press(t, m, "/")
	typeText(t, m, "sam")
	press(t, m, "enter")
	requireNotContains(t, screen(m), "Ops on call")
	press(t, m, "enter")
	if c := paneOf[*chatView](t, m); c.chatID != "12025550177@c.us" {
		t.Fatalf("enter opened %q, want Sam's chat", c.chatID)
	}
	requireCalls(t, f, `Messages alpha 12025550177@c.us "" 50`)
}

func TestChatsErrorSaysWhy(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	f.fail["Chats"] = errors.New("session bravo is not READY")
	m, _ := newTestModel(t, f, 120, 40, Options{})
	m.table.selected = "bravo"
	press(t, m, "c")
	requireContains(t, screen(m), "Could not list the chats", "the session must be READY (it is QR)", "Press r to try again")
}

func TestChatLiveMessagesAndAcks(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	m, ch := newTestModel(t, f, 120, 40, Options{})
	openDana(t, m)
	requireContains(t, screen(m), "Morning! Is the 10:30 delivery still on?", "Delivered, signed by D. Whitfield.  ✓")

	f.publish(session.Update{Session: "alpha", Message: &session.Message{ID: "A6", Chat: dana, Body: "Got it, thank you!", Time: t0, New: true}})
	f.publish(session.Update{Session: "alpha", Message: &session.Message{ID: "A5", Chat: dana, FromMe: true,
		Body: "Delivered, signed by D. Whitfield.", Time: t0.Add(-20 * time.Minute), Ack: session.AckDevice}})
	f.publish(session.Update{Session: "alpha", Message: &session.Message{ID: "Z1", Chat: "12025550177@c.us", Body: "other chat", Time: t0, New: true}})
	feed(t, m, ch)
	s := screen(m)
	requireContains(t, s, "12:00 Dana Whitfield Got it, thank you!", "Delivered, signed by D. Whitfield.  ✓✓")
	requireNotContains(t, s, "other chat")
	if strings.Index(s, "Delivered") > strings.Index(s, "Got it") {
		t.Fatal("the new message is not after the older ones")
	}
	for _, c := range paneOf[*chatsView](t, m).chats {
		if c.ID == "12025550177@c.us" && (c.Unread != 2 || !c.LastActivity.Equal(t0)) {
			t.Fatalf("the chat list did not count the other chat's message: %+v", c)
		}
		if c.ID == dana && c.Unread != 0 {
			t.Fatalf("the open chat counts %d unread", c.Unread)
		}
	}
}

func TestChatSendShowsQueueStateThenTicks(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	m, ch := newTestModel(t, f, 120, 40, Options{})
	openDana(t, m)

	press(t, m, "i", "enter")
	requireContains(t, screen(m), "the message is empty")
	requireNoCall(t, f, "Send")
	typeText(t, m, "See you tomorrow")
	press(t, m, "enter")
	requireCalls(t, f, "Send alpha "+dana+" See you tomorrow")
	requireContains(t, screen(m), "you See you tomorrow  queued")
	if paneOf[*chatView](t, m).input.Value() != "" {
		t.Fatal("the compose line kept the sent text")
	}

	f.setJob("alpha", 1, func(j *session.Job) {
		j.State, j.Attempts, j.LastError = session.JobRetrying, 2, "page did not answer within 30s"
	})
	feed(t, m, ch)
	requireContains(t, screen(m), "↻ retrying (attempt 2): page did not answer within 30s")
	f.setJob("alpha", 1, func(j *session.Job) { j.State, j.LastError = session.JobDead, "chat does not exist" })
	feed(t, m, ch)
	requireContains(t, screen(m), "✗ not sent: chat does not exist")

	var msgID string // the id the outbox gave the message
	f.setJob("alpha", 1, func(j *session.Job) { msgID = j.MsgID })
	f.publish(session.Update{Session: "alpha", Message: &session.Message{ID: msgID, Chat: dana,
		FromMe: true, Body: "See you tomorrow", Time: t0, Ack: session.AckRead}})
	feed(t, m, ch)
	s := screen(m)
	requireContains(t, s, "you See you tomorrow  ✓✓")
	requireNotContains(t, s, "not sent")
}

func TestChatSendErrorKeepsText(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	f.fail["Send"] = errors.New("the outbox is full: try again later")
	m, _ := newTestModel(t, f, 120, 40, Options{})
	openDana(t, m)
	press(t, m, "tab")
	typeText(t, m, "hello")
	press(t, m, "enter")
	if v := paneOf[*chatView](t, m).input.Value(); v != "hello" {
		t.Fatalf("the compose line lost the text: %q", v)
	}
	requireContains(t, screen(m), "the outbox is full")
}

// TestChatSendErrorAfterLeaving: a send refused after the operator left
// the chat is still reported; no screen is left to take the answer.
func TestChatSendErrorAfterLeaving(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	f.fail["Send"] = errors.New("the outbox is full: try again later")
	m, _ := newTestModel(t, f, 120, 40, Options{})
	openDana(t, m)
	press(t, m, "i")
	typeText(t, m, "hello")
	_, send := m.Update(keyMsg("enter"))
	press(t, m, "esc", "esc")
	if where(m) != "chats alpha" {
		t.Fatalf("esc esc left the chat for %s", where(m))
	}
	run(m, send, 0)
	requireContains(t, screen(m), "could not queue the message: the outbox is full")
}

func TestChatNotReadyNote(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	f.chats["delta"] = []session.Chat{{ID: dana, Name: "Dana Whitfield"}}
	m, _ := newTestModel(t, f, 120, 40, Options{})
	m.table.selected = "delta"
	press(t, m, "c", "enter")
	requireContains(t, screen(m), "delta is DISCONNECTED: sending waits until the session is READY; messages stay queued.")
}

func TestChatLoadsOlderPagesAtTheTop(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	var all []session.Message
	for i := range 120 {
		all = append(all, session.Message{ID: fmt.Sprintf("M%03d", i), Chat: dana, Body: fmt.Sprintf("message %d", i),
			Time: t0.Add(time.Duration(i-120) * time.Minute)})
	}
	f.messages["alpha/"+dana] = all
	m, _ := newTestModel(t, f, 120, 40, Options{})
	openDana(t, m)
	if n := len(paneOf[*chatView](t, m).lines); n != chatPage {
		t.Fatalf("%d messages loaded on open, want the newest %d", n, chatPage)
	}
	requireContains(t, screen(m), "message 119")
	press(t, m, "home")
	requireCalls(t, f, `Messages alpha `+dana+` "M070" 50`)
	if n := len(paneOf[*chatView](t, m).lines); n != 100 {
		t.Fatalf("%d messages after one older page", n)
	}
	requireContains(t, screen(m), "message 69") // the view stays where it was, not at the new top
	requireNotContains(t, screen(m), "message 20\n")
	press(t, m, "home")
	press(t, m, "home")
	if c := paneOf[*chatView](t, m); len(c.lines) != 120 || !c.noOlder {
		t.Fatalf("%d messages, noOlder=%v after reaching the start", len(c.lines), c.noOlder)
	}
	requireContains(t, screen(m), "message 0")
}

// A group notice arriving live shows in the open chat, dimmed as notices
// are; in another chat it moves the chat up without counting as unread.
func TestChatLiveNotice(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, ch := newTestModel(t, f, 120, 40, Options{})
	openOps(t, m)
	notice := func(id, chat string) session.Update {
		return session.Update{Session: "alpha", Message: &session.Message{ID: id, Chat: chat, Author: samID, Time: t0, New: true,
			Type: "gp2", Subtype: "subject", Notice: true, Body: "Ops night crew"}}
	}
	f.publish(notice("N1", opsChat))
	f.publish(notice("N2", "120363000000000001@g.us"))
	feed(t, m, ch)
	requireContains(t, trimmed(screen(m)), "12:00 Sam Ortega changed the subject: Ops night crew")
	for _, c := range paneOf[*chatsView](t, m).chats {
		if c.ID == "120363000000000001@g.us" && (c.Unread != 0 || !c.LastActivity.Equal(t0)) {
			t.Fatalf("a notice in another chat: %+v, want it moved up and nothing unread", c)
		}
	}
}
