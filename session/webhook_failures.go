package session

import (
	"fmt"
	"sync"
	"time"
)

// The event kinds of webhook trouble in a session's log: an attempt that
// failed and will be made again, and a delivery that gave up.
const (
	EventWebhookFailed = "webhook-failed"
	EventWebhookDead   = "webhook-dead"
)

// hookEvents holds back webhook failures, so that an endpoint that is down
// under traffic adds at most one event of each kind per interval to the
// session's log (which keeps the newest 1000) instead of one per attempt.
type hookEvents struct {
	mu   sync.Mutex
	keys map[hookKey]*hookWindow
}

type hookKey struct {
	session, endpoint string
	dead              bool
}

// hookWindow is one endpoint's failures of one kind since its last event.
type hookWindow struct {
	last   time.Time   // when its last event was recorded
	held   int         // failures since, not yet in an event
	reason string      // the newest of them
	timer  *time.Timer // records the held ones when the interval is over
}

// WebhookFailed records a failed webhook attempt of the session's endpoint
// (dead: its delivery gave up) as an event of its log, published like the
// others: the first at once, those that follow within
// Timing.WebhookEventEvery as one event when that interval is over, saying
// how many there were. It never waits for the session's actor: when its
// queue is full the failure is held for the next event. A session deleted
// meanwhile records nothing.
func (m *Manager) WebhookFailed(id, endpoint string, dead bool, reason string) {
	h := &m.hookEvents
	k := hookKey{id, endpoint, dead}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.keys == nil {
		h.keys = map[hookKey]*hookWindow{}
	}
	w := h.keys[k]
	if w == nil {
		w = &hookWindow{}
		h.keys[k] = w
	}
	w.held++
	w.reason = reason
	if w.timer != nil {
		return // held until the interval is over
	}
	if wait := m.cfg.Timing.WebhookEventEvery - time.Since(w.last); wait > 0 {
		w.timer = time.AfterFunc(wait, func() { m.flushWebhookFailures(k) })
		return
	}
	m.recordWebhookFailures(k, w)
}

// flushWebhookFailures records what k held back over its interval.
func (m *Manager) flushWebhookFailures(k hookKey) {
	h := &m.hookEvents
	h.mu.Lock()
	defer h.mu.Unlock()
	if w := h.keys[k]; w != nil {
		w.timer = nil
		m.recordWebhookFailures(k, w)
	}
}

// recordWebhookFailures hands w's held failures to the session's actor as
// one event; with its queue full they stay held another interval.
// h.mu is held.
func (m *Manager) recordWebhookFailures(k hookKey, w *hookWindow) {
	a, err := m.actor(k.session)
	if err != nil {
		delete(m.hookEvents.keys, k) // deleted: nothing to tell
		return
	}
	kind := EventWebhookFailed
	if k.dead {
		kind = EventWebhookDead
	}
	reason, n := w.reason, w.held
	if n > 1 {
		reason = fmt.Sprintf("%s (and %d more since %s)", reason, n-1, w.last.Format(time.TimeOnly))
		if w.last.IsZero() {
			reason = fmt.Sprintf("%s (and %d more)", w.reason, n-1)
		}
	}
	f := func() {
		a.record(Event{Kind: kind, Reason: reason, Count: n, From: string(a.snap.State), To: string(a.snap.State)})
	}
	select {
	case a.cmds <- f:
	case <-a.quit:
	default: // the actor is behind: held, not waited for
		w.timer = time.AfterFunc(m.cfg.Timing.WebhookEventEvery, func() { m.flushWebhookFailures(k) })
		return
	}
	w.last, w.held, w.reason = time.Now(), 0, ""
}
