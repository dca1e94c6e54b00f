package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// ShortHelp is the help line: the keys of what has focus now.
func (m *Model) ShortHelp() []key.Binding {
	g, d := m.km.Global, m.km.Dialog
	switch {
	case m.dialog != nil, m.prompt.active():
		return []key.Binding{d.Submit, d.Cancel}
	case m.showHelp:
		return []key.Binding{withDesc(g.Help, "close help"), g.Quit}
	case m.typing():
		return m.top().shortKeys(m)
	}
	bs := m.top().shortKeys(m)
	if len(m.stack) > 1 {
		bs = append(bs, g.Back)
	}
	return append(bs, g.Help, g.Quit)
}

// FullHelp is the help page: the screen's keys, then moving, then the
// keys that work everywhere.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{m.top().allKeys(m), m.km.Nav.Bindings(), m.km.Global.Bindings()}
}

// withDesc is b with another description, for help that depends on context.
func withDesc(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// renderHelp is the help page, which ? (or esc) closes. The commands take
// one line each, or one paragraph when the terminal is too short for that,
// and then the blank lines between the parts go too.
func (m *Model) renderHelp(w, h int) string {
	page := m.helpPage(commandList(), w, "\n\n")
	if lipgloss.Height(page) > h {
		page = m.helpPage(commandHelp(), w, "\n\n")
	}
	if lipgloss.Height(page) > h {
		page = m.helpPage(commandHelp(), w, "\n")
	}
	return fit(page, w, h)
}

// helpPage joins the page's parts with sep.
func (m *Model) helpPage(commands string, w int, sep string) string {
	parts := []string{
		styles.Heading.Render("Keys") + "\n" + m.help.FullHelpView(m.FullHelp()),
		styles.Heading.Render("Commands (type : first)") + "\n" + wrap(commands, w),
		styles.Heading.Render("Filter (type / first)") + "\n" +
			wrap("Text or a regular expression, case-insensitive, over id, state and phone (name and id in the chat list, what a message shows in a chat); a leading ! inverts it; esc clears it.", w),
	}
	if m.opts.ReadOnly {
		parts = append(parts, styles.Badge.Render(wrap("Read-only mode: these keys are disabled and hidden: "+strings.Join(m.km.ReadOnlyActions(), ", ")+".", w)))
	}
	return strings.Join(parts, sep)
}
