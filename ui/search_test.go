package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/waconsole/waconsole/session"
)

// runLine types a ':' command line and runs it.
func runLine(t *testing.T, m *Model, line string) {
	t.Helper()
	press(t, m, ":")
	typeText(t, m, line)
	press(t, m, "enter")
}

// :search lists the session's stored messages that hold the text; enter
// opens the chat at the hit, fetching older pages until it is loaded.
func TestSearchOpensTheChatAtTheHit(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	longChat(f, 120)
	f.messages["alpha/"+dana][5].Body = "Pallet count is 42"
	for _, mm := range f.messages["alpha/"+dana] {
		f.InboxOf["alpha"] = append(f.InboxOf["alpha"], session.InboundMessage{Session: "alpha", ID: mm.ID, Chat: dana, Body: mm.Body, Time: mm.Time})
	}
	m, _ := newTestModel(t, f, 120, 40, Options{})
	runLine(t, m, "search pallet")
	if !slices.ContainsFunc(f.called(), func(c string) bool { return strings.HasPrefix(c, "Search alpha pallet") }) {
		t.Fatalf("no Search call: %q", f.called())
	}
	requireContains(t, screen(m), `Search "pallet" in alpha  1 hit, newest first`, "Dana Whitfield", "Mar 1 10:05", "Pallet count is 42")

	press(t, m, "enter")
	requireCalls(t, f, `Messages alpha `+dana+` "" 50`, `Messages alpha `+dana+` "M070" 50`, `Messages alpha `+dana+` "M020" 50`)
	c := paneOf[*chatView](t, m)
	if mm, _ := c.selected(); mm.ID != "M005" || where(m) != "Dana Whitfield alpha" {
		t.Fatalf("enter opened %s with %s selected, want Dana's chat at M005", where(m), mm.ID)
	}
	requireContains(t, screen(m), "Pallet count is 42")
}

// A search from a chat covers its session; no text is explained.
func TestSearchNeedsText(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	openOps(t, m)
	runLine(t, m, "search")
	requireContains(t, screen(m), "usage: :search TEXT")
	requireNoCall(t, f, "Search")
	runLine(t, m, "find nothing like this")
	requireContains(t, screen(m), `Search "nothing like this" in alpha`, "No stored message holds this text")
}

func TestSearchHighlightsTheMatch(t *testing.T) {
	hl := highlighter("PAL")
	got := hl("the pallet and the pal")
	if ansi.Strip(got) != "the pallet and the pal" || strings.Count(got, "\x1b[") < 4 {
		t.Fatalf("highlighter marked %q", got)
	}
}

// / filters the open chat by what its messages show; esc clears it.
func TestChatFilter(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	openOps(t, m)
	press(t, m, "/")
	typeText(t, m, "manifest")
	press(t, m, "enter")
	s := screen(m)
	requireContains(t, s, "filter /manifest/ shows 1 of 19", "[document · manifest-0301.pdf")
	requireNotContains(t, s, "Lunch order?", "Van 3")
	if mm, _ := paneOf[*chatView](t, m).selected(); mm.ID != "G07" {
		t.Fatalf("the filtered chat selects %s, want G07", mm.ID)
	}
	press(t, m, "esc")
	requireContains(t, screen(m), "Lunch order?")
	if where(m) != "Ops on call alpha" {
		t.Fatalf("esc left the chat for %s instead of clearing the filter", where(m))
	}
}
