package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
)

// ShortHelp is the help line: the keys of what has focus now.
func (m *Model) ShortHelp() []key.Binding {
	g, d := m.km.Global, m.km.Dialog
	switch {
	case m.dialog != nil, m.prompt.active():
		return []key.Binding{d.Submit, d.Cancel}
	case m.showHelp:
		return []key.Binding{withDesc(g.Help, "close help"), g.Quit}
	case m.top().kind == pageChat && m.chat.composing():
		return []key.Binding{m.km.Chat.Send, withDesc(g.Back, "stop writing"), g.ForceQuit}
	}
	var bs []key.Binding
	t := m.km.Table
	switch m.top().kind {
	case pageSessions:
		bs = []key.Binding{t.Open, t.Add, t.Start, t.Stop, t.Chats, t.Queue, g.Filter, g.Command}
	case pageDetail:
		bs = []key.Binding{m.km.Detail.Pair, t.Chats, t.Queue, t.Start, t.Stop, t.Restart}
	case pagePairing:
		bs = m.pairingBindings(m.sessions[m.current()].State)
	case pageChats:
		bs = []key.Binding{m.km.Chats.Open, m.km.Chats.Reload, g.Filter}
	case pageChat:
		bs = []key.Binding{m.km.Chat.Compose, m.km.Nav.Up, m.km.Nav.Down}
	case pageQueue:
		bs = []key.Binding{m.km.Queue.Inspect, m.km.Queue.Retry, m.km.Queue.Discard, m.km.Queue.Pause, m.km.Queue.Edit}
	}
	if len(m.stack) > 1 {
		bs = append(bs, g.Back)
	}
	return append(bs, g.Help, g.Quit)
}

// FullHelp is the help page: the screen's keys, then moving, then the
// keys that work everywhere.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{m.paneBindings(), m.km.Nav.Bindings(), m.km.Global.Bindings()}
}

// paneBindings are every key of the screen on display.
func (m *Model) paneBindings() []key.Binding {
	switch m.top().kind {
	case pageDetail:
		t := m.km.Table
		return []key.Binding{m.km.Detail.Pair, t.Chats, t.Queue, t.Start, t.Stop, t.Restart, t.Logout, t.Delete}
	case pagePairing:
		return m.km.Pairing.Bindings()
	case pageChats:
		return m.km.Chats.Bindings()
	case pageChat:
		return m.km.Chat.Bindings()
	case pageQueue:
		return m.km.Queue.Bindings()
	}
	return m.km.Table.Bindings()
}

// withDesc is b with another description, for help that depends on context.
func withDesc(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// renderHelp is the help page, which ? (or esc) closes.
func (m *Model) renderHelp(w, h int) string {
	keys := m.help.FullHelpView(m.FullHelp())
	notes := []string{
		styles.Heading.Render("Keys"),
		keys,
		"",
		styles.Heading.Render("Commands (type : first)"),
		wrap(commandHelp, w),
		"",
		styles.Heading.Render("Filter (type / first)"),
		wrap("Text or a regular expression, case-insensitive, over id, state and phone (name and id in the chat list); a leading ! inverts it; esc clears it.", w),
	}
	if m.opts.ReadOnly {
		notes = append(notes, "", styles.Badge.Render("Read-only mode: the destructive keys (stop, restart, logout, delete, discard) are disabled and hidden."))
	}
	return fit(strings.Join(notes, "\n"), w, h)
}
