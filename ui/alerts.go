package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

// alertsView lists the open alerts, newest first, as the root model keeps
// them for the banner; h switches to the history, every alert, which the
// screen reads itself. The selection follows the alert, not the row, so a
// new alert arriving never moves an acknowledgement onto another one.
type alertsView struct {
	showHistory bool
	history     alertSet
	stale       bool // the feed dropped updates while the history was shown
	filter      string
	cur         cursor
	selected    uint64
}

// alertAckedMsg answers an acknowledgement.
type alertAckedMsg struct {
	alert session.Alert
	err   error
}

// openAlerts shows the alerts screen and reads the open alerts afresh, so
// a read that failed at start is tried again.
func (m *Model) openAlerts() tea.Cmd {
	m.push(&alertsView{history: newAlertSet(true)})
	return m.rereadAlerts()
}

func (v *alertsView) crumb() string     { return "alerts" }
func (v *alertsView) sessionID() string { return "" }

func (v *alertsView) shortKeys(m *Model) []key.Binding {
	a := m.km.Alerts
	history := a.History
	if v.showHistory {
		history = withDesc(history, "open only")
	}
	return []key.Binding{a.Ack, history, a.Open, m.km.Global.Filter}
}

func (v *alertsView) allKeys(m *Model) []key.Binding { return m.km.Alerts.Bindings() }

func (v *alertsView) filterTerm() string { return v.filter }

func (v *alertsView) setFilter(term string) { v.filter = term }

func (v *alertsView) receive(_ *Model, msg tea.Msg) (tea.Cmd, bool) {
	r, ok := msg.(alertsMsg)
	if !ok || !r.history {
		return nil, false
	}
	v.history.set(r)
	return nil, true
}

// feed keeps the history current; the open alerts are the model's.
func (v *alertsView) feed(_ *Model, batch []session.Update) {
	for _, u := range batch {
		switch {
		case u.Resync:
			v.stale = v.showHistory
		case u.Alert != nil:
			v.history.apply(*u.Alert)
		}
	}
}

// poll reads the history again after the feed dropped updates; the feed
// cannot ask for it itself.
func (v *alertsView) poll(m *Model) tea.Cmd {
	if !v.stale {
		return nil
	}
	v.stale = false
	return v.history.reread(m.b)
}

// source is the list on display: the open alerts or the history.
func (v *alertsView) source(m *Model) *alertSet {
	if v.showHistory {
		return &v.history
	}
	return &m.alerts
}

// shown is the rows the filter lets through, newest first.
func (v *alertsView) shown(m *Model) []session.Alert {
	all := v.source(m).list()
	if v.filter == "" {
		return all
	}
	match := matcher(v.filter)
	var out []session.Alert
	for _, a := range all {
		if match(string(a.Severity), alertSession(a), string(a.Kind), a.Reason, alertState(a)) {
			out = append(out, a)
		}
	}
	return out
}

// syncCursor puts the cursor on the selected alert and returns the rows.
func (v *alertsView) syncCursor(m *Model) []session.Alert {
	rows := v.shown(m)
	for i, a := range rows {
		if a.ID == v.selected {
			v.cur.idx = i
		}
	}
	v.cur.clamp(len(rows), m.tableRows())
	if len(rows) > 0 {
		v.selected = rows[v.cur.idx].ID
	}
	return rows
}

func (v *alertsView) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	rows := v.syncCursor(m)
	if v.cur.move(msg, m.km.Nav, len(rows), m.tableRows()) {
		if len(rows) > 0 {
			v.selected = rows[v.cur.idx].ID
		}
		return nil, true
	}
	k := m.km.Alerts
	if key.Matches(msg, k.History) {
		v.showHistory = !v.showHistory
		v.cur = cursor{}
		if v.showHistory {
			return v.history.reread(m.b), true
		}
		return nil, true
	}
	if !key.Matches(msg, k.Ack, k.Open) {
		return nil, false
	}
	if len(rows) == 0 {
		return m.setFlash(warn("no alert selected")), true
	}
	a := rows[v.cur.idx]
	if key.Matches(msg, k.Open) {
		return m.openAlertSession(a), true
	}
	return m.ackAlert(a), true
}

// openAlertSession shows the details of the session an alert is about.
func (m *Model) openAlertSession(a session.Alert) tea.Cmd {
	if a.Session == "" {
		return m.setFlash(warn("alert %d is about the process, not one session", a.ID))
	}
	if _, ok := m.sessions[a.Session]; !ok {
		return m.setFlash(warn("session %s no longer exists", a.Session))
	}
	return m.openDetail(a.Session)
}

// ackAlert acknowledges an alert; the flash confirms once the runtime has,
// and the feed brings the change to the lists.
func (m *Model) ackAlert(a session.Alert) tea.Cmd {
	switch {
	case !a.Open():
		return m.setFlash(warn("alert %d is resolved: nothing to acknowledge", a.ID))
	case !a.Acked.IsZero():
		return m.setFlash(info("alert %d was acknowledged %s", a.ID, ago(m.now(), a.Acked)))
	}
	b := m.b
	return func() tea.Msg { return alertAckedMsg{alert: a, err: b.AckAlert(a.ID)} }
}

func (m *Model) alertAcked(msg alertAckedMsg) tea.Cmd {
	a := msg.alert
	if msg.err != nil {
		return m.setFlash(failed(msg.err, "could not acknowledge alert %d", a.ID))
	}
	return m.setFlash(info("acknowledged alert %d: %s on %s; it stays open until its cause goes away", a.ID, a.Kind, alertSession(a)))
}

// alertSession names what an alert is about; "-" for the process, the
// store and the webhooks of all sessions.
func alertSession(a session.Alert) string {
	if a.Session == "" {
		return "-"
	}
	return a.Session
}

// alertState is open (not acknowledged yet), acked or resolved.
func alertState(a session.Alert) string {
	switch {
	case !a.Open():
		return "resolved"
	case !a.Acked.IsZero():
		return "acked"
	}
	return "open"
}

// alertStateText is the state in the colour of what it asks of the operator.
func alertStateText(a session.Alert) string {
	s := alertState(a)
	switch s {
	case "open":
		return styles.Warn.Render(s)
	case "resolved":
		return styles.Info.Render(s)
	}
	return styles.Subtle.Render(s)
}

func (v *alertsView) view(m *Model, w, h int) string {
	src := v.source(m)
	rows := v.syncCursor(m)
	title := fmt.Sprintf("Open alerts (%d)", len(src.byID))
	other := "h shows the history"
	if v.showHistory {
		title = fmt.Sprintf("Alerts, open and resolved (%d)", len(src.byID))
		other = "h shows the open ones"
	}
	title = styles.Heading.Render(title) + filterNote(v.filter, len(rows), len(src.byID))
	if src.err != nil {
		title += "\n" + styles.Error.Render(wrap("could not read the alerts: "+src.err.Error(), w))
	}
	if !src.read {
		return title + "\n\n" + styles.Hint.Render("Loading…")
	}
	if len(rows) == 0 {
		hint := "No open alerts; " + other + "."
		switch {
		case v.filter != "":
			hint = "No alert matches the filter. esc clears it."
		case v.showHistory:
			hint = "No alerts yet."
		}
		return title + "\n\n" + styles.Hint.Render(hint)
	}
	sessW := len("SESSION")
	for _, a := range rows {
		sessW = max(sessW, len(alertSession(a)))
	}
	cols := []column{{"SEVERITY", 8}, {"SESSION", min(sessW, 12)}, {"KIND", 15}, {"REASON", 0}, {"RAISED", 8}, {"STATE", 8}}
	now := m.now()
	cells := make([][]string, len(rows))
	for i, a := range rows {
		cells[i] = []string{severityStyle(a.Severity).Render(string(a.Severity)), alertSession(a), string(a.Kind), a.Reason,
			termtext.Age(now.Sub(a.Raised)), alertStateText(a)}
	}
	return title + "\n" + renderTable(cols, cells, v.cur, w, max(h-lipgloss.Height(title), 2))
}
