package ui

import (
	"fmt"
	"slices"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

// chatsView lists a session's chats, newest activity first; the feed keeps
// unread counts and order current.
type chatsView struct {
	id       string
	chats    []session.Chat
	cur      cursor
	selected string // chat id under the cursor
	filter   string
	loading  bool
	err      error
	readOnly bool // masks numbers, which the filter then never sees
}

type chatsMsg struct {
	id    string
	chats []session.Chat
	err   error
}

func (m *Model) openChats(id string) tea.Cmd {
	m.push(&chatsView{id: id, loading: true, readOnly: m.opts.ReadOnly})
	return loadChats(m.b, id)
}

func (c *chatsView) crumb() string     { return "chats" }
func (c *chatsView) sessionID() string { return c.id }

func (c *chatsView) filterTerm() string    { return c.filter }
func (c *chatsView) setFilter(term string) { c.filter = term }

func (c *chatsView) shortKeys(m *Model) []key.Binding {
	return []key.Binding{m.km.Chats.Open, m.km.Chats.Reload, m.km.Global.Filter}
}

func (c *chatsView) allKeys(m *Model) []key.Binding { return m.km.Chats.Bindings() }

func (c *chatsView) receive(_ *Model, msg tea.Msg) (tea.Cmd, bool) {
	r, ok := msg.(chatsMsg)
	if !ok {
		return nil, false
	}
	return c.loaded(r), true
}

// feed keeps unread counts and order current; the chat on display counts
// nothing as unread.
func (c *chatsView) feed(m *Model, batch []session.Update) {
	for _, u := range batch {
		if u.Message != nil && u.Session == c.id {
			c.noteMessage(*u.Message, showsChat(m, u.Session, u.Message.Chat))
		}
	}
}

func loadChats(b session.Runtime, id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := pageCtx()
		defer cancel()
		chats, err := b.Chats(ctx, id)
		return chatsMsg{id: id, chats: chats, err: err}
	}
}

func (c *chatsView) loaded(msg chatsMsg) tea.Cmd {
	if msg.id != c.id {
		return nil
	}
	c.loading, c.err = false, msg.err
	if msg.err != nil {
		return report(failed(msg.err, "could not list the chats of %s", msg.id))
	}
	c.chats = msg.chats
	c.sort()
	return nil
}

func (c *chatsView) sort() {
	slices.SortStableFunc(c.chats, func(a, b session.Chat) int { return b.LastActivity.Compare(a.LastActivity) })
}

// noteMessage moves the message's chat up and counts it as unread unless
// that chat is open.
func (c *chatsView) noteMessage(msg session.Message, open bool) {
	i := slices.IndexFunc(c.chats, func(ch session.Chat) bool { return ch.ID == msg.Chat })
	if i < 0 {
		if !msg.New {
			return
		}
		c.chats = append(c.chats, session.Chat{ID: msg.Chat, Name: msg.Chat})
		i = len(c.chats) - 1
	}
	ch := &c.chats[i]
	if msg.Time.After(ch.LastActivity) {
		ch.LastActivity = msg.Time
	}
	if msg.New && !msg.FromMe && !msg.Notice && !open {
		ch.Unread++
	}
	c.sort()
}

// visible is the filtered list, with the cursor kept on the selected chat.
func (c *chatsView) visible(h int) []session.Chat {
	var rows []session.Chat
	match := matcher(c.filter)
	for _, ch := range c.chats {
		if c.filter == "" || match(chatName(ch, c.readOnly), shownID(ch.ID, c.readOnly)) {
			rows = append(rows, ch)
		}
	}
	if i := slices.IndexFunc(rows, func(ch session.Chat) bool { return ch.ID == c.selected }); i >= 0 {
		c.cur.idx = i
	}
	c.cur.clamp(len(rows), h)
	if len(rows) > 0 {
		c.selected = rows[c.cur.idx].ID
	}
	return rows
}

func (c *chatsView) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	h := m.tableRows()
	rows := c.visible(h)
	switch {
	case c.cur.move(msg, m.km.Nav, len(rows), h):
		if len(rows) > 0 {
			c.selected = rows[c.cur.idx].ID
		}
		return nil, true
	case key.Matches(msg, m.km.Chats.Reload):
		c.loading = true
		return loadChats(m.b, c.id), true
	case key.Matches(msg, m.km.Chats.Open) && len(rows) > 0:
		ch := rows[c.cur.idx]
		if i := slices.IndexFunc(c.chats, func(x session.Chat) bool { return x.ID == ch.ID }); i >= 0 {
			c.chats[i].Unread = 0
		}
		return m.openChat(c.id, ch), true
	}
	return nil, false
}

func (c *chatsView) view(m *Model, w, h int) string {
	rows := c.visible(h - 2)
	title := styles.Heading.Render(fmt.Sprintf("Chats of %s (%d)", c.id, len(c.chats))) + filterNote(c.filter, len(rows), len(c.chats))
	switch {
	case c.loading && len(c.chats) == 0:
		return title + "\n\n" + styles.Hint.Render("Loading the chats from the phone's WhatsApp Web page…")
	case c.err != nil:
		return title + "\n\n" + wrap(styles.Error.Render("Could not list the chats: "+c.err.Error())+"\n\n"+
			joinNonEmpty(" ", notReadyNote(m.sessions[c.id]), "Press r to try again."), w)
	case len(c.chats) == 0:
		return title + "\n\n" + styles.Hint.Render("No chats.")
	}
	cols := []column{{"NAME", 24}, {"ID", 28}, {"MEMBERS", 7}, {"UNREAD", 6}, {"", 14}, {"LAST ACTIVITY", 0}}
	cells := make([][]string, len(rows))
	now := m.now()
	for i, ch := range rows {
		cells[i] = []string{chatName(ch, c.readOnly), shownID(ch.ID, c.readOnly), members(ch), unreadText(ch), chatMarks(ch), ago(now, ch.LastActivity)}
	}
	return title + "\n" + renderTable(cols, cells, c.cur, w, h-1)
}

// notReadyNote explains why chats need a READY session.
func notReadyNote(s session.Snapshot) string {
	if s.State == session.Ready {
		return ""
	}
	return fmt.Sprintf("Chats come from the phone's WhatsApp Web page: the session must be READY (it is %s).", s.State)
}

// members is a group's size; other chats have none.
func members(ch session.Chat) string {
	if !ch.Group {
		return ""
	}
	if ch.Participants == 0 {
		return "group"
	}
	return strconv.Itoa(ch.Participants)
}

// unreadText is the unread count; a chat marked unread with none shows •.
func unreadText(ch session.Chat) string {
	switch {
	case ch.Unread > 0:
		return styles.Key.Render(strconv.Itoa(ch.Unread))
	case ch.MarkedUnread:
		return styles.Key.Render("•")
	}
	return "0"
}

// chatMarks says a chat is muted or archived.
func chatMarks(ch session.Chat) string {
	return styles.Subtle.Render(joinNonEmpty(" ", when(ch.Muted, "muted"), when(ch.Archived, "archived")))
}
