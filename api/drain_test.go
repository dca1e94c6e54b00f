package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
)

func TestDrainRoutes(t *testing.T) { forTransports(t, testDrainRoutes) }

func testDrainRoutes(t *testing.T, serve serveFunc) {
	f := newFake("s1")
	rec := serve(t, f, "POST", "/v1/sessions/s1/drain/snapshot", "")
	wantError(t, rec, http.StatusConflict, CodeNotReady, "READY")

	s := f.Snapshots["s1"]
	s.State = session.Ready
	f.Snapshots["s1"] = s
	oldest := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	f.DrainsOf["s1"] = session.DrainInfo{Total: 5, Chats: []session.DrainChat{
		{ID: "15550001111@c.us", Name: "Ana", Count: 3, Left: 3, Oldest: oldest, Preview: "hello"},
		{ID: "15550002222@c.us", Name: "Bo", Count: 2, Left: 2, Oldest: oldest.Add(time.Minute), Preview: "hi"},
	}}
	var d Drain
	ok(t, serve(t, f, "POST", "/v1/sessions/s1/drain/snapshot", ""), http.StatusOK, &d)
	f.DrainsOf["s1"] = session.DrainInfo{State: session.DrainRunning, Total: 5, Chats: f.DrainsOf["s1"].Chats}
	if d.State != "waiting" || d.Total != 5 || len(d.Chats) != 2 || d.Chats[0].Name != "Ana" || !d.Chats[0].Oldest.Equal(oldest) {
		t.Fatalf("snapshot answered %+v", d)
	}

	wantError(t, serve(t, f, "POST", "/v1/sessions/s1/drain", `{"action":"flood"}`), http.StatusUnprocessableEntity, CodeInvalid, "deliver, read, skip")
	wantError(t, serve(t, f, "POST", "/v1/sessions/s1/drain", `{"action":"read","chats":["15550009999@c.us"]}`), http.StatusUnprocessableEntity, CodeInvalid, "15550009999@c.us")
	ok(t, serve(t, f, "POST", "/v1/sessions/s1/drain/pause", ""), http.StatusOK, &d)
	if d.State != "paused" {
		t.Fatalf("pause answered %+v", d)
	}
	wantError(t, serve(t, f, "POST", "/v1/sessions/s1/drain/pause", ""), http.StatusUnprocessableEntity, CodeInvalid, "paused")
	ok(t, serve(t, f, "POST", "/v1/sessions/s1/drain/cancel", ""), http.StatusOK, &d)
	if d.State != "cancelled" {
		t.Fatalf("cancel answered %+v", d)
	}
	ok(t, serve(t, f, "POST", "/v1/sessions/s1/drain", `{"action":"deliver","chats":["15550001111@c.us"],"rate":4}`), http.StatusOK, &d)
	if d.Rate != 4 || d.Chosen != 3 || d.Delivered != 3 || d.Chats[0].Action != "deliver" || d.Chats[1].Action != "" {
		t.Fatalf("start answered %+v", d)
	}
	ok(t, serve(t, f, "GET", "/v1/sessions/s1/drain", ""), http.StatusOK, &d)
	if d.State != "done" || len(d.Chats) != 2 || d.Chats[1].Left != 2 {
		t.Fatalf("drain after the fake handed chat 1 on %+v", d)
	}
	wantError(t, serve(t, f, "POST", "/v1/sessions/s1/drain/explode", ""), http.StatusNotFound, CodeNotFound, "snapshot, pause, resume or cancel")
	wantError(t, serve(t, f, "GET", "/v1/sessions/nope/drain", ""), http.StatusNotFound, "unknown_session", "nope")
}
