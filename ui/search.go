package ui

import (
	"fmt"
	"regexp"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

// searchView lists the stored messages of a session that hold a text,
// newest first; enter opens the chat at the message.
type searchView struct {
	id, text string
	hits     []session.SearchHit
	cur      cursor
	loading  bool
	err      error
}

type searchMsg struct {
	id, text string
	hits     []session.SearchHit
	err      error
}

// searchCommand is ':search TEXT' over the session on display, or the one
// under the table's cursor.
func (m *Model) searchCommand(args []string) tea.Cmd {
	text := strings.Join(args[1:], " ")
	if text == "" {
		return m.setFlash(warn("usage: :search TEXT (searches the stored messages of the session on display)"))
	}
	id := m.current()
	if id == "" {
		var ok bool
		if id, ok = m.table.selectedSession(m); !ok {
			return m.setFlash(warn("which session? open one, or put the cursor on it, then :search TEXT"))
		}
	}
	m.push(&searchView{id: id, text: text, loading: true})
	b := m.b
	return func() tea.Msg {
		hits, err := b.Search(id, session.SearchQuery{Text: text})
		return searchMsg{id: id, text: text, hits: hits, err: err}
	}
}

func (s *searchView) crumb() string     { return "search" }
func (s *searchView) sessionID() string { return s.id }

func (s *searchView) shortKeys(m *Model) []key.Binding {
	return []key.Binding{m.km.Chats.Open, m.km.Nav.Up, m.km.Nav.Down, m.km.Global.Back}
}

func (s *searchView) allKeys(m *Model) []key.Binding { return []key.Binding{m.km.Chats.Open} }

func (s *searchView) receive(_ *Model, msg tea.Msg) (tea.Cmd, bool) {
	r, ok := msg.(searchMsg)
	if !ok || r.id != s.id || r.text != s.text {
		return nil, false
	}
	s.loading, s.hits, s.err = false, r.hits, r.err
	if r.err != nil {
		return report(failed(r.err, "could not search the messages of %s", s.id)), true
	}
	return nil, true
}

func (s *searchView) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	h := m.tableRows()
	switch {
	case s.cur.move(msg, m.km.Nav, len(s.hits), h):
		return nil, true
	case key.Matches(msg, m.km.Chats.Open) && len(s.hits) > 0:
		hit := s.hits[s.cur.idx]
		mm := hit.Message
		ch := session.Chat{ID: mm.Chat, Name: hit.ChatName, Group: strings.HasSuffix(mm.Chat, "@g.us")}
		return m.openChatAt(s.id, ch, mm.ID), true
	}
	return nil, false
}

func (s *searchView) view(m *Model, w, h int) string {
	title := styles.Heading.Render(fmt.Sprintf("Search %q in %s", s.text, s.id))
	switch {
	case s.loading:
		return title + "\n\n" + styles.Hint.Render("Searching the stored messages…")
	case s.err != nil:
		return title + "\n\n" + wrap(styles.Error.Render("Could not search: "+s.err.Error()), w)
	case len(s.hits) == 0:
		return title + "\n\n" + wrap(styles.Hint.Render("No stored message holds this text. Search covers the messages the inbox kept (see its filters and retention)."), w)
	}
	title += styles.Subtle.Render(fmt.Sprintf("  %s, newest first", plural(len(s.hits), "hit")))
	ro := m.opts.ReadOnly
	who := people{readOnly: ro, names: knownNames(m, s.id)}
	hl := highlighter(s.text)
	cols := []column{{"CHAT", 20}, {"TIME", 12}, {"AUTHOR", 16}, {"MESSAGE", 0}}
	cells := make([][]string, len(s.hits))
	for i, hit := range s.hits {
		mm := hit.Message
		var author string
		switch {
		case mm.FromMe:
			author = "you"
		case mm.Author != "":
			author = who.name(mm.Author)
		}
		chat := chatName(session.Chat{ID: mm.Chat, Name: hit.ChatName}, ro)
		cells[i] = []string{chat, mm.Time.Format("Jan 2 15:04"), author, hl(oneLine(mm.Body))}
	}
	return title + "\n" + renderTable(cols, cells, s.cur, w, h-1)
}

// highlighter marks every case-insensitive occurrence of text.
func highlighter(text string) func(string) string {
	re := regexp.MustCompile("(?i)" + regexp.QuoteMeta(text))
	return func(s string) string {
		return re.ReplaceAllStringFunc(s, func(hit string) string { return styles.Key.Render(hit) })
	}
}
