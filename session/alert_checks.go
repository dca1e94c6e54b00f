package session

import (
	"fmt"
	"time"

	"github.com/waconsole/waconsole/store"
)

// stateAlerts are raised by the session's state; at most one is open.
var stateAlerts = []AlertKind{AlertDisconnected, AlertLoggedOut, AlertConflict, AlertBlocked, AlertFailed}

// Disk space below either of these raises disk-full.
const (
	diskFreeRatio = 0.05
	diskFreeMin   = 1 << 30
)

// maxChanged bounds the snapshots kept for a session the alerter has not
// caught up with; the oldest go first.
const maxChanged = 32

// observe hands a session's published snapshot to the run goroutine
// without waiting. Snapshots of one state in a row are kept as the newest
// alone, but a state passed through stays: a LOGGED_OUT stopped at once
// still raises its alert.
func (al *alerter) observe(from *actor, s Snapshot, seq uint64) {
	if al.closing.Load() {
		return // a shutdown stops sessions: nothing the operator chose
	}
	p := published{from, s, seq}
	al.inMu.Lock()
	q := al.changed[s.ID]
	if n := len(q); n > 0 && q[n-1].snap.State == s.State {
		q[n-1] = p
	} else {
		q = append(q, p)
	}
	if len(q) > maxChanged {
		q = q[len(q)-maxChanged:]
	}
	al.changed[s.ID] = q
	al.inMu.Unlock()
	select {
	case al.wake <- struct{}{}:
	default: // a wake is pending: it applies this too
	}
}

// applyChanged applies what sessions published since it last ran.
func (al *alerter) applyChanged() {
	al.inMu.Lock()
	changed := al.changed
	al.changed = map[string][]published{}
	al.inMu.Unlock()
	if len(changed) == 0 {
		return
	}
	al.mu.Lock()
	defer al.mu.Unlock()
	now := time.Now()
	for _, q := range changed {
		for _, p := range q {
			al.apply(p, now)
		}
	}
}

// apply raises and resolves the alerts a session's snapshot shows. A
// snapshot older than one applied already is dropped: it would raise again
// what the session has since resolved. al.mu is held.
func (al *alerter) apply(p published, now time.Time) {
	s := p.snap
	if al.closing.Load() {
		return
	}
	if a, err := al.m.actor(s.ID); err != nil || a != p.from {
		return // deleted: forget resolved its alerts
	}
	if p.seq < al.seen[s.ID] {
		return
	}
	al.seen[s.ID] = p.seq
	th := s.Alerting
	al.checkState(s, th, now)
	al.checkRestarts(s, th, now)
	al.checkSends(s, th, now)
	if s.Queue.Dead > 0 {
		al.raise(s.ID, AlertDeadJobs, fmt.Sprintf("%d outbox jobs are dead and will not be sent: retry or discard them (waconsole outbox %s)", s.Queue.Dead, s.ID))
	} else {
		al.resolve(s.ID, AlertDeadJobs, now)
	}
}

// checkState keeps the alert of a state that needs an operator open until
// the session is READY again, is stopped (a session that needs pairing stays
// alerted until it is paired), or enters another such state. The states a
// session passes through meanwhile (STARTING, QR, a short DISCONNECTED)
// change nothing.
func (al *alerter) checkState(s Snapshot, th AlertThresholds, now time.Time) {
	want := AlertKind("")
	var reason string
	switch s.State {
	case Disconnected:
		if now.Sub(s.Since) < th.Disconnected {
			return
		}
		want, reason = AlertDisconnected, fmt.Sprintf("DISCONNECTED since %s, longer than %s: %s", s.Since.Format(time.RFC3339), th.Disconnected, s.Reason)
	case LoggedOut:
		want, reason = AlertLoggedOut, fmt.Sprintf("LOGGED_OUT (%s): pair it again with `waconsole pair %s`", s.Reason, s.ID)
	case Conflict:
		want, reason = AlertConflict, fmt.Sprintf("CONFLICT: WhatsApp Web is open elsewhere (%s); restart the session to take it back", s.Reason)
	case Blocked:
		want, reason = AlertBlocked, fmt.Sprintf("BLOCKED: %s", s.Reason)
	case Failed:
		want, reason = AlertFailed, fmt.Sprintf("FAILED: %s", s.Reason)
	case Stopped:
		if _, ok := al.open[alertKey{s.ID, AlertLoggedOut}]; ok {
			want = AlertLoggedOut
		}
	case Ready:
	default:
		return
	}
	for _, k := range stateAlerts {
		if k != want {
			al.resolve(s.ID, k, now)
		}
	}
	if want != "" {
		al.raise(s.ID, want, reason)
	}
}

// checkRestarts raises restart-loop on too many browser failures within
// the window; it resolves once the session has been READY for the quiet
// period without a failure, or is stopped, and those failures are then
// counted no more.
func (al *alerter) checkRestarts(s Snapshot, th AlertThresholds, now time.Time) {
	quiet := al.t.AlertRestartQuiet
	al.watchMu.Lock()
	w := al.watchOf(s.ID)
	w.crashes = since(w.crashes, now.Add(-th.RestartWindow))
	settled := s.State == Stopped || s.State == Ready && now.Sub(s.Since) >= quiet && now.Sub(w.lastCrash) >= quiet
	if settled {
		w.crashes = nil
	}
	crashes := len(w.crashes)
	al.watchMu.Unlock()
	switch {
	case settled:
		al.resolve(s.ID, AlertRestartLoop, now)
	case crashes >= th.Restarts:
		al.raise(s.ID, AlertRestartLoop, fmt.Sprintf("the browser failed %d times within %s, the last: %s; check memory and Chromium",
			crashes, th.RestartWindow, s.LastError))
	}
}

// checkSends raises send-failures on too many failed attempts within the
// window; it resolves when a send succeeds or the window holds no failure.
func (al *alerter) checkSends(s Snapshot, th AlertThresholds, now time.Time) {
	al.watchMu.Lock()
	w := al.watchOf(s.ID)
	w.failures = since(w.failures, now.Add(-th.SendWindow))
	n, last := len(w.failures), w.lastSend
	al.watchMu.Unlock()
	switch {
	case n >= th.SendFailures:
		al.raise(s.ID, AlertSendFailures, fmt.Sprintf("%d send attempts failed within %s, the last: %s", n, th.SendWindow, last))
	case n == 0:
		al.resolve(s.ID, AlertSendFailures, now)
	}
}

// since drops the times before cut; ts is in time order.
func since(ts []time.Time, cut time.Time) []time.Time {
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	return ts[i:]
}

// readWebhooks reads the delivery queue's trouble per session; false when
// it cannot be read.
func (al *alerter) readWebhooks() (map[string]store.DeliveryTrouble, bool) {
	trouble, err := al.m.cfg.Store.DeliveriesInTrouble(webhookFailingAttempts)
	if err != nil {
		al.m.cfg.Log.Error("reading the webhook deliveries for alerts failed", "err", err, "err_type", errTypeStore)
		return nil, false
	}
	return trouble, true
}

// checkWebhooks applies what readWebhooks read: a delivery still retrying
// after webhookFailingAttempts failures raises webhook-failing, a dead one
// webhook-dead; each resolves when none is left. al.mu is held.
func (al *alerter) checkWebhooks(trouble map[string]store.DeliveryTrouble, now time.Time) {
	for _, s := range al.m.List() {
		t := trouble[s.ID]
		if t.Failing > 0 {
			al.raise(s.ID, AlertWebhookFailing, fmt.Sprintf("%d webhook deliveries failed %d times or more and are retrying: check the endpoints (waconsole webhook deliveries %s)",
				t.Failing, webhookFailingAttempts, s.ID))
		} else {
			al.resolve(s.ID, AlertWebhookFailing, now)
		}
		if t.Dead > 0 {
			al.raise(s.ID, AlertWebhookDead, fmt.Sprintf("%d webhook deliveries are dead: fix the endpoint, then retry them (waconsole webhook deliveries %s --state dead)", t.Dead, s.ID))
		} else {
			al.resolve(s.ID, AlertWebhookDead, now)
		}
	}
}

// diskSpace is what measureDisk found.
type diskSpace struct{ free, total uint64 }

// measureDisk measures the free space of the data dir's filesystem, nil
// when it cannot.
func (al *alerter) measureDisk(diskFree func(string) (uint64, uint64, error)) *diskSpace {
	free, total, err := diskFree(al.m.cfg.DataDir)
	if err != nil {
		al.m.cfg.Log.Error("measuring the free disk space failed", "dir", al.m.cfg.DataDir, "err", err)
		return nil
	}
	return &diskSpace{free, total}
}

// checkDisk applies what measureDisk found. al.mu is held.
func (al *alerter) checkDisk(d diskSpace, now time.Time) {
	free, total := d.free, d.total
	if free < diskFreeMin || float64(free) < diskFreeRatio*float64(total) {
		al.raise("", AlertDiskFull, fmt.Sprintf("the disk of %s has %s free of %s (below 5%% or 1 GiB): free space or the store stops taking writes",
			al.m.cfg.DataDir, bytesText(free), bytesText(total)))
	} else {
		al.resolve("", AlertDiskFull, now)
	}
}

func bytesText(n uint64) string {
	const gib = 1 << 30
	if n >= gib {
		return fmt.Sprintf("%.1f GiB", float64(n)/gib)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}

func uncleanReason(ps store.ProcessStarts) string {
	return fmt.Sprintf("the last process did not stop cleanly (killed, crashed or the power went): %d of %d starts on this data dir followed one; check the supervisor's log",
		ps.Unclean, ps.Starts)
}
