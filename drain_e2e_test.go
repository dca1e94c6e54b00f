package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/simweb"
)

// receivedLog is a receiver's record of message.received deliveries: the
// webhook ids each message came with, and how many attempts.
type receivedLog struct {
	mu       sync.Mutex
	ids      map[string]map[string]bool // message id -> webhook ids
	attempts int
}

func (l *receivedLog) add(msgID, webhookID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ids[msgID] == nil {
		l.ids[msgID] = map[string]bool{}
	}
	l.ids[msgID][webhookID] = true
	l.attempts++
}

func (l *receivedLog) messages() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.ids)
}

// TestDrainReachesTheWebhooksAcrossKills drains 100 unread messages to a
// receiver that verifies every signature, kills `waconsole serve` with
// SIGKILL at least 5 times mid-drain and restarts it: every message
// reaches the receiver, every attempt for one message with the same
// webhook-id, and the drain resumes where it stopped.
func TestDrainReachesTheWebhooksAcrossKills(t *testing.T) {
	url, phone := startSim(t, 0.05)
	dir := t.TempDir()
	srv := startServe(t, dir, url)
	const id, number = "backlog", "15554440077"
	if _, errOut, code := cli(t, "session", "add", id, "--data-dir", dir); code != 0 {
		t.Fatalf("session add: %s", errOut)
	}
	pairByCLI(t, dir, id, number, phone)

	secret, _, _ := cli(t, "webhook", "secret")
	secret = strings.TrimSpace(secret)
	secretPath := filepath.Join(t.TempDir(), "hook.secret")
	if err := os.WriteFile(secretPath, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	got := &receivedLog{ids: map[string]map[string]bool{}}
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := wh.Verify(body, r.Header); err != nil {
			t.Errorf("the receiver could not verify a delivery: %v", err)
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var ev struct {
			Type string
			Data struct{ MsgID string }
		}
		if err := json.Unmarshal(body, &ev); err != nil || ev.Type != "message.received" || ev.Data.MsgID == "" {
			t.Errorf("a delivery the drain did not make: %s", body)
		} else {
			got.add(ev.Data.MsgID, r.Header.Get("webhook-id"))
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rc.Close()
	if out, errOut, code := cli(t, "webhook", "add", id, rc.URL+"/wa", "--name", "crm", "--events", "message.received", "--secret-file", secretPath, "--data-dir", dir); code != 0 {
		t.Fatalf("webhook add: %s %s", out, errOut)
	}

	// Downtime: the phone gets 100 messages while the session is stopped.
	if _, errOut, code := cli(t, "session", "stop", id, "--data-dir", dir); code != 0 {
		t.Fatalf("session stop: %s", errOut)
	}
	waitFor(t, 30*time.Second, "the backlog accepted while the device is offline", func() bool {
		err := phone.Backlog(context.Background(), number, 10, 10)
		if err != nil && !errors.Is(err, simweb.ErrStale) {
			t.Fatal(err)
		}
		return err == nil
	})
	if _, errOut, code := cli(t, "session", "start", id, "--data-dir", dir); code != 0 {
		t.Fatalf("session start: %s", errOut)
	}
	waitFor(t, 60*time.Second, "READY again", func() bool {
		st, _ := status(t, dir)
		return len(st.Sessions) == 1 && st.Sessions[0].State == "READY"
	})
	out, errOut, code := cli(t, "drain", id, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "100 messages in 10 chats") {
		t.Fatalf("drain listing: exit %d\n%s\n%s", code, out, errOut)
	}
	c := api.NewClient(dir)
	ctx := context.Background()
	if _, err := c.StartDrain(ctx, id, api.DrainRequest{Action: "deliver", Rate: 8}); err != nil {
		t.Fatal(err)
	}

	kills := 0
	for kills < 5 {
		time.Sleep(time.Duration(500+rand.IntN(1000)) * time.Millisecond)
		srv.signal(syscall.SIGKILL)
		srv.wait(t, 5*time.Second)
		kills++
		if n := got.messages(); n == 100 {
			t.Fatalf("every message was handed on after %d kills: slow the drain down", kills)
		}
		srv = startServe(t, dir, url)
	}
	t.Logf("%d kills; %d messages had reached the receiver at the last one", kills, got.messages())

	waitFor(t, 90*time.Second, "the drain done and every message received", func() bool {
		d, err := c.Drain(ctx, id)
		return err == nil && d.State == "done" && got.messages() == 100
	})
	d, err := c.Drain(ctx, id)
	if err != nil || d.Done != 100 || d.Delivered+d.Already != 100 {
		t.Fatalf("drain %+v %v, want all 100 handed on", d, err)
	}
	got.mu.Lock()
	defer got.mu.Unlock()
	for msg, ids := range got.ids {
		if len(ids) != 1 {
			t.Errorf("message %s came with %d webhook ids: %v", msg, len(ids), ids)
		}
	}
	t.Logf("%d attempts for %d messages", got.attempts, len(got.ids))
	srv.signal(syscall.SIGTERM)
	srv.wait(t, 12*time.Second)
}
