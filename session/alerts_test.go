package session

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/waconsole/waconsole/simweb"
	"github.com/waconsole/waconsole/store"
	"github.com/waconsole/waconsole/webhook"
)

// alertsOf lists a session's alerts of one kind, newest first.
func (e *testEnv) alertsOf(id string, kind AlertKind) []Alert {
	e.t.Helper()
	all, err := e.m.Alerts(AlertQuery{Session: id})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []Alert
	for _, a := range all {
		if a.Kind == kind && a.Session == id {
			out = append(out, a)
		}
	}
	return out
}

// waitAlert returns the newest alert of a kind once it is open (or, with
// open false, resolved), looking again at every update.
func (e *testEnv) waitAlert(id string, kind AlertKind, open bool, timeout time.Duration) Alert {
	e.t.Helper()
	deadline := time.After(timeout)
	for {
		if list := e.alertsOf(id, kind); len(list) > 0 && list[0].Open() == open {
			return list[0]
		}
		select {
		case <-e.updates:
		case <-deadline:
			all, _ := e.m.Alerts(AlertQuery{})
			e.t.Fatalf("no %s alert of %q with open=%v within %s; alerts: %+v\nlog:\n%s", kind, id, open, timeout, all, e.logText())
		}
	}
}

func (e *testEnv) setAlerting(id string, s AlertSettings) {
	e.t.Helper()
	if _, err := e.m.Set(id, Settings{Alerting: &s}); err != nil {
		e.t.Fatal(err)
	}
}

// A blip shorter than the threshold raises nothing; a longer disconnect
// raises one alert, resolved when the session is READY again.
func TestAlertDisconnectedLongerThanTheThreshold(t *testing.T) {
	e := newEnv(t)
	const phone = "15551250001"
	e.pairQR("drop", phone)
	e.setAlerting("drop", AlertSettings{Disconnected: ptr(2 * time.Second)})
	ctx := context.Background()
	if err := e.phone.Drop(ctx, phone, 0.3); err != nil {
		t.Fatal(err)
	}
	e.waitState("drop", Disconnected, 10*time.Second)
	e.waitState("drop", Ready, 15*time.Second)
	if got := e.alertsOf("drop", AlertDisconnected); len(got) != 0 {
		t.Fatalf("a short blip raised %+v", got)
	}
	dropped := time.Now()
	if err := e.phone.Drop(ctx, phone, 5); err != nil {
		t.Fatal(err)
	}
	raised := e.waitAlert("drop", AlertDisconnected, true, 15*time.Second)
	if waited := raised.Raised.Sub(dropped); waited < 2*time.Second {
		t.Fatalf("raised %s after the drop, before the 2s threshold", waited)
	}
	if raised.Severity != SeverityCritical || !strings.Contains(raised.Reason, "DISCONNECTED") {
		t.Fatalf("alert %+v", raised)
	}
	resolved := e.waitAlert("drop", AlertDisconnected, false, 30*time.Second)
	if resolved.ID != raised.ID {
		t.Fatalf("resolved %+v, raised %+v: want the same alert", resolved, raised)
	}
	if s, _ := e.m.Get("drop"); s.State != Ready {
		t.Fatalf("resolved while %s", s.State)
	}
}

// Repeated send failures raise one alert, queued for the webhooks, resolved
// by a send that succeeds; a dead job raises its own, resolved by a discard.
func TestAlertSendFailuresAndDeadJobs(t *testing.T) {
	e := newEnv(t)
	const phone = "15551250002"
	e.pairQR("fail", phone)
	e.pace("fail", fastPacing)
	if _, err := e.db.AddWebhook(store.Webhook{Session: "fail", Name: "pager", URL: "https://pager.example.com/h", SecretEnv: "X",
		Events: []string{HookAlertRaised, HookAlertResolved}}); err != nil {
		t.Fatal(err)
	}
	e.setAlerting("fail", AlertSettings{SendFailures: ptr(3), SendWindow: ptr(time.Minute)})
	ctx := context.Background()
	if err := e.phone.Faults(ctx, simweb.Faults{Phone: phone, SendFail: 1}); err != nil {
		t.Fatal(err)
	}
	e.send("fail", "15557770101", "first", "second")
	raised := e.waitAlert("fail", AlertSendFailures, true, 20*time.Second)
	e.wait("fail", "more failures while the alert is open", 20*time.Second, func(s Snapshot) bool { return s.Queue.Failures5m >= 6 })
	if err := e.phone.Faults(ctx, simweb.Faults{Phone: phone}); err != nil {
		t.Fatal(err)
	}
	e.waitJobs("fail", 20*time.Second, JobSent)
	resolved := e.waitAlert("fail", AlertSendFailures, false, 10*time.Second)
	if got := e.alertsOf("fail", AlertSendFailures); len(got) != 1 || resolved.ID != raised.ID {
		t.Fatalf("send failures raised %+v, want one alert", got)
	}

	if err := e.phone.Faults(ctx, simweb.Faults{Phone: phone, NotOnWhatsApp: []string{"15550199998"}}); err != nil {
		t.Fatal(err)
	}
	jobs := e.send("fail", "15550199998", "nobody there")
	e.waitAlert("fail", AlertDeadJobs, true, 20*time.Second)
	if err := e.m.DiscardJob("fail", jobs[0].Seq); err != nil {
		t.Fatal(err)
	}
	e.waitAlert("fail", AlertDeadJobs, false, 10*time.Second)

	ds, err := e.db.Deliveries("fail")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		var body struct {
			Data alertData `json:"data"`
		}
		if err := json.Unmarshal(d.Body, &body); err != nil {
			t.Fatal(err)
		}
		// The disk of a crowded machine may raise its own: not this test's.
		if k := body.Data.Kind; d.Endpoint == "pager" && (k == "send-failures" || k == "dead-jobs") {
			got = append(got, d.Type+" "+k)
		}
	}
	want := []string{"alert.raised send-failures", "alert.resolved send-failures", "alert.raised dead-jobs", "alert.resolved dead-jobs"}
	if !slices.Equal(got, want) {
		t.Fatalf("deliveries to the pager %q, want %q", got, want)
	}
}

// A browser killed repeatedly raises restart-loop, resolved after a quiet
// period READY.
func TestAlertRestartLoop(t *testing.T) {
	e := newEnv(t)
	const phone = "15551250003"
	e.pairQR("loop", phone)
	e.setAlerting("loop", AlertSettings{Restarts: ptr(3), RestartWindow: ptr(10 * time.Minute)})
	for i := range 3 {
		if got := e.alertsOf("loop", AlertRestartLoop); len(got) != 0 {
			t.Fatalf("raised after %d kills: %+v", i, got)
		}
		killed := time.Now()
		killProfileProcesses(e.m.profileDir("loop"))
		e.wait("loop", "READY after the kill", 30*time.Second, func(s Snapshot) bool { return s.State == Ready && s.Since.After(killed) })
	}
	raised := e.waitAlert("loop", AlertRestartLoop, true, 5*time.Second)
	if !strings.Contains(raised.Reason, "3 times") {
		t.Fatalf("alert %+v", raised)
	}
	e.waitAlert("loop", AlertRestartLoop, false, 10*time.Second)
}

// A delivery retrying after repeated failures raises webhook-failing; dead,
// webhook-dead, which a retry that succeeds resolves.
func TestAlertWebhookFailingThenDead(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Add(AddRequest{ID: "hooks"}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("WACONSOLE_TEST_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	var status atomic.Int32
	status.Store(http.StatusInternalServerError)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(int(status.Load())) }))
	defer recv.Close()
	svc := webhook.New(e.db, webhook.Options{Schedule: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond, 2 * time.Second, 2 * time.Second}})
	if _, err := svc.Add(webhook.Config{Session: "hooks", Name: "crm", URL: recv.URL, SecretEnv: "WACONSOLE_TEST_SECRET", Events: []string{HookSessionState}}); err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(); err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	ds, err := svc.Enqueue("hooks", HookSessionState, map[string]string{"to": "READY"})
	if err != nil || len(ds) != 1 {
		t.Fatalf("enqueue = %v, %v", ds, err)
	}
	failing := e.waitAlert("hooks", AlertWebhookFailing, true, 10*time.Second)
	if failing.Severity != SeverityWarning {
		t.Fatalf("alert %+v", failing)
	}
	status.Store(http.StatusBadRequest) // permanent: dead at once (a 410 would also disable the endpoint)
	e.waitAlert("hooks", AlertWebhookDead, true, 10*time.Second)
	e.waitAlert("hooks", AlertWebhookFailing, false, 5*time.Second)
	status.Store(http.StatusOK)
	if _, err := svc.Retry("hooks", ds[0].Seq); err != nil {
		t.Fatal(err)
	}
	e.waitAlert("hooks", AlertWebhookDead, false, 10*time.Second)
}

// An endpoint that takes every event, alerts too, and is down raises
// webhook-failing once: the failing deliveries of the alert about it do not
// raise it again after the delivery that caused it died.
func TestAlertWebhookFailingIsNoLoop(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Add(AddRequest{ID: "hooks"}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("WACONSOLE_TEST_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
	defer recv.Close()
	// A pause after the third attempt, several alert checks long, where a
	// delivery counts as failing.
	svc := webhook.New(e.db, webhook.Options{Schedule: []time.Duration{0, 10 * time.Millisecond, 10 * time.Millisecond, 400 * time.Millisecond, 10 * time.Millisecond}})
	if _, err := svc.Add(webhook.Config{Session: "hooks", Name: "crm", URL: recv.URL, SecretEnv: "WACONSOLE_TEST_SECRET"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(); err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	if _, err := svc.Enqueue("hooks", HookSessionState, map[string]string{"to": "READY"}); err != nil {
		t.Fatal(err)
	}
	e.waitAlert("hooks", AlertWebhookFailing, true, 10*time.Second)
	// Done once every delivery, the alerts' too, has died and webhook-failing
	// is resolved; a loop raises it again first.
	e.waitUntil("the queue to settle or webhook-failing to be raised again", 30*time.Second, func() bool {
		failing := e.alertsOf("hooks", AlertWebhookFailing)
		if len(failing) > 1 {
			return true
		}
		queued, err := e.db.Deliveries("hooks", store.DeliveryPending, store.DeliveryDelivering)
		if err != nil {
			t.Fatal(err)
		}
		return len(queued) == 0 && !failing[0].Open()
	})
	if n := len(e.alertsOf("hooks", AlertWebhookFailing)); n != 1 {
		t.Errorf("webhook-failing was raised %d times, want once", n)
	}
	if n := len(e.alertsOf("hooks", AlertWebhookDead)); n != 1 {
		t.Errorf("webhook-dead was raised %d times, want once", n)
	}
}

// A process that did not stop cleanly raises unclean-restart at the next
// start; acknowledging it resolves it. Thresholds survive the restart.
func TestAlertUncleanRestart(t *testing.T) {
	e := newEnv(t)
	if _, err := e.db.RecordStart(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.Add(AddRequest{ID: "kept"}); err != nil {
		t.Fatal(err)
	}
	e.setAlerting("kept", AlertSettings{Disconnected: ptr(3 * time.Minute)})
	e.close() // no clean stop recorded: as if killed
	e.open(t)
	if s, _ := e.m.Get("kept"); s.Alerting.Disconnected != 3*time.Minute || s.AlertingSet.Disconnected == nil {
		t.Fatalf("thresholds after a restart %+v, set %+v", s.Alerting, s.AlertingSet)
	}
	starts, err := e.db.RecordStart()
	if err != nil || !starts.AfterUnclean || starts.Unclean != 1 || starts.Starts != 2 {
		t.Fatalf("second start = %+v, %v; want 2 starts, 1 unclean", starts, err)
	}
	e.m.NoteStart(starts)
	a := e.waitAlert("", AlertUncleanRestart, true, 5*time.Second)
	if err := e.m.AckAlert(a.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.waitAlert("", AlertUncleanRestart, false, 5*time.Second); got.Acked.IsZero() {
		t.Fatalf("resolved without the acknowledgement: %+v", got)
	}
	if err := e.m.AckAlert(999); err == nil || !strings.Contains(err.Error(), "waconsole alerts") {
		t.Fatalf("ack of an unknown alert = %v", err)
	}
}

// The disk nearly full raises disk-full; space freed resolves it.
func TestAlertDiskFull(t *testing.T) {
	e := newEnv(t)
	setFree := func(free uint64) {
		e.m.alerts.mu.Lock()
		e.m.alerts.diskFree = func(string) (uint64, uint64, error) { return free, 100 << 30, nil }
		e.m.alerts.mu.Unlock()
	}
	setFree(2 << 30) // 2% of 100 GiB
	a := e.waitAlert("", AlertDiskFull, true, 5*time.Second)
	if !strings.Contains(a.Reason, "2.0 GiB free of 100.0 GiB") {
		t.Fatalf("alert %+v", a)
	}
	setFree(50 << 30)
	e.waitAlert("", AlertDiskFull, false, 5*time.Second)
}

// A tick held up reading the disk (or the store) does not hold up the
// sessions: a session changes state and publishes meanwhile.
func TestAlertTickDoesNotHoldUpSessions(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Add(AddRequest{ID: "calm"}); err != nil {
		t.Fatal(err)
	}
	measuring, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	e.m.alerts.mu.Lock()
	e.m.alerts.diskFree = func(string) (uint64, uint64, error) {
		once.Do(func() { close(measuring) })
		<-release
		return 50 << 30, 100 << 30, nil
	}
	e.m.alerts.mu.Unlock()
	defer close(release)
	select {
	case <-measuring:
	case <-time.After(10 * time.Second):
		t.Fatal("the alerter did not measure the disk within 10s")
	}
	done := make(chan error, 1)
	go func() { done <- e.m.Stop("calm") }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("stopping a session waited for the alerter's tick")
	}
}

// A snapshot older than one the alerter applied raises nothing: a FAILED
// session that was stopped meanwhile does not get a second failed alert.
func TestAlertStaleSnapshotRaisesNothing(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Add(AddRequest{ID: "late"}); err != nil {
		t.Fatal(err)
	}
	a, err := e.m.actor("late")
	if err != nil {
		t.Fatal(err)
	}
	stopped, seq := a.published()
	failed := stopped
	failed.State, failed.Reason = Failed, "page never loaded"
	// As the actor would hand them over, FAILED then STOPPED, numbered
	// past what the idle session itself publishes.
	e.m.alerts.observe(a, failed, seq+100)
	raised := e.waitAlert("late", AlertFailed, true, 5*time.Second)
	e.m.alerts.observe(a, stopped, seq+200)
	e.waitAlert("late", AlertFailed, false, 5*time.Second)

	// The FAILED one again, as a tick that read the sessions before the
	// stop would apply it; then a newer one whose alert shows it was seen.
	e.m.alerts.observe(a, failed, seq+100)
	dead := stopped
	dead.Queue.Dead = 1
	e.m.alerts.observe(a, dead, seq+300)
	e.waitAlert("late", AlertDeadJobs, true, 5*time.Second)
	if got := e.alertsOf("late", AlertFailed); len(got) != 1 || got[0].ID != raised.ID || got[0].Open() {
		t.Fatalf("failed alerts %+v: want the one raised, resolved", got)
	}
}
