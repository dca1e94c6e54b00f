package session

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestReplyToAMessageFromHistory(t *testing.T) { eachBuild(t, testReplyToAMessageFromHistory) }

// A reply to a message the chat holds but the inbox never captured (the
// history loaded at pairing, the account's own) is accepted and goes out
// quoting it; the account's own message does not satisfy reply-first; an
// id the chat does not hold is refused as before.
func testReplyToAMessageFromHistory(t *testing.T, e *testEnv) {
	const phone, group = "15551240401", "120363025550100003@g.us" // the seeded "Night shift"
	e.pairQR("hist", phone)
	e.pace("hist", fastPacing)
	if _, err := e.m.Set("hist", Settings{ReplyFirst: ptr(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var theirs, ours Message
	e.waitUntil("the group's history on the page", 20*time.Second, func() bool {
		msgs, err := e.m.Messages(ctx, "hist", group, "", 50)
		for _, m := range msgs {
			switch {
			case m.Body == "Handover notes are in the drive.":
				theirs = m
			case m.FromMe && m.Body == "All quiet here.":
				ours = m
			}
		}
		return err == nil && theirs.ID != "" && ours.ID != ""
	})
	for _, m := range e.inbox("hist", InboxQuery{Chat: group}) {
		if m.ID == theirs.ID || m.ID == ours.ID {
			t.Fatalf("the inbox captured %s: the test needs a message only the history holds", m.ID)
		}
	}

	reply, err := e.m.SendMany(ctx, "hist", group, theirs.ID, []string{"on it"})
	if err != nil {
		t.Fatalf("a reply to a message of the history: %v", err)
	}
	if reply[0].State != JobQueued || reply[0].ReplyTo != theirs.ID {
		t.Fatalf("the reply to Alice's message: %+v, want queued, replying to %s", reply[0], theirs.ID)
	}
	own, err := e.m.SendMany(ctx, "hist", group, ours.ID, []string{"and still quiet"})
	if err != nil {
		t.Fatalf("a reply to our own message: %v", err)
	}
	if want := "reply-first: " + group + " has not written in 24h: approve to send"; own[0].State != JobHeld || own[0].HoldReason != want {
		t.Fatalf("a reply to our own message: %+v, want held with %q", own[0], want)
	}
	if _, err := e.m.SendMany(ctx, "hist", group, "3A0000000000000000NO", []string{"a reply"}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "has not received that message") {
		t.Fatalf("a reply to a message the chat does not hold: %v, want ErrInvalid saying so", err)
	}

	e.waitJob("hist", reply[0].Seq, "the reply sent", func(j Job) bool { return j.State == JobSent })
	for _, s := range e.sent(phone) {
		if s.Body == "on it" && s.Quoted != theirs.ID {
			t.Fatalf("the phone got %+v, want it quoting %s", s, theirs.ID)
		}
	}
}
