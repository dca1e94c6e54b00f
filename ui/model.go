package ui

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/keymap"
	"github.com/waconsole/waconsole/session"
)

// pageKind names the screens of the view stack.
type pageKind int

const (
	pageSessions pageKind = iota
	pageDetail
	pagePairing
	pageChats
	pageChat
	pageQueue
)

// page is one entry of the view stack; the breadcrumbs are drawn from it.
type page struct {
	kind pageKind
	id   string // the session; empty for the sessions table
}

// Model is the console: the only tea.Model. Screens are plain structs it
// owns; it routes keys to them and draws them.
type Model struct {
	b    Backend
	opts Options
	km   keymap.KeyMap
	help help.Model

	width, height int

	sessions    map[string]session.Snapshot
	feed        <-chan session.Update
	unsubscribe func()

	stack   []page
	table   sessionsTable
	detail  detailView
	pairing pairingView
	chats   chatsView
	chat    chatView
	queue   queueView

	dialog   dialog // open modal; it gets every key
	prompt   prompt // ':' command or '/' filter line
	showHelp bool
	flash    flash
}

// tickMsg drives countdowns, "IN STATE" ages and the polled views.
type tickMsg time.Time

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// New builds the console over b. Nothing talks to b until Init's commands run.
func New(b Backend, opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	km := keymap.Default()
	km.SetReadOnly(opts.ReadOnly)
	h := help.New()
	h.Styles = styles.Help
	m := &Model{
		b:        b,
		opts:     opts,
		km:       km,
		help:     h,
		sessions: map[string]session.Snapshot{},
		stack:    []page{{kind: pageSessions}},
		chat:     newChatView(),
		prompt:   prompt{input: newInput(":", "", 40)},
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
func (m *Model) top() page { return m.stack[len(m.stack)-1] }

// current is the session the screen on display is about.
func (m *Model) current() string { return m.top().id }

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

// handleResult takes the answers of backend commands to the screens.
func (m *Model) handleResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case addedMsg:
		return m.added(msg)
	case historyMsg:
		m.detail.setHistory(msg)
	case chatsMsg:
		return m.chats.loaded(msg)
	case messagesMsg:
		return m.chat.loaded(msg)
	case sentMsg:
		return m.chat.sent(msg)
	case queueMsg:
		return m.queue.loaded(msg)
	case relistedMsg:
		m.relisted(msg)
	}
	return nil
}

// poll refreshes the views that have no live feed of their own.
func (m *Model) poll() tea.Cmd {
	switch m.top().kind {
	case pageQueue:
		return m.queue.refresh(m.b)
	}
	return nil
}

func (m *Model) resize(w, h int) {
	m.width, m.height = w, h
	m.help.SetWidth(w)
	m.prompt.input.SetWidth(max(w-4, 10))
	m.chat.resize(w, m.bodyHeight())
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
	case m.top().kind == pageChat && m.chat.composing():
		return m.composeKey(msg)
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
	}
	return m.paneKey(msg)
}

// paneKey gives the key to the screen on display. A key that only a
// read-only console refuses is explained instead of ignored.
func (m *Model) paneKey(msg tea.KeyPressMsg) tea.Cmd {
	var cmd tea.Cmd
	var handled bool
	switch m.top().kind {
	case pageSessions:
		cmd, handled = m.tableKey(msg)
	case pageDetail:
		cmd, handled = m.detailKey(msg)
	case pagePairing:
		cmd, handled = m.pairingKey(msg)
	case pageChats:
		cmd, handled = m.chatsKey(msg)
	case pageChat:
		cmd, handled = m.chatKey(msg)
	case pageQueue:
		cmd, handled = m.queueKey(msg)
	}
	if handled {
		return cmd
	}
	if b, ok := keymap.Blocked(msg, m.paneBindings()...); ok {
		return m.setFlash(warn("read-only mode: %q (%s) is disabled", b.Help().Key, b.Help().Desc))
	}
	return nil
}

// handlePaste gives pasted text to whatever input has focus.
func (m *Model) handlePaste(msg tea.PasteMsg) tea.Cmd {
	switch {
	case m.dialog != nil:
		return m.dialogMsg(msg)
	case m.prompt.active():
		return m.prompt.update(msg, m)
	case m.top().kind == pageChat && m.chat.composing():
		return m.chat.updateInput(msg)
	}
	return nil
}

// push shows a screen; a screen already on the stack is returned to
// instead, so the breadcrumbs never repeat, and a screen of another session
// starts from the sessions table.
func (m *Model) push(p page) {
	if len(m.stack) > 1 && m.stack[1].id != p.id {
		m.stack = m.stack[:1]
	}
	for i, q := range m.stack {
		if q.kind == p.kind && i > 0 {
			m.stack = m.stack[:i]
			break
		}
	}
	m.stack = append(m.stack, p)
	m.showHelp = false
}

// back clears a filter first, then leaves the screen.
func (m *Model) back() {
	switch top := m.top().kind; {
	case top == pageSessions && m.table.filter != "":
		m.table.filter = ""
	case top == pageChats && m.chats.filter != "":
		m.chats.filter = ""
	case len(m.stack) > 1:
		m.stack = m.stack[:len(m.stack)-1]
	}
}
