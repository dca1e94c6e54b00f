package webhook

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/waconsole/waconsole/store"
)

// fastSchedule stands for the production one: four attempts, milliseconds apart.
var fastSchedule = []time.Duration{0, 10 * time.Millisecond, 20 * time.Millisecond, 30 * time.Millisecond}

func openStore(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// newEnv opens a store with session s1 and a started service over it.
func newEnv(t *testing.T, o Options) (*Service, *store.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "waconsole.db")
	db := openStore(t, path)
	if err := db.CreateSession(store.Session{ID: "s1"}); err != nil {
		t.Fatal(err)
	}
	svc := startService(t, db, o)
	t.Cleanup(func() { svc.Close(); _ = db.Close() })
	return svc, db
}

func startService(t *testing.T, db *store.DB, o Options) *Service {
	t.Helper()
	if o.Schedule == nil {
		o.Schedule = fastSchedule
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	svc := New(db, o)
	if err := svc.Start(); err != nil {
		t.Fatal(err)
	}
	return svc
}

// secretFile writes a fresh secret to a file and returns both.
func secretFile(t *testing.T) (path, secret string) {
	t.Helper()
	secret, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, secret
}

// hit is one request a receiver got, with the outcome of its verification.
type hit struct {
	id, timestamp, signature string
	body                     []byte
	verifyErr                error
	at                       time.Time
}

// receiver is an endpoint on 127.0.0.1 that verifies every request with the
// Standard Webhooks library and answers with respond.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	secret  string
	hits    []hit
	respond func(n int, w http.ResponseWriter, r *http.Request) // n counts from 1
}

func newReceiver(t *testing.T, secret string, respond func(n int, w http.ResponseWriter, r *http.Request)) *receiver {
	t.Helper()
	rc := &receiver{secret: secret, respond: respond}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		wh, err := standardwebhooks.NewWebhook(rc.secret)
		if err == nil {
			err = wh.Verify(body, r.Header)
		}
		rc.hits = append(rc.hits, hit{
			id: r.Header.Get("webhook-id"), timestamp: r.Header.Get("webhook-timestamp"),
			signature: r.Header.Get("webhook-signature"), body: body, verifyErr: err, at: time.Now(),
		})
		n := len(rc.hits)
		rc.mu.Unlock()
		if err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if rc.respond != nil {
			rc.respond(n, w, r)
		}
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) got() []hit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hit(nil), rc.hits...)
}

func (rc *receiver) setSecret(s string) {
	rc.mu.Lock()
	rc.secret = s
	rc.mu.Unlock()
}

// waitFor polls cond until it holds, failing after a generous deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitState waits until delivery seq is in state and returns it.
func waitState(t *testing.T, db *store.DB, seq uint64, state store.DeliveryState) store.Delivery {
	t.Helper()
	var d store.Delivery
	waitFor(t, "delivery to be "+string(state), func() bool {
		var err error
		d, err = db.GetDelivery(seq)
		if err != nil {
			t.Fatal(err)
		}
		return d.State == state
	})
	return d
}

func addEndpoint(t *testing.T, svc *Service, c Config) store.Webhook {
	t.Helper()
	c.Session = "s1"
	w, err := svc.Add(c)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func enqueueOne(t *testing.T, svc *Service, eventType string, data any) store.Delivery {
	t.Helper()
	ds, err := svc.Enqueue("s1", eventType, data)
	if err != nil || len(ds) != 1 {
		t.Fatalf("enqueue = %v, %v; want one delivery", ds, err)
	}
	return ds[0]
}
