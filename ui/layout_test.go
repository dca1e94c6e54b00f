package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestEveryScreenFits walks every screen and dialog at several sizes: the
// view must be exactly the terminal's height and no line wider than it, or
// the terminal wraps and the layout tears.
func TestEveryScreenFits(t *testing.T) {
	steps := []struct {
		name string
		keys []string
	}{
		{"sessions", nil},
		{"help", []string{"?"}},
		{"add", []string{"n", "tab", "right", "enter"}},
		{"filter", []string{"/", "a"}},
		{"command", []string{":", "q"}},
		{"confirm", []string{"D"}},
		{"detail", []string{"enter"}},
		{"chats", []string{"c"}},
		{"chat", []string{"c", "down", "enter", "i"}},
		{"queue", []string{"u"}},
		{"pacing", []string{"u", "e"}},
		{"job", []string{"u", "enter"}},
		{"qr", []string{"down", "enter"}},
		{"linkphone", []string{"down", "enter", "l"}},
		{"linkcode", []string{"down", "down", "enter"}},
		{"failed", []string{"down", "down", "down", "down", "enter", "p"}},
	}
	for _, sz := range [][2]int{{80, 24}, {100, 40}, {120, 40}, {64, 31}, {60, 20}, {40, 10}, {200, 60}} {
		for _, st := range steps {
			t.Run(fmt.Sprintf("%s/%dx%d", st.name, sz[0], sz[1]), func(t *testing.T) {
				f := newFake(fixedNow)
				fixture(f)
				chatFixture(f)
				m, _ := newTestModel(t, f, sz[0], sz[1], Options{Title: "waconsole demo · sim http://127.0.0.1:40123"})
				press(t, m, st.keys...)
				lines := strings.Split(m.View().Content, "\n")
				if len(lines) != sz[1] {
					t.Fatalf("%d lines on a %d-line terminal:\n%s", len(lines), sz[1], screen(m))
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > sz[0] {
						t.Fatalf("line %d is %d cells on a %d-column terminal: %q", i, w, sz[0], ansi.Strip(l))
					}
				}
			})
		}
	}
}
