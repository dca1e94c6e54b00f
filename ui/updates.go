package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

// coalesceWindow bounds redraws caused by the backend to about 30 a second:
// after the first update, whatever else arrives within it joins one batch.
const coalesceWindow = 33 * time.Millisecond

// maxBatch bounds the work of one redraw: a burst larger than this is split
// over several frames instead of freezing one.
const maxBatch = 1000

// subscribedMsg starts the live feed: the subscription and the sessions and
// open alerts as they were right after subscribing, so no update falls in
// between.
type subscribedMsg struct {
	ch     <-chan session.Update
	cancel func()
	list   []session.Snapshot
	alerts alertsMsg
}

// updatesMsg is one coalesced batch of the feed; closed means it ended.
type updatesMsg struct {
	updates []session.Update
	closed  bool
}

func subscribe(b session.Runtime) tea.Cmd {
	return func() tea.Msg {
		ch, cancel := b.Subscribe()
		return subscribedMsg{ch: ch, cancel: cancel, list: b.List(), alerts: readAlerts(b, false)}
	}
}

// waitUpdates blocks for one update, then drains the channel for at most
// coalesceWindow or maxBatch updates, so a burst of thousands becomes a few
// batches of bounded size.
func waitUpdates(ch <-chan session.Update) tea.Cmd {
	return func() tea.Msg {
		u, ok := <-ch
		if !ok {
			return updatesMsg{closed: true}
		}
		batch := []session.Update{u}
		deadline := time.NewTimer(coalesceWindow)
		defer deadline.Stop()
		for {
			select {
			case u, ok := <-ch:
				if !ok {
					return updatesMsg{updates: batch, closed: true}
				}
				batch = append(batch, u)
				if len(batch) == maxBatch {
					return updatesMsg{updates: batch}
				}
			case <-deadline.C:
				return updatesMsg{updates: batch}
			}
		}
	}
}

// relistedMsg carries the sessions re-read after the feed dropped updates.
type relistedMsg struct{ list []session.Snapshot }

// relist re-reads every session, off the Update loop.
func relist(b session.Runtime) tea.Cmd {
	return func() tea.Msg { return relistedMsg{list: b.List()} }
}

// relisted replaces the sessions with those re-read, so nothing the feed
// dropped stays wrong on screen.
func (m *Model) relisted(msg relistedMsg) {
	clear(m.sessions)
	for _, s := range msg.list {
		m.sessions[s.ID] = s
	}
}

// applyUpdates folds a batch into the model: snapshots replace each other,
// removals close the screens of their session, and the panes on the stack
// that follow the feed get the batch.
func (m *Model) applyUpdates(batch []session.Update) tea.Cmd {
	var cmds []tea.Cmd
	for _, u := range batch {
		switch {
		case u.Resync:
			cmds = append(cmds, relist(m.b), m.rereadAlerts())
		case u.Removed:
			delete(m.sessions, u.Session)
			if m.current() == u.Session {
				m.home()
				cmds = append(cmds, m.setFlash(warn("session %s was deleted", u.Session)))
			}
		case u.Snapshot != nil:
			m.sessions[u.Session] = *u.Snapshot
		case u.Alert != nil:
			m.alerts.apply(*u.Alert)
		}
	}
	for _, p := range m.stack {
		if f, ok := p.(feeder); ok {
			f.feed(m, batch)
		}
	}
	return tea.Batch(cmds...)
}
