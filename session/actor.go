package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/waconsole/waconsole/store"
)

// actor owns one session: its browser, its state and its outbox. Everything
// it owns is touched only by its loop goroutine; other goroutines hand it
// closures through cmds.
type actor struct {
	m    *Manager
	id   string
	log  *slog.Logger // with the session id
	cmds chan func()
	quit chan struct{} // closed when the loop has returned

	pubMu  sync.Mutex
	pub    Snapshot // the last published snapshot, for readers
	pubSeq uint64   // counts publications: orders pub against older copies

	// Owned by the loop.
	snap       Snapshot
	want       bool // the operator wants the browser running
	exiting    bool
	page       Page
	events     <-chan PageEvent
	gen        int // launch generation: results of older launches are discarded
	launched   chan launchResult
	cancelRun  context.CancelFunc // cancels an in-flight launch
	ps         pageState
	me         string
	booted     bool
	qrReset    bool // the next QR starts a new batch
	codeReq    bool // a link code request is in flight
	loggingOut bool
	crashes    []time.Time
	due        deadlines
	timer      *time.Timer
	out        outbox
	drain      drainer
	browser    BrowserSettings // as stored, the proxy's password in clear
	inbox      InboxSettings
}

// deadlines are the moments the loop must act on by itself; zero is "none".
type deadlines struct {
	load, sync, restart, linkCode, send, sweep, drain time.Time
}

type launchResult struct {
	gen  int
	page Page
	err  error
}

func newActor(m *Manager, s store.Session) *actor {
	a := &actor{
		m: m, id: s.ID, log: m.cfg.Log.With("session", s.ID),
		cmds:     make(chan func(), 64),
		quit:     make(chan struct{}),
		launched: make(chan launchResult, 4),
		timer:    time.NewTimer(time.Hour),
	}
	a.snap = Snapshot{
		ID: s.ID, State: State(s.State), Since: s.StateSince, Reason: s.Reason, LastError: s.LastError,
		PairMethod: s.PairMethod, PairPhone: s.PairPhone, Account: s.Account, AutoStart: s.AutoStart,
		Browser: maskBrowser(s.Browser), ReplyFirst: s.ReplyFirst,
	}
	a.browser = s.Browser
	a.loadAlerting()
	// A state that needs a browser cannot survive the process that ran it.
	if a.snap.State.Running() {
		a.snap.State = Stopped
	}
	a.out.init(a, s)
	a.loadInbox()
	// Down since it was last seen: a session that was READY when its
	// process stopped counts from then on, so its snapshot is not missed.
	a.drain = drainer{a: a, downSince: s.StateSince}
	// The bulk guard reads the pacing from the snapshot from the start.
	a.snap.Pacing, a.snap.PacingSet = a.out.pacing, a.out.stored
	a.pub = a.snap
	go a.loop()
	return a
}

func (a *actor) loop() {
	defer close(a.quit)
	a.out.load()
	a.drain.load()
	a.publish()
	for !a.exiting {
		a.armTimer()
		select {
		case f := <-a.cmds:
			f()
		case ev, ok := <-a.events:
			if ok {
				a.onEvents(ev)
			} else {
				a.pageEnded()
			}
		case r := <-a.launched:
			a.onLaunched(r)
		case <-a.timer.C:
			a.onTimer()
		}
	}
}

// do runs f in the loop and returns its error.
func (a *actor) do(f func() error) error {
	done := make(chan error, 1)
	select {
	case a.cmds <- func() { done <- f() }:
	case <-a.quit:
		return fmt.Errorf("session %s is gone", a.id)
	}
	select {
	case err := <-done:
		return err
	case <-a.quit:
		return fmt.Errorf("session %s is gone", a.id)
	}
}

// post hands f to the loop without waiting, from a goroutine of the actor.
func (a *actor) post(f func()) {
	select {
	case a.cmds <- f:
	case <-a.quit:
	}
}

func (a *actor) snapshot() Snapshot {
	s, _ := a.published()
	return s
}

// published returns the last published snapshot and its number.
func (a *actor) published() (Snapshot, uint64) {
	a.pubMu.Lock()
	defer a.pubMu.Unlock()
	return a.pub, a.pubSeq
}

func (a *actor) publish() {
	a.snap.Queue = a.out.info()
	a.snap.Drain = a.drain.info(false)
	a.snap.Pacing, a.snap.PacingSet = a.out.pacing, a.out.stored
	s := a.snap
	a.pubMu.Lock()
	a.pub = s
	a.pubSeq++
	seq := a.pubSeq
	a.pubMu.Unlock()
	a.m.broker.publish(Update{Session: a.id, Snapshot: &s})
	a.m.alerts.observe(a, s, seq)
}

// record appends an event to the session's log and publishes it.
func (a *actor) record(ev Event) {
	saved, err := a.m.cfg.Store.AppendEvent(a.id, ev)
	if err != nil {
		a.log.Error("recording an event failed", "kind", ev.Kind, "err", err, "err_type", errTypeStore)
		saved = ev
	}
	a.m.broker.publish(Update{Session: a.id, Event: &saved})
}

func (a *actor) event(kind, detail string) {
	a.record(Event{Kind: kind, Detail: detail, From: string(a.snap.State), To: string(a.snap.State)})
}

// transition moves the session to state `to`, persists it, and tells everyone.
func (a *actor) transition(to State, reason string) {
	from := a.snap.State
	if from == to && a.snap.Reason == reason {
		a.publish()
		return
	}
	now := time.Now()
	if from != to {
		a.snap.Since = now
	}
	a.snap.State, a.snap.Reason = to, reason
	if to == Ready {
		a.snap.LastError = ""
	}
	if to != QR && to != LinkCode && to != LoggedOut {
		a.snap.QR, a.snap.Code = QRInfo{}, CodeInfo{}
		a.due.linkCode = time.Time{}
	}
	if to == Syncing && from != Syncing {
		a.due.sync = now.Add(a.m.cfg.Timing.SyncTimeout)
	} else if to != Syncing {
		a.due.sync = time.Time{}
	}
	a.persist()
	a.record(Event{Kind: "state", From: string(from), To: string(to), Reason: reason})
	a.logTransition(from, to, reason)
	a.out.stateChanged(from, to)
	a.drain.stateChanged(from, to)
	a.publish()
}

func (a *actor) persist() {
	s := a.snap
	_, err := a.m.cfg.Store.UpdateSession(a.id, func(st *store.Session) error {
		st.State, st.StateSince, st.Reason, st.LastError = string(s.State), s.Since, s.Reason, s.LastError
		st.Account, st.PairMethod, st.PairPhone, st.AutoStart, st.ReplyFirst = s.Account, s.PairMethod, s.PairPhone, s.AutoStart, s.ReplyFirst
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		a.log.Error("saving the session state failed", "err", err, "err_type", errTypeStore)
	}
}

func (a *actor) armTimer() {
	next := time.Time{}
	for _, t := range []time.Time{a.due.load, a.due.sync, a.due.restart, a.due.linkCode, a.due.send, a.due.sweep, a.due.drain} {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	wait := time.Hour
	if !next.IsZero() {
		wait = max(time.Until(next), 0)
	}
	a.timer.Reset(wait)
}

func (a *actor) onTimer() {
	now := time.Now()
	due := func(t *time.Time) bool {
		if t.IsZero() || t.After(now) {
			return false
		}
		*t = time.Time{}
		return true
	}
	if due(&a.due.load) {
		a.fail(fmt.Sprintf("page never loaded: WhatsApp Web did not start within %s; check --wa-url and the network", a.m.cfg.Timing.LoadTimeout))
	}
	if due(&a.due.sync) {
		a.fail(fmt.Sprintf("auth timeout: the phone linked but WhatsApp never finished syncing within %s; restart the session", a.m.cfg.Timing.SyncTimeout))
	}
	if due(&a.due.restart) && a.want && a.page == nil && a.cancelRun == nil {
		a.launch()
	}
	if due(&a.due.linkCode) {
		a.requestCode()
	}
	if due(&a.due.send) {
		a.out.pump()
	}
	if due(&a.due.sweep) {
		a.sweepInbox()
	}
	if due(&a.due.drain) {
		a.drain.step()
	}
}

// --- browser lifecycle -------------------------------------------------------

func (a *actor) launch() {
	ctx, cancel := context.WithCancel(context.Background())
	a.cancelRun = cancel
	a.gen++
	gen := a.gen
	spec := LaunchSpec{Session: a.id, ProfileDir: a.m.profileDir(a.id), URL: a.m.cfg.WAURL, Browser: a.browser}
	go func() {
		p, err := a.m.cfg.Driver.Launch(ctx, spec)
		a.launched <- launchResult{gen: gen, page: p, err: err}
	}()
}

func (a *actor) onLaunched(r launchResult) {
	if r.gen != a.gen || !a.want {
		if r.page != nil {
			go r.page.Close()
		}
		return
	}
	a.cancelRun()
	a.cancelRun = nil
	if r.err != nil {
		if permanentLaunchError(r.err) {
			a.fail(r.err.Error())
			return
		}
		a.browserFailed(r.err)
		return
	}
	a.page, a.events = r.page, r.page.Events()
	a.ps, a.booted, a.qrReset = pageState{}, false, true
	a.due.load = time.Now().Add(a.m.cfg.Timing.LoadTimeout)
	a.event("browser-started", "")
	a.log.Info("browser started", "restart", len(a.crashes) > 0)
}

// pageEnded handles a browser that went away without being asked to.
func (a *actor) pageEnded() {
	err := a.page.Err()
	a.page, a.events = nil, nil
	if !a.want {
		return
	}
	if err == nil {
		err = errors.New("the browser ended")
	}
	if permanentLaunchError(err) {
		a.fail(err.Error())
		return
	}
	a.browserFailed(err)
}

// permanentLaunchError tells a browser failure that no restart can fix:
// no Chromium, settings it cannot start with, a proxy refusing the login.
func permanentLaunchError(err error) bool {
	return errors.Is(err, ErrNoChrome) || errors.Is(err, ErrProxyRefused) || errors.Is(err, ErrInvalid)
}

// browserFailed restarts a crashed browser with a growing delay, or gives up
// when it keeps crashing.
func (a *actor) browserFailed(err error) {
	now := time.Now()
	recent := a.crashes[:0]
	for _, t := range a.crashes {
		if now.Sub(t) < a.m.cfg.Timing.CrashWindow {
			recent = append(recent, t)
		}
	}
	a.crashes = append(recent, now)
	a.m.alerts.browserFailed(a.id)
	a.snap.LastError = err.Error()
	a.event("browser-failed", err.Error())
	a.log.Warn("browser failed", "err", err, "err_type", errTypeBrowserCrash, "failures", len(a.crashes), "window", a.m.cfg.Timing.CrashWindow)
	if n := len(a.crashes); n >= a.m.cfg.Timing.CrashLimit {
		a.fail(fmt.Sprintf("browser crash loop: %d failures within %s, the last: %v; check memory and Chromium, then start the session again", n, a.m.cfg.Timing.CrashWindow, err))
		return
	}
	delay := min(a.m.cfg.Timing.RestartDelay<<(len(a.crashes)-1), 30*time.Second)
	a.due.restart = now.Add(delay)
	a.due.load = time.Time{}
	a.transition(Starting, fmt.Sprintf("browser failed (%v); restarting in %s", err, delay.Round(time.Millisecond)))
}

// closeBrowser stops the browser and forgets the page; want is unchanged.
func (a *actor) closeBrowser() {
	if a.cancelRun != nil {
		a.cancelRun()
		a.cancelRun = nil
		a.gen++
	}
	if a.page != nil {
		a.page.Close()
		a.page, a.events = nil, nil
	}
	a.due = deadlines{send: a.due.send, sweep: a.due.sweep, drain: a.due.drain}
	a.codeReq, a.loggingOut = false, false
}

func (a *actor) fail(reason string) {
	a.want = false
	a.closeBrowser()
	a.snap.LastError = reason
	a.transition(Failed, reason)
}

func (a *actor) start() error {
	return a.do(func() error {
		if a.want && (a.page != nil || a.cancelRun != nil || !a.due.restart.IsZero()) {
			return nil
		}
		a.want, a.crashes = true, nil
		a.transition(Starting, "started")
		a.launch()
		return nil
	})
}

func (a *actor) stop(reason string) error {
	return a.do(func() error {
		a.want = false
		a.closeBrowser()
		a.transition(Stopped, reason)
		return nil
	})
}

func (a *actor) restart() error {
	return a.do(func() error {
		a.closeBrowser()
		a.want, a.crashes = true, nil
		a.transition(Starting, "restarted by the operator")
		a.launch()
		return nil
	})
}

// shutdown stops the session for good and waits for its loop to end.
func (a *actor) shutdown(reason string) {
	_ = a.do(func() error {
		a.want = false
		a.closeBrowser()
		a.transition(Stopped, reason)
		a.exiting = true
		return nil
	})
	<-a.quit
}

// logTransition logs a state change; losing the connection or the login
// is a warning, readiness and reconnects say so in their message.
func (a *actor) logTransition(from, to State, reason string) {
	level, msg := slog.LevelInfo, "state changed"
	switch {
	case to == Ready && from == Disconnected:
		msg = "reconnected"
	case to == Ready:
		msg = "ready"
	case to == Disconnected:
		level, msg = slog.LevelWarn, "disconnected"
	case to == Failed || to == Blocked || to == Conflict || to == LoggedOut:
		level = slog.LevelWarn
	}
	a.log.Log(context.Background(), level, msg, "from", from, "to", to, "reason", reason)
}
