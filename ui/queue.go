package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

// queueView is one session's outbox, polled every second: its numbers, its
// pacing, and the dead and held jobs that wait for the operator.
type queueView struct {
	id    string
	stats session.QueueStats
	jobs  []session.Job // dead and held
	cur   cursor
	polled
}

type queueMsg struct {
	id    string
	stats session.QueueStats
	jobs  []session.Job
	err   error
}

func (m *Model) openQueue(id string) tea.Cmd {
	q := &queueView{id: id}
	m.push(q)
	return q.refresh(m.b)
}

func (q *queueView) crumb() string     { return "queue" }
func (q *queueView) sessionID() string { return q.id }

func (q *queueView) shortKeys(m *Model) []key.Binding {
	k := m.km.Queue
	return []key.Binding{k.Inspect, k.Retry, k.Discard, k.Pause, k.Edit}
}

func (q *queueView) allKeys(m *Model) []key.Binding { return m.km.Queue.Bindings() }

func (q *queueView) poll(m *Model) tea.Cmd { return q.refresh(m.b) }

func (q *queueView) receive(_ *Model, msg tea.Msg) (tea.Cmd, bool) {
	r, ok := msg.(queueMsg)
	if !ok {
		return nil, false
	}
	return q.loaded(r), true
}

// refresh fetches the numbers unless a fetch is still in flight.
func (q *queueView) refresh(b session.Runtime) tea.Cmd {
	if !q.begin() {
		return nil
	}
	id := q.id
	return func() tea.Msg {
		stats, err := b.QueueStats(id)
		if err != nil {
			return queueMsg{id: id, err: err}
		}
		jobs, err := b.Jobs(id, session.JobDead, session.JobHeld)
		return queueMsg{id: id, stats: stats, jobs: jobs, err: err}
	}
}

// loaded reports a new error once, not every second.
func (q *queueView) loaded(msg queueMsg) tea.Cmd {
	if msg.id != q.id {
		return nil
	}
	cmd, ok := q.settle(msg.err, "could not read the queue of %s", q.id)
	if ok {
		q.stats, q.jobs = msg.stats, msg.jobs
	}
	return cmd
}

// jobRows is how many jobs fit under the numbers.
func (m *Model) jobRows() int { return max(m.bodyHeight()-queueHead-1, 1) }

// queueHead is the number of lines above the job table.
const queueHead = 8

func (q *queueView) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k, b := m.km.Queue, m.b
	id := q.id
	if q.cur.move(msg, m.km.Nav, len(q.jobs), m.jobRows()) {
		return nil, true
	}
	switch {
	case key.Matches(msg, k.Edit):
		m.dialog = newPacingDialog(b, id, q.stats.Pacing, m.width)
		return nil, true
	case key.Matches(msg, k.Pause):
		if q.stats.Paused {
			return act(func() error { return b.Resume(id) }, id+": sending resumed", "could not resume "+id), true
		}
		return act(func() error { return b.Pause(id) }, id+": sending paused (p resumes)", "could not pause "+id), true
	}
	if len(q.jobs) == 0 {
		if key.Matches(msg, k.Inspect, k.Retry, k.Discard) {
			return m.setFlash(warn("no dead or held job to act on")), true
		}
		return nil, false
	}
	j := q.jobs[min(q.cur.idx, len(q.jobs)-1)]
	switch {
	case key.Matches(msg, k.Inspect):
		m.dialog = &textDialog{title: fmt.Sprintf("Job %d of %s", j.Seq, id), body: jobText(j)}
	case key.Matches(msg, k.Retry):
		verb := "retry"
		if j.State == session.JobHeld {
			verb = "approve"
		}
		return act(func() error { return b.RetryJob(id, j.Seq) }, fmt.Sprintf("%s: job %d queued again", id, j.Seq),
			fmt.Sprintf("could not %s job %d", verb, j.Seq)), true
	case key.Matches(msg, k.Discard):
		m.dialog = newConfirm(fmt.Sprintf("Discard job %d?", j.Seq),
			"The message to "+j.ChatID+" is dropped and never sent.",
			act(func() error { return b.DiscardJob(id, j.Seq) }, fmt.Sprintf("%s: job %d discarded", id, j.Seq),
				fmt.Sprintf("could not discard job %d", j.Seq)))
	default:
		return nil, false
	}
	return nil, true
}

// jobText is everything about one job, for the inspect dialog.
func jobText(j session.Job) string {
	lines := []string{
		"State      " + string(j.State),
		"Chat       " + j.ChatID,
		"Message id " + j.MsgID,
		"Attempts   " + strconv.Itoa(j.Attempts),
		"Created    " + j.Created.Format("2006-01-02 15:04:05"),
	}
	if j.LastError != "" {
		perm := ""
		if j.Permanent {
			perm = " (permanent: retrying will not help unless the cause is fixed)"
		}
		lines = append(lines, "Last error "+j.LastError+perm)
	}
	if j.HoldReason != "" {
		lines = append(lines, "Held       "+j.HoldReason+" (R approves it)")
	}
	return strings.Join(lines, "\n") + "\n\n" + j.Body
}

func (q *queueView) view(m *Model, w, h int) string {
	st := q.stats
	state := styles.Info.Render("sending")
	switch {
	case st.Paused:
		state = styles.Warn.Render("PAUSED by the operator (p resumes)")
	case st.HoldReason != "":
		state = styles.Warn.Render("HELD: " + st.HoldReason)
	}
	title := styles.Heading.Render("Queue of "+q.id) + "  " + state
	if !q.ready {
		msg := "Loading…"
		if q.err != nil {
			msg = styles.Error.Render("Could not read the queue: " + q.err.Error())
		}
		return title + "\n\n" + wrap(msg, w)
	}
	now := m.now()
	next := "-"
	if !st.NextSend.IsZero() {
		next = "in " + termtext.Age(st.NextSend.Sub(now))
	}
	field := func(k, v string) string { return styles.Label.Render(cell(k, 9)) + v }
	lines := []string{
		title,
		field("Depth", fmt.Sprintf("%d · in flight %d · oldest %s · next send %s", st.Depth, st.InFlight, termtext.Age(st.Oldest), next)),
		field("Latency", fmt.Sprintf("p50 %s · p95 %s", st.LatencyP50.Round(10*time.Millisecond), st.LatencyP95.Round(10*time.Millisecond))),
		field("Sent", fmt.Sprintf("%d in 5m · %d in all", st.Sent5m, st.SentTotal)),
		field("Failed", fmt.Sprintf("%d in 5m · %d in all", st.Failed5m, st.FailedTotal)),
		field("Pacing", pacingText(st.Pacing)),
		"",
		styles.Heading.Render(fmt.Sprintf("Dead letters and held jobs (%d)", len(q.jobs))),
	}
	if q.err != nil {
		lines[len(lines)-2] = styles.Error.Render("stale: " + q.err.Error())
	}
	head := strings.Join(lines, "\n")
	if len(q.jobs) == 0 {
		return head + "\n" + styles.Hint.Render("none: nothing waits for an operator")
	}
	cols := []column{{"SEQ", 6}, {"STATE", 8}, {"CHAT", 22}, {"TRIES", 5}, {"AGE", 7}, {"ERROR / HOLD REASON", 0}}
	rows := make([][]string, len(q.jobs))
	for i, j := range q.jobs {
		why := j.LastError
		if j.State == session.JobHeld {
			why = j.HoldReason
		}
		rows[i] = []string{strconv.FormatUint(j.Seq, 10), string(j.State), j.ChatID, strconv.Itoa(j.Attempts), termtext.Age(now.Sub(j.Created)), why}
	}
	q.cur.clamp(len(rows), m.jobRows())
	return head + "\n" + renderTable(cols, rows, q.cur, w, max(h-len(lines), 2))
}
