package session

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/waconsole/waconsole/store"
)

// webhookFailingAttempts failed attempts of one delivery still retrying
// raise webhook-failing.
const webhookFailingAttempts = 3

// alertKey names a cause: at most one open alert each.
type alertKey struct {
	session string
	kind    AlertKind
}

// alerter raises alerts when their causes appear and resolves them when
// they go away. Sessions report what it cannot read from their snapshots
// (browser failures, send results); a ticker looks at what time changes
// (thresholds of duration) and polls the webhook queue and the disk.
// Sessions hand their snapshots over without waiting, and the alerts they
// show are raised and resolved (store writes) on the run goroutine, which
// reads the store and the disk before it takes mu: an actor never waits on
// a tick.
type alerter struct {
	m       *Manager
	t       Timing // a copy: tests change the manager's as it runs
	closing atomic.Bool
	stop    chan struct{}
	done    chan struct{}
	wake    chan struct{} // a session published: apply what changed

	inMu    sync.Mutex
	changed map[string][]published // per session, in the order published

	watchMu sync.Mutex
	watch   map[string]*alertWatch

	mu       sync.Mutex
	open     map[alertKey]Alert
	seen     map[string]uint64                                // the newest snapshot applied, per session
	diskFree func(dir string) (free, total uint64, err error) // nil: not measured here

	// The run goroutine's alone.
	nextHook time.Time // when the webhook queue is next read
	nextDisk time.Time // when the disk is next measured
}

// published is a snapshot as its session handed it over, with its number.
type published struct {
	from *actor // a session deleted and added again is another actor
	snap Snapshot
	seq  uint64
}

// alertWatch is what one session reported.
type alertWatch struct {
	crashes   []time.Time // browser failures, within the restart window
	lastCrash time.Time
	failures  []time.Time // failed send attempts since the last success
	lastSend  string      // the last send error, for the reason
}

func newAlerter(m *Manager) (*alerter, error) {
	al := &alerter{m: m, t: m.cfg.Timing, stop: make(chan struct{}), done: make(chan struct{}), wake: make(chan struct{}, 1),
		changed: map[string][]published{}, watch: map[string]*alertWatch{},
		open: map[alertKey]Alert{}, seen: map[string]uint64{}, diskFree: diskFree}
	open, err := m.cfg.Store.Alerts(store.AlertQuery{Open: true})
	if err != nil {
		return nil, err
	}
	for _, a := range open {
		al.open[alertKey{a.Session, AlertKind(a.Kind)}] = fromStoreAlert(a)
	}
	if al.diskFree == nil {
		m.cfg.Log.Info("the free disk space is not measured on this system: the disk-full alert is off")
	}
	return al, nil
}

func (al *alerter) run() {
	defer close(al.done)
	t := time.NewTicker(al.t.AlertCheck)
	defer t.Stop()
	for {
		select {
		case <-al.stop:
			return
		case <-al.wake:
			al.applyChanged()
		case now := <-t.C:
			al.tick(now)
		}
	}
}

// close stops the ticker; sessions stopping at shutdown resolve nothing.
func (al *alerter) close() {
	if al.closing.Swap(true) {
		return
	}
	close(al.stop)
	<-al.done
}

// tick reads the webhook queue and the disk when they are due, then, under
// mu, applies them and every session's current snapshot.
func (al *alerter) tick(now time.Time) {
	t := al.t
	var trouble map[string]store.DeliveryTrouble
	hooksRead := false
	if !now.Before(al.nextHook) {
		al.nextHook = now.Add(t.AlertWebhookPoll)
		trouble, hooksRead = al.readWebhooks()
	}
	al.mu.Lock()
	measure := al.diskFree
	al.mu.Unlock()
	var disk *diskSpace
	if measure != nil && !now.Before(al.nextDisk) {
		al.nextDisk = now.Add(t.AlertDiskPoll)
		disk = al.measureDisk(measure)
	}
	al.applyChanged()
	al.mu.Lock()
	defer al.mu.Unlock()
	now = time.Now() // the reads may have taken a while
	for _, a := range al.m.actorList() {
		s, seq := a.published()
		al.apply(published{a, s, seq}, now)
	}
	if hooksRead {
		al.checkWebhooks(trouble, now)
	}
	if disk != nil {
		al.checkDisk(*disk, now)
	}
	if a, ok := al.open[alertKey{"", AlertUncleanRestart}]; ok && (!a.Acked.IsZero() || now.Sub(a.Raised) >= t.AlertUncleanClear) {
		al.resolve("", AlertUncleanRestart, now)
	}
}

// watchOf returns a session's watch; al.watchMu is held.
func (al *alerter) watchOf(session string) *alertWatch {
	w := al.watch[session]
	if w == nil {
		w = &alertWatch{}
		al.watch[session] = w
	}
	return w
}

// browserFailed notes a browser that crashed or could not start.
func (al *alerter) browserFailed(session string) {
	al.watchMu.Lock()
	defer al.watchMu.Unlock()
	w := al.watchOf(session)
	w.lastCrash = time.Now()
	w.crashes = append(w.crashes, w.lastCrash)
}

// sendResult notes a send attempt's outcome: a success clears the failures.
func (al *alerter) sendResult(session string, err error) {
	al.watchMu.Lock()
	defer al.watchMu.Unlock()
	w := al.watchOf(session)
	if err == nil {
		w.failures = nil
		return
	}
	w.failures = append(w.failures, time.Now())
	w.lastSend = err.Error()
}

// forget resolves every alert of a deleted session.
func (al *alerter) forget(session string) {
	al.inMu.Lock()
	delete(al.changed, session)
	al.inMu.Unlock()
	al.watchMu.Lock()
	delete(al.watch, session)
	al.watchMu.Unlock()
	al.mu.Lock()
	defer al.mu.Unlock()
	delete(al.seen, session)
	now := time.Now()
	for k := range al.open {
		if k.session == session {
			al.resolve(session, k.kind, now)
		}
	}
}

// uncleanStart raises the alert of a process that did not stop cleanly.
func (al *alerter) uncleanStart(ps store.ProcessStarts) {
	if !ps.AfterUnclean {
		return
	}
	al.mu.Lock()
	defer al.mu.Unlock()
	al.raise("", AlertUncleanRestart, uncleanReason(ps))
}

// raise opens the alert of a cause unless one is open; al.mu is held.
func (al *alerter) raise(session string, kind AlertKind, reason string) {
	k := alertKey{session, kind}
	if _, ok := al.open[k]; ok {
		return
	}
	sa, _, err := al.m.cfg.Store.RaiseAlert(store.Alert{Session: session, Kind: string(kind), Severity: string(kind.Severity()), Reason: reason})
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			al.m.cfg.Log.Error("raising an alert failed", "session", session, "alert_kind", kind, "err", err, "err_type", errTypeStore)
		}
		return
	}
	a := fromStoreAlert(sa)
	al.open[k] = a
	al.m.cfg.Log.Warn("alert raised", "alert", a.ID, "session", session, "alert_kind", kind, "severity", a.Severity, "reason", a.Reason)
	al.m.broker.publish(Update{Session: session, Alert: &a})
}

// resolve closes the open alert of a cause, if any; al.mu is held.
func (al *alerter) resolve(session string, kind AlertKind, now time.Time) {
	k := alertKey{session, kind}
	if _, ok := al.open[k]; !ok {
		return
	}
	sa, _, err := al.m.cfg.Store.ResolveAlert(session, string(kind), now)
	if err != nil {
		al.m.cfg.Log.Error("resolving an alert failed", "session", session, "alert_kind", kind, "err", err, "err_type", errTypeStore)
		return
	}
	delete(al.open, k)
	a := fromStoreAlert(sa)
	al.m.cfg.Log.Info("alert resolved", "alert", a.ID, "session", session, "alert_kind", kind)
	al.m.broker.publish(Update{Session: session, Alert: &a})
}

// acked keeps the open copy current after an acknowledgement.
func (al *alerter) acked(a Alert) {
	al.mu.Lock()
	defer al.mu.Unlock()
	k := alertKey{a.Session, a.Kind}
	if o, ok := al.open[k]; ok && o.ID == a.ID {
		al.open[k] = a
	}
	al.m.broker.publish(Update{Session: a.Session, Alert: &a})
	if a.Kind == AlertUncleanRestart && a.Open() {
		al.resolve("", AlertUncleanRestart, time.Now())
	}
}

// AlertKinds lists every kind, for what exports each (0 where none is open).
var AlertKinds = []AlertKind{AlertDisconnected, AlertLoggedOut, AlertConflict, AlertBlocked, AlertFailed, AlertRestartLoop,
	AlertSendFailures, AlertDeadJobs, AlertWebhookFailing, AlertWebhookDead, AlertDiskFull, AlertUncleanRestart}

// Severity is the kind's: critical when messages stop flowing or soon will.
func (k AlertKind) Severity() AlertSeverity {
	switch k {
	case AlertSendFailures, AlertDeadJobs, AlertWebhookFailing, AlertWebhookDead, AlertUncleanRestart:
		return SeverityWarning
	}
	return SeverityCritical
}

func fromStoreAlert(a store.Alert) Alert {
	return Alert{ID: a.ID, Session: a.Session, Kind: AlertKind(a.Kind), Severity: AlertSeverity(a.Severity), Reason: a.Reason,
		Raised: a.Raised, Acked: a.Acked, Resolved: a.Resolved}
}
