package ui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/waconsole/waconsole/session"
)

// fakeBackend is an in-memory session manager: tests set its data, read the
// calls the console made, and publish updates to its subscribers.
type fakeBackend struct {
	mu       sync.Mutex
	now      func() time.Time
	sessions map[string]session.Snapshot
	subs     map[chan session.Update]bool
	history  map[string][]session.Event
	chats    map[string][]session.Chat
	messages map[string][]session.Message // by session + "/" + chat, oldest first
	jobs     map[string][]session.Job
	stats    map[string]session.QueueStats
	calls    []string
	fail     map[string]error // method name -> error it returns
	seq      uint64
}

func newFake(now func() time.Time) *fakeBackend {
	return &fakeBackend{
		now:      now,
		sessions: map[string]session.Snapshot{},
		subs:     map[chan session.Update]bool{},
		history:  map[string][]session.Event{},
		chats:    map[string][]session.Chat{},
		messages: map[string][]session.Message{},
		jobs:     map[string][]session.Job{},
		stats:    map[string]session.QueueStats{},
		fail:     map[string]error{},
	}
}

// record notes a call and returns the error the test planted for it.
func (f *fakeBackend) record(method, format string, a ...any) error {
	f.calls = append(f.calls, method+" "+fmt.Sprintf(format, a...))
	return f.fail[method]
}

func (f *fakeBackend) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeBackend) subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// put stores a snapshot without publishing it (test setup).
func (f *fakeBackend) put(s session.Snapshot) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessions[s.ID] = s
}

// publish sends u to every subscriber, storing its snapshot first.
func (f *fakeBackend) publish(u session.Update) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.publishLocked(u)
}

func (f *fakeBackend) publishLocked(u session.Update) {
	if u.Snapshot != nil {
		f.sessions[u.Session] = *u.Snapshot
	}
	if u.Removed {
		delete(f.sessions, u.Session)
	}
	for ch := range f.subs {
		ch <- u
	}
}

// change edits a session's snapshot and publishes it.
func (f *fakeBackend) change(id string, edit func(*session.Snapshot)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.sessions[id]
	edit(&s)
	f.publishLocked(session.Update{Session: id, Snapshot: &s})
}

func (f *fakeBackend) Subscribe() (<-chan session.Update, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan session.Update, 1<<15)
	f.subs[ch] = true
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			f.mu.Lock()
			defer f.mu.Unlock()
			delete(f.subs, ch)
			close(ch)
		})
	}
}

func (f *fakeBackend) List() []session.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []session.Snapshot
	for _, s := range f.sessions {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b session.Snapshot) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func (f *fakeBackend) History(id string, n int) ([]session.Event, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("History", "%s %d", id, n); err != nil {
		return nil, err
	}
	ev := f.history[id]
	return slices.Clone(ev[max(len(ev)-n, 0):]), nil
}

func (f *fakeBackend) Add(req session.AddRequest) (session.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("Add", "%s %s %s", req.ID, req.PairMethod, req.PairPhone); err != nil {
		return session.Snapshot{}, err
	}
	if _, ok := f.sessions[req.ID]; ok {
		return session.Snapshot{}, fmt.Errorf("session %q exists already: pick another id", req.ID)
	}
	s := session.Snapshot{ID: req.ID, State: session.Stopped, Since: f.now(), PairMethod: req.PairMethod, PairPhone: req.PairPhone}
	if req.Start {
		s.State = session.Starting
	}
	f.publishLocked(session.Update{Session: s.ID, Snapshot: &s})
	return s, nil
}

// act records a session action that has no other effect in the fake.
func (f *fakeBackend) act(method, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record(method, "%s", id); err != nil {
		return err
	}
	if _, ok := f.sessions[id]; !ok {
		return errors.New("no such session")
	}
	return nil
}

func (f *fakeBackend) Start(id string) error     { return f.act("Start", id) }
func (f *fakeBackend) Stop(id string) error      { return f.act("Stop", id) }
func (f *fakeBackend) Restart(id string) error   { return f.act("Restart", id) }
func (f *fakeBackend) Logout(id string) error    { return f.act("Logout", id) }
func (f *fakeBackend) Delete(id string) error    { return f.act("Delete", id) }
func (f *fakeBackend) RefreshQR(id string) error { return f.act("RefreshQR", id) }
func (f *fakeBackend) UseQR(id string) error     { return f.act("UseQR", id) }
func (f *fakeBackend) Pause(id string) error     { return f.act("Pause", id) }
func (f *fakeBackend) Resume(id string) error    { return f.act("Resume", id) }

func (f *fakeBackend) UseLinkCode(id, phone string) error { return f.act("UseLinkCode", id+" "+phone) }

func (f *fakeBackend) Set(id string, s session.Settings) (session.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := session.Pacing{}
	if s.Pacing != nil {
		p = *s.Pacing
	}
	if err := f.record("Set", "%s %s %s %s %s %d", id, p.MinGap, p.JitterMin, p.Jitter, p.ChatGap, p.BulkLimit); err != nil {
		return session.Snapshot{}, err
	}
	return f.sessions[id], nil
}

func (f *fakeBackend) Chats(ctx context.Context, id string) ([]session.Chat, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("Chats", "%s", id); err != nil {
		return nil, err
	}
	return slices.Clone(f.chats[id]), nil
}

func (f *fakeBackend) Messages(ctx context.Context, id, chatID, before string, limit int) ([]session.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("Messages", "%s %s %q %d", id, chatID, before, limit); err != nil {
		return nil, err
	}
	all := f.messages[id+"/"+chatID]
	end := len(all)
	if before != "" {
		end = slices.IndexFunc(all, func(m session.Message) bool { return m.ID == before })
		if end < 0 {
			return nil, nil
		}
	}
	return slices.Clone(all[max(end-limit, 0):end]), nil
}

func (f *fakeBackend) Send(ctx context.Context, id, chatID, body string) (session.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("Send", "%s %s %s", id, chatID, body); err != nil {
		return session.Job{}, err
	}
	f.seq++
	j := session.Job{Seq: f.seq, Session: id, ChatID: chatID, Body: body, MsgID: fmt.Sprintf("3EB0%020d", f.seq),
		State: session.JobQueued, Created: f.now(), Updated: f.now()}
	f.jobs[id] = append(f.jobs[id], j)
	return j, nil
}

func (f *fakeBackend) Jobs(id string, states ...session.JobState) ([]session.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail["Jobs"]; err != nil {
		return nil, err
	}
	var out []session.Job
	for _, j := range f.jobs[id] {
		if len(states) == 0 || slices.Contains(states, j.State) {
			out = append(out, j)
		}
	}
	return out, nil
}

// setJob changes a job of the outbox, as the sender would.
// setJob changes a job and publishes it, as the manager does.
func (f *fakeBackend) setJob(id string, seq uint64, edit func(*session.Job)) {
	f.mu.Lock()
	var changed []session.Job
	for i := range f.jobs[id] {
		if f.jobs[id][i].Seq == seq {
			edit(&f.jobs[id][i])
			changed = append(changed, f.jobs[id][i])
		}
	}
	f.mu.Unlock()
	for _, j := range changed {
		f.publish(session.Update{Session: id, Job: &j})
	}
}

func (f *fakeBackend) RetryJob(id string, seq uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.record("RetryJob", "%s %d", id, seq)
}

func (f *fakeBackend) DiscardJob(id string, seq uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.record("DiscardJob", "%s %d", id, seq)
}

func (f *fakeBackend) QueueStats(id string) (session.QueueStats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail["QueueStats"]; err != nil {
		return session.QueueStats{}, err
	}
	return f.stats[id], nil
}
