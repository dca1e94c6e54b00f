package metrics

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
	"github.com/waconsole/waconsole/store"
)

func newTest(t *testing.T) (*Metrics, *sessiontest.Fake, *store.DB) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "waconsole.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.RecordStart(); err != nil {
		t.Fatal(err)
	}
	rt := sessiontest.New()
	m := New(Options{Runtime: rt, Store: db, Dropped: func() uint64 { return 7 }, Log: slog.New(slog.NewTextHandler(t.Output(), nil))})
	t.Cleanup(m.Close)
	return m, rt, db
}

// waitFor polls ok until it holds, failing the test after timeout.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// feedFor plays a session's life: a disconnect, a browser that failed and
// came back, and four sends: one sent, three failed in each failure type.
func feedFor(rt *sessiontest.Fake, id string) {
	rt.Put(session.Snapshot{ID: id, State: session.Ready, AutoStart: true})
	rt.SetState(id, session.Disconnected)
	rt.SetState(id, session.Ready)
	rt.Publish(session.Update{Session: id, Event: &session.Event{Kind: "browser-failed"}})
	rt.Publish(session.Update{Session: id, Event: &session.Event{Kind: "browser-started"}})
	rt.Publish(session.Update{Session: id, Event: &session.Event{Kind: session.EventWebhookFailed}})
	rt.Publish(session.Update{Session: id, Event: &session.Event{Kind: session.EventWebhookDead}})
	rt.Publish(session.Update{Session: id, Event: &session.Event{Kind: "browser-started"}}) // not a restart
	created := time.Now().Add(-3 * time.Second)
	job := func(seq uint64, edit func(*session.Job)) {
		sending := session.Job{Session: id, Seq: seq, State: session.JobSending, Created: created}
		rt.Publish(session.Update{Session: id, Job: &sending})
		done := sending
		edit(&done)
		rt.Publish(session.Update{Session: id, Job: &done})
	}
	job(1, func(j *session.Job) { j.State, j.SentAt = session.JobSent, created.Add(3*time.Second) })
	job(2, func(j *session.Job) { j.State, j.Permanent, j.Attempts = session.JobDead, true, 1 })
	job(3, func(j *session.Job) {
		j.State, j.LastError, j.Attempts = session.JobRetrying, "interrupted: the browser went away", 1
	})
	job(4, func(j *session.Job) { j.State, j.LastError, j.Attempts = session.JobRetrying, "timeout", 1 })
	// In flight at the page already: no attempt made, no failure.
	job(5, func(j *session.Job) { j.State, j.LastError = session.JobRetrying, "in flight at the page" })
	// An ack on a sent job is no second send.
	rt.Publish(session.Update{Session: id, Job: &session.Job{Session: id, Seq: 1, State: session.JobSent, Ack: 2}})
}

func TestExpositionLintsCleanAndCounts(t *testing.T) {
	m, rt, _ := newTest(t)
	feedFor(rt, "ops")
	rt.Put(session.Snapshot{ID: "spare", State: session.Stopped})
	rt.StatsOf["ops"] = session.QueueStats{Depth: 2, SentTotal: 5, States: map[string]int{"held": 1, "dead": 3}}
	rt.RaiseAlert(session.Alert{Session: "ops", Kind: session.AlertDeadJobs, Severity: session.SeverityWarning})
	rt.RaiseAlert(session.Alert{Session: "spare", Kind: session.AlertDeadJobs, Severity: session.SeverityWarning})
	rt.ResolveAlert(rt.RaiseAlert(session.Alert{Kind: session.AlertDiskFull, Severity: session.SeverityCritical}).ID)
	waitFor(t, "the feed to count the failures", func() bool {
		return m.feed.counts("ops").failures[failSendError] == 1
	})

	problems, err := testutil.GatherAndLint(m.Gatherer())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}

	var want strings.Builder
	want.WriteString("# HELP waconsole_sessions Sessions in each state.\n# TYPE waconsole_sessions gauge\n")
	for _, st := range allStates {
		n := map[session.State]string{session.Ready: "1", session.Stopped: "1"}[st]
		if n == "" {
			n = "0"
		}
		want.WriteString(`waconsole_sessions{state="` + string(st) + `"} ` + n + "\n")
	}
	want.WriteString(`
# HELP waconsole_sessions_connected Sessions READY: connected to WhatsApp.
# TYPE waconsole_sessions_connected gauge
waconsole_sessions_connected 1
# HELP waconsole_messages_sent_total Messages the outbox sent.
# TYPE waconsole_messages_sent_total counter
waconsole_messages_sent_total{session="ops"} 5
waconsole_messages_sent_total{session="spare"} 0
# HELP waconsole_queue_depth Messages waiting in the outbox or being sent (queued, retrying, sending).
# TYPE waconsole_queue_depth gauge
waconsole_queue_depth{session="ops"} 2
waconsole_queue_depth{session="spare"} 0
# HELP waconsole_queue_dead Messages the outbox gave up on.
# TYPE waconsole_queue_dead gauge
waconsole_queue_dead{session="ops"} 3
waconsole_queue_dead{session="spare"} 0
# HELP waconsole_send_failures_total Send attempts that failed, by type: rejected, browser_gone, send_error.
# TYPE waconsole_send_failures_total counter
waconsole_send_failures_total{session="ops",type="browser_gone"} 1
waconsole_send_failures_total{session="ops",type="rejected"} 1
waconsole_send_failures_total{session="ops",type="send_error"} 1
waconsole_send_failures_total{session="spare",type="browser_gone"} 0
waconsole_send_failures_total{session="spare",type="rejected"} 0
waconsole_send_failures_total{session="spare",type="send_error"} 0
# HELP waconsole_session_disconnects_total Times a session went DISCONNECTED.
# TYPE waconsole_session_disconnects_total counter
waconsole_session_disconnects_total{session="ops"} 1
waconsole_session_disconnects_total{session="spare"} 0
# HELP waconsole_browser_restarts_total Times a session's browser was started again after it failed.
# TYPE waconsole_browser_restarts_total counter
waconsole_browser_restarts_total{session="ops"} 1
waconsole_browser_restarts_total{session="spare"} 0
# HELP waconsole_webhook_failures_total Webhook delivery attempts that failed, the last attempt of a dead delivery included.
# TYPE waconsole_webhook_failures_total counter
waconsole_webhook_failures_total{session="ops"} 2
waconsole_webhook_failures_total{session="spare"} 0
# HELP waconsole_process_starts_total Processes that ran the sessions of this store, counted across restarts.
# TYPE waconsole_process_starts_total counter
waconsole_process_starts_total 1
# HELP waconsole_process_unclean_starts_total Starts that followed a process that did not stop cleanly (killed or crashed).
# TYPE waconsole_process_unclean_starts_total counter
waconsole_process_unclean_starts_total 0
# HELP waconsole_update_drops_total Updates a slow subscriber (console, API stream) never received.
# TYPE waconsole_update_drops_total counter
waconsole_update_drops_total 7
# HELP waconsole_queue_latency_seconds Time from a message being queued to the page sending it.
# TYPE waconsole_queue_latency_seconds histogram
`)
	for _, b := range latencyBuckets {
		n := "0"
		if b >= 3 {
			n = "1"
		}
		want.WriteString(`waconsole_queue_latency_seconds_bucket{session="ops",le="` + le(b) + `"} ` + n + "\n")
	}
	want.WriteString(`waconsole_queue_latency_seconds_bucket{session="ops",le="+Inf"} 1
waconsole_queue_latency_seconds_sum{session="ops"} 3
waconsole_queue_latency_seconds_count{session="ops"} 1
# HELP waconsole_alerts_open Alerts open, by kind and severity (waconsole alerts lists them).
# TYPE waconsole_alerts_open gauge
waconsole_alerts_open{kind="blocked",severity="critical"} 0
waconsole_alerts_open{kind="conflict",severity="critical"} 0
waconsole_alerts_open{kind="dead-jobs",severity="warning"} 2
waconsole_alerts_open{kind="disconnected",severity="critical"} 0
waconsole_alerts_open{kind="disk-full",severity="critical"} 0
waconsole_alerts_open{kind="failed",severity="critical"} 0
waconsole_alerts_open{kind="logged-out",severity="critical"} 0
waconsole_alerts_open{kind="restart-loop",severity="critical"} 0
waconsole_alerts_open{kind="send-failures",severity="warning"} 0
waconsole_alerts_open{kind="unclean-restart",severity="warning"} 0
waconsole_alerts_open{kind="webhook-dead",severity="warning"} 0
waconsole_alerts_open{kind="webhook-failing",severity="warning"} 0
`)
	err = testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want.String()),
		"waconsole_sessions", "waconsole_sessions_connected", "waconsole_messages_sent_total", "waconsole_queue_depth",
		"waconsole_queue_dead", "waconsole_send_failures_total", "waconsole_session_disconnects_total",
		"waconsole_browser_restarts_total", "waconsole_process_starts_total", "waconsole_process_unclean_starts_total",
		"waconsole_update_drops_total", "waconsole_queue_latency_seconds", "waconsole_alerts_open", "waconsole_webhook_failures_total")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := testutil.GatherAndCount(m.Gatherer(), "waconsole_session_state"); err != nil || n != 2*len(allStates) {
		t.Fatalf("waconsole_session_state has %d series, %v; want every state of both sessions", n, err)
	}
	if v := sample(t, m, "waconsole_session_state", "session", "spare", "state", "STOPPED"); v != 1 {
		t.Fatalf(`waconsole_session_state{session="spare",state="STOPPED"} = %v`, v)
	}
	if n, err := testutil.GatherAndCount(m.Gatherer(), "waconsole_store_size_bytes", "waconsole_webhook_deliveries", "waconsole_inbound_messages_stored"); err != nil || n != 1+2*4+2 {
		t.Fatalf("store size, deliveries by state and inbound series = %d, %v; want 11", n, err)
	}
}

// sample finds the value of one gauge or counter by its label pairs.
func sample(t *testing.T, m *Metrics, name string, labels ...string) float64 {
	t.Helper()
	families, err := m.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	metrics:
		for _, mt := range f.GetMetric() {
			for i := 0; i < len(labels); i += 2 {
				if !slices.ContainsFunc(mt.GetLabel(), func(l *dto.LabelPair) bool {
					return l.GetName() == labels[i] && l.GetValue() == labels[i+1]
				}) {
					continue metrics
				}
			}
			return mt.GetGauge().GetValue() + mt.GetCounter().GetValue()
		}
	}
	t.Fatalf("no %s%v exposed", name, labels)
	return 0
}

// le renders a bucket bound as the exposition does.
func le(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func TestRemovedSessionLeavesTheFeed(t *testing.T) {
	m, rt, _ := newTest(t)
	feedFor(rt, "ops")
	waitFor(t, "the feed to count", func() bool { return m.feed.counts("ops").disconnects == 1 })
	rt.Publish(session.Update{Session: "ops", Removed: true})
	waitFor(t, "the removal", func() bool { return m.feed.counts("ops").disconnects == 0 })
	if n, err := testutil.GatherAndCount(m.Gatherer(), "waconsole_queue_latency_seconds", "waconsole_session_disconnects_total"); err != nil || n != 0 {
		t.Fatalf("series of a removed session: %d, %v", n, err)
	}
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	return w.Code, w.Body.String()
}

func TestHealthAndReadiness(t *testing.T) {
	m, rt, db := newTest(t)
	h := m.Handler()
	rt.Put(session.Snapshot{ID: "ops", State: session.Starting, AutoStart: true, Reason: "started"})
	rt.Put(session.Snapshot{ID: "manual", State: session.Stopped}) // not auto-start: never counted
	rt.Put(session.Snapshot{ID: "spare", State: session.Stopped, AutoStart: true})

	if code, body := get(t, h, "/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("/healthz = %d %q", code, body)
	}
	code, body := get(t, h, "/readyz")
	var r Readiness
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("/readyz body %q: %v", body, err)
	}
	want := []NotReady{{Session: "ops", State: session.Starting, Reason: "started"}, {Session: "spare", State: session.Stopped}}
	if code != http.StatusServiceUnavailable || r.Ready || r.Store != "ok" || len(r.NotReady) != 2 || r.NotReady[0] != want[0] || r.NotReady[1] != want[1] {
		t.Fatalf("/readyz while starting = %d %s", code, body)
	}

	rt.SetState("ops", session.Ready)
	// STOPPED at boot is about to start; stopped by an operator is deliberate.
	rt.SetState("spare", session.Starting)
	rt.SetState("spare", session.Stopped)
	waitFor(t, "/readyz to answer 200", func() bool {
		code, _ := get(t, h, "/readyz")
		return code == http.StatusOK
	})

	db.Close()
	code, body = get(t, h, "/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "database not open") {
		t.Fatalf("/readyz with the store closed = %d %s", code, body)
	}
	if code, _ := get(t, h, "/healthz"); code != 200 {
		t.Fatalf("/healthz with the store closed = %d", code)
	}
}
