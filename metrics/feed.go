package metrics

import (
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/waconsole/waconsole/session"
)

// The send failure types: a small fixed set, so the label stays bounded.
const (
	failRejected    = "rejected"     // the page refused the message for good
	failBrowserGone = "browser_gone" // the browser went away during the send
	failSendError   = "send_error"   // any other failed attempt, retried with backoff
)

var failTypes = []string{failRejected, failBrowserGone, failSendError}

// feed keeps the counts taken from the update feed, per session.
type feed struct {
	mu          sync.Mutex
	disconnects map[string]uint64
	restarts    map[string]uint64
	hookFails   map[string]uint64 // webhook delivery attempts that failed
	failures    map[string]map[string]uint64
	// browserFailed marks a session whose browser failed and has not
	// started again yet: its next start is a restart.
	browserFailed map[string]bool
	// stoppedHere marks sessions an operator (or a shutdown) stopped while
	// this process ran: deliberately stopped, for /readyz.
	stoppedHere map[string]bool
	// sending holds each job seen in flight, with its attempts then, so its
	// outcome is counted once.
	sending map[jobKey]int
	latency *prometheus.HistogramVec
}

type jobKey struct {
	session string
	seq     uint64
}

func newFeed(latency *prometheus.HistogramVec) *feed {
	return &feed{
		disconnects: map[string]uint64{}, restarts: map[string]uint64{}, hookFails: map[string]uint64{}, failures: map[string]map[string]uint64{},
		browserFailed: map[string]bool{}, stoppedHere: map[string]bool{}, sending: map[jobKey]int{},
		latency: latency,
	}
}

// run takes updates until the channel closes.
func (f *feed) run(updates <-chan session.Update) {
	for u := range updates {
		f.take(u)
	}
}

func (f *feed) take(u session.Update) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case u.Resync:
		// Outcomes may have been dropped: forget what was in flight rather
		// than hold it for ever.
		clear(f.sending)
	case u.Removed:
		f.forget(u.Session)
	case u.Event != nil:
		f.event(u.Session, *u.Event)
	case u.Job != nil:
		f.job(*u.Job)
	}
}

func (f *feed) event(id string, ev session.Event) {
	switch ev.Kind {
	case "state":
		to := session.State(ev.To)
		f.stoppedHere[id] = to == session.Stopped
		switch to {
		case session.Disconnected:
			f.disconnects[id]++
		case session.Stopped, session.Failed:
			delete(f.browserFailed, id)
		}
	case "browser-failed":
		f.browserFailed[id] = true
	case "browser-started":
		if f.browserFailed[id] {
			f.restarts[id]++
			delete(f.browserFailed, id)
		}
	case session.EventWebhookFailed, session.EventWebhookDead: // a delivery's last attempt is its dead event
		f.hookFails[id] += uint64(max(ev.Count, 1)) // one event holds an endpoint's failures over an interval
	}
}

func (f *feed) job(j session.Job) {
	k := jobKey{j.Session, j.Seq}
	if j.State == session.JobSending {
		f.sending[k] = j.Attempts
		return
	}
	attempts, ok := f.sending[k]
	if !ok {
		return // not an attempt's outcome: an ack, a retry by the operator…
	}
	delete(f.sending, k)
	switch j.State {
	case session.JobSent:
		f.latency.WithLabelValues(j.Session).Observe(max(j.SentAt.Sub(j.Created).Seconds(), 0)) // a clock stepping back gives 0
	case session.JobRetrying, session.JobDead:
		if j.Attempts == attempts && !j.Permanent {
			return // the page had it in flight already: no attempt was made
		}
		if f.failures[j.Session] == nil {
			f.failures[j.Session] = map[string]uint64{}
		}
		f.failures[j.Session][failType(j)]++
	}
}

// failType sorts a failed attempt into one of failTypes.
func failType(j session.Job) string {
	switch {
	case j.Permanent:
		return failRejected
	case strings.HasPrefix(j.LastError, "interrupted"):
		return failBrowserGone
	}
	return failSendError
}

func (f *feed) forget(id string) {
	delete(f.disconnects, id)
	delete(f.restarts, id)
	delete(f.hookFails, id)
	delete(f.failures, id)
	delete(f.browserFailed, id)
	delete(f.stoppedHere, id)
	for k := range f.sending {
		if k.session == id {
			delete(f.sending, k)
		}
	}
	f.latency.DeleteLabelValues(id)
}

// counts is a copy of one session's counts, for a scrape.
type counts struct {
	disconnects, restarts, hookFails uint64
	failures                         map[string]uint64
}

func (f *feed) counts(id string) counts {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := counts{disconnects: f.disconnects[id], restarts: f.restarts[id], hookFails: f.hookFails[id], failures: map[string]uint64{}}
	for _, t := range failTypes {
		c.failures[t] = f.failures[id][t]
	}
	return c
}

func (f *feed) stoppedDeliberately(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stoppedHere[id]
}

// latencyBuckets span a send straight through to one held back by pacing
// and retries for half an hour.
var latencyBuckets = []float64{0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800}

func newLatency() *prometheus.HistogramVec {
	return prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "waconsole_queue_latency_seconds",
		Help:    "Time from a message being queued to the page sending it.",
		Buckets: latencyBuckets,
	}, []string{"session"})
}
