package ui

import (
	"slices"
	"strings"
	"testing"
)

// The chat list names chats, sizes groups, marks muted, archived and
// marked-unread chats.
func TestChatsShowNamesSizesAndMarks(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	press(t, m, "c")
	s := screen(m)
	row := func(name string) string {
		for _, l := range strings.Split(s, "\n") {
			if strings.Contains(l, name) {
				return strings.Join(strings.Fields(l), " ")
			}
		}
		t.Fatalf("no row for %q:\n%s", name, s)
		return ""
	}
	for name, want := range map[string]string{
		"Ops on call":    "Ops on call " + opsChat + " 14 3 muted",
		"Sam Ortega":     "Sam Ortega " + samID + " • ",
		"+447700900999":  "+447700900999 447700900999@c.us 0 archived",
		"Dana Whitfield": "Dana Whitfield " + danaID + " 0 ",
	} {
		if got := row(name); !strings.HasPrefix(got, want) {
			t.Errorf("row %q = %q, want it to start %q", name, got, want)
		}
	}
}

// Read-only, the filter sees numbers only as they are shown (masked):
// typing a number's hidden digits finds nothing, in the chat list and in a
// chat, while its shown digits still find it.
func TestFilterReadOnlyMatchesOnlyMaskedNumbers(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{ReadOnly: true})
	press(t, m, "c")
	chats := paneOf[*chatsView](t, m)
	filter := func(term string) {
		t.Helper()
		press(t, m, "/")
		typeText(t, m, term)
		press(t, m, "enter")
	}
	filter("7700")
	if rows := chats.visible(m.tableRows()); len(rows) != 0 {
		t.Fatalf("filter 7700 found %d chats by their hidden digits", len(rows))
	}
	press(t, m, "esc")
	filter("99@")
	if rows := chats.visible(m.tableRows()); len(rows) != 1 || rows[0].ID != "447700900999@c.us" {
		t.Fatalf("filter 99@ shows %v, want the chat whose masked id ends so", rows)
	}
	press(t, m, "esc")

	openOps(t, m)
	c := paneOf[*chatView](t, m)
	filter("612345") // the hidden digits of strayID, who wrote G04
	if len(c.shown) != 0 {
		t.Fatalf("filter 612345 shows %d messages", len(c.shown))
	}
	press(t, m, "esc")
	filter("33•+78")
	if !slices.ContainsFunc(c.shown, func(i int) bool { return c.lines[i].msg.ID == "G04" }) {
		t.Fatalf("filter on the masked author does not show G04 (%d messages shown)", len(c.shown))
	}
}
