package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

// detailEvents is how many events the detail view fetches and keeps.
const detailEvents = 15

// detailView is one session's snapshot and its last events; new events
// arrive on the live feed.
type detailView struct {
	id     string
	events []session.Event
	err    error
}

type historyMsg struct {
	id     string
	events []session.Event
	err    error
}

func (m *Model) openDetail(id string) tea.Cmd {
	m.push(&detailView{id: id})
	b := m.b
	return func() tea.Msg {
		ev, err := b.History(id, detailEvents)
		return historyMsg{id: id, events: ev, err: err}
	}
}

func (d *detailView) crumb() string     { return "details" }
func (d *detailView) sessionID() string { return d.id }

func (d *detailView) shortKeys(m *Model) []key.Binding {
	t := m.km.Table
	return []key.Binding{m.km.Detail.Pair, t.Chats, t.Queue, t.Start, t.Stop, t.Restart}
}

func (d *detailView) allKeys(m *Model) []key.Binding {
	t := m.km.Table
	return []key.Binding{m.km.Detail.Pair, m.km.Detail.Webhooks, m.km.Detail.Events, t.Chats, t.Queue, t.Drain, t.Start, t.Stop, t.Restart, t.Logout, t.Delete}
}

func (d *detailView) receive(_ *Model, msg tea.Msg) (tea.Cmd, bool) {
	h, ok := msg.(historyMsg)
	if ok {
		d.setHistory(h)
	}
	return nil, ok
}

// feed adds the session's new events.
func (d *detailView) feed(_ *Model, batch []session.Update) {
	for _, u := range batch {
		if u.Event != nil && u.Session == d.id {
			d.addEvent(*u.Event)
		}
	}
}

// setHistory merges the fetched events under those the feed brought since.
func (d *detailView) setHistory(msg historyMsg) {
	if msg.id != d.id {
		return
	}
	d.err = msg.err
	var last uint64
	if n := len(msg.events); n > 0 {
		last = msg.events[n-1].Seq
	}
	events := msg.events
	for _, e := range d.events {
		if e.Seq > last {
			events = append(events, e)
		}
	}
	d.events = events
	d.trim()
}

func (d *detailView) addEvent(e session.Event) {
	d.events = append(d.events, e)
	d.trim()
}

func (d *detailView) trim() {
	if n := len(d.events); n > detailEvents {
		d.events = d.events[n-detailEvents:]
	}
}

func (d *detailView) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, m.km.Detail.Pair):
		return m.openPairing(d.id), true
	case key.Matches(msg, m.km.Detail.Webhooks):
		return m.openWebhooks(d.id), true
	case key.Matches(msg, m.km.Detail.Events):
		return m.openEvents(d.id), true
	}
	return m.sessionKey(msg, d.id)
}

func (d *detailView) view(m *Model, w, h int) string {
	s, ok := m.sessions[d.id]
	if !ok {
		return styles.Hint.Render("Session " + d.id + " is gone.")
	}
	const labelW = 13
	field := func(k, v string) string {
		if v == "" {
			v = "-"
		}
		v = strings.ReplaceAll(wrap(v, max(w-labelW, 10)), "\n", "\n"+strings.Repeat(" ", labelW))
		return styles.Label.Render(cell(k, labelW-1)) + " " + v
	}
	q := s.Queue
	pair := s.PairMethod
	if s.PairPhone != "" {
		pair += " for " + phone(s.PairPhone)
	}
	lines := []string{
		styles.Heading.Render(s.ID) + "  " + stateText(s.State) + " for " + termtext.Age(m.now().Sub(s.Since)),
		field("Reason", s.Reason),
		field("Account", phone(s.Account)),
		field("Pairing", pair),
		field("Auto start", yesNo(s.AutoStart)),
		field("Last error", s.LastError),
		field("Queue", fmt.Sprintf("depth %d · held %d · dead %d · failed 5m %d · paused %s",
			q.Depth, q.Held, q.Dead, q.Failures5m, yesNo(q.Paused))),
		field("Pacing", pacingText(s.Pacing)),
	}
	if s.ReplyFirst > 0 { // shown when on, so the screen says why a send is held
		win := session.FormatWindow(s.ReplyFirst)
		lines = append(lines, field("Reply-first", win+": a send to a chat that has not written in "+win+" is held"))
	}
	lines = append(lines,
		field("Browser", session.BrowserText(s.Browser)),
		"",
		styles.Heading.Render("Recent events"),
	)
	switch {
	case d.err != nil:
		lines = append(lines, styles.Error.Render("could not read the history: "+d.err.Error()))
	case len(d.events) == 0:
		lines = append(lines, styles.Hint.Render("no events yet"))
	}
	rows := make([][]string, 0, len(d.events))
	for i := len(d.events) - 1; i >= 0; i-- { // newest first
		e := d.events[i]
		rows = append(rows, []string{e.Time.Format("01-02 15:04:05"), e.Kind, eventMove(e), joinNonEmpty(": ", e.Reason, e.Detail)})
	}
	cols := []column{{"TIME", 14}, {"KIND", 15}, {"FROM → TO", 25}, {"REASON", 0}}
	head := strings.Join(lines, "\n")
	if len(rows) > 0 {
		head += "\n" + renderTable(cols, rows, cursor{idx: -1}, w, max(h-lipgloss.Height(head), 2))
	}
	return head
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
