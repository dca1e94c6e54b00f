package ui

import (
	"strings"
	"testing"

	"github.com/waconsole/waconsole/session"
)

// Every message type is drawn for what it is, with names for authors.
func TestChatShowsEveryType(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 60, Options{})
	openOps(t, m)
	s := trimmed(screen(m))
	requireContains(t, s,
		"10:01 Dana Whitfield joined",
		"10:02 Sam Ortega Van 3 is loaded, leaving in 10\n      👍 2  ❤ 1",
		"10:05 Dana Whitfield [image · 240 KB] Dock 4, pallets stacked",
		"10:07 +33612345678 [video · 0:42 · 3.2 MB] loading bay",
		"10:09 Sam Ortega [audio · 3:12 · 4.4 MB]",
		"10:10 Dana Whitfield [voice note · 0:07 · 11 KB]",
		"10:12 Sam Ortega [document · manifest-0301.pdf · 3 pages · 220 KB] today's manifest",
		"10:13 Dana Whitfield [sticker · 18 KB]",
		"10:20 Sam Ortega [location] Depot North, 12 Canal St, London (51.50735, -0.12776)",
		"10:22 Dana Whitfield [contact] Lee Park (+447700900789)",
		"10:23 Dana Whitfield [2 contacts] Ana Silva (+5511987650000), Bo Chen",
		"      │ Sam Ortega: Van 3 is loaded, leaving in 10\n10:30 you Thanks, I'll tell the driver  ✓✓",
		"10:41 Sam Ortega ETA 11:45 now (edited)",
		"10:50 Dana Whitfield This message was deleted",
		"11:00 Sam Ortega [poll] Lunch order?\n      ○ Pizza  3 votes\n      ○ Sushi  1 vote\n      ○ Salad  0 votes",
		"11:10 +33612345678 left",
		"11:20 Sam Ortega changed the subject: Ops on call (March)",
		"11:30 Dana Whitfield [event_creation] Team standup",
		"11:58 Dana Whitfield Reminder for everyone on the late shift: the north gate closes at 22:00 tonight, so park by\n      the canal entrance",
	)
	for _, l := range strings.Split(s, "\n") {
		if w := len([]rune(strings.TrimRight(l, " "))); w > 120 {
			t.Fatalf("a line is %d cells wide, past the terminal: %q", w, l)
		}
	}
}

// Read-only, numbers are masked wherever the chat shows them.
func TestChatMasksNumbersReadOnly(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 60, Options{ReadOnly: true})
	openOps(t, m)
	s := screen(m)
	requireContains(t, s, "10:07 +33•••••••78 [video", "Lee Park (+44••••••••89)", "11:10 +33•••••••78 left")
	requireNotContains(t, s, "33612345678", "447700900789")
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KB", 245760: "240 KB", 3355443: "3.2 MB", 5 << 30: "5.0 GB"} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// trimmed drops the spaces that pad each line of a screen, so a test can
// look for text that spans lines.
func trimmed(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// An author the page gives no name for is named as the chat list names
// their one-to-one chat: the account's name for them.
func TestChatNamesAuthorsFromTheChatList(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	for i, mm := range f.messages["alpha/"+opsChat] {
		if mm.Author == samID {
			f.messages["alpha/"+opsChat][i].AuthorName = ""
		}
	}
	m, _ := newTestModel(t, f, 120, 60, Options{})
	openOps(t, m)
	requireContains(t, screen(m), "10:41 Sam Ortega ETA 11:45 now", "│ Sam Ortega: Van 3 is loaded")
}

// A quote names its author by the name it carries: the quote's author id
// may be a phone number the chat knows only under the author's LID.
func TestQuoteNamesItsAuthorByTheNameItCarries(t *testing.T) {
	p := people{names: map[string]string{}, me: "15550123456"}
	for _, c := range []struct {
		q    session.QuotedMessage
		want string
	}{
		{session.QuotedMessage{Author: "15550100001@c.us", AuthorName: "Alice Martin"}, "Alice Martin"},
		{session.QuotedMessage{Author: "15550100001@c.us"}, "+15550100001"},
		{session.QuotedMessage{Author: "15550123456@c.us", AuthorName: "Me"}, "you"},
	} {
		if got := p.quoted(c.q); got != c.want {
			t.Errorf("quoted(%+v) = %q, want %q", c.q, got, c.want)
		}
	}
}
