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

// subscribedMsg starts the live feed: the subscription and the sessions as
// they were right after subscribing, so no update falls in between.
type subscribedMsg struct {
	ch     <-chan session.Update
	cancel func()
	list   []session.Snapshot
}

// updatesMsg is one coalesced batch of the feed; closed means it ended.
type updatesMsg struct {
	updates []session.Update
	closed  bool
}

func subscribe(b Backend) tea.Cmd {
	return func() tea.Msg {
		ch, cancel := b.Subscribe()
		return subscribedMsg{ch: ch, cancel: cancel, list: b.List()}
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
func relist(b Backend) tea.Cmd {
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
// events and messages go to the open views, removals close them, and a
// resync re-reads the sessions.
func (m *Model) applyUpdates(batch []session.Update) tea.Cmd {
	var cmds []tea.Cmd
	for _, u := range batch {
		switch {
		case u.Resync:
			cmds = append(cmds, relist(m.b))
		case u.Removed:
			delete(m.sessions, u.Session)
			if m.current() == u.Session {
				m.stack = m.stack[:1]
				cmds = append(cmds, m.setFlash(warn("session %s was deleted", u.Session)))
			}
		case u.Snapshot != nil:
			m.sessions[u.Session] = *u.Snapshot
		}
		if u.Event != nil && m.detail.id == u.Session {
			m.detail.addEvent(*u.Event)
		}
		if u.Job != nil && u.Session == m.chat.id {
			m.chat.jobChanged(*u.Job)
		}
		if u.Message != nil && u.Session == m.chats.id {
			open := m.top().kind == pageChat && m.chat.id == u.Session && m.chat.chatID == u.Message.Chat
			m.chats.noteMessage(*u.Message, open)
			if open { // a chat left is loaded afresh when opened again
				m.chat.upsert(*u.Message)
			}
		}
	}
	m.chat.rebuild()
	return tea.Batch(cmds...)
}
