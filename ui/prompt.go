package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

type promptMode int

const (
	promptNone promptMode = iota
	promptCommand
	promptFilter
)

// prompt is the k9s-style line at the bottom: ':' runs a command, '/'
// filters the list on display as it is typed.
type prompt struct {
	mode    promptMode
	input   textinput.Model
	history []string // commands run, oldest first
	hpos    int
}

func newPrompt() prompt {
	in := newInput(":", "", 40)
	in.ShowSuggestions = true
	// up and down walk the history; tab takes the completion.
	in.KeyMap.NextSuggestion.SetKeys("ctrl+n")
	in.KeyMap.PrevSuggestion.SetKeys("ctrl+p")
	return prompt{input: in}
}

func (p *prompt) active() bool { return p.mode != promptNone }

func (p *prompt) open(mode promptMode, value string) tea.Cmd {
	p.mode = mode
	prefix := ":"
	if mode == promptFilter {
		prefix = "/"
	}
	p.input.Prompt = prefix
	p.input.SetValue(value)
	p.input.CursorEnd()
	var words []string // a filter completes nothing
	if mode == promptCommand {
		words = commandWords()
	}
	p.input.SetSuggestions(words)
	p.hpos = len(p.history)
	return p.input.Focus()
}

func (p *prompt) close() {
	p.mode = promptNone
	p.input.Blur()
}

func (p *prompt) view(w int) string { return trunc(p.input.View(), w) }

// update edits the line; a filter applies at every keystroke.
func (p *prompt) update(msg tea.Msg, m *Model) tea.Cmd {
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if p.mode == promptFilter {
		m.setFilter(p.input.Value())
	}
	return cmd
}

func (m *Model) openFilter() tea.Cmd {
	if f, ok := m.top().(filterable); ok {
		return m.prompt.open(promptFilter, f.filterTerm())
	}
	return m.setFlash(warn("nothing to filter here: / filters the sessions table, the chat list and a chat"))
}

func (m *Model) setFilter(v string) {
	if f, ok := m.top().(filterable); ok {
		f.setFilter(v)
	}
}

func (m *Model) promptKey(msg tea.KeyPressMsg) tea.Cmd {
	p, d := &m.prompt, m.km.Dialog
	switch {
	case key.Matches(msg, d.Cancel):
		if p.mode == promptFilter {
			m.setFilter("")
		}
		p.close()
	case key.Matches(msg, d.Submit):
		mode, line := p.mode, strings.TrimSpace(p.input.Value())
		p.close()
		if mode == promptCommand && line != "" {
			p.history = append(p.history, line)
			return m.runCommand(line)
		}
	case p.mode == promptCommand && msg.String() == "up" && p.hpos > 0:
		p.hpos--
		p.input.SetValue(p.history[p.hpos])
		p.input.CursorEnd()
	case p.mode == promptCommand && msg.String() == "down" && p.hpos < len(p.history):
		p.hpos++
		v := "" // past the newest: a blank line
		if p.hpos < len(p.history) {
			v = p.history[p.hpos]
		}
		p.input.SetValue(v)
		p.input.CursorEnd()
	default:
		return p.update(msg, m)
	}
	return nil
}

// runCommand runs one ':' command line.
func (m *Model) runCommand(line string) tea.Cmd {
	args := strings.Fields(strings.TrimPrefix(line, ":"))
	if len(args) == 0 {
		return nil
	}
	c, ok := lookupCommand(args[0])
	if !ok {
		return m.setFlash(flashMsg{flashError, "unknown command :" + args[0] + ": ? lists the commands; try " + commandUsage()})
	}
	return c.run(m, args)
}

// commandTarget is the session a command names, or the one on display, or
// the one under the table's cursor.
func (m *Model) commandTarget(args []string) (string, bool) {
	if len(args) > 1 {
		_, ok := m.sessions[args[1]]
		return args[1], ok
	}
	if id := m.current(); id != "" {
		return id, true
	}
	return m.table.selectedSession(m)
}

// addCommand is ':add ID [PHONE]': a phone means a link code.
func (m *Model) addCommand(args []string) tea.Cmd {
	if len(args) == 0 || len(args) > 2 {
		return m.setFlash(warn("usage: :add ID [PHONE] (with a phone, pairing uses a link code)"))
	}
	req := session.AddRequest{ID: args[0], PairMethod: session.PairQR, Start: true}
	if err := session.ValidateID(req.ID); err != nil {
		return m.setFlash(flashMsg{flashError, err.Error()})
	}
	if len(args) == 2 {
		req.PairMethod, req.PairPhone = session.PairLink, strings.TrimPrefix(args[1], "+")
		if err := session.ValidatePhone(req.PairPhone); err != nil {
			return m.setFlash(flashMsg{flashError, err.Error()})
		}
	}
	b := m.b
	return func() tea.Msg {
		snap, err := b.Add(req)
		return addedMsg{snap: snap, err: err}
	}
}
