package webhook

import (
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/waconsole/waconsole/store"
)

// failures records what OnFailure hears.
type failures struct {
	mu   sync.Mutex
	list []failure
}

type failure struct {
	session, endpoint, reason string
	dead                      bool
}

func (f *failures) add(session, endpoint string, dead bool, reason string) {
	f.mu.Lock()
	f.list = append(f.list, failure{session, endpoint, reason, dead})
	f.mu.Unlock()
}

func (f *failures) got() []failure {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]failure(nil), f.list...)
}

// Every failed attempt is reported once, by endpoint name, status, attempt
// and next wait, and the delivery going dead once more; never the URL or
// the secret. A delivered attempt and a removed endpoint report nothing.
func TestEveryFailedAttemptAndDeathIsReported(t *testing.T) {
	var heard failures
	svc, db := newEnv(t, Options{OnFailure: heard.add})
	file, secret := secretFile(t)
	rc := newReceiver(t, secret, func(_ int, w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "private body text", http.StatusInternalServerError)
	})
	addEndpoint(t, svc, Config{Name: "crm", URL: rc.URL + "/hook?token=private", SecretFile: file, Events: []string{"outbox.sent"}})
	d := enqueueOne(t, svc, "outbox.sent", nil)
	waitState(t, db, d.Seq, store.DeliveryDead)
	waitFor(t, "a report per attempt", func() bool { return len(heard.got()) == len(fastSchedule) })

	next := regexp.MustCompile(`^crm: HTTP 500 on attempt (\d) of 4, next in \d+ms$`)
	for i, f := range heard.got() {
		if f.session != "s1" || f.endpoint != "crm" || strings.Contains(f.reason, "private") || strings.Contains(f.reason, rc.URL) || strings.Contains(f.reason, secret) {
			t.Errorf("report %d = %+v: want session s1, endpoint crm and neither URL, body nor secret", i+1, f)
		}
		last := i == len(fastSchedule)-1
		switch {
		case f.dead != last:
			t.Errorf("report %d dead = %v, want %v", i+1, f.dead, last)
		case !last && (!next.MatchString(f.reason) || next.FindStringSubmatch(f.reason)[1] != string(rune('1'+i))):
			t.Errorf("report %d = %q, want attempt %d and the next wait", i+1, f.reason, i+1)
		case last && !strings.HasPrefix(f.reason, "crm: HTTP 500 on attempt 4 of 4, dead; once the receiver is back: waconsole webhook retry s1 "):
			t.Errorf("last report = %q, want it dead with the retry command", f.reason)
		}
	}

	// A network failure is named by its kind, without the URL.
	down := newReceiver(t, secret, nil)
	addEndpoint(t, svc, Config{Name: "gone", URL: down.URL, SecretFile: file, Events: []string{"session.state"}})
	down.Close()
	before := len(heard.got())
	enqueueOne(t, svc, "session.state", nil)
	waitFor(t, "the refused connection to be reported", func() bool { return len(heard.got()) > before })
	if f := heard.got()[before]; !strings.HasPrefix(f.reason, "gone: connection refused on attempt 1 of 4, next in ") {
		t.Errorf("network failure report = %q", f.reason)
	}

	// A secret that cannot be read is no request: the report says why.
	addEndpoint(t, svc, Config{Name: "nosecret", URL: rc.URL, SecretFile: file + ".missing", Events: []string{"message.ack"}})
	enqueueOne(t, svc, "message.ack", nil)
	var reason string
	waitFor(t, "the unreadable secret to be reported", func() bool {
		for _, f := range heard.got() { // the gone endpoint's retries come in between
			if strings.HasPrefix(f.reason, "nosecret:") {
				reason = f.reason
				return true
			}
		}
		return false
	})
	if want := "nosecret: attempt 1 of 4 not sent: secret file " + file + ".missing: no such file or directory"; !strings.HasPrefix(reason, want) {
		t.Errorf("secret failure report = %q, want %q…", reason, want)
	}
}

// An endpoint answering 410 Gone is disabled: its queued deliveries go dead
// with the reason, nothing more is sent or queued to it, a test is refused,
// and adding it again turns it back on.
func TestGoneEndpointIsDisabledUntilAddedAgain(t *testing.T) {
	var heard failures
	svc, db := newEnv(t, Options{OnFailure: heard.add, Concurrency: 1})
	file, secret := secretFile(t)
	var back atomic.Bool
	queued := make(chan struct{})
	rc := newReceiver(t, secret, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			<-queued // the second delivery waits behind this one
		}
		if !back.Load() {
			w.WriteHeader(http.StatusGone)
		}
	})
	addEndpoint(t, svc, Config{Name: "crm", URL: rc.URL, SecretFile: file})
	first := enqueueOne(t, svc, "outbox.sent", nil)
	waitFor(t, "the first attempt to start", func() bool { return len(rc.got()) == 1 })
	ds := []store.Delivery{first, enqueueOne(t, svc, "outbox.sent", nil)}
	close(queued)
	for _, d := range ds {
		waitState(t, db, d.Seq, store.DeliveryDead)
	}
	if n := len(rc.got()); n != 1 {
		t.Errorf("the receiver got %d requests, want 1: none after the 410", n)
	}
	if d, _ := db.GetDelivery(ds[1].Seq); d.Attempts != 0 || d.LastError != "it answered 410 Gone" {
		t.Errorf("queued delivery = attempts %d, error %q; want it dead unsent, with the reason", d.Attempts, d.LastError)
	}
	waitFor(t, "the 410 to be reported", func() bool { return len(heard.got()) == 1 })
	if f := heard.got()[0]; !f.dead || f.reason != "crm: HTTP 410 Gone on attempt 1: endpoint disabled, its 1 queued delivery dead; add it again with waconsole webhook add to turn it back on" {
		t.Errorf("report = %+v", f)
	}
	list, err := svc.List("s1")
	if err != nil || len(list) != 1 || list[0].Disabled.IsZero() {
		t.Fatalf("list = %+v, %v; want crm disabled", list, err)
	}
	if ds, err := svc.Enqueue("s1", "outbox.sent", nil); err != nil || len(ds) != 0 {
		t.Errorf("enqueue while disabled = %v, %v; want nothing queued", ds, err)
	}
	if _, err := svc.Test(t.Context(), "s1", "crm"); !errors.Is(err, store.ErrDisabled) || !strings.Contains(err.Error(), "webhook add") {
		t.Errorf("test while disabled = %v, want ErrDisabled saying how to enable it", err)
	}

	if _, err := svc.Retry("s1", ds[1].Seq); !errors.Is(err, store.ErrDisabled) {
		t.Errorf("retry while disabled = %v, want ErrDisabled", err)
	}

	back.Store(true)
	addEndpoint(t, svc, Config{Name: "crm", URL: rc.URL, SecretFile: file})
	d := enqueueOne(t, svc, "outbox.sent", nil)
	waitState(t, db, d.Seq, store.DeliveryDelivered)
	if _, err := svc.Retry("s1", ds[1].Seq); err != nil {
		t.Fatal(err)
	}
	waitState(t, db, ds[1].Seq, store.DeliveryDelivered)
}

// The worker sweeps delivered deliveries once they are older than Keep and
// leaves dead ones.
func TestDeliveredDeliveriesAreSwept(t *testing.T) {
	svc, db := newEnv(t, Options{Keep: 50 * time.Millisecond, SweepEvery: 10 * time.Millisecond})
	file, secret := secretFile(t)
	var ok atomic.Bool
	rc := newReceiver(t, secret, func(_ int, w http.ResponseWriter, _ *http.Request) {
		if !ok.Load() {
			w.WriteHeader(http.StatusBadRequest)
		}
	})
	addEndpoint(t, svc, Config{URL: rc.URL, SecretFile: file})
	dead := enqueueOne(t, svc, "outbox.sent", nil)
	waitState(t, db, dead.Seq, store.DeliveryDead)
	ok.Store(true)
	d := enqueueOne(t, svc, "outbox.sent", nil)
	waitState(t, db, d.Seq, store.DeliveryDelivered)
	waitFor(t, "the delivered delivery to be swept", func() bool {
		_, err := db.GetDelivery(d.Seq)
		return errors.Is(err, store.ErrNotFound)
	})
	if got, err := db.GetDelivery(dead.Seq); err != nil || got.State != store.DeliveryDead {
		t.Errorf("dead delivery after the sweep = %+v, %v; want it kept", got, err)
	}
}

// syncBuffer is a log sink the worker's goroutines write to while the test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A request that fails on the network logs and records its kind, never the
// endpoint's path or query, where a token often rides.
func TestNetworkFailureKeepsTheURLOutOfTheLog(t *testing.T) {
	var logged syncBuffer
	log := slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc, db := newEnv(t, Options{Log: log})
	file, secret := secretFile(t)
	down := newReceiver(t, secret, nil)
	addEndpoint(t, svc, Config{Name: "crm", URL: down.URL + "/T0/B0/sekrit-path-token?token=private-query", SecretFile: file})
	down.Close()
	d := enqueueOne(t, svc, "outbox.sent", nil)
	dead := waitState(t, db, d.Seq, store.DeliveryDead)

	out := logged.String()
	for _, secretPart := range []string{"sekrit-path-token", "private-query", "/T0/B0"} {
		if strings.Contains(out, secretPart) {
			t.Errorf("the log holds %q of the URL:\n%s", secretPart, out)
		}
		if strings.Contains(dead.LastError, secretPart) {
			t.Errorf("the delivery's last error %q holds %q of the URL", dead.LastError, secretPart)
		}
	}
	if !strings.Contains(out, `"err":"connection refused"`) || !strings.Contains(out, `"msg":"webhook delivery dead"`) {
		t.Errorf("the log does not say the delivery died of a refused connection:\n%s", out)
	}
	if !strings.Contains(dead.LastError, "connection refused") {
		t.Errorf("last error = %q, want the refused connection", dead.LastError)
	}
}
