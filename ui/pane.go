package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

// pane is one screen of the console. The root model keeps the stack of
// panes and routes to them; a pane keeps its own state and never looks at
// which other panes exist, except through the model it is handed.
type pane interface {
	// crumb names the pane in the breadcrumbs.
	crumb() string
	// sessionID is the session the pane is about; empty for the table.
	sessionID() string
	// shortKeys are the keys that apply now, for the help line.
	shortKeys(m *Model) []key.Binding
	// allKeys are every key of the pane, for the help page and to explain
	// a key that read-only mode refuses.
	allKeys(m *Model) []key.Binding
	// update takes a key that no dialog, prompt or global binding took and
	// reports whether the pane used it.
	update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool)
	// view draws the pane in w × h cells.
	view(m *Model, w, h int) string
}

// What a pane may also do; the model asks each pane on the stack.

// poller refreshes, once a second while on top, what has no live feed.
type poller interface{ poll(m *Model) tea.Cmd }

// filterable panes narrow their list with '/'; esc clears the term first.
type filterable interface {
	filterTerm() string
	setFilter(term string)
}

// feeder takes each batch of the live feed while it is on the stack.
type feeder interface {
	feed(m *Model, batch []session.Update)
}

// receiver takes the answers of the backend calls the pane made; it
// reports whether msg was one of them.
type receiver interface {
	receive(m *Model, msg tea.Msg) (tea.Cmd, bool)
}

// resizer lays out widgets of its own when the terminal size changes.
type resizer interface{ resize(w, h int) }

// typist has a text input; while it has focus, every key but ctrl+c and
// every paste go to the pane, and its keys alone make the help line.
type typist interface {
	typing() bool
	paste(msg tea.PasteMsg) tea.Cmd
}

// fullScreen panes may take the whole terminal, without header and help
// line, when only so their content fits (the QR code on a small terminal).
type fullScreen interface {
	alone(m *Model, w, h int) (string, bool)
}
