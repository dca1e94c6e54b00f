package session

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Send queues one text for a chat. It returns once the job is durable, with
// the WhatsApp message id it will be sent with.
func (m *Manager) Send(ctx context.Context, id, chatID, body string) (Job, error) {
	jobs, err := m.SendMany(ctx, id, chatID, "", []string{body})
	if err != nil {
		return Job{}, err
	}
	return jobs[0], nil
}

// SendMany queues several texts for one chat in one durable write; either
// all are queued or none. replyTo, when set, must be a message the session
// captured or the chat holds; each job carries it.
func (m *Manager) SendMany(ctx context.Context, id, chatID, replyTo string, bodies []string) ([]Job, error) {
	a, err := m.actor(id)
	if err != nil {
		return nil, err
	}
	chat, _, err := ParseChatID(chatID)
	if err != nil {
		return nil, err
	}
	if len(bodies) == 0 {
		return nil, errorf(ErrInvalid, "nothing to send")
	}
	now := time.Now()
	jobs := make([]Job, len(bodies))
	for i, b := range bodies {
		if err := ValidateText(b); err != nil {
			if len(bodies) > 1 {
				return nil, errorf(ErrInvalid, "message %d: %w; nothing was queued", i+1, err)
			}
			return nil, err
		}
		jobs[i] = Job{Session: id, ChatID: chat, Body: b, MsgID: NewMessageID(), State: JobQueued, Created: now, ReplyTo: replyTo}
	}
	target, err := m.replyTarget(ctx, id, chat, replyTo)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a.out.guard.check(jobs, now)
	if err := m.holdReplyFirst(id, chat, a.snapshot().ReplyFirst, target, jobs); err != nil {
		return nil, fmt.Errorf("reply-first check for %s: %w", id, err)
	}
	saved, err := m.cfg.Store.Enqueue(jobs...)
	if err != nil {
		return nil, fmt.Errorf("queueing for %s: %w", id, err)
	}
	a.post(func() { a.out.added(saved) })
	return saved, nil
}

// Jobs lists a session's outbox jobs in the given states (all when none).
func (m *Manager) Jobs(id string, states ...JobState) ([]Job, error) {
	if _, err := m.actor(id); err != nil {
		return nil, err
	}
	return m.cfg.Store.Jobs(id, states...)
}

// RetryJob sends a dead job again, or approves a held one.
func (m *Manager) RetryJob(id string, seq uint64) error {
	return m.with(id, func(a *actor) error {
		return a.do(func() error { return a.out.retry(seq) })
	})
}

// DiscardJob removes a dead or held job for good.
func (m *Manager) DiscardJob(id string, seq uint64) error {
	return m.with(id, func(a *actor) error {
		return a.do(func() error { return a.out.discard(seq) })
	})
}

// Pause stops sending for a session until Resume; jobs stay queued.
func (m *Manager) Pause(id string) error {
	return m.with(id, func(a *actor) error {
		return a.do(func() error {
			if !a.out.paused {
				a.out.hold("paused by the operator")
				a.publish()
			}
			return nil
		})
	})
}

// Resume lets a paused or held queue send again.
func (m *Manager) Resume(id string) error {
	return m.with(id, func(a *actor) error {
		return a.do(func() error {
			o := &a.out
			if !o.paused {
				return nil
			}
			o.paused, o.holdReason, o.disconnects = false, "", nil
			o.savePause()
			a.event("queue-resumed", "by the operator")
			a.due.send = time.Now()
			a.publish()
			return nil
		})
	})
}

// QueueStats returns the queue view of a session.
func (m *Manager) QueueStats(id string) (QueueStats, error) {
	a, err := m.actor(id)
	if err != nil {
		return QueueStats{}, err
	}
	counts, err := m.cfg.Store.CountJobs(id)
	if err != nil {
		return QueueStats{}, err
	}
	var qs QueueStats
	err = a.do(func() error {
		qs = a.out.stats()
		return nil
	})
	qs.States = map[string]int{}
	for s, n := range counts {
		qs.States[string(s)] = n
	}
	return qs, err
}

// Chats lists the chats of a READY session.
func (m *Manager) Chats(ctx context.Context, id string) ([]Chat, error) {
	p, err := m.readyPage(id)
	if err != nil {
		return nil, err
	}
	return p.Chats(ctx)
}

// Messages returns up to limit messages of a chat older than the message
// before (the newest when empty), oldest first.
func (m *Manager) Messages(ctx context.Context, id, chatID, before string, limit int) ([]Message, error) {
	p, err := m.readyPage(id)
	if err != nil {
		return nil, err
	}
	chat, _, err := ParseChatID(chatID)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	return p.Messages(ctx, chat, before, limit)
}

func (m *Manager) readyPage(id string) (Page, error) {
	a, err := m.actor(id)
	if err != nil {
		return nil, err
	}
	var p Page
	err = a.do(func() error {
		if a.page == nil || (a.snap.State != Ready && a.snap.State != Disconnected) {
			return errorf(ErrNotReady, "session %s is %s: chats can be read once it is READY", id, a.snap.State)
		}
		p = a.page
		return nil
	})
	return p, err
}

// stats is the loop's part of QueueStats.
func (o *outbox) stats() QueueStats {
	qs := QueueStats{
		Depth: len(o.pending), Sent5m: countSince(o.sentAt, 5*time.Minute), Failed5m: countSince(o.failedAt, 5*time.Minute),
		SentTotal: o.sentTotal, FailedTotal: o.dead, Paused: o.paused, HoldReason: o.holdReason, Pacing: o.pacing,
	}
	if o.inflight != nil {
		qs.Depth++
		qs.InFlight = 1
	}
	now := time.Now()
	for _, j := range o.pending {
		qs.Oldest = max(qs.Oldest, now.Sub(j.Created))
	}
	if o.inflight != nil {
		qs.Oldest = max(qs.Oldest, now.Sub(o.inflight.Created))
	}
	if len(o.latencies) > 0 {
		l := slices.Clone(o.latencies)
		slices.Sort(l)
		qs.LatencyP50 = l[len(l)*50/100]
		qs.LatencyP95 = l[min(len(l)*95/100, len(l)-1)]
	}
	if len(o.pending) > 0 && !o.paused {
		qs.NextSend = o.a.due.send
	}
	return qs
}

func (o *outbox) retry(seq uint64) error {
	a := o.a
	j, err := a.m.cfg.Store.GetJob(a.id, seq)
	if err != nil {
		return fmt.Errorf("job %d of %s: %w", seq, a.id, err)
	}
	if j.State != JobDead && j.State != JobHeld {
		return errorf(ErrWrongState, "job %d is %s: only dead or held jobs can be retried or approved", seq, j.State)
	}
	was := j.State
	saved, err := a.m.cfg.Store.UpdateJob(a.id, seq, func(s *Job) error {
		// Attempts restart, LastError stays: a job that failed before is
		// looked up before it is sent again.
		s.State, s.Attempts, s.NextAttempt, s.HoldReason, s.Permanent = JobQueued, 0, time.Time{}, "", false
		return nil
	})
	if err != nil {
		return err
	}
	if was == JobDead {
		o.dead--
	} else {
		o.held--
	}
	o.requeue(saved)
	o.jobChanged(saved)
	a.event("job-retried", fmt.Sprintf("job %d (%s) queued again by the operator", seq, was))
	a.due.send = time.Now()
	a.publish()
	return nil
}

func (o *outbox) discard(seq uint64) error {
	a := o.a
	j, err := a.m.cfg.Store.GetJob(a.id, seq)
	if err != nil {
		return fmt.Errorf("job %d of %s: %w", seq, a.id, err)
	}
	if j.State != JobDead && j.State != JobHeld {
		return errorf(ErrWrongState, "job %d is %s: only dead or held jobs can be discarded", seq, j.State)
	}
	if err := a.m.cfg.Store.DeleteJob(a.id, seq); err != nil {
		return err
	}
	if j.State == JobDead {
		o.dead--
	} else {
		o.held--
	}
	a.event("job-discarded", fmt.Sprintf("job %d to %s discarded by the operator", seq, j.ChatID))
	a.publish()
	return nil
}

// MarkRead marks a READY session's chat read on the phone.
func (m *Manager) MarkRead(ctx context.Context, id, chatID string) error {
	p, err := m.readyPage(id)
	if err != nil {
		return err
	}
	chat, _, err := ParseChatID(chatID)
	if err != nil {
		return err
	}
	return p.MarkRead(ctx, chat)
}
