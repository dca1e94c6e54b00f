package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
)

func TestListAlertsFilters(t *testing.T) {
	f := newFake("s1", "s2")
	f.RaiseAlert(session.Alert{Session: "s1", Kind: session.AlertDisconnected, Severity: session.SeverityCritical, Reason: "down"})
	second := f.RaiseAlert(session.Alert{Session: "s2", Kind: session.AlertDeadJobs, Severity: session.SeverityWarning})
	f.RaiseAlert(session.Alert{Kind: session.AlertDiskFull, Severity: session.SeverityCritical})
	f.ResolveAlert(second.ID)
	var all AlertList
	ok(t, serve(t, f, "GET", "/v1/alerts", ""), http.StatusOK, &all)
	if len(all.Alerts) != 3 || all.Alerts[0].Kind != "disk-full" || all.Alerts[0].Session != "" {
		t.Fatalf("all alerts = %+v, want three, newest first", all.Alerts)
	}
	var open AlertList
	ok(t, serve(t, f, "GET", "/v1/alerts?open=true", ""), http.StatusOK, &open)
	if len(open.Alerts) != 2 {
		t.Fatalf("open alerts = %+v", open.Alerts)
	}
	var one AlertList
	ok(t, serve(t, f, "GET", "/v1/alerts?session=s1&limit=1", ""), http.StatusOK, &one)
	if len(one.Alerts) != 1 || one.Alerts[0].Reason != "down" || one.Alerts[0].Severity != "critical" {
		t.Fatalf("alerts of s1 = %+v", one.Alerts)
	}
	wantError(t, serve(t, f, "GET", "/v1/alerts?open=maybe", ""), http.StatusBadRequest, CodeBadRequest, "true or false")
	wantError(t, serve(t, f, "GET", "/v1/alerts?limit=-1", ""), http.StatusBadRequest, CodeBadRequest, "limit")
}

func TestAckAlert(t *testing.T) {
	f := newFake("s1")
	a := f.RaiseAlert(session.Alert{Session: "s1", Kind: session.AlertFailed})
	rec := serve(t, f, "POST", "/v1/alerts/1/ack", "")
	if rec.Code != http.StatusNoContent {
		t.Fatalf("ack answered %d %s", rec.Code, rec.Body)
	}
	got, _ := f.Alerts(session.AlertQuery{})
	if got[0].ID != a.ID || got[0].Acked.IsZero() || !got[0].Open() {
		t.Fatalf("after the ack %+v: want it acknowledged and still open", got[0])
	}
	wantError(t, serve(t, f, "POST", "/v1/alerts/7/ack", ""), http.StatusNotFound, CodeNotFound, "waconsole alerts")
	wantError(t, serve(t, f, "POST", "/v1/alerts/x/ack", ""), http.StatusBadRequest, CodeBadRequest, "alert number")
}

func TestSetSessionAlerting(t *testing.T) {
	f := newFake("s1")
	var s Session
	ok(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"alerting":{"disconnected":"2m","sendFailures":5,"sendWindow":"10m"}}`), http.StatusOK, &s)
	if time.Duration(s.Alerting.Disconnected) != 2*time.Minute || s.Alerting.SendFailures != 5 || s.Alerting.Restarts != 3 ||
		s.AlertingSet.Disconnected == nil || s.AlertingSet.Restarts != nil {
		t.Fatalf("alerting %+v, set %+v", s.Alerting, s.AlertingSet)
	}
	ok(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"alerting":{"defaults":["sendFailures"]}}`), http.StatusOK, &s)
	if s.Alerting.SendFailures != 3 || time.Duration(s.Alerting.SendWindow) != 5*time.Minute || time.Duration(s.Alerting.Disconnected) != 2*time.Minute {
		t.Fatalf("after the reset %+v", s.Alerting)
	}
	wantError(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"alerting":{"restarts":0}}`), http.StatusUnprocessableEntity, CodeInvalid, "1 to 1000")
	wantError(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"alerting":{"disconnected":"soon"}}`), http.StatusUnprocessableEntity, CodeInvalid, "duration")
	wantError(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"alerting":{"defaults":["disk"]}}`), http.StatusUnprocessableEntity, CodeInvalid, "not a threshold")
}

func TestClientAlerts(t *testing.T) {
	f := newFake("s1")
	f.RaiseAlert(session.Alert{Session: "s1", Kind: session.AlertConflict})
	c, _ := startServer(t, Handler(f, testInfo))
	ctx := context.Background()
	list, err := c.Alerts(ctx, "s1", true, 0)
	if err != nil || len(list) != 1 || list[0].Kind != "conflict" {
		t.Fatalf("Alerts = %+v, %v", list, err)
	}
	if err := c.AckAlert(ctx, list[0].ID); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, c.AckAlert(ctx, 99), CodeNotFound)
}
