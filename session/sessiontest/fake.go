// Package sessiontest is an in-memory session.Runtime for the tests of the
// packages that drive the sessions (api, ui, cli). It validates with package
// session and fails with the same session.Err* kinds as *session.Manager; a
// contract test in package session holds the two to the same results.
package sessiontest

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/waconsole/waconsole/session"
)

// BackupBytes is what the fake's backup archive "contains".
const BackupBytes = "bbolt file bytes"

// Fake is an in-memory session.Runtime. Tests may fill its maps before the
// fake is in use; afterwards the methods keep them under the fake's lock.
type Fake struct {
	Now func() time.Time // nil = time.Now; tests fix it

	Snapshots  map[string]session.Snapshot         // by session
	EventsOf   map[string][]session.Event          // by session, oldest first
	JobsOf     map[string][]session.Job            // by session, by seq
	ChatsOf    map[string][]session.Chat           // by session
	MessagesOf map[string][]session.Message        // by session + "/" + chat, oldest first
	StatsOf    map[string]session.QueueStats       // planted queue figures, instead of those counted from JobsOf
	InboxOf    map[string][]session.InboundMessage // captured messages by session, oldest first
	DrainsOf   map[string]session.DrainInfo        // by session: the unread snapshot a READY session gives, with its chats
	AlertList  []session.Alert                     // every alert, oldest first; RaiseAlert and ResolveAlert change it
	Fail       map[string]error                    // method name -> the error it returns

	mu    sync.Mutex
	subs  map[chan session.Update]struct{}
	seq   map[string]uint64 // last job seq by session
	msgs  uint64            // message ids handed out
	calls []string
	// browser holds the browser settings as set, the proxy password in
	// clear, as the Manager's store does; snapshots show them masked.
	browser map[string]session.BrowserSettings
}

var _ session.Runtime = (*Fake)(nil)

// New returns an empty fake.
func New() *Fake {
	return &Fake{
		Snapshots:  map[string]session.Snapshot{},
		EventsOf:   map[string][]session.Event{},
		JobsOf:     map[string][]session.Job{},
		ChatsOf:    map[string][]session.Chat{},
		MessagesOf: map[string][]session.Message{},
		StatsOf:    map[string]session.QueueStats{},
		InboxOf:    map[string][]session.InboundMessage{},
		DrainsOf:   map[string]session.DrainInfo{},
		Fail:       map[string]error{},
		subs:       map[chan session.Update]struct{}{},
		seq:        map[string]uint64{},
		browser:    map[string]session.BrowserSettings{},
	}
}

func (f *Fake) now() time.Time {
	if f.Now == nil {
		return time.Now()
	}
	return f.Now()
}

// call records a call and returns the error planted for its method; f.mu
// must be held.
func (f *Fake) call(method string, args ...any) error {
	s := method
	for _, a := range args {
		s += " " + fmt.Sprint(a)
	}
	f.calls = append(f.calls, s)
	return f.Fail[method]
}

// Calls returns the calls made so far, each as "Method arg arg...".
func (f *Fake) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// Subscribers is how many subscriptions are open.
func (f *Fake) Subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// Put stores a snapshot without publishing it (test setup). Its pacing in
// effect follows from its PacingSet, as in the runtime.
func (f *Fake) Put(s session.Snapshot) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s.Pacing = session.EffectivePacing(s.PacingSet)
	f.Snapshots[s.ID] = s
}

// Publish sends u to every subscriber, keeping its snapshot (or the removal)
// first, as the manager does on every change.
func (f *Fake) Publish(u session.Update) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.publish(u)
}

// publish is Publish with f.mu held. Like the manager's broker it drops an
// update for a subscriber that is far behind rather than block.
func (f *Fake) publish(u session.Update) {
	if u.Snapshot != nil {
		f.Snapshots[u.Session] = *u.Snapshot
	}
	if u.Removed {
		delete(f.Snapshots, u.Session)
	}
	for ch := range f.subs {
		select {
		case ch <- u:
		default:
		}
	}
}

// Change edits a session's snapshot and publishes it.
func (f *Fake) Change(id string, edit func(*session.Snapshot)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.Snapshots[id]
	edit(&s)
	f.publish(session.Update{Session: id, Snapshot: &s})
}

// Unpublished edits the snapshots under the fake's lock and publishes
// nothing: a change the feed missed, for tests of a resync.
func (f *Fake) Unpublished(edit func(snapshots map[string]session.Snapshot)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	edit(f.Snapshots)
}

// SetState moves a session to state, as its browser would, logging and
// publishing the transition.
func (f *Fake) SetState(id string, state session.State) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.changed(id, state, "set by the test")
}

// changed moves session id to state (unless empty) and publishes its
// snapshot; f.mu must be held.
func (f *Fake) changed(id string, state session.State, reason string) {
	s := f.Snapshots[id]
	if state != "" && state != s.State {
		f.event(id, session.Event{Kind: "state", From: string(s.State), To: string(state), Reason: reason})
		s.State, s.Since, s.Reason = state, f.now(), reason
	}
	f.publish(session.Update{Session: id, Snapshot: &s})
}

// jobsChanged recounts a session's outbox into its snapshot and publishes
// it; f.mu must be held.
func (f *Fake) jobsChanged(id string) {
	s := f.Snapshots[id]
	q := f.queueInfo(id, s.Queue.Paused)
	s.Queue.Depth, s.Queue.Held, s.Queue.Dead = q.Depth, q.Held, q.Dead
	f.Snapshots[id] = s
	f.changed(id, "", "")
}

// event appends to the session's log and publishes it; f.mu must be held.
func (f *Fake) event(id string, ev session.Event) {
	evs := f.EventsOf[id]
	ev.Seq, ev.Time = uint64(len(evs)+1), f.now()
	f.EventsOf[id] = append(evs, ev)
	f.publish(session.Update{Session: id, Event: &ev})
}

// AddJob puts a job in a state into a session's outbox and returns its seq.
func (f *Fake) AddJob(id string, state session.JobState) uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	j := f.newJob(id, "12025550108@c.us", "hello")
	j.State = state
	f.JobsOf[id] = append(f.JobsOf[id], j)
	f.jobsChanged(id)
	return j.Seq
}

// SetJob changes a job and publishes it, as the sender does.
func (f *Fake) SetJob(id string, seq uint64, edit func(*session.Job)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.JobsOf[id] {
		if j := &f.JobsOf[id][i]; j.Seq == seq {
			edit(j)
			changed := *j
			f.publish(session.Update{Session: id, Job: &changed})
		}
	}
}

func (f *Fake) newJob(id, chat, body string) session.Job {
	f.seq[id]++
	f.msgs++
	now := f.now()
	return session.Job{Seq: f.seq[id], Session: id, ChatID: chat, Body: body, MsgID: fmt.Sprintf("3EB0%018X", f.msgs),
		State: session.JobQueued, Created: now, Updated: now}
}

// session fails unless session id exists; f.mu must be held.
func (f *Fake) session(id string) (session.Snapshot, error) {
	s, ok := f.Snapshots[id]
	if !ok {
		return s, fmt.Errorf("no session %q: list them with `waconsole status`: %w", id, session.ErrUnknownSession)
	}
	return s, nil
}

// with records a call of method on session id and runs fn under the lock.
func (f *Fake) with(method, id string, fn func(s session.Snapshot) error, args ...any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call(method, append([]any{id}, args...)...); err != nil {
		return err
	}
	s, err := f.session(id)
	if err != nil {
		return err
	}
	return fn(s)
}

func (f *Fake) Subscribe() (<-chan session.Update, func()) {
	ch := make(chan session.Update, 1<<16)
	f.mu.Lock()
	f.subs[ch] = struct{}{}
	f.mu.Unlock()
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

func (f *Fake) List() []session.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]session.Snapshot, 0, len(f.Snapshots))
	for _, s := range f.Snapshots {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b session.Snapshot) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func (f *Fake) Get(id string) (session.Snapshot, error) {
	var snap session.Snapshot
	err := f.with("Get", id, func(s session.Snapshot) error { snap = s; return nil })
	return snap, err
}

// History, Jobs, Chats and Messages return nil for none, as the manager does.
func (f *Fake) History(id string, n int) ([]session.Event, error) {
	var out []session.Event
	err := f.with("History", id, func(session.Snapshot) error {
		evs := f.EventsOf[id]
		if evs = evs[max(0, len(evs)-n):]; len(evs) > 0 {
			out = slices.Clone(evs)
		}
		return nil
	}, n)
	return out, err
}

func (f *Fake) Add(req session.AddRequest) (session.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Add", req.ID, req.PairMethod, req.PairPhone); err != nil {
		return session.Snapshot{}, err
	}
	if err := session.ValidateID(req.ID); err != nil {
		return session.Snapshot{}, err
	}
	if req.PairMethod == "" {
		req.PairMethod = session.PairQR
	}
	if err := validMethod(req.PairMethod, req.PairPhone); err != nil {
		return session.Snapshot{}, err
	}
	if err := session.ValidateBrowser(req.Browser); err != nil {
		return session.Snapshot{}, err
	}
	if _, ok := f.Snapshots[req.ID]; ok {
		return session.Snapshot{}, fmt.Errorf("session %q exists already: pick another id: %w", req.ID, session.ErrExists)
	}
	f.Snapshots[req.ID] = session.Snapshot{ID: req.ID, State: session.Stopped, Since: f.now(), Reason: "created",
		PairMethod: req.PairMethod, PairPhone: req.PairPhone, AutoStart: req.AutoStart == nil || *req.AutoStart,
		Pacing: session.EffectivePacing(session.PacingSettings{}), Browser: masked(req.Browser), Alerting: session.EffectiveAlerting(session.AlertSettings{}),
		Inbox: session.NewInboxInfo(session.InboxSettings{})}
	f.browser[req.ID] = req.Browser
	f.event(req.ID, session.Event{Kind: "created", To: string(session.Stopped), Reason: "pairing by " + req.PairMethod})
	state := session.State("")
	if req.Start {
		state = session.Starting
	}
	f.changed(req.ID, state, "started by the operator")
	return f.Snapshots[req.ID], nil
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

// to moves session id to state when it is in none of from (any when empty).
func (f *Fake) to(method, id string, state session.State, reason string, from ...session.State) error {
	return f.with(method, id, func(s session.Snapshot) error {
		if len(from) == 0 || slices.Contains(from, s.State) {
			f.changed(id, state, reason)
		}
		return nil
	})
}

var stopped = []session.State{session.Stopped, session.LoggedOut, session.Failed, session.Blocked}

func (f *Fake) Start(id string) error {
	return f.to("Start", id, session.Starting, "started by the operator", stopped...)
}
func (f *Fake) Stop(id string) error {
	return f.to("Stop", id, session.Stopped, "stopped by the operator")
}
func (f *Fake) Restart(id string) error {
	return f.to("Restart", id, session.Starting, "restarted by the operator")
}
func (f *Fake) Logout(id string) error {
	return f.to("Logout", id, session.LoggedOut, "logged out by the operator")
}

func (f *Fake) Delete(id string) error {
	return f.with("Delete", id, func(session.Snapshot) error {
		delete(f.JobsOf, id)
		delete(f.EventsOf, id)
		delete(f.browser, id)
		f.publish(session.Update{Session: id, Removed: true})
		return nil
	})
}

func (f *Fake) RefreshQR(id string) error {
	return f.with("RefreshQR", id, func(s session.Snapshot) error {
		if s.State != session.QR {
			return fmt.Errorf("session %s shows no QR code (it is %s): start it, or restart it if it is stuck: %w", id, s.State, session.ErrWrongState)
		}
		s.QR.Expired = false
		f.publish(session.Update{Session: id, Snapshot: &s})
		return nil
	})
}

func (f *Fake) UseLinkCode(id, phone string) error {
	return f.with("UseLinkCode", id, func(s session.Snapshot) error {
		if err := session.ValidatePhone(phone); err != nil {
			return err
		}
		s.PairMethod, s.PairPhone = session.PairLink, phone
		f.publish(session.Update{Session: id, Snapshot: &s})
		return nil
	}, phone)
}

func (f *Fake) UseQR(id string) error {
	return f.with("UseQR", id, func(s session.Snapshot) error {
		s.PairMethod = session.PairQR
		f.publish(session.Update{Session: id, Snapshot: &s})
		return nil
	})
}

func (f *Fake) Set(id string, set session.Settings) (session.Snapshot, error) {
	var snap session.Snapshot
	err := f.with("Set", id, func(s session.Snapshot) error {
		snap = s
		if set.PairMethod != nil {
			if err := validMethod(*set.PairMethod, "12025550108"); err != nil {
				return err
			}
		}
		if set.PairPhone != nil && *set.PairPhone != "" {
			if err := session.ValidatePhone(*set.PairPhone); err != nil {
				return err
			}
		}
		pacing, err := session.ChangePacing(s.PacingSet, set.Pacing, set.PacingDefaults)
		if err != nil {
			return err
		}
		browser, err := session.ChangeBrowser(f.browser[id], set.Browser)
		if err != nil {
			return err
		}
		inbox, err := session.ChangeInbox(s.Inbox.Settings(), set.Inbox)
		if err != nil {
			return err
		}
		alerting, err := session.ChangeAlerting(s.AlertingSet, set.Alerting, set.AlertingDefaults)
		if err != nil {
			return err
		}
		s.AlertingSet, s.Alerting = alerting, session.EffectiveAlerting(alerting)
		if set.Inbox != nil {
			info := session.NewInboxInfo(inbox)
			info.Stored, info.Bytes, info.Filtered = s.Inbox.Stored, s.Inbox.Bytes, s.Inbox.Filtered
			s.Inbox = info
		}
		if set.PairPhone != nil {
			s.PairPhone = *set.PairPhone
		}
		if set.PairMethod != nil && *set.PairMethod == session.PairLink && s.PairPhone == "" {
			return fmt.Errorf("pairing by link code needs a phone number: set the phone too: %w", session.ErrInvalid)
		}
		if set.PairMethod != nil {
			s.PairMethod = *set.PairMethod
		}
		if set.AutoStart != nil {
			s.AutoStart = *set.AutoStart
		}
		if set.ReplyFirst != nil {
			if err := session.ValidateReplyFirst(*set.ReplyFirst); err != nil {
				return err
			}
			s.ReplyFirst = *set.ReplyFirst
		}
		s.PacingSet, s.Pacing = pacing, session.EffectivePacing(pacing)
		if set.Browser != nil {
			f.browser[id], s.Browser = browser, masked(browser)
			detail := session.BrowserText(browser)
			if s.State.Running() {
				detail += "; the browser runs with the old ones: restart the session to apply"
			}
			f.event(id, session.Event{Kind: "browser-settings", From: string(s.State), To: string(s.State), Detail: detail})
		}
		f.Snapshots[id] = s
		f.changed(id, "", "")
		snap = f.Snapshots[id]
		return nil
	}, setText(set))
	return snap, err
}

// masked is b as a snapshot shows it: the proxy's password masked.
func masked(b session.BrowserSettings) session.BrowserSettings {
	b.Proxy = session.MaskProxy(b.Proxy)
	b.Flags = slices.Clone(b.Flags)
	return b
}

// setText shows the settings of a Set call as durations and numbers.
func setText(s session.Settings) string {
	var parts []string
	if s.AutoStart != nil {
		parts = append(parts, fmt.Sprintf("autoStart=%v", *s.AutoStart))
	}
	if s.PairMethod != nil {
		parts = append(parts, "pairMethod="+*s.PairMethod)
	}
	if s.PairPhone != nil {
		parts = append(parts, "pairPhone="+*s.PairPhone)
	}
	if b := s.Browser; b != nil {
		if b.Proxy != nil {
			parts = append(parts, "proxy="+session.MaskProxy(*b.Proxy))
		}
		if b.UserAgent != nil {
			parts = append(parts, "userAgent="+*b.UserAgent)
		}
		if b.Flags != nil {
			parts = append(parts, "flags="+strings.Join(*b.Flags, ","))
		}
	}
	if s.Pacing != nil && s.Pacing.String() != "" {
		parts = append(parts, s.Pacing.String())
	}
	if s.ReplyFirst != nil {
		parts = append(parts, "replyFirst="+s.ReplyFirst.String())
	}
	if c := s.Inbox; c != nil {
		for _, f := range []struct {
			name string
			v    *bool
		}{{"keepOwn", c.KeepOwn}, {"keepStatus", c.KeepStatus}, {"keepSystem", c.KeepSystem}, {"mentionsOnly", c.MentionsOnly}} {
			if f.v != nil {
				parts = append(parts, fmt.Sprintf("%s=%v", f.name, *f.v))
			}
		}
		if c.Retention != nil {
			parts = append(parts, "retention="+c.Retention.String())
		}
	}
	return strings.Join(parts, " ")
}

func (f *Fake) Send(ctx context.Context, id, chatID, body string) (session.Job, error) {
	f.mu.Lock()
	err := f.call("Send", id, chatID, body)
	f.mu.Unlock()
	if err != nil {
		return session.Job{}, err
	}
	jobs, err := f.sendMany(ctx, id, chatID, "", []string{body})
	if err != nil {
		return session.Job{}, err
	}
	return jobs[0], nil
}

func (f *Fake) SendMany(ctx context.Context, id, chatID, replyTo string, bodies []string) ([]session.Job, error) {
	f.mu.Lock()
	args := []any{id, chatID, len(bodies)}
	if replyTo != "" {
		args = append(args, "replyTo="+replyTo)
	}
	err := f.call("SendMany", args...)
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return f.sendMany(ctx, id, chatID, replyTo, bodies)
}

// heldBy is the message replyTo as chat holds it on a READY session, for a
// reply to a message the inbox never captured, as the Manager asks the page;
// nil when the chat does not hold it. f.mu must be held.
func (f *Fake) heldBy(id, chat, replyTo string) *session.InboundMessage {
	if f.Snapshots[id].State != session.Ready {
		return nil
	}
	for _, m := range f.MessagesOf[id+"/"+chat] {
		if m.ID == replyTo || m.Key == replyTo {
			return &session.InboundMessage{Session: id, ID: m.ID, Key: m.Key, Chat: m.Chat, Author: m.Author, Type: m.Type,
				Body: m.Body, Time: m.Time, FromMe: m.FromMe}
		}
	}
	return nil
}

func (f *Fake) sendMany(ctx context.Context, id, chatID, replyTo string, bodies []string) ([]session.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.session(id); err != nil {
		return nil, err
	}
	chat, _, err := session.ParseChatID(chatID)
	if err != nil {
		return nil, err
	}
	if len(bodies) == 0 {
		return nil, fmt.Errorf("nothing to send: %w", session.ErrInvalid)
	}
	for i, b := range bodies {
		if err := session.ValidateText(b); err != nil {
			if len(bodies) > 1 {
				return nil, fmt.Errorf("message %d: %w; nothing was queued", i+1, err)
			}
			return nil, err
		}
	}
	var target *session.InboundMessage
	if replyTo != "" {
		i := slices.IndexFunc(f.InboxOf[id], func(m session.InboundMessage) bool { return m.ID == replyTo })
		if i >= 0 {
			target = &f.InboxOf[id][i]
		} else if target = f.heldBy(id, chat, replyTo); target == nil {
			return nil, session.NoReplyTarget(id, replyTo)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]session.Job, len(bodies))
	limit := session.EffectivePacing(f.Snapshots[id].PacingSet).BulkLimit
	replyFirst := session.ReplyFirstReason(chat, f.Snapshots[id].ReplyFirst, f.now(), f.InboxOf[id], target)
	for i, b := range bodies {
		j := f.newJob(id, chat, b)
		j.ReplyTo = replyTo
		if n, known := f.recipients(id, b, chat); !known && n >= limit {
			j.State = session.JobHeld
			j.HoldReason = fmt.Sprintf("identical text already queued for %d other chats within an hour (limit %d): approve to send", n, limit)
		} else if replyFirst != "" {
			j.State, j.HoldReason = session.JobHeld, replyFirst
		}
		f.JobsOf[id] = append(f.JobsOf[id], j)
		out[i] = j
	}
	f.jobsChanged(id)
	return out, nil
}

// recipients counts the chats a text went to within the hour, as the
// manager's bulk guard does, and whether chat is one of them.
func (f *Fake) recipients(id, body, chat string) (int, bool) {
	chats := map[string]bool{}
	for _, j := range f.JobsOf[id] {
		if j.Body == body && f.now().Sub(j.Created) <= time.Hour {
			chats[j.ChatID] = true
		}
	}
	return len(chats), chats[chat]
}

func (f *Fake) Jobs(id string, states ...session.JobState) ([]session.Job, error) {
	var out []session.Job
	err := f.with("Jobs", id, func(session.Snapshot) error {
		for _, j := range f.JobsOf[id] {
			if len(states) == 0 || slices.Contains(states, j.State) {
				out = append(out, j)
			}
		}
		return nil
	})
	return out, err
}

// job runs fn on dead or held job seq of session id.
func (f *Fake) job(method, id string, seq uint64, verb string, fn func(i int)) error {
	return f.with(method, id, func(session.Snapshot) error {
		i := slices.IndexFunc(f.JobsOf[id], func(j session.Job) bool { return j.Seq == seq })
		if i < 0 {
			return fmt.Errorf("job %d of %s: %w", seq, id, session.ErrNotFound)
		}
		if st := f.JobsOf[id][i].State; st != session.JobDead && st != session.JobHeld {
			return fmt.Errorf("job %d is %s: only dead or held jobs can be %s: %w", seq, st, verb, session.ErrWrongState)
		}
		fn(i)
		f.jobsChanged(id)
		return nil
	}, seq)
}

func (f *Fake) RetryJob(id string, seq uint64) error {
	return f.job("RetryJob", id, seq, "retried or approved", func(i int) {
		j := &f.JobsOf[id][i]
		j.State, j.Attempts, j.HoldReason, j.Permanent = session.JobQueued, 0, "", false
		changed := *j
		f.publish(session.Update{Session: id, Job: &changed})
	})
}

func (f *Fake) DiscardJob(id string, seq uint64) error {
	return f.job("DiscardJob", id, seq, "discarded", func(i int) { f.JobsOf[id] = slices.Delete(f.JobsOf[id], i, i+1) })
}

// pause holds or releases the queue as the manager does: once.
func (f *Fake) pause(method, id string, paused bool) error {
	return f.with(method, id, func(s session.Snapshot) error {
		if s.Queue.Paused == paused {
			return nil
		}
		kind, detail := "queue-resumed", "by the operator"
		if paused {
			kind, detail = "queue-paused", "paused by the operator"
		}
		f.event(id, session.Event{Kind: kind, Detail: detail})
		s.Queue.Paused = paused
		f.Snapshots[id] = s
		f.changed(id, "", "")
		return nil
	})
}

func (f *Fake) Pause(id string) error  { return f.pause("Pause", id, true) }
func (f *Fake) Resume(id string) error { return f.pause("Resume", id, false) }

// queueInfo counts the outbox for a snapshot; f.mu must be held.
func (f *Fake) queueInfo(id string, paused bool) session.QueueInfo {
	q := session.QueueInfo{Paused: paused}
	for _, j := range f.JobsOf[id] {
		switch j.State {
		case session.JobQueued, session.JobRetrying, session.JobSending:
			q.Depth++
		case session.JobHeld:
			q.Held++
		case session.JobDead:
			q.Dead++
		}
	}
	return q
}

func (f *Fake) QueueStats(id string) (session.QueueStats, error) {
	var qs session.QueueStats
	err := f.with("QueueStats", id, func(s session.Snapshot) error {
		if planted, ok := f.StatsOf[id]; ok {
			qs = planted
			return nil
		}
		q := f.queueInfo(id, s.Queue.Paused)
		qs = session.QueueStats{Depth: q.Depth, Paused: q.Paused, Pacing: s.Pacing, States: map[string]int{}}
		if q.Paused {
			qs.HoldReason = "paused by the operator"
		}
		for _, j := range f.JobsOf[id] {
			qs.States[string(j.State)]++
		}
		return nil
	})
	return qs, err
}

// ready fails unless the session can read chats, as the manager does.
func ready(s session.Snapshot) error {
	if s.State != session.Ready && s.State != session.Disconnected {
		return fmt.Errorf("session %s is %s: chats can be read once it is READY: %w", s.ID, s.State, session.ErrNotReady)
	}
	return nil
}

func (f *Fake) Chats(ctx context.Context, id string) ([]session.Chat, error) {
	var out []session.Chat
	err := f.with("Chats", id, func(s session.Snapshot) error {
		if err := ready(s); err != nil {
			return err
		}
		out = slices.Clone(f.ChatsOf[id])
		return nil
	})
	return out, err
}

func (f *Fake) Messages(ctx context.Context, id, chatID, before string, limit int) ([]session.Message, error) {
	var out []session.Message
	err := f.with("Messages", id, func(s session.Snapshot) error {
		if err := ready(s); err != nil {
			return err
		}
		chat, _, err := session.ParseChatID(chatID)
		if err != nil {
			return err
		}
		if limit <= 0 || limit > 200 {
			limit = 50
		}
		all := f.MessagesOf[id+"/"+chat]
		end := len(all)
		if before != "" {
			if end = slices.IndexFunc(all, func(m session.Message) bool { return m.ID == before }); end < 0 {
				return nil
			}
		}
		if page := all[max(end-limit, 0):end]; len(page) > 0 {
			out = slices.Clone(page)
		}
		return nil
	}, chatID, fmt.Sprintf("%q", before), limit)
	return out, err
}

// Inbox selects from InboxOf as the store does: by chat or its twin,
// received since, filtered ones only when asked, the newest Limit.
func (f *Fake) Inbox(id string, q session.InboxQuery) ([]session.InboundMessage, error) {
	var out []session.InboundMessage
	err := f.with("Inbox", id, func(session.Snapshot) error {
		if q.Limit < 0 {
			return fmt.Errorf("limit %d is negative: give 1 or more, or 0 for all: %w", q.Limit, session.ErrInvalid)
		}
		for _, m := range f.InboxOf[id] {
			if (q.Filtered || m.Filtered == "") && (q.Chat == "" || m.Chat == q.Chat || m.Twin == q.Chat) && !m.Received.Before(q.Since) {
				out = append(out, m)
			}
		}
		if q.Limit > 0 && len(out) > q.Limit {
			out = out[len(out)-q.Limit:]
		}
		return nil
	}, q.Chat, q.Since, q.Limit)
	return out, err
}

func (f *Fake) Backup(w io.Writer) (int64, error) {
	f.mu.Lock()
	err := f.call("Backup")
	f.mu.Unlock()
	if err != nil {
		return 0, err
	}
	n, err := io.WriteString(w, BackupBytes)
	return int64(n), err
}

// DoctorTook is how long each of the fake's browser checks says it took.
const DoctorTook = 420 * time.Millisecond

// Doctor reports every session's browser (or id's alone) as starting, with
// the flags waconsole would add its settings to.
func (f *Fake) Doctor(ctx context.Context, id string) (session.DoctorInfo, <-chan session.BrowserCheck, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Doctor", id); err != nil {
		return session.DoctorInfo{}, nil, err
	}
	ids := slices.Sorted(maps.Keys(f.Snapshots))
	if id != "" {
		if _, err := f.session(id); err != nil {
			return session.DoctorInfo{}, nil, err
		}
		ids = []string{id}
	}
	info := session.DoctorInfo{DataDir: "/fake", Store: "/fake/waconsole.db", StoreSize: int64(len(BackupBytes)),
		SearchOrder: []string{"chromium"}, Browser: "/usr/bin/chromium", Binary: "/usr/bin/chromium", Version: "150.0.0.1", Go: "go1.26", OS: "linux/amd64"}
	checks := make(chan session.BrowserCheck, len(ids))
	for _, id := range ids {
		b := f.browser[id]
		flags := append([]string{"--user-data-dir=/fake/profiles/" + id, "--headless"}, b.Flags...)
		checks <- session.BrowserCheck{Session: id, Flags: flags, Proxy: session.MaskProxy(b.Proxy), UserAgent: cmp.Or(b.UserAgent, "Mozilla/5.0 fake"),
			Profile: "/fake/profiles/" + id, OK: true, Took: DoctorTook}
	}
	close(checks)
	return info, checks, nil
}
