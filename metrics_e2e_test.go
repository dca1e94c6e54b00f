package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
)

// scrape reads http://addr/metrics, lints it as `promtool check metrics`
// does, and returns each sample by its name and labels as exposed.
func scrape(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	code, body := httpGet(t, addr, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics answered %d: %s", code, body)
	}
	problems, err := promlint.New(strings.NewReader(body)).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
	samples := map[string]float64{}
	for line := range strings.Lines(body) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(strings.TrimSpace(line[i+1:]), 64)
		if err != nil {
			t.Fatalf("/metrics line %q: %v", line, err)
		}
		samples[line[:i]] = v
	}
	return samples
}

func httpGet(t *testing.T, addr, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func TestMetricsAndHealthOfServe(t *testing.T) {
	url, sim := startSim(t, 0.05)
	dir := t.TempDir()
	addr := freeAddr(t)
	srv := startServe(t, dir, url, "--metrics-listen", addr)
	if code, body := httpGet(t, addr, "/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Fatalf("/healthz = %d %q", code, body)
	}
	cli(t, "session", "add", "ops", "--data-dir", dir)
	// Added, auto-start and not yet READY: the process is not ready.
	code, body := httpGet(t, addr, "/readyz")
	var ready struct {
		Ready    bool
		Store    string
		NotReady []struct{ Session, State string }
	}
	if err := json.Unmarshal([]byte(body), &ready); err != nil {
		t.Fatalf("/readyz body %q: %v", body, err)
	}
	if code != http.StatusServiceUnavailable || ready.Ready || ready.Store != "ok" || len(ready.NotReady) != 1 || ready.NotReady[0].Session != "ops" || ready.NotReady[0].State != "STOPPED" {
		t.Fatalf("/readyz before pairing = %d %s", code, body)
	}

	pairByCLI(t, dir, "ops", "15552220401", sim)
	waitFor(t, 10*time.Second, "/readyz to answer 200 once ops is READY", func() bool {
		code, _ := httpGet(t, addr, "/readyz")
		return code == http.StatusOK
	})
	if out, errOut, code := cli(t, "session", "set", "ops", "--min-gap", "0s", "--jitter-min", "0s", "--jitter", "0s", "--data-dir", dir); code != 0 {
		t.Fatalf("session set: exit %d: %s %s", code, out, errOut)
	}
	if out, errOut, code := cli(t, "send", "--session", "ops", "--to", "15558880401", "--text", "hello", "--data-dir", dir); code != 0 {
		t.Fatalf("send: exit %d: %s %s", code, out, errOut)
	}
	var m map[string]float64
	waitFor(t, 30*time.Second, "the scrape to count one message sent", func() bool {
		m = scrape(t, addr)
		return m[`waconsole_messages_sent_total{session="ops"}`] == 1
	})
	for sample, want := range map[string]float64{
		`waconsole_sessions{state="READY"}`:                              1,
		`waconsole_sessions{state="STOPPED"}`:                            0,
		`waconsole_sessions{state="FAILED"}`:                             0,
		`waconsole_session_state{session="ops",state="READY"}`:           1,
		`waconsole_session_state{session="ops",state="STOPPED"}`:         0,
		`waconsole_sessions_connected`:                                   1,
		`waconsole_queue_depth{session="ops"}`:                           0,
		`waconsole_queue_latency_seconds_count{session="ops"}`:           1,
		`waconsole_send_failures_total{session="ops",type="send_error"}`: 0,
		`waconsole_session_disconnects_total{session="ops"}`:             0,
		`waconsole_webhook_deliveries{session="ops",state="dead"}`:       0,
		`waconsole_process_starts_total`:                                 1,
		`waconsole_process_unclean_starts_total`:                         0,
	} {
		if got, ok := m[sample]; !ok || got != want {
			t.Errorf("%s = %v (exposed: %v), want %v", sample, got, ok, want)
		}
	}
	if m["waconsole_store_size_bytes"] <= 0 {
		t.Errorf("waconsole_store_size_bytes = %v", m["waconsole_store_size_bytes"])
	}

	// Killed, then started again: one more start, and it was unclean.
	srv.signal(syscall.SIGKILL)
	srv.wait(t, 5*time.Second)
	waitFor(t, 5*time.Second, "Chromium to die with the killed server", func() bool { return browsers(dir) == 0 })
	startServe(t, dir, url, "--metrics-listen", addr)
	m = scrape(t, addr)
	if m["waconsole_process_starts_total"] != 2 || m["waconsole_process_unclean_starts_total"] != 1 {
		t.Fatalf("after a kill and a start: starts %v, unclean %v; want 2 and 1", m["waconsole_process_starts_total"], m["waconsole_process_unclean_starts_total"])
	}
	// The restart raised its alert, listed by the CLI and counted open.
	if got := m[`waconsole_alerts_open{kind="unclean-restart",severity="warning"}`]; got != 1 {
		t.Errorf("unclean-restart alerts open = %v, want 1", got)
	}
	if out, errOut, code := cli(t, "alerts", "--json", "--data-dir", dir); code != 0 || !strings.Contains(out, `"kind": "unclean-restart"`) {
		t.Fatalf("alerts after the kill: exit %d: %s %s", code, out, errOut)
	}
}
