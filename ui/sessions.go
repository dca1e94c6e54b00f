package ui

import (
	"fmt"
	"slices"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

// sessionsTable is the root screen. The selection follows the session, not
// the row, so it stays put while sessions come and go.
type sessionsTable struct {
	cur      cursor
	selected string
	filter   string
}

func (t *sessionsTable) crumb() string     { return "sessions" }
func (t *sessionsTable) sessionID() string { return "" }

func (t *sessionsTable) filterTerm() string    { return t.filter }
func (t *sessionsTable) setFilter(term string) { t.filter = term }

func (t *sessionsTable) shortKeys(m *Model) []key.Binding {
	k, g := m.km.Table, m.km.Global
	return []key.Binding{k.Open, k.Add, k.Start, k.Stop, k.Chats, k.Queue, g.Filter, g.Command}
}

func (t *sessionsTable) allKeys(m *Model) []key.Binding { return m.km.Table.Bindings() }

// visible is the table's rows: sorted by id, filtered.
func (t *sessionsTable) visible(m *Model) []session.Snapshot {
	ids := make([]string, 0, len(m.sessions))
	for id := range m.sessions {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	match := matcher(t.filter)
	var rows []session.Snapshot
	for _, id := range ids {
		s := m.sessions[id]
		if t.filter == "" || match(s.ID, string(s.State), s.Account, s.PairPhone) {
			rows = append(rows, s)
		}
	}
	return rows
}

// syncCursor puts the cursor on the selected session and returns the rows.
func (t *sessionsTable) syncCursor(m *Model) []session.Snapshot {
	rows := t.visible(m)
	for i, s := range rows {
		if s.ID == t.selected {
			t.cur.idx = i
		}
	}
	t.cur.clamp(len(rows), m.tableRows())
	if len(rows) > 0 {
		t.selected = rows[t.cur.idx].ID
	}
	return rows
}

// tableRows is how many rows of a list fit under its title and column
// headers.
func (m *Model) tableRows() int { return max(m.bodyHeight()-2, 1) }

// selectedSession is the session under the cursor, if any.
func (t *sessionsTable) selectedSession(m *Model) (string, bool) {
	rows := t.syncCursor(m)
	if len(rows) == 0 {
		return "", false
	}
	return rows[t.cur.idx].ID, true
}

func (t *sessionsTable) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	rows := t.syncCursor(m)
	if t.cur.move(msg, m.km.Nav, len(rows), m.tableRows()) {
		if len(rows) > 0 {
			t.selected = rows[t.cur.idx].ID
		}
		return nil, true
	}
	if key.Matches(msg, m.km.Table.Add) {
		return m.openAdd(), true
	}
	id, ok := t.selectedSession(m)
	if !ok {
		if key.Matches(msg, m.km.Table.Bindings()...) {
			return m.setFlash(warn("no session selected: press n to add one")), true
		}
		return nil, false
	}
	if key.Matches(msg, m.km.Table.Open) {
		return m.openSession(id), true
	}
	return m.sessionKey(msg, id)
}

// sessionKey runs the session actions that the table and the detail view
// share, on session id.
func (m *Model) sessionKey(msg tea.KeyPressMsg, id string) (tea.Cmd, bool) {
	t, b := m.km.Table, m.b
	switch {
	case key.Matches(msg, t.Start):
		return startSession(b, id), true
	case key.Matches(msg, t.Stop):
		return act(func() error { return b.Stop(id) }, "stopping "+id, "could not stop "+id), true
	case key.Matches(msg, t.Restart):
		return restartSession(b, id), true
	case key.Matches(msg, t.Logout):
		m.dialog = newConfirm("Log out "+id+"?",
			"The phone's account is unlinked from this browser; pairing again needs the phone.",
			act(func() error { return b.Logout(id) }, "logging out "+id, "could not log out "+id))
		return nil, true
	case key.Matches(msg, t.Delete):
		m.dialog = newConfirm("Delete "+id+"?",
			"The session, its browser profile, its queue and its history are removed for good.",
			act(func() error { return b.Delete(id) }, "deleted "+id, "could not delete "+id))
		return nil, true
	case key.Matches(msg, t.Chats):
		return m.openChats(id), true
	case key.Matches(msg, t.Queue):
		return m.openQueue(id), true
	case key.Matches(msg, t.Drain):
		return m.openDrain(id), true
	}
	return nil, false
}

// openSession shows a session that still needs its phone as the pairing
// view, any other as its details.
func (m *Model) openSession(id string) tea.Cmd {
	s := m.sessions[id]
	switch s.State {
	case session.QR, session.LinkCode, session.LoggedOut, session.Starting, session.Syncing:
		return m.openPairing(id)
	case session.Ready, session.Disconnected:
		return m.openDetail(id)
	}
	if s.Account == "" {
		return m.openPairing(id)
	}
	return m.openDetail(id)
}

func (t *sessionsTable) view(m *Model, w, h int) string {
	rows := t.syncCursor(m)
	title := styles.Heading.Render(fmt.Sprintf("Sessions (%d)", len(m.sessions))) +
		filterNote(t.filter, len(rows), len(m.sessions))
	if len(m.sessions) == 0 {
		return title + "\n\n" + styles.Hint.Render("No sessions yet. Press n to add one, or type :add ID [PHONE].")
	}
	if len(rows) == 0 {
		return title + "\n\n" + styles.Hint.Render("No session matches the filter. esc clears it.")
	}
	idW, phoneW := 4, 5
	for _, s := range rows {
		idW = max(idW, len(s.ID))
		phoneW = max(phoneW, len(phone(s.Account)), len(phone(s.PairPhone)))
	}
	cols := []column{
		{"ID", min(idW, 20)}, {"STATE", 12}, {"PHONE", phoneW}, {"IN STATE", 8},
		{"QUEUE", 5}, {"FAIL 5M", 7}, {"LAST ERROR", 0},
	}
	now := m.now()
	cells := make([][]string, len(rows))
	for i, s := range rows {
		ph := phone(s.Account)
		if ph == "" {
			ph = styles.Subtle.Render(phone(s.PairPhone))
		}
		fails := strconv.Itoa(s.Queue.Failures5m)
		if s.Queue.Failures5m > 0 {
			fails = styles.Error.Render(fails)
		}
		cells[i] = []string{
			s.ID, stateText(s.State), ph, termtext.Age(now.Sub(s.Since)),
			strconv.Itoa(s.Queue.Depth), fails, s.LastError,
		}
	}
	return title + "\n" + renderTable(cols, cells, t.cur, w, h-1)
}
