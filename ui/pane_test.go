package ui

import (
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

// probe is a screen that only this test knows: it proves that a new
// screen needs its own type and one command row, and nothing in the root.
type probe struct {
	id     string
	filter string
	zaps   int
	polls  int
	fed    int
}

var zap = key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "zap"))

func (p *probe) crumb() string                  { return "probe" }
func (p *probe) sessionID() string              { return p.id }
func (p *probe) shortKeys(*Model) []key.Binding { return []key.Binding{zap} }
func (p *probe) allKeys(*Model) []key.Binding   { return []key.Binding{zap} }
func (p *probe) view(_ *Model, _, _ int) string {
	return "probe of " + p.id + " filtered by " + p.filter
}
func (p *probe) poll(*Model) tea.Cmd               { p.polls++; return nil }
func (p *probe) feed(_ *Model, b []session.Update) { p.fed += len(b) }
func (p *probe) filterTerm() string                { return p.filter }
func (p *probe) setFilter(term string)             { p.filter = term }
func (p *probe) update(_ *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if key.Matches(msg, zap) {
		p.zaps++
		return nil, true
	}
	return nil, false
}

func TestNewScreenNeedsOneCommandRow(t *testing.T) {
	saved := commands
	t.Cleanup(func() { commands = saved })
	commands = append(commands[:len(commands):len(commands)], command{name: "probe", aliases: []string{"pr"}, args: "[ID]",
		help: "a test screen", run: forSession("probe", func(m *Model, id string) tea.Cmd { m.push(&probe{id: id}); return nil })})

	f := newFake(fixedNow)
	fixture(f)
	m, ch := newTestModel(t, f, 120, 40, Options{})
	press(t, m, ":")
	typeText(t, m, "pr alpha")
	press(t, m, "enter")
	p := paneOf[*probe](t, m)
	requireContains(t, screen(m), "sessions > alpha > probe", "probe of alpha", "z zap", "esc back")

	press(t, m, "z")
	m.Update(tickMsg(t0))
	f.change("alpha", func(s *session.Snapshot) { s.Reason = "x" })
	feed(t, m, ch)
	if p.zaps != 1 || p.polls != 1 || p.fed != 1 {
		t.Fatalf("zaps %d, polls %d, fed %d: the root did not route to the new screen", p.zaps, p.polls, p.fed)
	}

	press(t, m, "/")
	typeText(t, m, "abc")
	press(t, m, "enter")
	requireContains(t, screen(m), "filtered by abc")
	press(t, m, "esc")
	if p.filter != "" || where(m) != "probe alpha" {
		t.Fatalf("esc left %s with filter %q; it should clear the filter first", where(m), p.filter)
	}
	press(t, m, "?")
	requireContains(t, screen(m), "zap", ":probe [ID]", ":pr", "a test screen")
	press(t, m, "?", "esc")
	if where(m) != "sessions" {
		t.Fatalf("esc went to %s, want the sessions", where(m))
	}
}
