package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

// alertSet is a list of alerts read from the runtime and kept from the feed
// in between reads: the open ones, which the banner counts and the alerts
// screen lists, or every alert, the screen's history.
type alertSet struct {
	history bool // resolved alerts stay
	byID    map[uint64]session.Alert
	read    bool            // a read answered, well or not
	err     error           // the last read failed
	reading int             // reads out
	pending []session.Alert // fed while reads are out: applied again over their answers, which may be older
}

// alertsMsg answers a read of the open alerts or of the history.
type alertsMsg struct {
	history bool
	alerts  []session.Alert
	err     error
}

// alertsHistory bounds what the history reads and keeps.
const alertsHistory = 500

func newAlertSet(history bool) alertSet {
	return alertSet{history: history, byID: map[uint64]session.Alert{}}
}

func readAlerts(b session.Runtime, history bool) alertsMsg {
	q := session.AlertQuery{Open: true}
	if history {
		q = session.AlertQuery{Limit: alertsHistory}
	}
	a, err := b.Alerts(q)
	return alertsMsg{history: history, alerts: a, err: err}
}

// reread reads the set again, off the Update loop.
func (s *alertSet) reread(b session.Runtime) tea.Cmd {
	s.reading++
	history := s.history
	return func() tea.Msg { return readAlerts(b, history) }
}

// rereadAlerts reads the open alerts again.
func (m *Model) rereadAlerts() tea.Cmd { return m.alerts.reread(m.b) }

// apply takes an alert the feed published: raised, acknowledged or resolved.
func (s *alertSet) apply(a session.Alert) {
	if s.reading > 0 {
		s.pending = append(s.pending, a)
	}
	if !s.history && !a.Open() {
		delete(s.byID, a.ID)
		return
	}
	s.byID[a.ID] = a
	if len(s.byID) > alertsHistory {
		all := s.list()
		delete(s.byID, all[len(all)-1].ID)
	}
}

// set replaces the alerts with those read. A failed read keeps what the
// feed showed, and says the list may be wrong.
func (s *alertSet) set(msg alertsMsg) {
	pending := s.pending
	s.read, s.err, s.pending = true, msg.err, nil
	s.reading = max(s.reading-1, 0)
	if msg.err == nil {
		clear(s.byID)
		for _, a := range msg.alerts {
			s.byID[a.ID] = a
		}
	}
	for _, a := range pending { // kept again while other reads are out
		s.apply(a)
	}
}

// list is the alerts newest first, as the runtime lists them.
func (s *alertSet) list() []session.Alert {
	out := make([]session.Alert, 0, len(s.byID))
	for _, a := range s.byID {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b session.Alert) int {
		if c := b.Raised.Compare(a.Raised); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out
}

// banner is the alerts part of the breadcrumb line, e.g. "▲ 2 alerts
// (1 critical, 1 new) · ! :alerts"; empty while nothing is open.
func (s *alertSet) banner() string {
	where := styles.Subtle.Render(" · ! :alerts")
	if s.err != nil {
		return styles.Warn.Render("▲ alerts unreadable") + where
	}
	if len(s.byID) == 0 {
		return ""
	}
	critical, fresh := 0, 0
	for _, a := range s.byID {
		if a.Severity == session.SeverityCritical {
			critical++
		}
		if a.Acked.IsZero() {
			fresh++
		}
	}
	var notes []string
	worst := session.SeverityWarning
	if critical > 0 {
		worst = session.SeverityCritical
		notes = append(notes, fmt.Sprintf("%d critical", critical))
	}
	if fresh > 0 {
		notes = append(notes, fmt.Sprintf("%d new", fresh))
	}
	text := "▲ " + plural(len(s.byID), "alert")
	if len(notes) > 0 {
		text += " (" + strings.Join(notes, ", ") + ")"
	}
	return severityStyle(worst).Render(text) + where
}
