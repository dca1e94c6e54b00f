package ui

import (
	"time"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

// fakeBackend is the shared fake runtime under the short names these tests
// use; the maps are the fake's own.
type fakeBackend struct {
	*sessiontest.Fake
	sessions map[string]session.Snapshot
	history  map[string][]session.Event
	chats    map[string][]session.Chat
	messages map[string][]session.Message // by session + "/" + chat, oldest first
	jobs     map[string][]session.Job
	stats    map[string]session.QueueStats
	fail     map[string]error // method name -> error it returns
}

func newFake(now func() time.Time) *fakeBackend {
	f := sessiontest.New()
	f.Now = now
	return &fakeBackend{Fake: f, sessions: f.Snapshots, history: f.EventsOf, chats: f.ChatsOf,
		messages: f.MessagesOf, jobs: f.JobsOf, stats: f.StatsOf, fail: f.Fail}
}

func (f *fakeBackend) called() []string                                      { return f.Calls() }
func (f *fakeBackend) subscribers() int                                      { return f.Subscribers() }
func (f *fakeBackend) put(s session.Snapshot)                                { f.Put(s) }
func (f *fakeBackend) publish(u session.Update)                              { f.Publish(u) }
func (f *fakeBackend) change(id string, edit func(*session.Snapshot))        { f.Change(id, edit) }
func (f *fakeBackend) setJob(id string, seq uint64, edit func(*session.Job)) { f.SetJob(id, seq, edit) }
