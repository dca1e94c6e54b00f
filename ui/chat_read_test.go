package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func markReadCalls(f *fakeBackend) int {
	return len(slices.DeleteFunc(f.called(), func(c string) bool { return !strings.HasPrefix(c, "MarkRead ") }))
}

// R sends read receipts: the first time for a session it asks, then not
// again; a refusal sends nothing.
func TestChatMarkReadAsksOncePerSession(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	openOps(t, m)
	press(t, m, "R")
	requireContains(t, screen(m), "Mark Ops on call read on the phone?", "This sends read receipts")
	press(t, m, "n")
	if n := markReadCalls(f); n != 0 || m.dialog != nil {
		t.Fatalf("n sent %d read receipts (dialog %v)", n, m.dialog)
	}
	press(t, m, "R", "y")
	requireCalls(t, f, "MarkRead alpha "+opsChat)
	requireContains(t, screen(m), "Ops on call marked read on the phone: read receipts sent")
	for _, ch := range paneOf[*chatsView](t, m).chats {
		if ch.ID == opsChat && (ch.Unread != 0 || ch.MarkedUnread) {
			t.Fatalf("the chat list still counts %d unread", ch.Unread)
		}
	}

	press(t, m, "esc")
	paneOf[*chatsView](t, m).selected = samID
	press(t, m, "enter", "R")
	if m.dialog != nil {
		t.Fatal("R asked again in a session the operator already agreed for")
	}
	requireCalls(t, f, "MarkRead alpha "+samID)
	if n := markReadCalls(f); n != 2 {
		t.Fatalf("%d MarkRead calls, want 2", n)
	}
}

// Read-only, R sends nothing and says why.
func TestChatMarkReadRefusedReadOnly(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{ReadOnly: true})
	openOps(t, m)
	press(t, m, "R")
	if m.dialog != nil {
		t.Fatal("read-only mode asks to mark read")
	}
	requireNoCall(t, f, "MarkRead")
	requireContains(t, screen(m), `read-only mode: "R" (mark read on the phone) is disabled`)
}

// A failed mark read says what happened.
func TestChatMarkReadFailureSaysWhy(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	f.fail["MarkRead"] = errors.New("session alpha is not READY (it is DISCONNECTED): start it first")
	m, _ := newTestModel(t, f, 120, 40, Options{})
	openDana(t, m)
	press(t, m, "R", "y")
	requireContains(t, screen(m), "could not mark Dana Whitfield read on the phone: session alpha is not READY")
}
