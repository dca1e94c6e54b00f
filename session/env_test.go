package session

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waconsole/waconsole/internal/procs"
	"github.com/waconsole/waconsole/simweb"
	"github.com/waconsole/waconsole/store"
)

// simScale shortens the stand-in's clocks: refs live 1.2 s, then 0.4 s.
const simScale = 0.02

// testEnv is a manager with real Chromium against a real stand-in.
type testEnv struct {
	t       *testing.T
	dir     string
	db      *store.DB
	sim     *simweb.Server
	phone   *simweb.Client
	url     string
	m       *Manager
	updates <-chan Update
	stopSub func()
	logMu   sync.Mutex
	log     strings.Builder
	// drainAfter replaces the downtime after which READY takes an unread
	// snapshot (zero: the default, longer than any test's downtime).
	drainAfter time.Duration
}

var (
	chromeOnce sync.Once
	chromePath string
	chromeErr  error
)

func testDriver(t *testing.T) Driver {
	chromeOnce.Do(func() { chromePath, chromeErr = FindChrome("") })
	if chromeErr != nil {
		t.Fatalf("these tests need Chromium (CI installs it): %v", chromeErr)
	}
	return NewChromeDriver(chromePath)
}

// eachBuild runs a driver test against every build the stand-in plays,
// side by side: each build gets its own stand-in, browser and data dir.
func eachBuild(t *testing.T, test func(t *testing.T, e *testEnv)) {
	for _, b := range simweb.Builds() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			test(t, newEnvOn(t, b.Name))
		})
	}
}

// newEnv starts a stand-in of the current build and a manager on a fresh
// data dir.
func newEnv(t *testing.T) *testEnv { return newEnvOn(t, simweb.CurrentBuild) }

// newEnvOn is newEnv with the stand-in playing the named build.
func newEnvOn(t *testing.T, build string) *testEnv {
	t.Helper()
	e := &testEnv{t: t, dir: t.TempDir()}
	sim, err := simweb.New(simweb.Options{Timings: simweb.DefaultTimings().Scale(simScale), Build: build})
	if err != nil {
		t.Fatal(err)
	}
	e.sim = sim
	if e.url, err = sim.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	e.phone = &simweb.Client{BaseURL: e.url}
	e.open(t)
	t.Cleanup(func() {
		e.close()
		sim.Close()
		if n := e.browsers(); n > 0 {
			t.Errorf("%d Chromium processes left behind", n)
		}
	})
	return e
}

// open starts a manager on the env's data dir (again after close).
func (e *testEnv) open(t *testing.T) {
	t.Helper()
	db := e.reopenStore(t)
	e.db = db
	m, err := NewManager(Config{
		Store: db, DataDir: e.dir, WAURL: e.url, Driver: testDriver(t),
		Log: slog.New(slog.NewTextHandler(logWriter{e}, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Timing: Timing{
			QRFirst: 1200 * time.Millisecond, QRNext: 400 * time.Millisecond, LinkCodeRefresh: time.Minute,
			RetryBase: 200 * time.Millisecond, RetryMax: time.Second, StartStagger: 50 * time.Millisecond,
			DrainAfter: e.drainAfter,
			AlertCheck: 50 * time.Millisecond, AlertWebhookPoll: 100 * time.Millisecond, AlertDiskPoll: 100 * time.Millisecond,
			AlertRestartQuiet: 2 * time.Second,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.m = m
	e.updates, e.stopSub = m.Subscribe()
}

// reopenStore opens the env's store while no manager runs.
func (e *testEnv) reopenStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(e.dir, "waconsole.db"), store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func (e *testEnv) close() {
	if e.m == nil {
		return
	}
	e.stopSub()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := e.m.Close(ctx); err != nil {
		e.t.Errorf("closing the manager: %v", err)
	}
	e.db.Close()
	e.m = nil
}

// wait returns the first snapshot of session id that satisfies ok.
func (e *testEnv) wait(id string, what string, timeout time.Duration, ok func(Snapshot) bool) Snapshot {
	e.t.Helper()
	if s, err := e.m.Get(id); err == nil && ok(s) {
		return s
	}
	deadline := time.After(timeout)
	for {
		select {
		case u := <-e.updates:
			if u.Session == id && u.Snapshot != nil && ok(*u.Snapshot) {
				return *u.Snapshot
			}
		case <-deadline:
			s, _ := e.m.Get(id)
			e.t.Fatalf("session %s: %s did not happen within %s; now %s (%s) last error %q\nlog:\n%s", id, what, timeout, s.State, s.Reason, s.LastError, e.logText())
			return s
		}
	}
}

func (e *testEnv) waitState(id string, st State, timeout time.Duration) Snapshot {
	e.t.Helper()
	return e.wait(id, "state "+string(st), timeout, func(s Snapshot) bool { return s.State == st })
}

func (e *testEnv) logText() string {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	return e.log.String()
}

// logWriter keeps the manager's log lines for failure messages.
type logWriter struct{ e *testEnv }

func (w logWriter) Write(p []byte) (int, error) {
	w.e.logMu.Lock()
	defer w.e.logMu.Unlock()
	return w.e.log.Write(p)
}

// pairQR adds and starts a session and pairs it by scanning its QR as the
// phone does: with exactly the payload the session reports.
func (e *testEnv) pairQR(id, phone string) Snapshot {
	e.t.Helper()
	if _, err := e.m.Add(AddRequest{ID: id, Start: true}); err != nil {
		e.t.Fatal(err)
	}
	return e.pairShown(id, phone)
}

// pairShown scans the QR code session id shows (or is about to show), as
// the phone does: with exactly the payload the session reports, again with
// the next one when the page replaced it before the scan.
func (e *testEnv) pairShown(id, phone string) Snapshot {
	e.t.Helper()
	s := e.wait(id, "a QR code", 30*time.Second, func(s Snapshot) bool { return s.State == QR && s.QR.Payload != "" })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for try := 1; ; try++ {
		err := e.phone.Scan(ctx, s.QR.Payload, phone)
		if err == nil {
			break
		}
		if try == 5 {
			e.t.Fatalf("scanning the QR: %v", err)
		}
		prev := s.QR.Payload
		s = e.wait(id, "a fresh QR code", 10*time.Second, func(n Snapshot) bool { return n.QR.Payload != prev && n.QR.Payload != "" })
	}
	return e.waitState(id, Ready, 30*time.Second)
}

// browsers counts the Chromium processes that use a profile of this env.
func (e *testEnv) browsers() int {
	return len(procs.WithArgPrefix("--user-data-dir=" + filepath.Join(e.dir, "profiles")))
}
