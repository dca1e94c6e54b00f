package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

// startServer serves h on the socket of a new data dir and returns a client
// of it and the data dir.
func startServer(t testing.TB, h http.Handler) (*Client, string) {
	t.Helper()
	dir := t.TempDir()
	l, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return NewClient(dir), dir
}

// wantAPIError checks that err is the server's *Error with code.
func wantAPIError(t *testing.T, err error, code string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != code || e.Message == "" {
		t.Errorf("error %v (%T), want an *api.Error with code %s and a message", err, err, code)
	}
}

func TestClientInfo(t *testing.T) {
	c, _ := startServer(t, Handler(newFake(), testInfo))
	info, err := c.Info(context.Background())
	if err != nil || !info.Started.Equal(testInfo.Started) || info.PID != testInfo.PID || info.Mode != "serve" {
		t.Errorf("Info = %+v, %v; want %+v", info, err, testInfo)
	}
}

func TestClientAddListGet(t *testing.T) {
	c, _ := startServer(t, Handler(newFake("a"), testInfo))
	ctx := context.Background()
	snap, err := c.Add(ctx, AddRequest{ID: "b", PairMethod: session.PairLink, PairPhone: "12025550108"})
	if err != nil || snap.ID != "b" || snap.PairMethod != session.PairLink {
		t.Fatalf("Add = %+v, %v; want b by link", snap, err)
	}
	list, err := c.List(ctx)
	if err != nil || len(list) != 2 || list[0].ID != "a" || list[1].ID != "b" {
		t.Errorf("List = %+v, %v; want a, b", list, err)
	}
	got, err := c.Get(ctx, "b")
	if err != nil || got.PairPhone != "12025550108" {
		t.Errorf("Get = %+v, %v; want b for 12025550108", got, err)
	}
}

func TestClientAddExisting(t *testing.T) {
	c, _ := startServer(t, Handler(newFake("a"), testInfo))
	_, err := c.Add(context.Background(), AddRequest{ID: "a"})
	wantAPIError(t, err, CodeExists)
}

func TestClientUnknownSession(t *testing.T) {
	c, _ := startServer(t, Handler(newFake(), testInfo))
	_, err := c.Get(context.Background(), "nope")
	wantAPIError(t, err, CodeUnknownSession)
	if err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("error %v does not name the session", err)
	}
}

func TestClientDotIDIsASessionNotAPath(t *testing.T) {
	f := newFake("s1")
	c, _ := startServer(t, Handler(f, testInfo))
	for _, id := range []string{".", ".."} {
		wantAPIError(t, c.Delete(context.Background(), id), CodeUnknownSession)
		_, err := c.Action(context.Background(), id, "stop")
		wantAPIError(t, err, CodeUnknownSession)
	}
	if len(f.List()) != 1 {
		t.Errorf("sessions %+v, want s1 untouched", f.List())
	}
}

func TestClientAction(t *testing.T) {
	f := newFake("s1")
	c, _ := startServer(t, Handler(f, testInfo))
	snap, err := c.Action(context.Background(), "s1", "start")
	if err != nil || snap.State != string(session.Starting) {
		t.Errorf("start = %+v, %v; want STARTING", snap, err)
	}
	_, err = c.Action(context.Background(), "s1", "explode")
	wantAPIError(t, err, CodeNotFound)
}

func TestClientSetPacing(t *testing.T) {
	c, _ := startServer(t, Handler(newFake("s1"), testInfo))
	gap, jitter := "250ms", "1m"
	snap, err := c.Set(context.Background(), "s1", SettingsRequest{Pacing: &PacingRequest{MinGap: &gap, Jitter: &jitter}})
	if err != nil || snap.Pacing.MinGap != Duration(250*time.Millisecond) || snap.Pacing.Jitter != Duration(time.Minute) {
		t.Errorf("Set = %+v, %v; want min gap 250ms, jitter 1m", snap.Pacing, err)
	}
	bad := "abc"
	_, err = c.Set(context.Background(), "s1", SettingsRequest{Pacing: &PacingRequest{ChatGap: &bad}})
	wantAPIError(t, err, CodeInvalid)
	if err == nil || !strings.Contains(err.Error(), "chatGap") {
		t.Errorf("error %v does not name the field", err)
	}
}

func TestClientDelete(t *testing.T) {
	f := newFake("s1")
	c, _ := startServer(t, Handler(f, testInfo))
	if err := c.Delete(context.Background(), "s1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Get("s1"); err == nil {
		t.Error("s1 still exists")
	}
	wantAPIError(t, c.Delete(context.Background(), "s1"), CodeUnknownSession)
}

func TestClientEventsAndPair(t *testing.T) {
	c, _ := startServer(t, Handler(newFake("s1"), testInfo))
	snap, err := c.Pair(context.Background(), "s1", PairRequest{Method: session.PairLink, Phone: "12025550108"})
	if err != nil || snap.PairMethod != session.PairLink || snap.State != string(session.Starting) {
		t.Errorf("Pair = %+v, %v; want STARTING by link", snap, err)
	}
	evs, err := c.Events(context.Background(), "s1", 1)
	if err != nil || len(evs) != 1 || evs[0].To != string(session.Starting) {
		t.Errorf("Events = %+v, %v; want the last one, to STARTING", evs, err)
	}
}

func TestClientSend(t *testing.T) {
	f := newFake("s1")
	c, _ := startServer(t, Handler(f, testInfo))
	resp, err := c.Send(context.Background(), "s1", SendRequest{To: "12025550108", Texts: []string{"a", "b"}})
	if err != nil || len(resp.Jobs) != 2 || resp.Jobs[1].Body != "b" {
		t.Errorf("Send = %+v, %v; want two jobs", resp, err)
	}
	_, err = c.Send(context.Background(), "s1", SendRequest{To: "12025550108", Text: " "})
	wantAPIError(t, err, CodeInvalid)
}

func TestClientSendRefusesInvalidUTF8(t *testing.T) {
	f := newFake("s1")
	c, _ := startServer(t, Handler(f, testInfo))
	_, err := c.Send(context.Background(), "s1", SendRequest{To: "12025550108", Texts: []string{"ok", "caf\xe9"}})
	wantAPIError(t, err, CodeInvalid)
	if err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("error %v does not say UTF-8", err)
	}
	if jobs, _ := f.Jobs("s1"); len(jobs) != 0 {
		t.Errorf("%d jobs queued, want none", len(jobs))
	}
}

func TestClientJobsRetryDiscard(t *testing.T) {
	f := newFake("s1")
	f.AddJob("s1", session.JobQueued)
	dead := f.AddJob("s1", session.JobDead)
	held := f.AddJob("s1", session.JobHeld)
	c, _ := startServer(t, Handler(f, testInfo))
	ctx := context.Background()
	jobs, err := c.Jobs(ctx, "s1", string(session.JobDead), string(session.JobHeld))
	if err != nil || len(jobs) != 2 {
		t.Fatalf("Jobs(dead, held) = %+v, %v; want 2", jobs, err)
	}
	if all, err := c.Jobs(ctx, "s1"); err != nil || len(all) != 3 {
		t.Errorf("Jobs() = %d jobs, %v; want 3", len(all), err)
	}
	if err := c.RetryJob(ctx, "s1", dead); err != nil {
		t.Errorf("RetryJob = %v", err)
	}
	if err := c.DiscardJob(ctx, "s1", held); err != nil {
		t.Errorf("DiscardJob = %v", err)
	}
	if jobs, _ := c.Jobs(ctx, "s1", string(session.JobDead), string(session.JobHeld)); len(jobs) != 0 {
		t.Errorf("dead or held jobs left: %+v", jobs)
	}
	wantAPIError(t, c.RetryJob(ctx, "s1", 99), CodeNotFound)
	wantAPIError(t, c.DiscardJob(ctx, "s1", dead), CodeWrongState)
	_, err = c.Jobs(ctx, "s1", "lost")
	wantAPIError(t, err, CodeBadRequest)
}

func TestClientQueue(t *testing.T) {
	c, _ := startServer(t, Handler(newFake("s1"), testInfo))
	ctx := context.Background()
	qs, err := c.QueueAction(ctx, "s1", "pause")
	if err != nil || !qs.Paused {
		t.Errorf("pause = %+v, %v; want paused", qs, err)
	}
	if qs, err := c.Queue(ctx, "s1"); err != nil || !qs.Paused {
		t.Errorf("Queue = %+v, %v; want paused", qs, err)
	}
	if qs, err := c.QueueAction(ctx, "s1", "resume"); err != nil || qs.Paused {
		t.Errorf("resume = %+v, %v; want not paused", qs, err)
	}
}

func TestClientNoServer(t *testing.T) {
	dir := t.TempDir()
	_, err := NewClient(dir).List(context.Background())
	if !errors.Is(err, ErrNoServer) {
		t.Fatalf("List = %v, want ErrNoServer", err)
	}
	if msg := err.Error(); !strings.Contains(msg, dir) || !strings.Contains(msg, "waconsole serve --data-dir "+dir) {
		t.Errorf("message %q does not name the data dir and how to start a server", msg)
	}
}

func TestClientStaleSocketIsNoServer(t *testing.T) {
	dir := t.TempDir()
	staleSocket(t, dir)
	if _, err := NewClient(dir).Info(context.Background()); !errors.Is(err, ErrNoServer) {
		t.Errorf("Info = %v, want ErrNoServer", err)
	}
}

func TestClientServerHangsUp(t *testing.T) {
	dir := t.TempDir()
	l, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	_, err = NewClient(dir).Info(context.Background())
	if err == nil || errors.Is(err, ErrNoServer) || !strings.Contains(err.Error(), dir) {
		t.Errorf("Info = %v, want an error naming %s that is not ErrNoServer", err, dir)
	}
}

func TestClientContextEnds(t *testing.T) {
	c, _ := startServer(t, Handler(newFake(), testInfo))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Info(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Info = %v, want context.Canceled", err)
	}
}

func TestClientNonJSONErrorIsInternal(t *testing.T) {
	c, _ := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "proxy trouble", http.StatusBadGateway)
	}))
	_, err := c.Info(context.Background())
	wantAPIError(t, err, CodeInternal)
	if err == nil || !strings.Contains(err.Error(), "502") {
		t.Errorf("error %v does not give the HTTP status", err)
	}
}

// staleSocket leaves a socket file in dir that nobody listens on, as a
// crashed process does.
func staleSocket(t *testing.T, dir string) {
	t.Helper()
	l, err := net.Listen("unix", SocketPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
}

func TestClientBackup(t *testing.T) {
	c, _ := startServer(t, Handler(newFake(), testInfo))
	var buf strings.Builder
	n, err := c.Backup(context.Background(), &buf)
	if err != nil || n != int64(len(sessiontest.BackupBytes)) || buf.String() != sessiontest.BackupBytes {
		t.Fatalf("Backup = %d %q %v", n, buf.String(), err)
	}
	if ct := serve(t, newFake(), "GET", "/v1/backup", "").Header().Get("Content-Type"); ct != "application/gzip" {
		t.Errorf("backup Content-Type %q, want application/gzip (the archive)", ct)
	}
}

// A backup that fails before its first byte says why, in the API's error
// format, instead of cutting the body.
func TestClientBackupFailureSaysWhy(t *testing.T) {
	f := newFake()
	f.Fail["Backup"] = errors.New("the browser kept writing its profile during 5 copies; take the backup again")
	c, _ := startServer(t, Handler(f, testInfo))
	var buf strings.Builder
	_, err := c.Backup(context.Background(), &buf)
	if err == nil || !strings.Contains(err.Error(), "take the backup again") || buf.Len() != 0 {
		t.Fatalf("Backup = %v, wrote %q", err, buf.String())
	}
}

func TestRemoteClientRefusesABadURL(t *testing.T) {
	for _, base := range []string{"waconsole.example:8443", "ftp://h", "https://h/v1", "http://"} {
		_, err := NewRemoteClient(base, "k", nil).List(t.Context())
		if err == nil || !strings.Contains(err.Error(), "is not valid: give one such as https://") {
			t.Errorf("NewRemoteClient(%q).List = %v, want the URL refused", base, err)
		}
	}
}
