package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

// eventsPerSession bounds what the events screen reads of each session's
// log; eventsKept bounds what it holds while following the feed.
const (
	eventsPerSession = 200
	eventsKept       = 2000
)

// eventsView is the event log of one session, or of all when id is empty,
// newest last, following the live feed. The cursor stays on the newest row
// unless the operator moved it up; then new rows are counted instead.
type eventsView struct {
	id     string
	rows   []eventRow
	loaded bool
	err    error
	filter string
	cur    cursor
	pinned bool // the cursor follows the newest row
	unseen int  // rows that arrived while not pinned
}

// eventRow is one line: an event of a session's log, a send that failed
// and will be tried again, or an alert raised or resolved (those two are not
// events of the log).
type eventRow struct {
	at      time.Time
	session string
	seq     uint64 // the event's; zero for a failed send and an alert
	alert   uint64 // the alert's id; zero for the others
	kind    string
	move    string
	text    string
}

type eventsMsg struct {
	id   string
	rows []eventRow
	last map[string]uint64 // the newest seq read of each session
	err  error
}

func (m *Model) openEvents(id string) tea.Cmd {
	e := &eventsView{id: id, pinned: true}
	m.push(e)
	b := m.b
	return func() tea.Msg { return readEvents(b, id) }
}

// readEvents reads the recent log of one session or of every session and
// merges it by time.
func readEvents(b session.Runtime, id string) eventsMsg {
	ids := []string{id}
	if id == "" {
		ids = ids[:0]
		for _, s := range b.List() {
			ids = append(ids, s.ID)
		}
	}
	msg := eventsMsg{id: id, last: map[string]uint64{}}
	var failed []string
	for _, sid := range ids {
		evs, err := b.History(sid, eventsPerSession)
		if err != nil {
			failed = append(failed, sid+": "+err.Error())
			continue
		}
		for _, e := range evs {
			msg.rows = append(msg.rows, rowOfEvent(sid, e))
			msg.last[sid] = max(msg.last[sid], e.Seq)
		}
	}
	// Alerts are one log of their own, bounded like a session's.
	alerts, err := b.Alerts(session.AlertQuery{Session: id, Limit: eventsPerSession})
	if err != nil {
		failed = append(failed, "alerts: "+err.Error())
	}
	for _, a := range alerts {
		msg.rows = append(msg.rows, rowOfAlert(a, false))
		if !a.Open() {
			msg.rows = append(msg.rows, rowOfAlert(a, true))
		}
	}
	if len(failed) > 0 {
		msg.err = fmt.Errorf("%s", strings.Join(failed, "; "))
	}
	sortRows(msg.rows)
	return msg
}

func sortRows(rows []eventRow) {
	slices.SortStableFunc(rows, func(a, b eventRow) int { return a.at.Compare(b.at) })
}

func rowOfEvent(id string, e session.Event) eventRow {
	return eventRow{at: e.Time, session: id, seq: e.Seq, kind: e.Kind, move: eventMove(e), text: joinNonEmpty(": ", e.Reason, e.Detail)}
}

// eventMove is a transition, or the state an event happened in.
func eventMove(e session.Event) string {
	switch {
	case e.From != "" && e.From != e.To:
		return stateText(session.State(e.From)) + " → " + stateText(session.State(e.To))
	case e.To != "":
		return stateText(session.State(e.To))
	}
	return ""
}

// rowOfJob makes a row of a send that failed and waits to be tried again;
// a dead job is already an event of the log (job-dead).
func rowOfJob(j session.Job, now time.Time) (eventRow, bool) {
	if j.State != session.JobRetrying {
		return eventRow{}, false
	}
	at := j.Updated
	if at.IsZero() {
		at = now
	}
	text := fmt.Sprintf("job %d to %s, attempt %d: %s", j.Seq, j.ChatID, j.Attempts, j.LastError)
	return eventRow{at: at, session: j.Session, kind: "send-failed", text: text}, true
}

// rowOfAlert makes the row of an alert raised, or of its resolution.
func rowOfAlert(a session.Alert, resolved bool) eventRow {
	r := eventRow{at: a.Raised, session: alertSession(a), alert: a.ID, kind: "alert", text: joinNonEmpty(": ", string(a.Kind), a.Reason)}
	if resolved {
		r.at, r.kind = a.Resolved, "alert-resolved"
	}
	return r
}

// sameAlert reports whether two rows show the same alert raised, or resolved.
func (r eventRow) sameAlert(o eventRow) bool {
	return r.alert != 0 && r.alert == o.alert && r.kind == o.kind
}

func (e *eventsView) crumb() string     { return "events" }
func (e *eventsView) sessionID() string { return e.id }

func (e *eventsView) shortKeys(m *Model) []key.Binding {
	n := m.km.Nav
	return []key.Binding{n.Up, n.Down, n.Bottom, m.km.Global.Filter}
}

func (e *eventsView) allKeys(m *Model) []key.Binding { return m.km.Nav.Bindings() }

func (e *eventsView) filterTerm() string { return e.filter }

func (e *eventsView) setFilter(term string) {
	e.filter, e.pinned, e.unseen = term, true, 0
}

func (e *eventsView) receive(_ *Model, msg tea.Msg) (tea.Cmd, bool) {
	r, ok := msg.(eventsMsg)
	if !ok || r.id != e.id {
		return nil, ok
	}
	// Keep what the feed brought since the read: failed sends, alerts the
	// read did not see, and events newer than the newest the read saw.
	rows := r.rows
	for _, row := range e.rows {
		switch {
		case row.alert != 0:
			if !slices.ContainsFunc(r.rows, row.sameAlert) {
				rows = append(rows, row)
			}
		case row.seq == 0 || row.seq > r.last[row.session]:
			rows = append(rows, row)
		}
	}
	sortRows(rows)
	e.rows, e.err, e.loaded = rows, r.err, true
	e.trim()
	return nil, true
}

// feed appends the new events, failed sends and alerts of the sessions
// shown; an alert acknowledged is no new row.
func (e *eventsView) feed(m *Model, batch []session.Update) {
	match := matcher(e.filter)
	for _, u := range batch {
		if e.id != "" && u.Session != e.id {
			continue
		}
		var row eventRow
		switch {
		case u.Event != nil:
			row = rowOfEvent(u.Session, *u.Event)
		case u.Job != nil:
			r, ok := rowOfJob(*u.Job, m.now())
			if !ok {
				continue
			}
			row = r
		case u.Alert != nil && !u.Alert.Open():
			row = rowOfAlert(*u.Alert, true)
		case u.Alert != nil && u.Alert.Acked.IsZero():
			row = rowOfAlert(*u.Alert, false)
		default:
			continue
		}
		e.rows = append(e.rows, row)
		if !e.pinned && (e.filter == "" || row.matches(match)) {
			e.unseen++
		}
	}
	e.trim()
}

func (e *eventsView) trim() {
	if n := len(e.rows); n > eventsKept {
		e.rows = e.rows[n-eventsKept:]
	}
}

func (r eventRow) matches(match func(...string) bool) bool {
	return match(r.session, r.kind, r.move, r.text)
}

// shown is the rows the filter lets through.
func (e *eventsView) shown() []eventRow {
	if e.filter == "" {
		return e.rows
	}
	match := matcher(e.filter)
	var out []eventRow
	for _, r := range e.rows {
		if r.matches(match) {
			out = append(out, r)
		}
	}
	return out
}

// eventsHead is the number of lines above the table's rows: the title and
// the column titles.
const eventsHead = 2

// eventsWide is the width from which the transition has a column of its own.
const eventsWide = 100

func (m *Model) eventRows() int { return max(m.bodyHeight()-eventsHead, 1) }

func (e *eventsView) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	n := len(e.shown())
	if e.pinned {
		e.cur.idx = n - 1
	}
	if !e.cur.move(msg, m.km.Nav, n, m.eventRows()) {
		return nil, false
	}
	e.pinned = e.cur.idx >= n-1
	if e.pinned {
		e.unseen = 0
	}
	return nil, true
}

func (e *eventsView) view(m *Model, w, h int) string {
	title := "Events of all sessions"
	if e.id != "" {
		title = "Events of " + e.id
	}
	title = styles.Heading.Render(title)
	if e.unseen > 0 {
		title += "  " + styles.Warn.Render(fmt.Sprintf("%d new (end follows)", e.unseen))
	}
	rows := e.shown()
	title += filterNote(e.filter, len(rows), len(e.rows))
	if !e.loaded {
		return title + "\n\n" + styles.Hint.Render("Loading…")
	}
	if e.err != nil {
		title += "\n" + styles.Error.Render(wrap("could not read every log: "+e.err.Error(), w))
	}
	if len(rows) == 0 {
		hint := "No events yet; new ones appear here as they happen."
		if e.filter != "" {
			hint = "No event matches the filter. esc clears it."
		}
		return title + "\n\n" + styles.Hint.Render(hint)
	}
	cols := []column{{"TIME", 14}, {"SESSION", 10}, {"KIND", 16}, {"FROM → TO", 21}, {"REASON / DETAIL", 0}}
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = []string{r.at.Format("01-02 15:04:05"), r.session, r.kind, r.move, r.text}
	}
	if w < eventsWide { // the reason needs the room more than seconds and an aligned transition
		cols = []column{{"TIME", 11}, {"SESSION", 8}, {"KIND", 14}, {"FROM → TO · REASON / DETAIL", 0}}
		for i, r := range rows {
			cells[i] = []string{r.at.Format("01-02 15:04"), r.session, r.kind, joinNonEmpty("  ", r.move, r.text)}
		}
	}
	if e.pinned {
		e.cur.idx = len(rows) - 1
	}
	return title + "\n" + renderTable(cols, cells, e.cur, w, max(h-strings.Count(title, "\n")-1, 2))
}
