package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

// follow runs Client.Pairing for session id in the background and returns
// its events, one at a time, and its result once it returns.
func follow(t *testing.T, ctx context.Context, c *Client, id string) (<-chan PairingEvent, <-chan error) {
	t.Helper()
	events, result := make(chan PairingEvent, 64), make(chan error, 1)
	go func() {
		result <- c.Pairing(ctx, id, func(ev PairingEvent) error {
			events <- ev
			return nil
		})
	}()
	return events, result
}

func next(t *testing.T, events <-chan PairingEvent) PairingEvent {
	t.Helper()
	select {
	case ev := <-events:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no pairing event within 5s")
		return PairingEvent{}
	}
}

func returned(t *testing.T, result <-chan error) error {
	t.Helper()
	select {
	case err := <-result:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("Pairing did not return within 5s")
		return nil
	}
}

// qrSnapshot is s1 showing QR code n.
func qrSnapshot(f *sessiontest.Fake, n int) *session.Snapshot {
	snap, _ := f.Get("s1")
	snap.State, snap.QR = session.QR, session.QRInfo{Payload: strings.Repeat("q", n), Index: n, Total: 6}
	return &snap
}

func TestPairingStreamUntilReady(t *testing.T) {
	f := newFake("s1", "s2")
	f.SetState("s1", session.QR)
	c, _ := startServer(t, Handler(f, testInfo))
	events, result := follow(t, context.Background(), c, "s1")

	if ev := next(t, events); ev.Snapshot.ID != "s1" || ev.Snapshot.State != string(session.QR) || ev.Done {
		t.Fatalf("first line %+v, want the current snapshot of s1 in QR", ev)
	}
	other, _ := f.Get("s2")
	other.State = session.Ready
	f.Publish(session.Update{Session: "s2", Snapshot: &other})
	f.Publish(session.Update{Session: "s1", Event: &session.Event{Kind: "state"}})
	f.Publish(session.Update{Session: "s1", Snapshot: qrSnapshot(f, 2)})
	if ev := next(t, events); ev.Snapshot.ID != "s1" || ev.Snapshot.QR.Index != 2 || ev.Done {
		t.Fatalf("second line %+v, want s1 showing QR code 2 (s2 and events are not lines)", ev)
	}
	f.SetState("s1", session.Ready)
	if ev := next(t, events); !ev.Done || ev.Result != "ready" || ev.Snapshot.State != string(session.Ready) {
		t.Fatalf("last line %+v, want done, ready", ev)
	}
	if err := returned(t, result); err != nil {
		t.Errorf("Pairing = %v, want nil after READY", err)
	}
}

func TestPairingEndsFailedOnTerminalStates(t *testing.T) {
	for _, state := range []session.State{session.Failed, session.LoggedOut, session.Conflict, session.Blocked, session.Stopped} {
		t.Run(string(state), func(t *testing.T) {
			f := newFake("s1")
			f.SetState("s1", session.LinkCode)
			c, _ := startServer(t, Handler(f, testInfo))
			events, result := follow(t, context.Background(), c, "s1")
			next(t, events)
			f.SetState("s1", state)
			if ev := next(t, events); !ev.Done || ev.Result != "failed" || ev.Snapshot.State != string(state) {
				t.Errorf("last line %+v, want done, failed, %s", ev, state)
			}
			if err := returned(t, result); err != nil {
				t.Errorf("Pairing = %v, want nil after the last line", err)
			}
		})
	}
}

func TestPairingNotStartedSessionEndsAtOnce(t *testing.T) {
	rec := serve(t, newFake("s1"), "GET", "/v1/sessions/s1/pairing", "")
	lines := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
	var ev PairingEvent
	if len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &ev) != nil || !ev.Done || ev.Result != "failed" {
		t.Errorf("stream %q, want one line: done, failed", rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/x-ndjson" {
		t.Errorf("Content-Type %q, want application/x-ndjson", ct)
	}
}

func TestPairingReadySessionEndsAtOnce(t *testing.T) {
	f := newFake("s1")
	f.SetState("s1", session.Ready)
	c, _ := startServer(t, Handler(f, testInfo))
	var got []PairingEvent
	err := c.Pairing(context.Background(), "s1", func(ev PairingEvent) error { got = append(got, ev); return nil })
	if err != nil || len(got) != 1 || got[0].Result != "ready" {
		t.Errorf("Pairing = %v with %+v, want one line: ready", err, got)
	}
}

func TestPairingEndsWhenDeleted(t *testing.T) {
	f := newFake("s1")
	f.SetState("s1", session.QR)
	c, _ := startServer(t, Handler(f, testInfo))
	events, result := follow(t, context.Background(), c, "s1")
	next(t, events)
	snap, _ := f.Get("s1")
	snap.State, snap.PairMethod, snap.Code = session.LinkCode, session.PairLink, session.CodeInfo{Code: "ABCD-EFGH"}
	f.Publish(session.Update{Session: "s1", Snapshot: &snap})
	next(t, events)
	if err := f.Delete("s1"); err != nil {
		t.Fatal(err)
	}
	ev := next(t, events)
	if !ev.Done || ev.Result != "failed" || ev.Snapshot.State != string(session.Stopped) || !strings.Contains(ev.Snapshot.Reason, "deleted") {
		t.Errorf("last line %+v, want done, failed, STOPPED because deleted", ev)
	}
	if ev.Snapshot.PairMethod != session.PairLink || ev.Snapshot.Code.Code != "" {
		t.Errorf("last line %+v, want the latest snapshot (by link) with no code", ev.Snapshot)
	}
	if err := returned(t, result); err != nil {
		t.Errorf("Pairing = %v, want nil after the last line", err)
	}
}

func TestPairingClientCancelEndsHandler(t *testing.T) {
	f := newFake("s1")
	f.SetState("s1", session.QR)
	h := Handler(f, testInfo)
	done := make(chan struct{})
	c, _ := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if strings.HasSuffix(r.URL.Path, "/pairing") {
			close(done)
		}
	}))
	ctx, cancel := context.WithCancel(context.Background())
	events, result := follow(t, ctx, c, "s1")
	next(t, events)
	cancel()
	if err := returned(t, result); !errors.Is(err, context.Canceled) {
		t.Errorf("Pairing = %v, want context.Canceled", err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the pairing handler still runs 5s after the client went away")
	}
	if n := f.Subscribers(); n != 0 {
		t.Errorf("%d subscriptions left open", n)
	}
}

func TestPairingRawLines(t *testing.T) {
	f := newFake("s1")
	f.SetState("s1", session.QR)
	srv := httptest.NewServer(Handler(f, testInfo))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/v1/sessions/s1/pairing")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	if !sc.Scan() || !strings.Contains(sc.Text(), `"state":"QR"`) || strings.Contains(sc.Text(), `"done"`) {
		t.Fatalf("first line %q, want the QR snapshot without done", sc.Text())
	}
	f.SetState("s1", session.Syncing)
	f.SetState("s1", session.Ready)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) != 2 || !strings.Contains(lines[0], `"state":"SYNCING"`) || !strings.Contains(lines[1], `"done":true,"result":"ready"`) {
		t.Errorf("lines %q, want SYNCING then done ready, and the end of the stream", lines)
	}
}
