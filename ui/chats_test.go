package ui

import (
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
