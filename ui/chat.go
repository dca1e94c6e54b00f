package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/waconsole/waconsole/keymap"
	"github.com/waconsole/waconsole/session"
)

const (
	chatPage  = 50   // messages per page fetched from the phone
	chatLimit = 1000 // messages kept; older ones are fetched again on scroll
	// seekPages bounds the older pages fetched to find a message, as far
	// back as chatLimit keeps.
	seekPages   = chatLimit / chatPage
	composeRows = 5 // the compose box grows to this many rows, then scrolls
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

// chatView is one open chat: its messages (oldest first) in a viewport, one
// of them selected, and the compose box. Selecting the newest follows the
// feed; a selection further up stays put and counts what arrives below.
type chatView struct {
	id, chatID, name string
	readOnly         bool
	lines            []chatLine
	known            map[string]bool // message ids in lines
	people           people
	vp               viewport.Model
	height           int // what the screen has, for the viewport and the compose box
	input            textarea.Model
	inputErr         string
	reply            *session.Message // the message the compose box answers
	loading          bool             // a page is being fetched
	loadingBefore    string           // the message that page is before; "" the newest page
	noOlder          bool             // the phone has nothing older
	noNewer          bool             // paged back past chatLimit: the newest messages were dropped
	beyond           map[string]bool  // messages that arrived after the dropped newest ones
	dirty            bool             // lines changed since the viewport was filled

	sel      string // the selected message's id; "" is the newest, following the feed
	newCount int    // messages that arrived below a selection further up
	filter   string
	shown    []int // indexes into lines of the messages the filter shows
	starts   []int // each shown message's first line in the viewport
	ends     []int // and the line after its last

	unread       int    // the chat's unread count when opened
	markedUnread bool   // the account marked it unread
	seek         string // a message to select once loaded (a search hit)
	seekUnread   bool   // select the first unread once loaded
	seekPages    int    // older pages fetched for the seek
}

type messagesMsg struct {
	id, chatID, before string
	msgs               []session.Message
	err                error
}

type sentMsg struct {
	id, chatID, body string
	quoted           *session.QuotedMessage // what the message replies to
	job              session.Job
	err              error
}

func newChatView(km keymap.Chat) *chatView {
	return &chatView{vp: viewport.New(), input: newCompose(km), known: map[string]bool{}}
}

// newCompose is the multi-line compose box: enter sends, the newline keys
// break the line, and it grows up to composeRows.
func newCompose(km keymap.Chat) textarea.Model {
	in := textarea.New()
	in.Placeholder = "type a message · alt+enter for a new line"
	in.ShowLineNumbers = false
	in.SetPromptFunc(2, func(p textarea.PromptInfo) string {
		if p.LineNumber == 0 {
			return "> "
		}
		return "  "
	})
	in.DynamicHeight, in.MinHeight, in.MaxHeight, in.MaxContentHeight = true, 1, composeRows, 1000
	in.KeyMap.InsertNewline = km.Newline
	st := textarea.DefaultDarkStyles()
	for _, s := range []*textarea.StyleState{&st.Focused, &st.Blurred} {
		// plain text in the terminal's own colours, as everywhere else
		s.CursorLine, s.Text = lipgloss.NewStyle(), lipgloss.NewStyle()
		s.Prompt, s.Placeholder = styles.Prompt, styles.Hint
	}
	st.Cursor.Blink = false
	in.SetStyles(st)
	return in
}

func (m *Model) openChat(id string, ch session.Chat) tea.Cmd { return m.openChatAt(id, ch, "") }

// openChatAt opens a chat and selects the message msgID once it is loaded,
// fetching older pages until it is found.
func (m *Model) openChatAt(id string, ch session.Chat, msgID string) tea.Cmd {
	c := newChatView(m.km.Chat)
	c.id, c.chatID, c.loading, c.readOnly = id, ch.ID, true, m.opts.ReadOnly
	c.name = chatName(ch, c.readOnly)
	c.unread, c.markedUnread, c.seek = ch.Unread, ch.MarkedUnread, msgID
	c.people = people{readOnly: c.readOnly, names: knownNames(m, id), me: m.sessions[id].Account}
	if !ch.Group {
		c.people.direct = c.name
	}
	c.resize(m.width, m.bodyHeight())
	m.push(c)
	return loadMessages(m.b, id, ch.ID, "")
}

// knownNames are the names of the session's one-to-one chats in the chat
// list: the account's names for those people, who may write in groups.
func knownNames(m *Model, id string) map[string]string {
	names := map[string]string{}
	for _, p := range m.stack {
		if l, ok := p.(*chatsView); ok && l.id == id {
			for _, ch := range l.chats {
				if !ch.Group && ch.Name != "" && ch.Name != ch.ID {
					names[ch.ID] = ch.Name
				}
			}
		}
	}
	return names
}

// showsChat is whether that chat is open: on display, or under a screen
// opened from it (its raw message).
func showsChat(m *Model, id, chatID string) bool {
	for _, p := range m.stack {
		if c, ok := p.(*chatView); ok && c.id == id && c.chatID == chatID {
			return true
		}
	}
	return false
}

func (c *chatView) crumb() string     { return c.name }
func (c *chatView) sessionID() string { return c.id }

// shortKeys while composing are the compose line's alone.
func (c *chatView) shortKeys(m *Model) []key.Binding {
	if c.composing() {
		return []key.Binding{m.km.Chat.Send, withDesc(m.km.Global.Back, "stop writing"), m.km.Global.ForceQuit}
	}
	k := m.km.Chat
	return []key.Binding{k.Compose, k.Reply, k.Raw, k.MarkRead, m.km.Global.Filter}
}

func (c *chatView) filterTerm() string { return c.filter }

func (c *chatView) setFilter(term string) {
	c.filter, c.dirty = term, true
	c.rebuild()
	c.showSelected()
}

func (c *chatView) allKeys(m *Model) []key.Binding { return m.km.Chat.Bindings() }

func (c *chatView) typing() bool { return c.composing() }

func (c *chatView) paste(msg tea.PasteMsg) tea.Cmd { return c.updateInput(msg) }

func (c *chatView) receive(m *Model, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case messagesMsg:
		return tea.Batch(c.loaded(msg), c.trySeek(m.b)), true
	case sentMsg:
		return c.sent(m.b, msg), true
	case markReadMsg:
		return c.markedRead(m, msg), true
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
		if u.Message != nil && u.Session == c.id && u.Message.Chat == c.chatID && c.upsert(*u.Message) && c.sel != "" {
			c.newCount++
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
	c.height = h
	c.fitHeight()
	c.input.SetWidth(max(w-1, 10))
	c.dirty = true
	c.rebuild()
}

// fitHeight gives the viewport what the title, the note, the compose box
// (and the message it replies to) and the hint leave.
func (c *chatView) fitHeight() {
	rows := 1
	if c.composing() {
		rows = c.input.Height()
	}
	if c.reply != nil {
		rows++
	}
	if h := max(c.height-3-rows, 1); h != c.vp.Height() {
		c.vp.SetHeight(h)
		if c.sel == "" {
			c.vp.GotoBottom()
		}
	}
}

// loaded takes a page: the newest one on open, an older one on scroll.
// Paging back past chatLimit drops the newest messages rather than the page
// just fetched, so each page reaches further back.
func (c *chatView) loaded(msg messagesMsg) tea.Cmd {
	if msg.id != c.id || msg.chatID != c.chatID || msg.before != c.loadingBefore {
		return nil // another chat's, or a page asked for before G jumped to the newest
	}
	c.loading = false
	if msg.err != nil {
		c.seek, c.seekUnread = "", false
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
			c.remember(mm)
			older = append(older, chatLine{msg: mm})
		}
	}
	c.rebuild()
	anchor, y := c.firstShownLine()
	c.lines = append(older, c.lines...)
	// Not while seeking the first unread, which counts back from the newest.
	if len(c.lines) > chatLimit && msg.before != "" && !c.seekUnread {
		for _, l := range c.lines[chatLimit:] {
			delete(c.known, l.msg.ID)
		}
		c.lines = c.lines[:chatLimit]
		if !c.noNewer {
			c.noNewer, c.beyond = true, map[string]bool{}
		}
		if c.sel == "" { // what is loaded no longer ends with the newest: stop following
			c.sel = c.lines[len(c.lines)-1].msg.ID
		}
	}
	c.dirty = true
	c.rebuild()
	if msg.before != "" && anchor != "" { // keep the message on screen where it was
		if to, ok := c.lineOf(anchor); ok {
			c.vp.SetYOffset(y + to)
		}
	}
	return nil
}

// firstShownLine is the oldest message shown and how far below the top of
// the viewport its first line is.
func (c *chatView) firstShownLine() (string, int) {
	if len(c.shown) == 0 {
		return "", 0
	}
	return c.lines[c.shown[0]].msg.ID, c.vp.YOffset() - c.starts[0]
}

// lineOf is the first line of a shown message in the viewport.
func (c *chatView) lineOf(id string) (int, bool) {
	for k, i := range c.shown {
		if c.lines[i].msg.ID == id {
			return c.starts[k], true
		}
	}
	return 0, false
}

// loadBefore fetches the page before a message, or the newest page.
func (c *chatView) loadBefore(b session.Runtime, before string) tea.Cmd {
	c.loading, c.loadingBefore = true, before
	return loadMessages(b, c.id, c.chatID, before)
}

// showNewest leaves a chat paged back past chatLimit: it drops what is
// loaded and fetches the newest page again, following the feed.
func (c *chatView) showNewest(b session.Runtime) tea.Cmd {
	c.lines, c.known, c.shown = nil, map[string]bool{}, nil
	c.noOlder, c.noNewer, c.beyond = false, false, nil
	c.sel, c.newCount, c.dirty = "", 0, true
	return c.loadBefore(b, "")
}

// upsert applies a message of the feed: a changed ack updates its line, a
// new message is added in time order. It reports a message added last.
func (c *chatView) upsert(mm session.Message) bool {
	c.dirty = true
	c.remember(mm)
	if c.known[mm.ID] {
		for i := len(c.lines) - 1; i >= 0; i-- {
			if c.lines[i].msg.ID == mm.ID {
				c.lines[i] = chatLine{msg: mm}
				return false
			}
		}
	}
	n := len(c.lines)
	if n > 0 && mm.Time.Before(c.lines[0].msg.Time) && !c.noOlder {
		return false // older than what is loaded: scrolling up fetches it
	}
	if c.noNewer && n > 0 && mm.Time.After(c.lines[n-1].msg.Time) {
		// after the dropped newest messages: G fetches it; counted once
		added := !c.beyond[mm.ID]
		c.beyond[mm.ID] = true
		return added
	}
	c.known[mm.ID] = true
	i := n
	for i > 0 && mm.Time.Before(c.lines[i-1].msg.Time) {
		i--
	}
	c.lines = slices.Insert(c.lines, i, chatLine{msg: mm})
	return i == n
}

// remember keeps the name a message carries for its author, to name them
// where only their id is known (a quote).
func (c *chatView) remember(mm session.Message) {
	if mm.Author != "" && mm.AuthorName != "" {
		c.people.names[mm.Author] = mm.AuthorName
	}
}

// rebuild refills the viewport once per change batch with the messages the
// filter shows, the selected one reversed, and keeps following the newest
// message if it is the one selected. A burst beyond chatLimit drops the
// oldest messages here, once per batch.
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
	var out []string
	day := ""
	w := c.vp.Width()
	match := matcher(c.filter)
	c.shown, c.starts, c.ends = c.shown[:0], c.starts[:0], c.ends[:0]
	for i := range c.lines {
		l := &c.lines[i]
		if l.drawn == nil || l.drawnW != w {
			l.drawn, l.drawnW = c.format(*l), w
		}
		if c.filter != "" && !match(ansi.Strip(strings.Join(l.drawn, " ")), l.msg.ID) {
			continue
		}
		if d := l.msg.Time.Format("Mon, Jan 2 2006"); d != day {
			day = d
			out = append(out, styles.Subtle.Render("── "+d+" ──"))
		}
		c.shown, c.starts = append(c.shown, i), append(c.starts, len(out))
		out = append(out, l.drawn...)
		c.ends = append(c.ends, len(out))
	}
	if k := c.selPos(); k >= 0 {
		for i := c.starts[k]; i < c.ends[k]; i++ {
			out[i] = styles.Selected.Render(ansi.Strip(out[i]))
		}
	}
	c.vp.SetContentLines(out)
	if c.sel == "" {
		c.vp.GotoBottom()
	}
}

// selPos is the selected message's place among those shown: the newest
// when following or when the filter hides the selected one; -1 if none.
func (c *chatView) selPos() int {
	if c.sel != "" {
		for k, i := range c.shown {
			if c.lines[i].msg.ID == c.sel {
				return k
			}
		}
	}
	return len(c.shown) - 1
}

// selected is the selected message, if any is shown.
func (c *chatView) selected() (session.Message, bool) {
	k := c.selPos()
	if k < 0 {
		return session.Message{}, false
	}
	return c.lines[c.shown[k]].msg, true
}

// selectAt selects the k-th message shown and scrolls it into view; the
// newest one follows the feed again.
func (c *chatView) selectAt(k int) {
	if len(c.shown) == 0 {
		return
	}
	k = min(max(k, 0), len(c.shown)-1)
	c.sel = ""
	if k < len(c.shown)-1 || c.noNewer {
		c.sel = c.lines[c.shown[k]].msg.ID
	} else {
		c.newCount = 0
	}
	c.dirty = true
	c.rebuild()
	c.showSelected()
}

// showSelected scrolls the least that puts the selected message on screen.
func (c *chatView) showSelected() {
	k := c.selPos()
	if k < 0 || c.sel == "" {
		return
	}
	y, h := c.vp.YOffset(), c.vp.Height()
	switch {
	case c.starts[k] < y:
		c.vp.SetYOffset(c.starts[k])
	case c.ends[k] > y+h:
		c.vp.SetYOffset(max(c.ends[k]-h, 0))
		if c.starts[k] < c.vp.YOffset() {
			c.vp.SetYOffset(c.starts[k])
		}
	}
}

// pageBy selects the message about a screen away, up (-1) or down (+1).
func (c *chatView) pageBy(dir int) {
	k := c.selPos()
	if k < 0 {
		return
	}
	target := c.starts[k] + dir*max(c.vp.Height()-1, 1)
	j, found := slices.BinarySearch(c.starts, target)
	if dir < 0 && !found {
		j--
	}
	c.selectAt(j)
}

// format draws one message: time, author and what it is (message_line.go)
// wrapped under itself, the line it quotes above it, reactions and poll
// options under it, and for our own messages where they stand (queue
// state, then ticks). Notices are dimmed, their author in the sentence.
func (c *chatView) format(l chatLine) []string {
	parts := describe(l.msg, c.people)
	who := c.people.author(l.msg)
	head := styles.Subtle.Render(l.msg.Time.Format("15:04")) + " "
	text := parts.text
	switch {
	case parts.notice:
		text = styles.Subtle.Render(joinNonEmpty(" ", who, ansi.Strip(text)))
	case l.msg.FromMe:
		head += styles.MsgOut.Render(who) + " "
		text += "  " + status(l)
	default:
		head += styles.MsgIn.Render(who) + " "
	}
	const indent = 6
	pad := strings.Repeat(" ", indent)
	w := max(c.vp.Width()-indent, 10)
	var lines []string
	if parts.quote != "" {
		lines = append(lines, pad+styles.Subtle.Render(trunc(parts.quote, w)))
	}
	for i, s := range strings.Split(wrap(head+text, w), "\n") {
		if i > 0 {
			s = pad + s
		}
		lines = append(lines, s)
	}
	for _, u := range parts.under {
		for _, s := range strings.Split(wrap(u, w), "\n") {
			lines = append(lines, pad+s)
		}
	}
	return lines
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
	n, k := m.km.Nav, m.km.Chat
	c.rebuild()
	switch {
	case key.Matches(msg, k.Compose):
		return c.startCompose(), true
	case key.Matches(msg, k.Reply):
		mm, ok := c.selected()
		if !ok {
			return m.setFlash(warn("no message to reply to: the chat is empty")), true
		}
		c.reply = &mm
		return c.startCompose(), true
	case key.Matches(msg, k.Raw):
		if mm, ok := c.selected(); ok {
			m.push(newRawView(m, c, mm))
		}
		return nil, true
	case key.Matches(msg, k.MarkRead):
		return c.markRead(m), true
	case key.Matches(msg, k.Unread):
		return c.firstUnread(m), true
	case key.Matches(msg, n.Up):
		c.selectAt(c.selPos() - 1)
	case key.Matches(msg, n.Down):
		c.selectAt(c.selPos() + 1)
	case key.Matches(msg, n.PageUp):
		c.pageBy(-1)
	case key.Matches(msg, n.PageDown):
		c.pageBy(+1)
	case key.Matches(msg, n.Top):
		c.selectAt(0)
		c.vp.GotoTop()
	case key.Matches(msg, n.Bottom, k.Latest) && c.noNewer:
		return c.showNewest(m.b), true
	case key.Matches(msg, n.Bottom, k.Latest):
		c.selectAt(len(c.shown) - 1)
	default:
		return nil, false
	}
	return c.loadOlderAtTop(m.b), true
}

// loadOlderAtTop fetches the page before the oldest loaded message once
// the operator reaches the top.
func (c *chatView) loadOlderAtTop(b session.Runtime) tea.Cmd {
	if !c.vp.AtTop() || c.loading || c.noOlder || len(c.lines) == 0 {
		return nil
	}
	return c.loadBefore(b, c.lines[0].msg.ID)
}

func (c *chatView) startCompose() tea.Cmd {
	cmd := c.input.Focus()
	c.fitHeight()
	return cmd
}

// stopCompose leaves the compose box, and the reply with it.
func (c *chatView) stopCompose() {
	c.input.Blur()
	c.reply = nil
	c.fitHeight()
}

// composeKey edits and sends; esc leaves the compose box. A reply goes out
// quoting the message it answers.
func (c *chatView) composeKey(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.km.Global.Back):
		c.stopCompose()
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
		var quoted *session.QuotedMessage
		if r := c.reply; r != nil { // kept until queued, so a refusal can be sent again
			quoted = &session.QuotedMessage{ID: r.ID, Author: r.Author, Type: r.Type, Body: r.Body}
		}
		c.fitHeight()
		return func() tea.Msg {
			ctx, cancel := pageCtx()
			defer cancel()
			if quoted == nil {
				job, err := b.Send(ctx, id, chat, body)
				return sentMsg{id: id, chatID: chat, body: body, job: job, err: err}
			}
			jobs, err := b.SendMany(ctx, id, chat, quoted.ID, []string{body})
			sent := sentMsg{id: id, chatID: chat, body: body, quoted: quoted, err: err}
			if err == nil {
				sent.job = jobs[0]
			}
			return sent
		}
	}
	cmd := c.updateInput(msg)
	c.fitHeight()
	return cmd
}

func (c *chatView) updateInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	return cmd
}

// failure says a send was refused; it is said even when the chat was left.
func (msg sentMsg) failure() flashMsg { return failed(msg.err, "could not queue the message") }

// sent shows a queued message at once, under the newest ones; on error
// the text comes back.
func (c *chatView) sent(b session.Runtime, msg sentMsg) tea.Cmd {
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
	if c.reply != nil && msg.quoted != nil && c.reply.ID == msg.quoted.ID {
		c.reply = nil
		c.fitHeight()
	}
	if c.known[msg.job.MsgID] {
		return nil // the page reported it already
	}
	var cmd tea.Cmd
	if c.noNewer {
		cmd = c.showNewest(b)
	}
	j := msg.job
	c.known[j.MsgID] = true
	c.lines = append(c.lines, chatLine{
		msg: session.Message{ID: j.MsgID, Chat: j.ChatID, FromMe: true, Body: j.Body, Time: j.Created, Quoted: msg.quoted},
		job: &j,
	})
	c.sel, c.newCount, c.dirty = "", 0, true
	c.rebuild()
	return cmd
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
	c.fitHeight()
	c.rebuild()
	s := m.sessions[c.id]
	title := styles.Heading.Render(c.name) + styles.Subtle.Render(" "+shownID(c.chatID, c.readOnly)+" · "+c.id+" ") + stateText(s.State) +
		filterNote(c.filter, len(c.shown), len(c.lines))
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
	switch {
	case c.newCount > 0:
		note = joinNonEmpty("  ", styles.Warn.Render(fmt.Sprintf("↓ %d new: G or end shows the newest", c.newCount)), note)
	case c.noNewer:
		note = joinNonEmpty("  ", styles.Hint.Render(fmt.Sprintf("↓ newer messages let go (%d kept): G or end shows the newest", chatLimit)), note)
	}
	compose := c.input.View()
	hint := styles.FieldError.Render(c.inputErr)
	switch {
	case !c.composing() && c.readOnly:
		compose = styles.Hint.Render("read-only: writing and replying are disabled · enter: the raw message")
	case !c.composing():
		compose = styles.Hint.Render("i or tab: write a message · r: reply · enter: the raw message")
	case c.inputErr == "":
		hint = styles.Hint.Render("enter sends · esc leaves the compose line")
	}
	if r := c.reply; r != nil {
		compose = styles.Subtle.Render(trunc("│ replying to "+c.people.author(*r)+": "+oneLine(ansi.Strip(describe(*r, c.people).text)), w)) + "\n" + compose
	}
	return strings.Join([]string{
		trunc(title, w),
		fit(c.vp.View(), w, c.vp.Height()),
		trunc(note, w),
		compose,
		trunc(hint, w),
	}, "\n")
}

// oneLine joins a text's lines and spaces, for a line that quotes it.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
