package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/waconsole/waconsole/api"
)

// serve, `webhook add` and `webhook test` through the built binary, to a
// receiver that verifies the signature with the Standard Webhooks library.
func TestWebhookAddAndTestThroughServe(t *testing.T) {
	url, _ := startSim(t, 0.05)
	dir := t.TempDir()
	startServe(t, dir, url)
	if _, errOut, code := cli(t, "session", "add", "ops", "--data-dir", dir); code != 0 {
		t.Fatalf("session add: %d %s", code, errOut)
	}
	secret, errOut, code := cli(t, "webhook", "secret")
	secret = strings.TrimSpace(secret)
	if code != 0 || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("webhook secret: %d %q %s", code, secret, errOut)
	}
	secretPath := filepath.Join(t.TempDir(), "hook.secret")
	if err := os.WriteFile(secretPath, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var bodies []string
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := wh.Verify(body, r.Header); err != nil {
			t.Errorf("the receiver could not verify a delivery: %v", err)
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		mu.Lock()
		bodies = append(bodies, string(body))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rc.Close()

	out, errOut, code := cli(t, "webhook", "add", "ops", rc.URL+"/wa", "--name", "crm", "--events", "message.received,outbox.dead", "--secret-file", secretPath, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "webhook crm of ops added") {
		t.Fatalf("webhook add: %d %q %s", code, out, errOut)
	}
	if _, errOut, code := cli(t, "webhook", "add", "ops", "ftp://nowhere", "--secret-env", "X", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "the scheme must be http or https") {
		t.Errorf("a bad URL: exit %d, %s", code, errOut)
	}
	out, errOut, code = cli(t, "webhook", "list", "ops", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "crm") || !strings.Contains(out, "message.received,outbox.dead") || !strings.Contains(out, "file "+secretPath) {
		t.Fatalf("webhook list: %d %q %s", code, out, errOut)
	}
	out, errOut, code = cli(t, "webhook", "test", "ops", "crm", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "delivered") || !strings.Contains(out, "status 204") {
		t.Fatalf("webhook test: %d %q %s", code, out, errOut)
	}
	mu.Lock()
	got := append([]string(nil), bodies...)
	mu.Unlock()
	if len(got) != 1 || !strings.Contains(got[0], `"type":"webhook.test"`) {
		t.Fatalf("the receiver got %q", got)
	}

	out, errOut, code = cli(t, "webhook", "deliveries", "ops", "--json", "--data-dir", dir)
	var list struct{ Deliveries []api.Delivery }
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list.Deliveries) != 1 || list.Deliveries[0].State != "delivered" {
		t.Fatalf("webhook deliveries: %d %q %s", code, out, errOut)
	}
	if _, errOut, code := cli(t, "webhook", "retry", "ops", "1", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "only a dead one is retried") {
		t.Errorf("retry of a delivered delivery: exit %d, %s", code, errOut)
	}
}

// An endpoint answering 410 Gone is disabled through serve: the failure is
// an event of the session, `webhook list` shows it disabled, a test is
// refused, and `webhook add` under its name turns it back on.
func TestGoneEndpointIsDisabledThroughServe(t *testing.T) {
	url, _ := startSim(t, 0.05)
	dir := t.TempDir()
	startServe(t, dir, url)
	if _, errOut, code := cli(t, "session", "add", "ops", "--data-dir", dir); code != 0 {
		t.Fatalf("session add: %d %s", code, errOut)
	}
	secret, _, _ := cli(t, "webhook", "secret")
	secretPath := filepath.Join(t.TempDir(), "hook.secret")
	if err := os.WriteFile(secretPath, []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	var back atomic.Bool
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if !back.Load() {
			w.WriteHeader(http.StatusGone)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rc.Close()
	add := []string{"webhook", "add", "ops", rc.URL + "/wa", "--name", "crm", "--secret-file", secretPath, "--data-dir", dir}
	if out, errOut, code := cli(t, add...); code != 0 {
		t.Fatalf("webhook add: %d %q %s", code, out, errOut)
	}
	if out, errOut, code := cli(t, "webhook", "test", "ops", "crm", "--data-dir", dir); code != 1 || !strings.Contains(out, "dead") || !strings.Contains(out, "status 410") {
		t.Fatalf("webhook test to a 410: %d %q %s", code, out, errOut)
	}
	const reason = "crm: HTTP 410 Gone on attempt 1: endpoint disabled; add it again with waconsole webhook add to turn it back on"
	var evs []api.Event
	waitFor(t, 10*time.Second, "the webhook-dead event", func() bool {
		var err error
		if evs, err = api.NewClient(dir).Events(context.Background(), "ops", 100); err != nil {
			t.Fatal(err)
		}
		return len(evs) > 0 && evs[len(evs)-1].Kind == "webhook-dead"
	})
	if got := evs[len(evs)-1].Reason; got != reason || strings.Contains(got, rc.URL) {
		t.Errorf("webhook-dead reason %q, want %q", got, reason)
	}
	out, errOut, code := cli(t, "webhook", "list", "ops", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "disabled since") || !strings.Contains(out, "it answered 410 Gone") {
		t.Fatalf("webhook list of a disabled endpoint: %d %q %s", code, out, errOut)
	}
	if _, errOut, code := cli(t, "webhook", "test", "ops", "crm", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "endpoint disabled") || !strings.Contains(errOut, "webhook add") {
		t.Errorf("a test of a disabled endpoint: exit %d, %s", code, errOut)
	}
	back.Store(true)
	if out, errOut, code := cli(t, add...); code != 0 {
		t.Fatalf("webhook add again: %d %q %s", code, out, errOut)
	}
	if out, errOut, code := cli(t, "webhook", "test", "ops", "crm", "--data-dir", dir); code != 0 || !strings.Contains(out, "status 204") {
		t.Fatalf("webhook test after enabling: %d %q %s", code, out, errOut)
	}
}
