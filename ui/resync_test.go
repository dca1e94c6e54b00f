package ui

import (
	"testing"

	"github.com/waconsole/waconsole/session"
)

// After a resync the sessions are re-read: a state the feed dropped shows,
// and a session removed meanwhile goes.
func TestResyncRereadsSessions(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, ch := newTestModel(t, f, 120, 40, Options{})
	requireContains(t, screen(m), "foxtrot", "STOPPED")

	f.Unpublished(func(snaps map[string]session.Snapshot) {
		delete(snaps, "foxtrot")
		s := snaps["golf"]
		s.State, s.Reason = session.Starting, "started by the operator"
		snaps["golf"] = s
	})
	requireContains(t, screen(m), "foxtrot")

	f.publish(session.Update{Resync: true})
	_, cmd := m.Update(waitUpdates(ch)())
	run(m, cmd, 0)
	requireNotContains(t, screen(m), "foxtrot", "LOGGED_OUT")
	requireContains(t, screen(m), "golf", "STARTING")
}
