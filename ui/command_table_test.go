package ui

import (
	"regexp"
	"strings"
	"testing"
)

// TestCommandHelpListsEveryAlias: every word the parser accepts is on the
// help page, and the words the console has always accepted still work.
func TestCommandHelpListsEveryAlias(t *testing.T) {
	// 200 × 60 lists one command a line; 80 × 24 only has room for a
	// paragraph, also in read-only mode with its note at the end.
	for _, sz := range [][2]int{{200, 60}, {80, 24}} {
		f := newFake(fixedNow)
		fixture(f)
		m, _ := newTestModel(t, f, sz[0], sz[1], Options{ReadOnly: true})
		press(t, m, "?")
		help := strings.Join(strings.Fields(screen(m)), " ")
		requireContains(t, help, "Read-only mode")
		for _, w := range commandWords() {
			if _, ok := lookupCommand(w); !ok {
				t.Errorf("the parser refuses :%s, which the table offers", w)
			}
			if !regexp.MustCompile(`(^|[\s(]):` + regexp.QuoteMeta(w) + `([\s)]|$)`).MatchString(help) {
				t.Errorf("at %dx%d the help page does not list :%s:\n%s", sz[0], sz[1], w, screen(m))
			}
		}
	}
	for _, w := range []string{"q", "quit", "exit", "q!", "s", "sessions", "session", "help", "h",
		"chats", "chat", "c", "queue", "u", "outbox", "add", "a", "QUIT"} {
		if _, ok := lookupCommand(w); !ok {
			t.Errorf("the parser no longer accepts :%s", w)
		}
	}
}

func TestCommandCompletion(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	press(t, m, ":")
	typeText(t, m, "ou")
	press(t, m, "tab")
	if v := m.prompt.input.Value(); v != "outbox" {
		t.Fatalf("tab completed :ou to %q, want outbox", v)
	}
	press(t, m, "enter")
	if where(m) != "queue alpha" {
		t.Fatalf(":outbox opened %s", where(m))
	}
	press(t, m, ":")
	typeText(t, m, "se")
	press(t, m, "tab")
	if v := m.prompt.input.Value(); v != "sessions" {
		t.Fatalf("tab completed :se to %q, want the name before the alias", v)
	}
	press(t, m, "enter")

	// A filter is free text: tab completes nothing there.
	press(t, m, "/")
	typeText(t, m, "qu")
	press(t, m, "tab")
	if v := m.prompt.input.Value(); v != "qu" {
		t.Fatalf("tab changed the filter to %q", v)
	}
}
