package ui

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

const (
	chatPage  = 50   // messages per page fetched from the phone
	chatLimit = 1000 // messages kept; older ones are fetched again on scroll
)

// chatLine is one message; job is set while it is still in the outbox.
// drawn caches its formatted lines at width drawnW, so a burst formats
// only the new messages; a change replaces the line or clears drawn.
type chatLine struct {
	msg    session.Message
	job    *session.Job
	drawn  []string
	drawnW int
}

// chatView is one open chat: its messages (oldest first) in a viewport that
// follows the feed, and the compose line.
type chatView struct {
	id, chatID, name string
	lines            []chatLine
	known            map[string]bool // message ids in lines
	vp               viewport.Model
	input            textinput.Model
	inputErr         string
	loading          bool // a page is being fetched
	noOlder          bool // the phone has nothing older
	dirty            bool // lines changed since the viewport was filled
}

type messagesMsg struct {
	id, chatID, before string
	msgs               []session.Message
	err                error
}

type sentMsg struct {
	id, chatID, body string
	job              session.Job
	err              error
}

func newChatView() *chatView {
	return &chatView{vp: viewport.New(), input: newInput("> ", "type a message", 20), known: map[string]bool{}}
}

func (m *Model) openChat(id string, ch session.Chat) tea.Cmd {
	name := ch.Name
	if name == "" {
		name = ch.ID
	}
	c := newChatView()
	c.id, c.chatID, c.name, c.loading = id, ch.ID, name, true
	c.resize(m.width, m.bodyHeight())
	m.push(c)
	return loadMessages(m.b, id, ch.ID, "")
}

// showsChat is whether the screen on display is that chat.
func showsChat(m *Model, id, chatID string) bool {
	c, ok := m.top().(*chatView)
	return ok && c.id == id && c.chatID == chatID
}

func (c *chatView) crumb() string     { return c.name }
func (c *chatView) sessionID() string { return c.id }

// shortKeys while composing are the compose line's alone.
func (c *chatView) shortKeys(m *Model) []key.Binding {
	if c.composing() {
		return []key.Binding{m.km.Chat.Send, withDesc(m.km.Global.Back, "stop writing"), m.km.Global.ForceQuit}
	}
	return []key.Binding{m.km.Chat.Compose, m.km.Nav.Up, m.km.Nav.Down}
}

func (c *chatView) allKeys(m *Model) []key.Binding { return m.km.Chat.Bindings() }

func (c *chatView) typing() bool { return c.composing() }

func (c *chatView) paste(msg tea.PasteMsg) tea.Cmd { return c.updateInput(msg) }

func (c *chatView) receive(_ *Model, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case messagesMsg:
		return c.loaded(msg), true
	case sentMsg:
		return c.sent(msg), true
	}
	return nil, false
}

// feed follows the outbox jobs of our messages, and the messages of this
// chat while it is on display; a chat left is loaded afresh when opened
// again.
func (c *chatView) feed(m *Model, batch []session.Update) {
	for _, u := range batch {
		if u.Job != nil && u.Session == c.id {
			c.jobChanged(*u.Job)
		}
		if u.Message != nil && showsChat(m, u.Session, u.Message.Chat) {
			c.upsert(*u.Message)
		}
	}
	c.rebuild()
}

func loadMessages(b session.Runtime, id, chatID, before string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := pageCtx()
		defer cancel()
		msgs, err := b.Messages(ctx, id, chatID, before, chatPage)
		return messagesMsg{id: id, chatID: chatID, before: before, msgs: msgs, err: err}
	}
}

func (c *chatView) composing() bool { return c.input.Focused() }

func (c *chatView) resize(w, h int) {
	c.vp.SetWidth(w)
	c.vp.SetHeight(max(h-4, 1))
	c.input.SetWidth(max(w-4, 10))
	c.dirty = true
	c.rebuild()
}

// loaded takes a page: the newest one on open, an older one on scroll.
func (c *chatView) loaded(msg messagesMsg) tea.Cmd {
	if msg.id != c.id || msg.chatID != c.chatID {
		return nil
	}
	c.loading = false
	if msg.err != nil {
		return report(failed(msg.err, "could not read the messages of %s", c.name))
	}
	if msg.before != "" && len(msg.msgs) == 0 {
		c.noOlder = true
		return nil
	}
	var older []chatLine
	for _, mm := range msg.msgs {
		if !c.known[mm.ID] {
			c.known[mm.ID] = true
			older = append(older, chatLine{msg: mm})
		}
	}
	total, y := c.vp.TotalLineCount(), c.vp.YOffset()
	c.lines = append(older, c.lines...)
	c.dirty = true
	c.rebuild()
	if msg.before != "" { // keep the message on screen where it was
		c.vp.SetYOffset(y + c.vp.TotalLineCount() - total)
	}
	return nil
}

// upsert applies a message of the feed: a changed ack updates its line, a
// new message is added in time order.
func (c *chatView) upsert(mm session.Message) {
	c.dirty = true
	if c.known[mm.ID] {
		for i := len(c.lines) - 1; i >= 0; i-- {
			if c.lines[i].msg.ID == mm.ID {
				c.lines[i] = chatLine{msg: mm}
				return
			}
		}
	}
	n := len(c.lines)
	if n > 0 && mm.Time.Before(c.lines[0].msg.Time) && !c.noOlder {
		return // older than what is loaded: scrolling up fetches it
	}
	c.known[mm.ID] = true
	i := n
	for i > 0 && mm.Time.Before(c.lines[i-1].msg.Time) {
		i--
	}
	c.lines = slices.Insert(c.lines, i, chatLine{msg: mm})
}

// rebuild refills the viewport once per change batch, and keeps following
// the newest message if the operator was looking at it. A burst beyond
// chatLimit drops the oldest messages here, once per batch.
func (c *chatView) rebuild() {
	if !c.dirty || c.vp.Width() == 0 {
		return
	}
	c.dirty = false
	if drop := len(c.lines) - chatLimit; drop > 0 {
		for _, l := range c.lines[:drop] {
			delete(c.known, l.msg.ID)
		}
		c.lines = slices.Delete(c.lines, 0, drop)
		c.noOlder = false
	}
	follow := c.vp.AtBottom()
	var out []string
	day := ""
	w := c.vp.Width()
	for i := range c.lines {
		l := &c.lines[i]
		if d := l.msg.Time.Format("Mon, Jan 2 2006"); d != day {
			day = d
			out = append(out, styles.Subtle.Render("── "+d+" ──"))
		}
		if l.drawn == nil || l.drawnW != w {
			l.drawn, l.drawnW = c.format(*l), w
		}
		out = append(out, l.drawn...)
	}
	c.vp.SetContentLines(out)
	if follow {
		c.vp.GotoBottom()
	}
}

// format draws one message: time, author, body wrapped under itself, and
// for our own messages where they stand (queue state, then ticks).
func (c *chatView) format(l chatLine) []string {
	who := styles.MsgIn.Render(joinNonEmpty(" ", l.msg.Author, c.nameIfDirect(l.msg)))
	if l.msg.FromMe {
		who = styles.MsgOut.Render("you")
	}
	head := styles.Subtle.Render(l.msg.Time.Format("15:04")) + " " + who + " "
	text := l.msg.Body
	if l.msg.FromMe {
		text += "  " + status(l)
	}
	const indent = 6
	lines := strings.Split(wrap(head+text, max(c.vp.Width()-indent, 10)), "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] = strings.Repeat(" ", indent) + lines[i]
	}
	return lines
}

// nameIfDirect names the other side in a one-to-one chat; groups carry
// the author instead.
func (c *chatView) nameIfDirect(mm session.Message) string {
	if mm.Author != "" {
		return ""
	}
	return c.name
}

// status says where one of our messages stands.
func status(l chatLine) string {
	if j := l.job; j != nil {
		switch j.State {
		case session.JobDead:
			return styles.Error.Render("✗ not sent: " + j.LastError)
		case session.JobRetrying:
			return styles.Warn.Render("↻ retrying (attempt " + strconv.Itoa(j.Attempts) + "): " + j.LastError)
		case session.JobHeld:
			return styles.Warn.Render("⏸ held: " + j.HoldReason)
		case session.JobSending:
			return styles.Ticks.Render("sending…")
		}
		return styles.Ticks.Render("queued")
	}
	switch l.msg.Ack {
	case session.AckError:
		return styles.Error.Render("✗ error")
	case session.AckPending:
		return styles.Ticks.Render("◷")
	case session.AckServer:
		return styles.Ticks.Render("✓")
	case session.AckDevice:
		return styles.Ticks.Render("✓✓")
	}
	return styles.TickRead.Render("✓✓") // read or played
}

func (c *chatView) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if c.composing() {
		return c.composeKey(m, msg), true
	}
	n := m.km.Nav
	switch {
	case key.Matches(msg, m.km.Chat.Compose):
		return c.input.Focus(), true
	case key.Matches(msg, n.Up):
		c.vp.ScrollUp(1)
	case key.Matches(msg, n.Down):
		c.vp.ScrollDown(1)
	case key.Matches(msg, n.PageUp):
		c.vp.PageUp()
	case key.Matches(msg, n.PageDown):
		c.vp.PageDown()
	case key.Matches(msg, n.Top):
		c.vp.GotoTop()
	case key.Matches(msg, n.Bottom):
		c.vp.GotoBottom()
	default:
		return nil, false
	}
	if c.vp.AtTop() && !c.loading && !c.noOlder && len(c.lines) > 0 {
		c.loading = true
		return loadMessages(m.b, c.id, c.chatID, c.lines[0].msg.ID), true
	}
	return nil, true
}

// composeKey edits and sends; esc leaves the compose line.
func (c *chatView) composeKey(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.km.Global.Back):
		c.input.Blur()
		return nil
	case key.Matches(msg, m.km.Chat.Send):
		body := c.input.Value()
		if err := session.ValidateText(body); err != nil {
			c.inputErr = err.Error()
			return nil
		}
		c.inputErr = ""
		c.input.Reset()
		b, id, chat := m.b, c.id, c.chatID
		return func() tea.Msg {
			ctx, cancel := pageCtx()
			defer cancel()
			job, err := b.Send(ctx, id, chat, body)
			return sentMsg{id: id, chatID: chat, body: body, job: job, err: err}
		}
	}
	return c.updateInput(msg)
}

func (c *chatView) updateInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	return cmd
}

// failure says a send was refused; it is said even when the chat was left.
func (msg sentMsg) failure() flashMsg { return failed(msg.err, "could not queue the message") }

// sent shows a queued message at once; on error the text comes back.
func (c *chatView) sent(msg sentMsg) tea.Cmd {
	if msg.id != c.id || msg.chatID != c.chatID {
		return nil
	}
	if msg.err != nil {
		c.inputErr = msg.err.Error()
		if c.input.Value() == "" {
			c.input.SetValue(msg.body)
		}
		return report(msg.failure())
	}
	if c.known[msg.job.MsgID] {
		return nil // the page reported it already
	}
	j := msg.job
	c.known[j.MsgID] = true
	c.lines = append(c.lines, chatLine{
		msg: session.Message{ID: j.MsgID, Chat: j.ChatID, FromMe: true, Body: j.Body, Time: j.Created},
		job: &j,
	})
	c.dirty = true
	c.vp.GotoBottom()
	c.rebuild()
	return nil
}

// jobChanged shows where one of our messages is in the outbox, until the
// page reports it.
func (c *chatView) jobChanged(j session.Job) {
	for i, l := range c.lines {
		if l.job != nil && l.job.MsgID == j.MsgID && l.job.State != j.State {
			c.lines[i].job, c.lines[i].drawn = &j, nil
			c.dirty = true
		}
	}
}

func (c *chatView) view(m *Model, w, h int) string {
	c.rebuild()
	s := m.sessions[c.id]
	title := styles.Heading.Render(c.name) + styles.Subtle.Render(" "+c.chatID+" · "+c.id+" ") + stateText(s.State)
	note := ""
	switch {
	case c.loading && len(c.lines) == 0:
		note = styles.Hint.Render("Loading messages from the phone…")
	case s.State != session.Ready:
		note = styles.Warn.Render(c.id + " is " + string(s.State) + ": sending waits until the session is READY; messages stay queued.")
	case len(c.lines) == 0:
		note = styles.Hint.Render("No messages in this chat yet.")
	case c.loading:
		note = styles.Hint.Render("Loading older messages…")
	}
	compose := c.input.View()
	hint := styles.FieldError.Render(c.inputErr)
	switch {
	case !c.composing():
		compose = styles.Hint.Render("i or tab: write a message")
	case c.inputErr == "":
		hint = styles.Hint.Render("enter sends · esc leaves the compose line")
	}
	return strings.Join([]string{
		trunc(title, w),
		fit(c.vp.View(), w, max(h-4, 1)),
		trunc(note, w),
		compose,
		trunc(hint, w),
	}, "\n")
}
