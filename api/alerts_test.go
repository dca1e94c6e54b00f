package api

import (
	"context"
	"fmt"
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

// Over TCP a key limited to some sessions lists and acknowledges the alerts
// of those sessions only; the number in the path is an alert's, never a
// session's.
func TestTCPAlertsOfLimitedKey(t *testing.T) {
	a := newTCPAPI(t)
	const oneKey = "wac_oneKey0000000000000000000000000"
	a.keys.addKey(t, oneKey, "one-worker", RoleOperate, "1")
	support := a.fake.RaiseAlert(session.Alert{Session: "support", Kind: session.AlertFailed})
	shop := a.fake.RaiseAlert(session.Alert{Session: "shop", Kind: session.AlertConflict})
	disk := a.fake.RaiseAlert(session.Alert{Kind: session.AlertDiskFull})
	if support.ID != 1 {
		t.Fatalf("the support alert is %d, want 1", support.ID)
	}
	denied := a.do(t, oneKey, "POST", "/v1/alerts/1/ack", "")
	wantError(t, denied, 403, CodeForbidden, "not made for that session")
	for _, path := range []string{"/v1/alerts/2/ack", "/v1/alerts/3/ack", "/v1/alerts/99/ack"} {
		if rec := a.do(t, oneKey, "POST", path, ""); rec.Code != 403 || rec.Body.String() != denied.Body.String() {
			t.Errorf("POST %s with a key of session 1: %d %s, want the same 403", path, rec.Code, rec.Body)
		}
	}
	wantError(t, a.do(t, shopKey, "POST", "/v1/alerts/1/ack", ""), 403, CodeForbidden, "not made for that session")
	wantError(t, a.do(t, shopKey, "POST", "/v1/alerts/3/ack", ""), 403, CodeForbidden, "not made for that session")
	wantError(t, a.do(t, shopKey, "GET", "/v1/alerts?session=support", ""), 403, CodeForbidden, "not made for that session")
	if rec := a.do(t, shopKey, "POST", "/v1/alerts/2/ack", ""); rec.Code != http.StatusNoContent {
		t.Fatalf("the shop key acknowledging shop's alert: %d %s", rec.Code, rec.Body)
	}
	all, _ := a.fake.Alerts(session.AlertQuery{})
	for _, al := range all {
		if acked := !al.Acked.IsZero(); acked != (al.ID == shop.ID) {
			t.Errorf("alert %d of %q acknowledged %v; only shop's should be", al.ID, al.Session, acked)
		}
	}
	for _, path := range []string{"/v1/alerts", "/v1/alerts?session=shop", "/v1/alerts?limit=1"} {
		var list AlertList
		ok(t, a.do(t, shopKey, "GET", path, ""), http.StatusOK, &list)
		if len(list.Alerts) != 1 || list.Alerts[0].ID != shop.ID {
			t.Errorf("GET %s with the shop key: %+v, want shop's alert alone", path, list.Alerts)
		}
	}
	var list AlertList
	ok(t, a.do(t, readKey, "GET", "/v1/alerts", ""), http.StatusOK, &list)
	if len(list.Alerts) != 3 {
		t.Errorf("an unlimited key lists %d alerts, want 3", len(list.Alerts))
	}
	if rec := a.do(t, operateKey, "POST", fmt.Sprintf("/v1/alerts/%d/ack", disk.ID), ""); rec.Code != http.StatusNoContent {
		t.Errorf("an unlimited key acknowledging the disk alert: %d %s", rec.Code, rec.Body)
	}
}
