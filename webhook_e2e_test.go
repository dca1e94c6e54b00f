package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

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
