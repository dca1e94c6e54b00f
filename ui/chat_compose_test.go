package ui

import (
	"errors"
	"strings"
	"testing"
)

// alt+enter breaks the line; enter sends the lines as one message.
func TestChatComposeMultiLine(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	m, _ := newTestModel(t, f, 100, 24, Options{})
	openDana(t, m)
	c := paneOf[*chatView](t, m)
	rows := c.vp.Height()
	press(t, m, "i")
	typeText(t, m, "Gate code 4411")
	press(t, m, "alt+enter")
	typeText(t, m, "Park at bay 2")
	requireNoCall(t, f, "Send")
	if c.input.Value() != "Gate code 4411\nPark at bay 2" {
		t.Fatalf("the compose box holds %q", c.input.Value())
	}
	requireContains(t, trimmed(screen(m)), "> Gate code 4411\n  Park at bay 2")
	if c.vp.Height() != rows-1 {
		t.Fatalf("the messages keep %d rows with a two-line compose box, want %d", c.vp.Height(), rows-1)
	}
	press(t, m, "enter")
	requireCalls(t, f, "Send alpha "+dana+" Gate code 4411\nPark at bay 2")
	requireContains(t, trimmed(screen(m)), "you Gate code 4411\n      Park at bay 2  queued")
	if c.vp.Height() != rows {
		t.Fatalf("the messages did not get their rows back: %d, want %d", c.vp.Height(), rows)
	}
}

// r replies to the selected message: its line shows above the compose box
// and the send quotes it.
func TestChatReplyQuotesTheSelectedMessage(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	openOps(t, m)
	selectMessage(t, m, "G13")
	press(t, m, "r")
	requireContains(t, screen(m), "│ replying to Sam Ortega: ETA 11:45 now (edited)")
	typeText(t, m, "Noted")
	press(t, m, "enter")
	requireCalls(t, f, "SendMany alpha "+opsChat+" 1 replyTo=G13")
	requireNoCall(t, f, "Send")
	s := trimmed(screen(m))
	requireContains(t, s, "      │ Sam Ortega: ETA 11:45 now\n12:00 you Noted  queued")
	requireNotContains(t, s, "replying to")

	// A refused reply keeps its text and what it answers.
	f.fail["SendMany"] = errors.New("the outbox is full: try again later")
	press(t, m, "esc")
	selectMessage(t, m, "G02")
	press(t, m, "r")
	typeText(t, m, "On it")
	press(t, m, "enter")
	if c := paneOf[*chatView](t, m); c.reply == nil || c.reply.ID != "G02" || c.input.Value() != "On it" {
		t.Fatalf("a refused reply lost what it answers or its text: %+v %q", c.reply, c.input.Value())
	}
	requireContains(t, screen(m), "│ replying to Sam Ortega: Van 3 is loaded", "could not queue the message: the outbox is full")

	// esc leaves the compose box and drops the reply.
	press(t, m, "esc", "r", "esc")
	if c := paneOf[*chatView](t, m); c.reply != nil || c.composing() {
		t.Fatal("esc kept the reply")
	}
}

// A reply to a message the inbox never captured, our own here, is queued:
// the chat holds it.
func TestChatReplyToAMessageOnlyTheChatHolds(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	openOps(t, m)
	selectMessage(t, m, "G12")
	press(t, m, "r")
	typeText(t, m, "Driver confirmed")
	press(t, m, "enter")
	requireCalls(t, f, "SendMany alpha "+opsChat+" 1 replyTo=G12")
	s := trimmed(screen(m))
	requireContains(t, s, "12:00 you Driver confirmed  queued")
	requireNotContains(t, s, "could not queue", "replying to")
}

// Read-only, compose and reply send nothing, say why, and help lists them
// among the disabled keys.
func TestChatComposeAndReplyRefusedReadOnly(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{ReadOnly: true})
	openOps(t, m)
	c := paneOf[*chatView](t, m)
	requireContains(t, screen(m), "read-only: writing and replying are disabled")
	for _, k := range []string{"i", "tab"} {
		press(t, m, k)
		if c.composing() {
			t.Fatalf("%s opened the compose box in read-only mode", k)
		}
		requireContains(t, screen(m), `read-only mode: "i/tab" (compose) is disabled`)
	}
	selectMessage(t, m, "G13")
	press(t, m, "r")
	if c.composing() || c.reply != nil {
		t.Fatal("r started a reply in read-only mode")
	}
	requireContains(t, screen(m), `read-only mode: "r" (reply) is disabled`)
	press(t, m, "enter") // the raw view, never a send
	requireNoCall(t, f, "Send")
	requireNoCall(t, f, "SendMany")
	press(t, m, "esc", "?")
	requireContains(t, strings.Join(strings.Fields(screen(m)), " "), "these keys are disabled and hidden:", "compose, reply")
}
