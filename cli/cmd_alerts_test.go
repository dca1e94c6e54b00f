package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestAlertsCommand(t *testing.T) {
	f := sessiontest.New()
	if _, err := f.Add(session.AddRequest{ID: "ops"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	serveFake(t, dir, f)
	if code, out, _ := runCLI(t, "alerts", "--data-dir", dir, "--check"); code != 0 || !strings.Contains(out, "no open alerts") {
		t.Fatalf("no alerts: exit %d, %q", code, out)
	}
	warn := f.RaiseAlert(session.Alert{Session: "ops", Kind: session.AlertDeadJobs, Severity: session.SeverityWarning, Reason: "2 outbox jobs are dead"})
	if code, _, _ := runCLI(t, "alerts", "--data-dir", dir, "--check"); code != 0 {
		t.Fatalf("--check with a warning open exits %d, want 0", code)
	}
	crit := f.RaiseAlert(session.Alert{Kind: session.AlertDiskFull, Severity: session.SeverityCritical, Reason: "the disk is full"})
	code, out, _ := runCLI(t, "alerts", "--data-dir", dir, "--check")
	if code != 1 {
		t.Fatalf("--check with a critical alert open exits %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[1], "disk-full") || !strings.Contains(lines[2], "dead-jobs") {
		t.Fatalf("table:\n%s", out)
	}
	f.ResolveAlert(crit.ID)
	if _, out, _ := runCLI(t, "alerts", "--data-dir", dir); strings.Contains(out, "disk-full") {
		t.Fatalf("a resolved alert listed without --all:\n%s", out)
	}
	_, out, _ = runCLI(t, "alerts", "--data-dir", dir, "--all", "--json")
	var list api.AlertList
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Alerts) != 2 || list.Alerts[0].Resolved.IsZero() {
		t.Fatalf("--all --json = %s (%v)", out, err)
	}
	if code, out, _ := runCLI(t, "alerts", "ack", "1", "--data-dir", dir); code != 0 || !strings.Contains(out, "alert 1 acknowledged") {
		t.Fatalf("ack: exit %d, %q", code, out)
	}
	if got, _ := f.Alerts(session.AlertQuery{Session: "ops"}); got[0].ID != warn.ID || got[0].Acked.IsZero() {
		t.Fatalf("after the ack %+v", got)
	}
	if code, _, errOut := runCLI(t, "alerts", "ack", "9", "--data-dir", dir); code != 1 || !strings.Contains(errOut, "no alert 9") {
		t.Fatalf("ack of an unknown alert: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "alerts", "ack", "x", "--data-dir", dir); code != 1 || !strings.Contains(errOut, "not an alert number") {
		t.Fatalf("ack x: exit %d, %q", code, errOut)
	}
}

func TestSessionSetAlertThresholds(t *testing.T) {
	f := sessiontest.New()
	if _, err := f.Add(session.AddRequest{ID: "ops"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	serveFake(t, dir, f)
	code, out, errOut := runCLI(t, "session", "set", "ops", "--data-dir", dir, "--alert-disconnected", "2m", "--alert-send-failures", "5/10m")
	if code != 0 || !strings.Contains(out, "alerting   alert when disconnected 2m0s, 5 send failures in 10m0s, 3 browser restarts in 10m0s (default)") {
		t.Fatalf("set: exit %d, %q %q", code, out, errOut)
	}
	s, _ := f.Get("ops")
	if s.Alerting.Disconnected != 2*time.Minute || s.Alerting.SendFailures != 5 {
		t.Fatalf("thresholds %+v", s.Alerting)
	}
	if code, out, _ := runCLI(t, "session", "set", "ops", "--data-dir", dir, "--alert-send-failures", "default", "--alert-restarts", "4/1h"); code != 0 ||
		!strings.Contains(out, "3 send failures in 5m0s (default), 4 browser restarts in 1h0m0s") {
		t.Fatalf("set default: exit %d, %q", code, out)
	}
	if code, _, errOut := runCLI(t, "session", "set", "ops", "--data-dir", dir, "--alert-restarts", "3"); code != 1 || !strings.Contains(errOut, "such as 3/5m") {
		t.Fatalf("a count without a window: exit %d, %q", code, errOut)
	}
	if code, out, _ := runCLI(t, "session", "show", "ops", "--data-dir", dir); code != 0 || !strings.Contains(out, "alert when disconnected 2m0s,") {
		t.Fatalf("show: exit %d, %q", code, out)
	}
}
