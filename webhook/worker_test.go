package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/waconsole/waconsole/store"
)

// A delivery arrives signed; the receiver's library verifies it, and the
// same request with its body or its signature changed fails verification.
func TestDeliveryArrivesSignedAndVerifies(t *testing.T) {
	svc, db := newEnv(t, Options{})
	file, secret := secretFile(t)
	rc := newReceiver(t, secret, nil)
	addEndpoint(t, svc, Config{URL: rc.URL + "/hook", SecretFile: file})
	d := enqueueOne(t, svc, "message.received", map[string]string{"chat": "c@c.us", "message": "3EB0AA"})
	waitState(t, db, d.Seq, store.DeliveryDelivered)

	hits := rc.got()
	if len(hits) != 1 || hits[0].verifyErr != nil || hits[0].id != d.WebhookID {
		t.Fatalf("receiver got %+v, want one verified request with id %s", hits, d.WebhookID)
	}
	h := hits[0]
	var body struct {
		Type      string            `json:"type"`
		Timestamp string            `json:"timestamp"`
		Data      map[string]string `json:"data"`
	}
	if err := json.Unmarshal(h.body, &body); err != nil {
		t.Fatal(err)
	}
	ts, err := time.Parse(time.RFC3339, body.Timestamp)
	if body.Type != "message.received" || err != nil || time.Since(ts) > time.Minute || body.Data["message"] != "3EB0AA" {
		t.Errorf("body = %s (timestamp: %v)", h.body, err)
	}
	if !strings.HasPrefix(h.signature, "v1,") {
		t.Errorf("signature = %q, want v1,<base64>", h.signature)
	}

	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	headers := http.Header{}
	headers.Set("webhook-id", h.id)
	headers.Set("webhook-timestamp", h.timestamp)
	headers.Set("webhook-signature", h.signature)
	if err := wh.Verify(h.body, headers); err != nil {
		t.Fatalf("the genuine request does not verify: %v", err)
	}
	tampered := bytes.Replace(h.body, []byte("3EB0AA"), []byte("3EB0AB"), 1)
	if err := wh.Verify(tampered, headers); !errors.Is(err, standardwebhooks.ErrNoMatchingSignature) {
		t.Errorf("a tampered body verified: %v", err)
	}
	forged := headers.Clone()
	forged.Set("webhook-signature", "v1,"+strings.Repeat("A", 43)+"=")
	if err := wh.Verify(h.body, forged); !errors.Is(err, standardwebhooks.ErrNoMatchingSignature) {
		t.Errorf("a tampered signature verified: %v", err)
	}
}

// A receiver that is down gets every attempt of the schedule, with one
// webhook id and a fresh timestamp each time; the delivery is then dead with
// the last status, and the operator's retry delivers it, still with that id.
func TestDownReceiverRetriesThenDeadThenOperatorRetry(t *testing.T) {
	svc, db := newEnv(t, Options{})
	file, secret := secretFile(t)
	var up atomic.Bool
	rc := newReceiver(t, secret, func(_ int, w http.ResponseWriter, _ *http.Request) {
		if !up.Load() {
			http.Error(w, "down for maintenance", http.StatusBadGateway)
		}
	})
	addEndpoint(t, svc, Config{URL: rc.URL, SecretFile: file})
	d := enqueueOne(t, svc, "outbox.dead", map[string]any{"job": 7})

	dead := waitState(t, db, d.Seq, store.DeliveryDead)
	if dead.Attempts != len(fastSchedule) || dead.LastStatus != http.StatusBadGateway || !strings.Contains(dead.LastError, "down for maintenance") {
		t.Errorf("dead delivery = attempts %d, status %d, error %q; want %d attempts and the 502", dead.Attempts, dead.LastStatus, dead.LastError, len(fastSchedule))
	}
	hits := rc.got()
	if len(hits) != len(fastSchedule) {
		t.Fatalf("receiver got %d attempts, want %d", len(hits), len(fastSchedule))
	}
	for i, h := range hits {
		if h.id != d.WebhookID || h.verifyErr != nil {
			t.Errorf("attempt %d: id %s (want %s), verify %v", i+1, h.id, d.WebhookID, h.verifyErr)
		}
		if i > 0 && h.at.Sub(hits[i-1].at) < fastSchedule[i] {
			t.Errorf("attempt %d came %s after the one before, the schedule says %s", i+1, h.at.Sub(hits[i-1].at), fastSchedule[i])
		}
	}

	listed, err := svc.Deliveries("s1", store.DeliveryDead)
	if err != nil || len(listed) != 1 || listed[0].Seq != d.Seq {
		t.Fatalf("dead deliveries = %v, %v", listed, err)
	}
	if _, err := svc.Retry("s1", d.Seq+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("retry of a missing delivery = %v, want ErrNotFound", err)
	}
	up.Store(true)
	if _, err := svc.Retry("s1", d.Seq); err != nil {
		t.Fatal(err)
	}
	done := waitState(t, db, d.Seq, store.DeliveryDelivered)
	last := rc.got()[len(fastSchedule)]
	if last.id != d.WebhookID || last.verifyErr != nil || done.LastStatus != http.StatusOK || done.LastError != "" {
		t.Errorf("after the retry: id %s, verify %v, delivery %+v", last.id, last.verifyErr, done)
	}
	if _, err := svc.Retry("s1", d.Seq); !errors.Is(err, ErrWrongState) {
		t.Errorf("retry of a delivered delivery = %v, want ErrWrongState", err)
	}
}

// A 400 says the request itself is refused: dead at once, no retry.
func TestClientErrorIsDeadAtOnce(t *testing.T) {
	svc, db := newEnv(t, Options{})
	file, secret := secretFile(t)
	rc := newReceiver(t, secret, func(_ int, w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "unknown field", http.StatusBadRequest)
	})
	addEndpoint(t, svc, Config{URL: rc.URL, SecretFile: file})
	d := enqueueOne(t, svc, "session.state", nil)
	dead := waitState(t, db, d.Seq, store.DeliveryDead)
	if dead.Attempts != 1 || dead.LastStatus != http.StatusBadRequest || len(rc.got()) != 1 {
		t.Errorf("a 400: %d attempts, status %d, %d requests; want 1 attempt", dead.Attempts, dead.LastStatus, len(rc.got()))
	}
}

// A 429 is retried, not before its Retry-After.
func TestTooManyRequestsIsRetriedAfterRetryAfter(t *testing.T) {
	svc, db := newEnv(t, Options{})
	file, secret := secretFile(t)
	rc := newReceiver(t, secret, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		}
	})
	addEndpoint(t, svc, Config{URL: rc.URL, SecretFile: file})
	d := enqueueOne(t, svc, "message.ack", nil)
	done := waitState(t, db, d.Seq, store.DeliveryDelivered)
	hits := rc.got()
	if done.Attempts != 2 || len(hits) != 2 || hits[0].id != hits[1].id {
		t.Fatalf("a 429 then a 200: %d attempts, %d requests %+v", done.Attempts, len(hits), hits)
	}
	if gap := hits[1].at.Sub(hits[0].at); gap < time.Second {
		t.Errorf("the retry came %s after a Retry-After of 1 s", gap)
	}
	if hits[0].timestamp == "" || hits[1].timestamp == "" {
		t.Error("an attempt had no webhook-timestamp")
	}
}

// A redirect is a failed attempt: the signed request never goes elsewhere.
func TestRedirectIsNotFollowed(t *testing.T) {
	svc, db := newEnv(t, Options{Schedule: []time.Duration{0}})
	file, secret := secretFile(t)
	rc := newReceiver(t, secret, func(_ int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	addEndpoint(t, svc, Config{URL: rc.URL, SecretFile: file})
	d := enqueueOne(t, svc, "message.ack", nil)
	dead := waitState(t, db, d.Seq, store.DeliveryDead)
	if dead.LastStatus != http.StatusFound || len(rc.got()) != 1 {
		t.Errorf("a 302: status %d, %d requests; want the 302 recorded and no second request", dead.LastStatus, len(rc.got()))
	}
}

// The worker stops mid-attempt and the store is closed and reopened: the
// delivery is made after the restart, with the same webhook id.
func TestRestartMidDeliveryKeepsTheWebhookID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "waconsole.db")
	db := openStore(t, path)
	if err := db.CreateSession(store.Session{ID: "s1"}); err != nil {
		t.Fatal(err)
	}
	file, secret := secretFile(t)
	arrived := make(chan struct{}, 1)
	rc := newReceiver(t, secret, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			arrived <- struct{}{}
			<-r.Context().Done() // hangs until the worker gives up on it
		}
	})
	svc := startService(t, db, Options{})
	addEndpoint(t, svc, Config{URL: rc.URL, SecretFile: file})
	d := enqueueOne(t, svc, "message.received", nil)
	<-arrived
	svc.Close()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openStore(t, path)
	t.Cleanup(func() { _ = db.Close() })
	if got, err := db.GetDelivery(d.Seq); err != nil || got.State != store.DeliveryDelivering {
		t.Fatalf("after the stop the delivery is %+v, %v; want it left delivering", got, err)
	}
	svc = startService(t, db, Options{})
	t.Cleanup(svc.Close)
	waitState(t, db, d.Seq, store.DeliveryDelivered)
	hits := rc.got()
	if len(hits) != 2 || hits[0].id != d.WebhookID || hits[1].id != d.WebhookID || hits[1].verifyErr != nil {
		t.Errorf("requests %+v; want two with id %s", hits, d.WebhookID)
	}
}

// The secret is read at each attempt: a missing one is a failed attempt
// saying so, and a rotated file signs the next attempt.
func TestSecretIsReadAtEachAttempt(t *testing.T) {
	svc, db := newEnv(t, Options{Schedule: []time.Duration{0, 10 * time.Millisecond, time.Hour}})
	file := filepath.Join(t.TempDir(), "secret")
	rc := newReceiver(t, "", nil)
	addEndpoint(t, svc, Config{URL: rc.URL, SecretFile: file})
	d := enqueueOne(t, svc, "session.state", nil)
	waitFor(t, "two failed attempts", func() bool {
		got, err := db.GetDelivery(d.Seq)
		return err == nil && got.Attempts == 2 && got.State == store.DeliveryPending
	})
	got, _ := db.GetDelivery(d.Seq)
	if !strings.Contains(got.LastError, "secret file "+file) || len(rc.got()) != 0 {
		t.Errorf("without a secret: error %q, %d requests sent", got.LastError, len(rc.got()))
	}

	secret, _ := NewSecret()
	if err := os.WriteFile(file, []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	rc.setSecret(secret)
	if _, err := db.UpdateDelivery(d.Seq, func(d *store.Delivery) error { d.NextAttempt = time.Now(); return nil }); err != nil {
		t.Fatal(err)
	}
	waitState(t, db, d.Seq, store.DeliveryDelivered)
	if h := rc.got(); len(h) != 1 || h[0].verifyErr != nil {
		t.Errorf("with the new secret: %+v", h)
	}
}

// Neither the store file nor a backup of it holds the secret.
func TestSecretIsNeitherInTheStoreNorInABackup(t *testing.T) {
	svc, db := newEnv(t, Options{})
	file, secret := secretFile(t)
	envSecret, _ := NewSecret()
	t.Setenv("WACONSOLE_HOOK_SECRET", envSecret)
	rcFile := newReceiver(t, secret, nil)
	rcEnv := newReceiver(t, envSecret, nil)
	addEndpoint(t, svc, Config{Name: "file", URL: rcFile.URL, SecretFile: file})
	addEndpoint(t, svc, Config{Name: "env", URL: rcEnv.URL, SecretEnv: "WACONSOLE_HOOK_SECRET"})
	ds, err := svc.Enqueue("s1", "session.state", map[string]string{"state": "READY"})
	if err != nil || len(ds) != 2 {
		t.Fatalf("enqueue = %v, %v", ds, err)
	}
	for _, d := range ds {
		waitState(t, db, d.Seq, store.DeliveryDelivered)
	}
	var backup bytes.Buffer
	if _, err := db.Backup(&backup); err != nil {
		t.Fatal(err)
	}
	onDisk, err := os.ReadFile(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{secret, envSecret} {
		raw := strings.TrimPrefix(s, "whsec_")
		for what, b := range map[string][]byte{"store file": onDisk, "backup": backup.Bytes()} {
			if bytes.Contains(b, []byte(raw)) {
				t.Errorf("the %s holds a secret", what)
			}
		}
	}
	if !bytes.Contains(backup.Bytes(), []byte("WACONSOLE_HOOK_SECRET")) {
		t.Error("the backup lacks the secret's variable name: is this the right file?")
	}
}

// No endpoint has more attempts in flight than its concurrency.
func TestConcurrencyPerEndpoint(t *testing.T) {
	svc, db := newEnv(t, Options{Concurrency: 2})
	file, secret := secretFile(t)
	var mu sync.Mutex
	inFlight, most := 0, 0
	release := make(chan struct{})
	rc := newReceiver(t, secret, func(_ int, _ http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		<-release
		mu.Lock()
		inFlight--
		mu.Unlock()
	})
	addEndpoint(t, svc, Config{URL: rc.URL, SecretFile: file})
	var seqs []uint64
	for range 6 {
		seqs = append(seqs, enqueueOne(t, svc, "message.ack", nil).Seq)
	}
	waitFor(t, "two requests in flight", func() bool { mu.Lock(); defer mu.Unlock(); return inFlight == 2 })
	close(release)
	for _, seq := range seqs {
		waitState(t, db, seq, store.DeliveryDelivered)
	}
	mu.Lock()
	defer mu.Unlock()
	if most != 2 {
		t.Errorf("at most %d requests in flight, want 2", most)
	}
}

// Test sends webhook.test to an endpoint that chose other events and
// reports the first attempt's outcome.
func TestTestReportsTheOutcome(t *testing.T) {
	svc, _ := newEnv(t, Options{})
	file, secret := secretFile(t)
	rc := newReceiver(t, secret, nil)
	addEndpoint(t, svc, Config{Name: "crm", URL: rc.URL, SecretFile: file, Events: []string{"message.ack"}})
	addEndpoint(t, svc, Config{Name: "broken", URL: rc.URL, SecretEnv: "WACONSOLE_UNSET_SECRET"})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ds, err := svc.Test(ctx, "s1", "")
	if err != nil || len(ds) != 2 {
		t.Fatalf("test = %v, %v", ds, err)
	}
	byName := map[string]store.Delivery{}
	for _, d := range ds {
		byName[d.Endpoint] = d
	}
	if d := byName["crm"]; d.State != store.DeliveryDelivered || d.Type != TestEvent {
		t.Errorf("crm: %+v", d)
	}
	if d := byName["broken"]; d.State == store.DeliveryDelivered || !strings.Contains(d.LastError, "WACONSOLE_UNSET_SECRET") {
		t.Errorf("broken: %+v", d)
	}
	if _, err := svc.Test(ctx, "s1", "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("test of a missing endpoint = %v, want ErrNotFound", err)
	}
	if h := rc.got(); len(h) != 1 || h[0].verifyErr != nil || !strings.Contains(string(h[0].body), `"endpoint":"crm"`) {
		t.Errorf("receiver got %+v", h)
	}
}

// A delivery whose endpoint was removed goes dead on its turn, saying so.
func TestRemovedEndpointsDeliveriesGoDead(t *testing.T) {
	svc, db := newEnv(t, Options{Schedule: []time.Duration{0, time.Hour}})
	file, secret := secretFile(t)
	rc := newReceiver(t, secret, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	addEndpoint(t, svc, Config{Name: "old", URL: rc.URL, SecretFile: file})
	d := enqueueOne(t, svc, "outbox.sent", nil)
	waitFor(t, "the first attempt to fail", func() bool {
		got, err := db.GetDelivery(d.Seq)
		return err == nil && got.State == store.DeliveryPending && got.Attempts == 1
	})
	if err := svc.Remove("s1", "old"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateDelivery(d.Seq, func(d *store.Delivery) error { d.NextAttempt = time.Now(); return nil }); err != nil {
		t.Fatal(err)
	}
	dead := waitState(t, db, d.Seq, store.DeliveryDead)
	if !strings.Contains(dead.LastError, `endpoint "old" of session "s1" was removed`) || len(rc.got()) != 1 {
		t.Errorf("dead delivery error %q after %d requests", dead.LastError, len(rc.got()))
	}
}
