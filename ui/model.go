package ui

import (
	"reflect"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/keymap"
	"github.com/waconsole/waconsole/session"
)

// Model is the console: the only tea.Model. It keeps the stack of panes
// (pane.go) and what they share, and routes keys and messages to them.
type Model struct {
	b    session.Runtime
	opts Options
	km   keymap.KeyMap
	help help.Model

	width, height int

	sessions    map[string]session.Snapshot
	alerts      alertSet // the open ones
	feed        <-chan session.Update
	unsubscribe func()

	stack []pane
	table *sessionsTable // the bottom of the stack, always there

	dialog   dialog // open modal; it gets every key
	prompt   prompt // ':' command or '/' filter line
	showHelp bool
	flash    flash

	readReceipts map[string]bool // sessions whose operator agreed to send read receipts
}

// tickMsg drives countdowns, "IN STATE" ages and the polled views.
type tickMsg time.Time

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// New builds the console over b. Nothing talks to b until Init's commands run.
func New(b session.Runtime, opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	km := keymap.Default()
	km.SetReadOnly(opts.ReadOnly)
	h := help.New()
	h.Styles = styles.Help
	table := &sessionsTable{}
	m := &Model{
		b:        b,
		opts:     opts,
		km:       km,
		help:     h,
		sessions: map[string]session.Snapshot{},
		alerts:   newAlertSet(false),
		stack:    []pane{table},
		table:    table,
		prompt:   newPrompt(),

		readReceipts: map[string]bool{},
	}
	if opts.Pairing != "" {
		m.openPairing(opts.Pairing)
	}
	return m
}

// Init subscribes to the live feed and starts the clock.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(subscribe(m.b), tick())
}

func (m *Model) now() time.Time { return m.opts.Now() }

// top is the screen on display.
func (m *Model) top() pane { return m.stack[len(m.stack)-1] }

// current is the session the screen on display is about.
func (m *Model) current() string { return m.top().sessionID() }

// Update is the only place state changes.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.PasteMsg:
		return m, m.handlePaste(msg)
	case subscribedMsg:
		m.feed, m.unsubscribe = msg.ch, msg.cancel
		for _, s := range msg.list {
			m.sessions[s.ID] = s
		}
		m.alerts.set(msg.alerts)
		return m, waitUpdates(m.feed)
	case updatesMsg:
		cmd := m.applyUpdates(msg.updates)
		if msg.closed {
			return m, tea.Batch(cmd, m.setFlash(flashMsg{flashError, "the live feed of the session manager ended: restart the console"}))
		}
		return m, tea.Batch(cmd, waitUpdates(m.feed))
	case tickMsg:
		return m, tea.Batch(tick(), m.poll())
	case flashMsg:
		return m, m.setFlash(msg)
	case flashExpiredMsg:
		m.flash.expire(msg)
	default:
		return m, m.handleResult(msg)
	}
	return m, nil
}

func (m *Model) setFlash(f flashMsg) tea.Cmd { return m.flash.set(f) }

// handleResult takes the answers of backend calls to the panes on the
// stack. A send whose chat was left meanwhile still reports a failure.
func (m *Model) handleResult(msg tea.Msg) tea.Cmd {
	if msg, ok := msg.(addedMsg); ok {
		return m.added(msg)
	}
	if msg, ok := msg.(webhookAddedMsg); ok {
		return m.webhookAdded(msg)
	}
	if msg, ok := msg.(readReceiptsAllowed); ok {
		m.readReceipts[msg.id] = true
		return msg.then
	}
	if msg, ok := msg.(relistedMsg); ok {
		m.relisted(msg)
		return nil
	}
	if msg, ok := msg.(alertsMsg); ok && !msg.history {
		m.alerts.set(msg)
		return nil
	}
	if msg, ok := msg.(alertAckedMsg); ok {
		return m.alertAcked(msg)
	}
	for i := len(m.stack) - 1; i >= 0; i-- {
		if r, ok := m.stack[i].(receiver); ok {
			if cmd, ok := r.receive(m, msg); ok {
				return cmd
			}
		}
	}
	if msg, ok := msg.(sentMsg); ok && msg.err != nil {
		return m.setFlash(msg.failure())
	}
	return nil
}

// poll refreshes the pane on display if it has no live feed of its own.
func (m *Model) poll() tea.Cmd {
	if p, ok := m.top().(poller); ok {
		return p.poll(m)
	}
	return nil
}

func (m *Model) resize(w, h int) {
	m.width, m.height = w, h
	m.help.SetWidth(w)
	m.prompt.input.SetWidth(max(w-4, 10))
	for _, p := range m.stack {
		if r, ok := p.(resizer); ok {
			r.resize(w, m.bodyHeight())
		}
	}
}

// bodyHeight is what the screens get: all but header, breadcrumbs, the
// flash line and the help line.
func (m *Model) bodyHeight() int { return max(m.height-4, 1) }

// quit ends the subscription, then the program.
func (m *Model) quit() tea.Cmd {
	if m.unsubscribe == nil {
		return tea.Quit
	}
	cancel := m.unsubscribe
	return tea.Batch(func() tea.Msg { cancel(); return nil }, tea.Quit)
}

// handleKey routes a key: quit, then an open dialog, then a focused input,
// then the global keys, then the screen on display.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	g := m.km.Global
	switch {
	case key.Matches(msg, g.ForceQuit):
		return m.quit()
	case m.dialog != nil:
		return m.dialogMsg(msg)
	case m.prompt.active():
		return m.promptKey(msg)
	case m.typing():
		cmd, _ := m.top().update(m, msg)
		return cmd
	case m.showHelp && key.Matches(msg, g.Help, g.Back):
		m.showHelp = false
		return nil
	case key.Matches(msg, g.Quit):
		return m.quit()
	case m.showHelp:
		return nil // the help page swallows the rest
	case key.Matches(msg, g.Help):
		m.showHelp = true
		return nil
	case key.Matches(msg, g.Command):
		return m.prompt.open(promptCommand, "")
	case key.Matches(msg, g.Filter):
		return m.openFilter()
	case key.Matches(msg, g.Back):
		m.back()
		return nil
	case key.Matches(msg, g.Alerts):
		return m.openAlerts()
	}
	return m.paneKey(msg)
}

// paneKey gives the key to the screen on display. A key that only a
// read-only console refuses is explained instead of ignored.
func (m *Model) paneKey(msg tea.KeyPressMsg) tea.Cmd {
	cmd, handled := m.top().update(m, msg)
	if handled {
		return cmd
	}
	if b, ok := keymap.Blocked(msg, m.top().allKeys(m)...); ok {
		return m.setFlash(warn("read-only mode: %q (%s) is disabled", b.Help().Key, b.Help().Desc))
	}
	return nil
}

// typing is whether the screen on display has a text input with focus.
func (m *Model) typing() bool {
	t, ok := m.top().(typist)
	return ok && t.typing()
}

// handlePaste gives pasted text to whatever input has focus.
func (m *Model) handlePaste(msg tea.PasteMsg) tea.Cmd {
	switch {
	case m.dialog != nil:
		return m.dialogMsg(msg)
	case m.prompt.active():
		return m.prompt.update(msg, m)
	case m.typing():
		return m.top().(typist).paste(msg)
	}
	return nil
}

// push shows a screen; a screen of the same type already on the stack is
// returned to instead, so the breadcrumbs never repeat, and a screen of
// another session starts from the sessions table.
func (m *Model) push(p pane) {
	if len(m.stack) > 1 && m.stack[1].sessionID() != p.sessionID() {
		m.stack = m.stack[:1]
	}
	for i, q := range m.stack {
		if i > 0 && reflect.TypeOf(q) == reflect.TypeOf(p) {
			m.stack = m.stack[:i]
			break
		}
	}
	m.stack = append(m.stack, p)
	m.showHelp = false
}

// home leaves every screen but the sessions table.
func (m *Model) home() { m.stack = m.stack[:1] }

// back clears a filter first, then leaves the screen.
func (m *Model) back() {
	if f, ok := m.top().(filterable); ok && f.filterTerm() != "" {
		f.setFilter("")
		return
	}
	if len(m.stack) > 1 {
		m.stack = m.stack[:len(m.stack)-1]
	}
}
