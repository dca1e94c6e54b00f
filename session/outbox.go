package session

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/waconsole/waconsole/store"
)

// sendTimeout bounds one send, the page's own result included.
const sendTimeout = 60 * time.Second

// latencyWindow is how many recent sends the latency percentiles cover.
const latencyWindow = 500

// outbox is the sender half of an actor: it is owned by the actor's loop,
// except guard, which enqueuers use.
type outbox struct {
	a          *actor
	guard      *bulkGuard
	rng        *rand.Rand
	pacing     Pacing         // in effect: defaults filled in
	stored     PacingSettings // as the operator set it
	paused     bool
	holdReason string

	pending  []Job // queued, retrying and sending jobs, by seq
	inflight *Job
	lastSend time.Time
	gap      time.Duration // wait after lastSend, jitter included
	lastChat map[string]time.Time

	disconnects []time.Time
	sentAt      []time.Time // for the 5 minute window
	failedAt    []time.Time
	latencies   []time.Duration
	sentTotal   int
	held, dead  int
}

func (o *outbox) init(a *actor, s store.Session) {
	o.a = a
	o.rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	o.stored = s.Pacing
	o.pacing = EffectivePacing(s.Pacing)
	o.paused, o.holdReason = s.Paused, s.HoldReason
	o.lastChat = map[string]time.Time{}
	o.guard = newBulkGuard(func() int { return a.snapshot().Pacing.BulkLimit })
}

// load reads the session's jobs: the unfinished ones to send, the recent
// ones for the bulk guard and the figures.
func (o *outbox) load() {
	jobs, err := o.a.m.cfg.Store.Jobs(o.a.id)
	if err != nil {
		o.a.snap.LastError = "reading the outbox: " + err.Error()
		return
	}
	now := time.Now()
	for _, j := range jobs {
		if now.Sub(j.Created) < bulkWindow {
			o.guard.note(j.Body, j.ChatID, j.Created)
		}
		switch j.State {
		case JobQueued, JobRetrying, JobSending:
			o.pending = append(o.pending, j)
		case JobSent:
			o.sentTotal++
			o.latencies = append(o.latencies, j.SentAt.Sub(j.Created))
		case JobHeld:
			o.held++
		case JobDead:
			o.dead++
		}
	}
	if n := len(o.latencies); n > latencyWindow {
		o.latencies = o.latencies[n-latencyWindow:]
	}
}

func (o *outbox) info() QueueInfo {
	depth := len(o.pending)
	if o.inflight != nil {
		depth++
	}
	return QueueInfo{Depth: depth, Held: o.held, Dead: o.dead, Failures5m: countSince(o.failedAt, 5*time.Minute), Paused: o.paused}
}

func countSince(ts []time.Time, d time.Duration) int {
	n := 0
	for _, t := range ts {
		if time.Since(t) <= d {
			n++
		}
	}
	return n
}

// trim keeps only the timestamps of the last five minutes.
func trim(ts []time.Time) []time.Time {
	i := 0
	for i < len(ts) && time.Since(ts[i]) > 5*time.Minute {
		i++
	}
	return ts[i:]
}

// jobChanged tells subscribers where a job is now.
func (o *outbox) jobChanged(j Job) {
	o.a.m.broker.publish(Update{Session: o.a.id, Job: &j})
}

// jobTrace is the id that follows a job through logs and webhooks: the
// inbound message it answers, else its own message id.
func jobTrace(j Job) string {
	if j.ReplyTo != "" {
		return j.ReplyTo
	}
	return j.MsgID
}

// jobLog is the session's logger with a job's ids. The message id is
// msg_id: msg is the log line's own message.
func (o *outbox) jobLog(j Job) *slog.Logger {
	return o.a.log.With("job", j.Seq, "chat", j.ChatID, "msg_id", j.MsgID, "trace", jobTrace(j))
}

// added takes freshly enqueued jobs into the loop.
func (o *outbox) added(jobs []Job) {
	for _, j := range jobs {
		o.jobChanged(j)
		if j.State == JobHeld {
			o.held++
			o.a.event("job-held", fmt.Sprintf("job %d to %s: %s", j.Seq, j.ChatID, j.HoldReason))
			o.jobLog(j).Info("send held", "reason", j.HoldReason)
			continue
		}
		o.jobLog(j).Debug("send queued")
		o.pending = append(o.pending, j)
	}
	o.a.due.send = time.Now()
	o.a.publish()
}

// stateChanged resumes sending on READY and holds the queue after repeated
// disconnects: sending into a flapping connection is how numbers get banned.
func (o *outbox) stateChanged(from, to State) {
	now := time.Now()
	if to == Ready {
		o.a.due.send = now
	}
	if to != Disconnected || from != Ready {
		return
	}
	t := o.a.m.cfg.Timing
	recent := o.disconnects[:0]
	for _, d := range o.disconnects {
		if now.Sub(d) < t.HoldWindow {
			recent = append(recent, d)
		}
	}
	o.disconnects = append(recent, now)
	if len(o.disconnects) >= t.HoldDisconnects && !o.paused {
		o.hold(fmt.Sprintf("held after %d disconnects within %s: resume when the connection is stable", len(o.disconnects), t.HoldWindow))
	}
}

func (o *outbox) hold(reason string) {
	o.paused, o.holdReason = true, reason
	o.savePause()
	o.a.event("queue-paused", reason)
	o.a.log.Warn("queue paused", "reason", reason)
}

func (o *outbox) savePause() {
	paused, reason := o.paused, o.holdReason
	_, err := o.a.m.cfg.Store.UpdateSession(o.a.id, func(s *store.Session) error {
		s.Paused, s.HoldReason = paused, reason
		return nil
	})
	if err != nil {
		o.a.log.Error("saving the queue pause failed", "err", err, "err_type", errTypeStore)
	}
}

func (o *outbox) setPacing(p PacingSettings) error {
	_, err := o.a.m.cfg.Store.UpdateSession(o.a.id, func(s *store.Session) error {
		s.Pacing = p
		return nil
	})
	if err != nil {
		return err
	}
	o.stored, o.pacing = p, EffectivePacing(p)
	o.a.event("pacing", fmt.Sprintf("min gap %s, jitter %s-%s, chat gap %s, bulk limit %d",
		o.pacing.MinGap, o.pacing.JitterMin, o.pacing.Jitter, o.pacing.ChatGap, o.pacing.BulkLimit))
	o.a.due.send = time.Now()
	return nil
}

// next picks the oldest job that may go now, or says when one may.
func (o *outbox) next(now time.Time) (int, time.Time) {
	var wake time.Time
	for i, j := range o.pending {
		at := j.NextAttempt
		if c := o.lastChat[j.ChatID].Add(o.pacing.ChatGap); c.After(at) && !o.lastChat[j.ChatID].IsZero() {
			at = c
		}
		if !at.After(now) {
			return i, time.Time{}
		}
		if wake.IsZero() || at.Before(wake) {
			wake = at
		}
	}
	return -1, wake
}

// pump sends the next job if the session, the pacing and the queue allow.
func (o *outbox) pump() {
	a := o.a
	if o.inflight != nil || o.paused || a.page == nil || a.snap.State != Ready || len(o.pending) == 0 {
		return
	}
	now := time.Now()
	if ready := o.lastSend.Add(o.gap); now.Before(ready) {
		a.due.send = ready
		return
	}
	i, wake := o.next(now)
	if i < 0 {
		a.due.send = wake
		return
	}
	j := o.pending[i]
	o.pending = slices.Delete(o.pending, i, i+1)
	// A job that may have reached WhatsApp before (a crash between sending
	// and sent, a timeout, a retry) is looked up first and never sent twice.
	check := j.State == JobSending || j.Attempts > 0 || j.LastError != ""
	saved, err := a.m.cfg.Store.UpdateJob(a.id, j.Seq, func(s *Job) error {
		s.State = JobSending
		return nil
	})
	if err != nil {
		o.pending = append([]Job{j}, o.pending...)
		o.hold("the outbox cannot be written (" + err.Error() + "): fix the disk, then resume")
		a.publish()
		return
	}
	o.inflight = &saved
	o.jobChanged(saved)
	p := a.page
	quote := o.quoteKey(saved)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
		defer cancel()
		msg, err := sendOnce(ctx, p, saved, quote, check)
		a.post(func() { o.finished(p, saved, msg, err) })
	}()
	a.publish()
}

// quoteKey is the key of the message job j replies to, as captured, or
// its raw id when the capture has no key; "" for a job that replies to none.
func (o *outbox) quoteKey(j Job) string {
	if j.ReplyTo == "" {
		return ""
	}
	if m, err := o.a.m.cfg.Store.InboundByID(o.a.id, j.ReplyTo); err == nil && m.Key != "" {
		return m.Key
	}
	return j.ReplyTo
}

// sendOnce sends a job, or confirms that an earlier attempt got through.
func sendOnce(ctx context.Context, p Page, j Job, quote string, check bool) (Message, error) {
	if check {
		m, found, err := p.FindMessage(ctx, j.ChatID, j.MsgID)
		if err != nil {
			return Message{}, fmt.Errorf("checking whether an earlier attempt was sent: %w", err)
		}
		if found {
			return m, nil
		}
	}
	return p.SendText(ctx, j.ChatID, j.MsgID, j.Body, quote)
}

// finished records the outcome of a send.
func (o *outbox) finished(p Page, j Job, msg Message, err error) {
	a := o.a
	now := time.Now()
	o.inflight = nil
	o.lastSend, o.gap = now, nextGap(o.pacing, o.rng)
	o.lastChat[j.ChatID] = now
	if err == nil && msg.Chat != "" && msg.Chat != j.ChatID {
		// WhatsApp keeps this contact under its LID: the chat gap holds for
		// both ids, and the operator learns where the message went.
		o.lastChat[msg.Chat] = now
		a.event("job-chat", fmt.Sprintf("job %d to %s went to chat %s, WhatsApp's id for the same contact", j.Seq, j.ChatID, msg.Chat))
	}
	if err == nil && j.ReplyTo != "" && msg.Quoted == nil {
		a.event("job-unquoted", fmt.Sprintf("job %d was sent without quoting message %s: WhatsApp Web no longer holds it or does not let it be quoted (deleted, or a notification)", j.Seq, j.ReplyTo))
	}
	a.due.send = now
	t := a.m.cfg.Timing
	update := func(s *Job) error {
		switch {
		case err == nil:
			s.State, s.SentAt, s.Ack, s.LastError = JobSent, now, int(msg.Ack), ""
		case errors.Is(err, ErrPermanent):
			s.State, s.Permanent, s.LastError = JobDead, true, err.Error()
		case errors.Is(err, ErrInFlight):
			// The page will send it: look again later, without counting
			// an attempt against it.
			s.State, s.LastError, s.NextAttempt = JobRetrying, err.Error(), now.Add(t.RetryBase)
		default:
			s.Attempts++
			s.LastError = err.Error()
			if a.page != p {
				// The browser went away mid-send: not the message's fault.
				s.LastError = "interrupted: the browser went away during the send"
				s.State, s.NextAttempt = JobRetrying, now
			} else if s.Attempts >= t.RetryAttempts {
				s.State = JobDead
				s.LastError = fmt.Sprintf("gave up after %d attempts: %v", s.Attempts, err)
			} else {
				s.State, s.NextAttempt = JobRetrying, now.Add(backoff(s.Attempts, t.RetryBase, t.RetryMax, o.rng))
			}
		}
		return nil
	}
	if !errors.Is(err, ErrInFlight) {
		a.m.alerts.sendResult(a.id, err)
	}
	saved, serr := a.m.cfg.Store.UpdateJob(a.id, j.Seq, update)
	if serr != nil {
		// The job stays "sending" on disk: the next start will look it up.
		o.hold("the outbox cannot be written (" + serr.Error() + "): fix the disk, then resume")
		a.publish()
		return
	}
	o.jobChanged(saved)
	o.logOutcome(saved, err, a.page != p)
	switch saved.State {
	case JobSent:
		o.sentTotal++
		o.sentAt = append(trim(o.sentAt), now)
		o.latencies = append(o.latencies, now.Sub(saved.Created))
		if len(o.latencies) > latencyWindow {
			o.latencies = o.latencies[1:]
		}
	case JobDead:
		o.dead++
		o.failedAt = append(trim(o.failedAt), now)
		a.event("job-dead", fmt.Sprintf("job %d to %s: %s", saved.Seq, saved.ChatID, saved.LastError))
	default:
		o.failedAt = append(trim(o.failedAt), now)
		o.requeue(saved)
	}
	a.publish()
}

// logOutcome logs how a send ended; gone tells that the browser went away
// during it.
func (o *outbox) logOutcome(j Job, err error, gone bool) {
	errType := ErrType(err)
	if gone && err != nil {
		errType = errTypeBrowserGone
	}
	// A success or a refusal is not counted in Attempts, a failed try is.
	attempt := j.Attempts
	if err == nil || errors.Is(err, ErrPermanent) {
		attempt++
	}
	l := o.jobLog(j)
	switch {
	case j.State == JobSent:
		l.Info("message sent", "attempt", attempt)
	case j.State == JobDead:
		l.Error("job dead", "attempt", attempt, "err", err, "err_type", errType)
	case errors.Is(err, ErrInFlight):
		l.Debug("send in flight at the page", "next_in", time.Until(j.NextAttempt).Round(time.Millisecond))
	default:
		l.Warn("send failed", "attempt", attempt, "next_in", time.Until(j.NextAttempt).Round(time.Millisecond), "err", err, "err_type", errType)
	}
}

// requeue puts a job back among the pending ones, in seq order.
func (o *outbox) requeue(j Job) {
	o.pending = append(o.pending, j)
	slices.SortFunc(o.pending, func(x, y Job) int { return cmp.Compare(x.Seq, y.Seq) })
}

// onMessage keeps the ack of sent jobs current.
func (o *outbox) onMessage(m Message) {
	if !m.FromMe || m.ID == "" {
		return
	}
	j, err := o.a.m.cfg.Store.JobByMsgID(o.a.id, m.ID)
	if err != nil || j.State != JobSent || j.Ack >= int(m.Ack) {
		return
	}
	saved, err := o.a.m.cfg.Store.UpdateJob(o.a.id, j.Seq, func(s *Job) error {
		s.Ack = int(m.Ack)
		return nil
	})
	if err != nil {
		o.jobLog(j).Error("saving an ack failed", "err", err, "err_type", errTypeStore)
		return
	}
	o.jobLog(saved).Debug("ack", "ack", saved.Ack)
	o.jobChanged(saved)
}
