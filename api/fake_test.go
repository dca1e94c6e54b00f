package api

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/waconsole/waconsole/session"
)

// fake is an in-memory Backend. It validates with package session and fails
// with errors of the session.Err* kinds, as *session.Manager does, so the
// HTTP mapping is tested for real.
type fake struct {
	mu       sync.Mutex
	sessions map[string]*fakeSession
	subs     map[chan session.Update]struct{}
	seq      uint64
}

type fakeSession struct {
	snap   session.Snapshot
	events []session.Event
	jobs   []session.Job
	chats  []session.Chat
	msgs   []session.Message
}

var _ Backend = (*fake)(nil)

func newFake(ids ...string) *fake {
	f := &fake{sessions: map[string]*fakeSession{}, subs: map[chan session.Update]struct{}{}}
	for _, id := range ids {
		if _, err := f.Add(session.AddRequest{ID: id}); err != nil {
			panic(err)
		}
	}
	return f
}

func unknown(id string) error {
	return fmt.Errorf("no session %q: list them with `waconsole status`: %w", id, session.ErrUnknownSession)
}

// session returns the session of id; f.mu must be held.
func (f *fake) session(id string) (*fakeSession, error) {
	s, ok := f.sessions[id]
	if !ok {
		return nil, unknown(id)
	}
	return s, nil
}

// publish sends u to every subscriber; f.mu must be held.
func (f *fake) publish(u session.Update) {
	for ch := range f.subs {
		select {
		case ch <- u:
		default:
			panic("fake: a subscriber fell behind")
		}
	}
}

// changed records a state change of s and publishes its snapshot; f.mu must
// be held.
func (f *fake) changed(s *fakeSession, state session.State, reason string) {
	if state != "" && state != s.snap.State {
		s.events = append(s.events, session.Event{Seq: uint64(len(s.events) + 1), Time: time.Now(), Kind: "state",
			From: string(s.snap.State), To: string(state), Reason: reason})
		s.snap.State, s.snap.Since, s.snap.Reason = state, time.Now(), reason
	}
	snap := s.snap
	f.publish(session.Update{Session: snap.ID, Snapshot: &snap})
}

// Publish sends an update, as the manager does on every change.
func (f *fake) Publish(u session.Update) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.publish(u)
}

// SetState moves a session to state, publishing its snapshot.
func (f *fake) SetState(id string, state session.State) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.changed(f.sessions[id], state, "set by the test")
}

// Remove deletes a session as Delete does.
func (f *fake) Remove(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.sessions, id)
	f.publish(session.Update{Session: id, Removed: true})
}

// AddJob puts a job in a state into a session's outbox and returns its seq.
func (f *fake) AddJob(id string, state session.JobState) uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	s := f.sessions[id]
	s.jobs = append(s.jobs, session.Job{Seq: f.seq, Session: id, ChatID: "12025550108@c.us", Body: "hello",
		MsgID: session.NewMessageID(), State: state, Created: time.Now()})
	return f.seq
}

// Subscribers is how many subscriptions are open.
func (f *fake) Subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

func (f *fake) Subscribe() (<-chan session.Update, func()) {
	ch := make(chan session.Update, 256)
	f.mu.Lock()
	f.subs[ch] = struct{}{}
	f.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			f.mu.Lock()
			delete(f.subs, ch)
			close(ch)
			f.mu.Unlock()
		})
	}
}

func (f *fake) List() []session.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]session.Snapshot, 0, len(f.sessions))
	for _, s := range f.sessions {
		out = append(out, s.snap)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (f *fake) Get(id string) (session.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(id)
	if err != nil {
		return session.Snapshot{}, err
	}
	return s.snap, nil
}

func (f *fake) History(id string, n int) ([]session.Event, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(id)
	if err != nil {
		return nil, err
	}
	evs := s.events[max(0, len(s.events)-n):]
	if len(evs) == 0 {
		return nil, nil
	}
	return slices.Clone(evs), nil
}

func validMethod(method, phone string) error {
	switch method {
	case session.PairQR:
		return nil
	case session.PairLink:
		return session.ValidatePhone(phone)
	}
	return fmt.Errorf("pairing method %q is not known: use %q or %q: %w", method, session.PairQR, session.PairLink, session.ErrInvalid)
}

func (f *fake) Add(req session.AddRequest) (session.Snapshot, error) {
	if err := session.ValidateID(req.ID); err != nil {
		return session.Snapshot{}, err
	}
	if req.PairMethod == "" {
		req.PairMethod = session.PairQR
	}
	if err := validMethod(req.PairMethod, req.PairPhone); err != nil {
		return session.Snapshot{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.sessions[req.ID]; ok {
		return session.Snapshot{}, fmt.Errorf("session %q: pick another id: %w", req.ID, session.ErrExists)
	}
	s := &fakeSession{snap: session.Snapshot{ID: req.ID, State: session.Stopped, Since: time.Now(), Reason: "created",
		PairMethod: req.PairMethod, PairPhone: req.PairPhone, AutoStart: req.AutoStart == nil || *req.AutoStart}}
	s.events = []session.Event{{Seq: 1, Time: time.Now(), Kind: "created", To: string(session.Stopped)}}
	f.sessions[req.ID] = s
	if req.Start {
		f.changed(s, session.Starting, "started")
	} else {
		f.changed(s, "", "")
	}
	return s.snap, nil
}

// with runs fn on session id under the lock.
func (f *fake) with(id string, fn func(s *fakeSession) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(id)
	if err != nil {
		return err
	}
	return fn(s)
}

func (f *fake) to(id string, state session.State, reason string) error {
	return f.with(id, func(s *fakeSession) error {
		f.changed(s, state, reason)
		return nil
	})
}

func (f *fake) Start(id string) error {
	return f.with(id, func(s *fakeSession) error {
		if !s.snap.State.Running() {
			f.changed(s, session.Starting, "started")
		}
		return nil
	})
}

func (f *fake) Stop(id string) error { return f.to(id, session.Stopped, "stopped by the operator") }
func (f *fake) Restart(id string) error {
	return f.to(id, session.Starting, "restarted by the operator")
}
func (f *fake) Logout(id string) error {
	return f.to(id, session.LoggedOut, "logged out by the operator")
}

func (f *fake) Delete(id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.session(id); err != nil {
		return err
	}
	delete(f.sessions, id)
	f.publish(session.Update{Session: id, Removed: true})
	return nil
}

func (f *fake) RefreshQR(id string) error {
	return f.with(id, func(s *fakeSession) error {
		if s.snap.State != session.QR {
			return fmt.Errorf("session %s shows no QR code (it is %s): start it: %w", id, s.snap.State, session.ErrWrongState)
		}
		s.snap.QR.Expired = false
		f.changed(s, "", "")
		return nil
	})
}

func (f *fake) UseLinkCode(id, phone string) error {
	if err := session.ValidatePhone(phone); err != nil {
		return err
	}
	return f.with(id, func(s *fakeSession) error {
		s.snap.PairMethod, s.snap.PairPhone = session.PairLink, phone
		f.changed(s, "", "")
		return nil
	})
}

func (f *fake) UseQR(id string) error {
	return f.with(id, func(s *fakeSession) error {
		s.snap.PairMethod = session.PairQR
		f.changed(s, "", "")
		return nil
	})
}

func (f *fake) Set(id string, set session.Settings) (session.Snapshot, error) {
	if set.PairMethod != nil {
		if err := validMethod(*set.PairMethod, "12025550108"); err != nil {
			return session.Snapshot{}, err
		}
	}
	if set.PairPhone != nil && *set.PairPhone != "" {
		if err := session.ValidatePhone(*set.PairPhone); err != nil {
			return session.Snapshot{}, err
		}
	}
	if p := set.Pacing; p != nil && (p.BulkLimit < 0 || p.Jitter > 0 && p.JitterMin > p.Jitter) {
		return session.Snapshot{}, fmt.Errorf("pacing: bulk limit %d or jitter min %s above jitter %s: %w", p.BulkLimit, p.JitterMin, p.Jitter, session.ErrInvalid)
	}
	var snap session.Snapshot
	err := f.with(id, func(s *fakeSession) error {
		if set.AutoStart != nil {
			s.snap.AutoStart = *set.AutoStart
		}
		if set.PairPhone != nil {
			s.snap.PairPhone = *set.PairPhone
		}
		if set.PairMethod != nil {
			if *set.PairMethod == session.PairLink && s.snap.PairPhone == "" {
				return fmt.Errorf("pairing by link code needs a phone number: set the phone too: %w", session.ErrInvalid)
			}
			s.snap.PairMethod = *set.PairMethod
		}
		if set.Pacing != nil {
			s.snap.Pacing = *set.Pacing
		}
		f.changed(s, "", "")
		snap = s.snap
		return nil
	})
	return snap, err
}

func (f *fake) SendMany(ctx context.Context, id, chatID string, bodies []string) ([]session.Job, error) {
	chat, _, err := session.ParseChatID(chatID)
	if err != nil {
		return nil, err
	}
	for i, b := range bodies {
		if err := session.ValidateText(b); err != nil {
			return nil, fmt.Errorf("message %d: %w; nothing was queued", i+1, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []session.Job
	err = f.with(id, func(s *fakeSession) error {
		for _, b := range bodies {
			f.seq++
			j := session.Job{Seq: f.seq, Session: id, ChatID: chat, Body: b, MsgID: session.NewMessageID(),
				State: session.JobQueued, Created: time.Now()}
			s.jobs = append(s.jobs, j)
			out = append(out, j)
		}
		return nil
	})
	return out, err
}

// Jobs, History, Chats and Messages return nil for none, as the store does.
func (f *fake) Jobs(id string, states ...session.JobState) ([]session.Job, error) {
	var out []session.Job
	err := f.with(id, func(s *fakeSession) error {
		for _, j := range s.jobs {
			if len(states) == 0 || slices.Contains(states, j.State) {
				out = append(out, j)
			}
		}
		return nil
	})
	return out, err
}

// job runs fn on a dead or held job of session id.
func (f *fake) job(id string, seq uint64, verb string, fn func(s *fakeSession, i int)) error {
	return f.with(id, func(s *fakeSession) error {
		i := slices.IndexFunc(s.jobs, func(j session.Job) bool { return j.Seq == seq })
		if i < 0 {
			return fmt.Errorf("job %d of %s: list them with `waconsole outbox`: %w", seq, id, session.ErrNotFound)
		}
		if st := s.jobs[i].State; st != session.JobDead && st != session.JobHeld {
			return fmt.Errorf("job %d is %s: only dead or held jobs can be %s: %w", seq, st, verb, session.ErrWrongState)
		}
		fn(s, i)
		return nil
	})
}

func (f *fake) RetryJob(id string, seq uint64) error {
	return f.job(id, seq, "retried", func(s *fakeSession, i int) { s.jobs[i].State = session.JobQueued })
}

func (f *fake) DiscardJob(id string, seq uint64) error {
	return f.job(id, seq, "discarded", func(s *fakeSession, i int) { s.jobs = slices.Delete(s.jobs, i, i+1) })
}

func (f *fake) pause(id string, paused bool) error {
	return f.with(id, func(s *fakeSession) error {
		s.snap.Queue.Paused = paused
		f.changed(s, "", "")
		return nil
	})
}

func (f *fake) Pause(id string) error  { return f.pause(id, true) }
func (f *fake) Resume(id string) error { return f.pause(id, false) }

func (f *fake) QueueStats(id string) (session.QueueStats, error) {
	var qs session.QueueStats
	err := f.with(id, func(s *fakeSession) error {
		qs = session.QueueStats{Paused: s.snap.Queue.Paused, Pacing: s.snap.Pacing, States: map[string]int{}}
		for _, j := range s.jobs {
			qs.States[string(j.State)]++
			if j.State == session.JobQueued || j.State == session.JobRetrying || j.State == session.JobSending {
				qs.Depth++
			}
		}
		return nil
	})
	return qs, err
}

// ready fails unless session id is READY; f.mu must be held.
func ready(s *fakeSession) error {
	if s.snap.State != session.Ready {
		return fmt.Errorf("session %s is %s: chats can be read once it is READY: %w", s.snap.ID, s.snap.State, session.ErrNotReady)
	}
	return nil
}

func (f *fake) Chats(ctx context.Context, id string) ([]session.Chat, error) {
	var out []session.Chat
	err := f.with(id, func(s *fakeSession) error {
		out = slices.Clone(s.chats)
		return ready(s)
	})
	return out, err
}

func (f *fake) Messages(ctx context.Context, id, chatID, before string, limit int) ([]session.Message, error) {
	chat, _, err := session.ParseChatID(chatID)
	if err != nil {
		return nil, err
	}
	var out []session.Message
	err = f.with(id, func(s *fakeSession) error {
		if err := ready(s); err != nil {
			return err
		}
		for _, m := range s.msgs {
			if m.Chat == chat && len(out) < limit {
				out = append(out, m)
			}
		}
		return nil
	})
	return out, err
}

// backupBytes is what the fake's store "contains".
const backupBytes = "bbolt file bytes"

func (f *fake) Backup(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, backupBytes)
	return int64(n), err
}
