package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

// newFake returns the shared fake runtime with a stopped session of each id.
func newFake(ids ...string) *sessiontest.Fake {
	f := sessiontest.New()
	for _, id := range ids {
		if _, err := f.Add(session.AddRequest{ID: id}); err != nil {
			panic(err)
		}
	}
	return f
}

var testInfo = Info{PID: 4242, Mode: "serve", DataDir: "/data", WAURL: "http://wa.test", Started: time.Unix(1700000000, 0).UTC(), Version: "test"}

// serve sends one request to a handler over f and returns the response.
func serve(t *testing.T, f *sessiontest.Fake, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	rec := httptest.NewRecorder()
	Handler(f, testInfo).ServeHTTP(rec, req)
	return rec
}

// ok checks a response's status and decodes its JSON body into v.
func ok(t *testing.T, rec *httptest.ResponseRecorder, status int, v any) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
}

// wantError checks an error response: its status, its code, and a word of
// its message.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, code, word string) {
	t.Helper()
	var eb struct {
		Error *Error `json:"error"`
	}
	ok(t, rec, status, &eb)
	switch {
	case eb.Error == nil:
		t.Errorf("body %s has no error", rec.Body)
	case eb.Error.Code != code:
		t.Errorf("code %q, want %q (message %q)", eb.Error.Code, code, eb.Error.Message)
	case !strings.Contains(eb.Error.Message, word):
		t.Errorf("message %q does not say %q", eb.Error.Message, word)
	}
}

func TestInfoRoute(t *testing.T) {
	var got Info
	ok(t, serve(t, newFake(), "GET", "/v1/info", ""), http.StatusOK, &got)
	if got != testInfo {
		t.Errorf("info %+v, want %+v", got, testInfo)
	}
}

func TestListSessionsSortedByID(t *testing.T) {
	var got SessionList
	ok(t, serve(t, newFake("b", "c", "a"), "GET", "/v1/sessions", ""), http.StatusOK, &got)
	var ids []string
	for _, s := range got.Sessions {
		ids = append(ids, s.ID)
	}
	if strings.Join(ids, ",") != "a,b,c" {
		t.Errorf("sessions %v, want a,b,c", ids)
	}
}

func TestListNoSessionsIsEmptyArray(t *testing.T) {
	rec := serve(t, newFake(), "GET", "/v1/sessions", "")
	if got := strings.TrimSpace(rec.Body.String()); got != `{"sessions":[]}` {
		t.Errorf("body %s, want an empty array", got)
	}
}

func TestAddSessionDefaults(t *testing.T) {
	var got Session
	ok(t, serve(t, newFake(), "POST", "/v1/sessions", `{"id":"s2"}`), http.StatusCreated, &got)
	if got.ID != "s2" || got.State != string(session.Stopped) || got.PairMethod != session.PairQR || !got.AutoStart {
		t.Errorf("snapshot %+v, want s2 STOPPED by qr with auto-start", got)
	}
}

func TestAddSessionLinkAndStart(t *testing.T) {
	f := newFake()
	var got Session
	ok(t, serve(t, f, "POST", "/v1/sessions", `{"id":"s2","pairMethod":"link","pairPhone":"12025550108","autoStart":false,"start":true}`), http.StatusCreated, &got)
	if got.State != string(session.Starting) || got.PairMethod != session.PairLink || got.PairPhone != "12025550108" || got.AutoStart {
		t.Errorf("snapshot %+v, want STARTING by link for 12025550108 without auto-start", got)
	}
	if _, err := f.Get("s2"); err != nil {
		t.Errorf("the session was not added: %v", err)
	}
}

func TestAddSessionEmptyBodyIsInvalidID(t *testing.T) {
	wantError(t, serve(t, newFake(), "POST", "/v1/sessions", ""), http.StatusUnprocessableEntity, CodeInvalid, "session id")
}

func TestGetSession(t *testing.T) {
	var got Session
	ok(t, serve(t, newFake("s1"), "GET", "/v1/sessions/s1", ""), http.StatusOK, &got)
	if got.ID != "s1" || got.State != string(session.Stopped) {
		t.Errorf("snapshot %+v, want s1 STOPPED", got)
	}
}

func durationPtr(d time.Duration) *time.Duration { return &d }

func TestSetSessionMergesPacing(t *testing.T) {
	f := newFake("s1")
	limit := 3
	if _, err := f.Set("s1", session.Settings{Pacing: &session.PacingSettings{ChatGap: durationPtr(time.Minute), BulkLimit: &limit}}); err != nil {
		t.Fatal(err)
	}
	var got Session
	ok(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"autoStart":false,"pacing":{"minGap":"250ms","jitter":"1m30s","bulkLimit":7}}`), http.StatusOK, &got)
	want := Pacing{MinGap: Duration(250 * time.Millisecond), JitterMin: Duration(5 * time.Second), Jitter: Duration(90 * time.Second), ChatGap: Duration(time.Minute), BulkLimit: 7}
	if got.Pacing != want || got.AutoStart {
		t.Errorf("pacing %+v autoStart %v, want %+v and false", got.Pacing, got.AutoStart, want)
	}
	if got.PacingSet.JitterMin != nil || got.PacingSet.ChatGap == nil || *got.PacingSet.ChatGap != Duration(time.Minute) {
		t.Errorf("pacing set %+v: want the chat gap kept and the jitter min still a default", got.PacingSet)
	}
}

// "0s" is zero, not the default; "defaults" returns a field to its default.
func TestSetSessionZeroIsZero(t *testing.T) {
	f := newFake("s1")
	var got Session
	ok(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"pacing":{"minGap":"0s"}}`), http.StatusOK, &got)
	if got.Pacing.MinGap != 0 || got.PacingSet.MinGap == nil || *got.PacingSet.MinGap != 0 {
		t.Errorf("after minGap 0s: pacing %+v, set %+v; want a set zero", got.Pacing, got.PacingSet)
	}
	got = Session{}
	ok(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"pacing":{"defaults":["minGap"]}}`), http.StatusOK, &got)
	if got.Pacing.MinGap != Duration(15*time.Second) || got.PacingSet.MinGap != nil {
		t.Errorf("after defaults [minGap]: pacing %+v, set %+v; want the 15s default, unset", got.Pacing, got.PacingSet)
	}
}

// A PATCH stores only what it names: the other fields stay unset.
func TestSetSessionKeepsDefaultsUnset(t *testing.T) {
	rec := serve(t, newFake("s1"), "PATCH", "/v1/sessions/s1", `{"pacing":{"chatGap":"45s"}}`)
	var got map[string]json.RawMessage
	ok(t, rec, http.StatusOK, &got)
	if string(got["pacingSet"]) != `{"chatGap":"45s"}` {
		t.Errorf("pacingSet %s, want only the chat gap", got["pacingSet"])
	}
}

func TestSetSessionPairing(t *testing.T) {
	var got Session
	ok(t, serve(t, newFake("s1"), "PATCH", "/v1/sessions/s1", `{"pairMethod":"link","pairPhone":"12025550108"}`), http.StatusOK, &got)
	if got.PairMethod != session.PairLink || got.PairPhone != "12025550108" {
		t.Errorf("snapshot %+v, want link for 12025550108", got)
	}
}

func TestDeleteSession(t *testing.T) {
	f := newFake("s1")
	var got map[string]string
	ok(t, serve(t, f, "DELETE", "/v1/sessions/s1", ""), http.StatusOK, &got)
	if got["deleted"] != "s1" {
		t.Errorf("body %v, want deleted s1", got)
	}
	if _, err := f.Get("s1"); !errors.Is(err, session.ErrUnknownSession) {
		t.Errorf("after delete Get = %v, want unknown session", err)
	}
}

func TestSessionActionsReturnTheSnapshot(t *testing.T) {
	for _, c := range []struct {
		action string
		from   session.State
		want   session.State
	}{
		{"start", session.Stopped, session.Starting},
		{"stop", session.Ready, session.Stopped},
		{"restart", session.Ready, session.Starting},
		{"logout", session.Ready, session.LoggedOut},
		{"refresh-qr", session.QR, session.QR},
	} {
		t.Run(c.action, func(t *testing.T) {
			f := newFake("s1")
			f.SetState("s1", c.from)
			var got Session
			ok(t, serve(t, f, "POST", "/v1/sessions/s1/"+c.action, ""), http.StatusOK, &got)
			if got.State != string(c.want) {
				t.Errorf("%s from %s: state %s, want %s", c.action, c.from, got.State, c.want)
			}
		})
	}
}

func TestEventsLastN(t *testing.T) {
	f := newFake("s1")
	f.SetState("s1", session.Starting)
	f.SetState("s1", session.QR)
	var got EventList
	ok(t, serve(t, f, "GET", "/v1/sessions/s1/events?n=2", ""), http.StatusOK, &got)
	if len(got.Events) != 2 || got.Events[1].To != string(session.QR) {
		t.Errorf("events %+v, want the last 2, ending in QR", got.Events)
	}
	ok(t, serve(t, f, "GET", "/v1/sessions/s1/events", ""), http.StatusOK, &got)
	if len(got.Events) != 3 {
		t.Errorf("%d events by default, want all 3", len(got.Events))
	}
}

func TestPairStartsTheSession(t *testing.T) {
	for _, c := range []struct{ body, method string }{
		{"", session.PairQR},
		{`{}`, session.PairQR},
		{`{"method":"qr"}`, session.PairQR},
		{`{"method":"link","phone":"12025550108"}`, session.PairLink},
	} {
		f := newFake("s1")
		var got Session
		ok(t, serve(t, f, "POST", "/v1/sessions/s1/pair", c.body), http.StatusOK, &got)
		if got.State != string(session.Starting) || got.PairMethod != c.method {
			t.Errorf("pair %s: state %s method %s, want STARTING by %s", c.body, got.State, got.PairMethod, c.method)
		}
	}
}

func TestSendOneText(t *testing.T) { forTransports(t, testSendOneText) }

func testSendOneText(t *testing.T, serve serveFunc) {
	var got SendResponse
	ok(t, serve(t, newFake("s1"), "POST", "/v1/sessions/s1/messages", `{"to":"12025550108","text":"hi"}`), http.StatusAccepted, &got)
	if len(got.Jobs) != 1 || got.Jobs[0].ChatID != "12025550108@c.us" || got.Jobs[0].Body != "hi" || got.Jobs[0].MsgID == "" {
		t.Errorf("jobs %+v, want one to 12025550108@c.us with a message id", got.Jobs)
	}
}

func TestSendTextThenTexts(t *testing.T) { forTransports(t, testSendTextThenTexts) }

func testSendTextThenTexts(t *testing.T, serve serveFunc) {
	var got SendResponse
	ok(t, serve(t, newFake("s1"), "POST", "/v1/sessions/s1/messages", `{"to":"123@g.us","text":"a","texts":["b","c"]}`), http.StatusAccepted, &got)
	var bodies []string
	for _, j := range got.Jobs {
		bodies = append(bodies, j.Body)
	}
	if strings.Join(bodies, "") != "abc" {
		t.Errorf("bodies %q, want a, b, c in order", bodies)
	}
}

// A reply carries the message it answers into the job and the outbox; with
// reply-first on, a send to a chat that never wrote is held with the reason.
func TestSendReplyAndReplyFirst(t *testing.T) { forTransports(t, testSendReplyAndReplyFirst) }

func testSendReplyAndReplyFirst(t *testing.T, serve serveFunc) {
	f := newFake("s1")
	f.InboxOf["s1"] = []session.InboundMessage{{Session: "s1", ID: "3AC79A5165D6F67F3945", Chat: "12025550108@c.us", Body: "where is my order?", Time: time.Now()}}
	var s Session
	ok(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"replyFirst":"24h"}`), http.StatusOK, &s)
	if time.Duration(s.ReplyFirst) != 24*time.Hour {
		t.Fatalf("replyFirst %v after PATCH, want 24h", s.ReplyFirst)
	}
	var got SendResponse
	ok(t, serve(t, f, "POST", "/v1/sessions/s1/messages", `{"to":"12025550108","text":"shipped","replyTo":"3AC79A5165D6F67F3945"}`), http.StatusAccepted, &got)
	if len(got.Jobs) != 1 || got.Jobs[0].ReplyTo != "3AC79A5165D6F67F3945" || got.Jobs[0].State != "queued" {
		t.Fatalf("jobs %+v, want one queued reply to 3AC79A5165D6F67F3945", got.Jobs)
	}
	ok(t, serve(t, f, "POST", "/v1/sessions/s1/messages", `{"to":"12025550109","text":"hello"}`), http.StatusAccepted, &got)
	if want := "reply-first: 12025550109@c.us has not written in 24h: approve to send"; got.Jobs[0].State != "held" || got.Jobs[0].HoldReason != want {
		t.Fatalf("a cold send %+v, want held with %q", got.Jobs[0], want)
	}
	var list JobList
	ok(t, serve(t, f, "GET", "/v1/sessions/s1/outbox", ""), http.StatusOK, &list)
	if len(list.Jobs) != 2 || list.Jobs[0].ReplyTo != "3AC79A5165D6F67F3945" || list.Jobs[1].ReplyTo != "" {
		t.Fatalf("outbox %+v, want the reply to show what it answers", list.Jobs)
	}
	ok(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"replyFirst":"0s"}`), http.StatusOK, &s)
	if s.ReplyFirst != 0 {
		t.Fatalf("replyFirst %v after 0s, want off", s.ReplyFirst)
	}
}

func TestOutboxFiltersByState(t *testing.T) { forTransports(t, testOutboxFiltersByState) }

func testOutboxFiltersByState(t *testing.T, serve serveFunc) {
	f := newFake("s1")
	f.AddJob("s1", session.JobQueued)
	dead := f.AddJob("s1", session.JobDead)
	held := f.AddJob("s1", session.JobHeld)
	var got JobList
	ok(t, serve(t, f, "GET", "/v1/sessions/s1/outbox?state=dead,%20held", ""), http.StatusOK, &got)
	if len(got.Jobs) != 2 || got.Jobs[0].Seq != dead || got.Jobs[1].Seq != held {
		t.Errorf("jobs %+v, want the dead and the held one", got.Jobs)
	}
	ok(t, serve(t, f, "GET", "/v1/sessions/s1/outbox", ""), http.StatusOK, &got)
	if len(got.Jobs) != 3 {
		t.Errorf("%d jobs without a filter, want 3", len(got.Jobs))
	}
}

func TestRetryJob(t *testing.T) { forTransports(t, testRetryJob) }

func testRetryJob(t *testing.T, serve serveFunc) {
	f := newFake("s1")
	seq := f.AddJob("s1", session.JobDead)
	var got map[string]uint64
	ok(t, serve(t, f, "POST", fmt.Sprintf("/v1/sessions/s1/outbox/%d/retry", seq), ""), http.StatusOK, &got)
	if got["retried"] != seq {
		t.Errorf("body %v, want retried %d", got, seq)
	}
	if jobs, _ := f.Jobs("s1", session.JobQueued); len(jobs) != 1 {
		t.Errorf("queued jobs %+v, want the retried one", jobs)
	}
}

func TestDiscardJob(t *testing.T) { forTransports(t, testDiscardJob) }

func testDiscardJob(t *testing.T, serve serveFunc) {
	f := newFake("s1")
	seq := f.AddJob("s1", session.JobHeld)
	var got map[string]uint64
	ok(t, serve(t, f, "DELETE", fmt.Sprintf("/v1/sessions/s1/outbox/%d", seq), ""), http.StatusOK, &got)
	if got["discarded"] != seq {
		t.Errorf("body %v, want discarded %d", got, seq)
	}
	if jobs, _ := f.Jobs("s1"); len(jobs) != 0 {
		t.Errorf("jobs %+v, want none", jobs)
	}
}

func TestQueuePauseResume(t *testing.T) { forTransports(t, testQueuePauseResume) }

func testQueuePauseResume(t *testing.T, serve serveFunc) {
	f := newFake("s1")
	f.AddJob("s1", session.JobQueued)
	var qs QueueStats
	ok(t, serve(t, f, "GET", "/v1/sessions/s1/queue", ""), http.StatusOK, &qs)
	if qs.Depth != 1 || qs.States["queued"] != 1 || qs.Paused {
		t.Errorf("queue %+v, want depth 1, not paused", qs)
	}
	ok(t, serve(t, f, "POST", "/v1/sessions/s1/queue/pause", ""), http.StatusOK, &qs)
	if !qs.Paused {
		t.Error("after pause the queue is not paused")
	}
	ok(t, serve(t, f, "POST", "/v1/sessions/s1/queue/resume", ""), http.StatusOK, &qs)
	if qs.Paused {
		t.Error("after resume the queue is paused")
	}
}

func TestChatsAndMessages(t *testing.T) {
	f := newFake("s1")
	f.SetState("s1", session.Ready)
	f.ChatsOf["s1"] = []session.Chat{{ID: "12025550108@c.us", Name: "Ann"}}
	f.MessagesOf["s1/12025550108@c.us"] = []session.Message{{ID: "1", Chat: "12025550108@c.us", Body: "a"}, {ID: "2", Chat: "12025550108@c.us", Body: "b"}}
	f.MessagesOf["s1/1@g.us"] = []session.Message{{ID: "3", Chat: "1@g.us"}}
	var chats ChatList
	ok(t, serve(t, f, "GET", "/v1/sessions/s1/chats", ""), http.StatusOK, &chats)
	if len(chats.Chats) != 1 || chats.Chats[0].Name != "Ann" {
		t.Errorf("chats %+v, want Ann's", chats.Chats)
	}
	var msgs MessageList
	ok(t, serve(t, f, "GET", "/v1/sessions/s1/chats/12025550108@c.us/messages?limit=1", ""), http.StatusOK, &msgs)
	if len(msgs.Messages) != 1 || msgs.Messages[0].Body != "b" {
		t.Errorf("messages %+v, want the newest of Ann's", msgs.Messages)
	}
}

// errorCases are requests that fail, with the status, code and a word of
// the message they must fail with. The fake has a stopped session s1.
var errorCases = []struct {
	name, method, path, body string
	status                   int
	code, word               string
}{
	{"syntax error", "POST", "/v1/sessions", `{"id":`, 400, CodeBadRequest, "malformed JSON"},
	{"unknown field", "POST", "/v1/sessions", `{"id":"s2","color":"red"}`, 400, CodeBadRequest, `unknown field "color"`},
	{"two values", "POST", "/v1/sessions", `{"id":"s2"} {"id":"s3"}`, 400, CodeBadRequest, "exactly one JSON object"},
	{"trailing brace", "POST", "/v1/sessions", `{"id":"s2"}}`, 400, CodeBadRequest, "malformed JSON"},
	{"trailing bracket", "PATCH", "/v1/sessions/s1", `{}]`, 400, CodeBadRequest, "malformed JSON"},
	{"wrong type", "POST", "/v1/sessions", `{"id":5}`, 400, CodeBadRequest, "id"},
	{"wrong nested type", "PATCH", "/v1/sessions/s1", `{"pacing":{"minGap":15}}`, 400, CodeBadRequest, "minGap"},
	{"texts not a list", "POST", "/v1/sessions/s1/messages", `{"to":"12025550108","texts":"hi"}`, 400, CodeBadRequest, "texts"},
	{"array body", "POST", "/v1/sessions/s1/pair", `[]`, 400, CodeBadRequest, "object"},
	{"null body", "PATCH", "/v1/sessions/s1", `null`, 400, CodeBadRequest, "object"},
	{"string body", "POST", "/v1/sessions/s1/messages", `"hi"`, 400, CodeBadRequest, "object"},
	{"unicode space body", "POST", "/v1/sessions/s1/pair", "\u2028", 400, CodeBadRequest, "malformed JSON"},

	{"get unknown", "GET", "/v1/sessions/nope", "", 404, CodeUnknownSession, `"nope"`},
	{"set unknown", "PATCH", "/v1/sessions/nope", `{"autoStart":true}`, 404, CodeUnknownSession, `"nope"`},
	{"delete unknown", "DELETE", "/v1/sessions/nope", "", 404, CodeUnknownSession, `"nope"`},
	{"start unknown", "POST", "/v1/sessions/nope/start", "", 404, CodeUnknownSession, "waconsole status"},
	{"events unknown", "GET", "/v1/sessions/nope/events", "", 404, CodeUnknownSession, `"nope"`},
	{"pairing unknown", "GET", "/v1/sessions/nope/pairing", "", 404, CodeUnknownSession, `"nope"`},
	{"pair unknown", "POST", "/v1/sessions/nope/pair", "", 404, CodeUnknownSession, `"nope"`},
	{"send unknown", "POST", "/v1/sessions/nope/messages", `{"to":"12025550108","text":"hi"}`, 404, CodeUnknownSession, `"nope"`},
	{"outbox unknown", "GET", "/v1/sessions/nope/outbox", "", 404, CodeUnknownSession, `"nope"`},
	{"retry unknown", "POST", "/v1/sessions/nope/outbox/1/retry", "", 404, CodeUnknownSession, `"nope"`},
	{"discard unknown", "DELETE", "/v1/sessions/nope/outbox/1", "", 404, CodeUnknownSession, `"nope"`},
	{"queue unknown", "GET", "/v1/sessions/nope/queue", "", 404, CodeUnknownSession, `"nope"`},
	{"pause unknown", "POST", "/v1/sessions/nope/queue/pause", "", 404, CodeUnknownSession, `"nope"`},
	{"chats unknown", "GET", "/v1/sessions/nope/chats", "", 404, CodeUnknownSession, `"nope"`},
	{"messages unknown", "GET", "/v1/sessions/nope/chats/12025550108/messages", "", 404, CodeUnknownSession, `"nope"`},
	{"escaped dot id", "GET", "/v1/sessions/%2E", "", 404, CodeUnknownSession, `"."`},

	{"bad session id", "POST", "/v1/sessions", `{"id":"My Phone"}`, 422, CodeInvalid, "lower-case"},
	{"long session id", "POST", "/v1/sessions", `{"id":"` + strings.Repeat("a", 33) + `"}`, 422, CodeInvalid, "1-32"},
	{"add bad phone", "POST", "/v1/sessions", `{"id":"s2","pairMethod":"link","pairPhone":"+1 202 555"}`, 422, CodeInvalid, "digits only"},
	{"add no phone", "POST", "/v1/sessions", `{"id":"s2","pairMethod":"link"}`, 422, CodeInvalid, "phone number is needed"},
	{"add bad method", "POST", "/v1/sessions", `{"id":"s2","pairMethod":"pigeon"}`, 422, CodeInvalid, `"qr"`},
	{"pair bad phone", "POST", "/v1/sessions/s1/pair", `{"method":"link","phone":"1234"}`, 422, CodeInvalid, "8 to 15"},
	{"pair bad method", "POST", "/v1/sessions/s1/pair", `{"method":"pigeon"}`, 422, CodeInvalid, `"link"`},
	{"send bad chat", "POST", "/v1/sessions/s1/messages", `{"to":"bob","text":"hi"}`, 422, CodeInvalid, "chat"},
	{"send bad group", "POST", "/v1/sessions/s1/messages", `{"to":"x@g.us","text":"hi"}`, 422, CodeInvalid, "group id"},
	{"send nothing", "POST", "/v1/sessions/s1/messages", `{"to":"12025550108"}`, 422, CodeInvalid, `"text"`},
	{"send empty text", "POST", "/v1/sessions/s1/messages", `{"to":"12025550108","texts":["ok"," \n"]}`, 422, CodeInvalid, "message 2"},
	{"send long text", "POST", "/v1/sessions/s1/messages", `{"to":"12025550108","text":"` + strings.Repeat("x", session.MaxTextBytes+1) + `"}`, 422, CodeInvalid, "limit"},
	{"send invalid UTF-8", "POST", "/v1/sessions/s1/messages", "{\"to\":\"12025550108\",\"text\":\"caf\xe9\"}", 422, CodeInvalid, "UTF-8"},
	{"send lone surrogate", "POST", "/v1/sessions/s1/messages", `{"to":"12025550108","text":"a\ud800b"}`, 422, CodeInvalid, "UTF-8"},
	{"send reply to nothing", "POST", "/v1/sessions/s1/messages", `{"to":"12025550108","text":"hi","replyTo":"3A0000000000000000NO"}`, 422, CodeInvalid, "has not received that message"},
	{"set bad reply-first", "PATCH", "/v1/sessions/s1", `{"replyFirst":"a day"}`, 422, CodeInvalid, "replyFirst"},
	{"set short reply-first", "PATCH", "/v1/sessions/s1", `{"replyFirst":"10s"}`, 422, CodeInvalid, "at least 1m"},
	{"set bad duration", "PATCH", "/v1/sessions/s1", `{"pacing":{"minGap":"abc"}}`, 422, CodeInvalid, "minGap"},
	{"set negative duration", "PATCH", "/v1/sessions/s1", `{"pacing":{"chatGap":"-1s"}}`, 422, CodeInvalid, "chatGap"},
	{"set negative bulk", "PATCH", "/v1/sessions/s1", `{"pacing":{"bulkLimit":-1}}`, 422, CodeInvalid, "bulk limit"},
	{"set jitter min above max", "PATCH", "/v1/sessions/s1", `{"pacing":{"jitterMin":"20s","jitter":"10s"}}`, 422, CodeInvalid, "jitter min 20s is above jitter max 10s"},
	{"set value and default", "PATCH", "/v1/sessions/s1", `{"pacing":{"minGap":"1s","defaults":["minGap"]}}`, 422, CodeInvalid, "min gap"},
	{"set unknown default", "PATCH", "/v1/sessions/s1", `{"pacing":{"defaults":["speed"]}}`, 422, CodeInvalid, `"speed"`},
	{"set bad phone", "PATCH", "/v1/sessions/s1", `{"pairPhone":"call me"}`, 422, CodeInvalid, "digits only"},
	{"set link without phone", "PATCH", "/v1/sessions/s1", `{"pairMethod":"link"}`, 422, CodeInvalid, "phone"},

	{"existing id", "POST", "/v1/sessions", `{"id":"s1"}`, 409, CodeExists, "another id"},
	{"refresh-qr stopped", "POST", "/v1/sessions/s1/refresh-qr", "", 409, CodeWrongState, "start it"},
	{"chats not ready", "GET", "/v1/sessions/s1/chats", "", 409, CodeNotReady, "READY"},

	{"unknown route", "GET", "/v2/info", "", 404, CodeNotFound, "no route GET /v2/info"},
	{"unknown method", "PUT", "/v1/sessions/s1", `{}`, 404, CodeNotFound, "README"},
	{"unknown action", "POST", "/v1/sessions/s1/explode", "", 404, CodeNotFound, "refresh-qr"},
	{"GET of an action", "GET", "/v1/sessions/s1/start", "", 404, CodeNotFound, "no route"},
	{"unknown queue action", "POST", "/v1/sessions/s1/queue/flush", "", 404, CodeNotFound, "pause or resume"},
	{"no such job", "POST", "/v1/sessions/s1/outbox/99/retry", "", 404, CodeNotFound, "job 99"},
	{"dot segment", "DELETE", "/v1/sessions/.", "", 404, CodeNotFound, "no route"},
	{"dot-dot segment", "POST", "/v1/sessions/s1/../s1/stop", "", 404, CodeNotFound, "no route"},
	{"double slash", "GET", "/v1//sessions", "", 404, CodeNotFound, "no route"},
	{"trailing slash", "GET", "/v1/sessions/", "", 404, CodeNotFound, "no route"},

	{"job not a number", "POST", "/v1/sessions/s1/outbox/abc/retry", "", 400, CodeBadRequest, "job number"},
	{"job zero", "DELETE", "/v1/sessions/s1/outbox/0", "", 400, CodeBadRequest, "job number"},
	{"job negative", "DELETE", "/v1/sessions/s1/outbox/-1", "", 400, CodeBadRequest, "job number"},
	{"negative n", "GET", "/v1/sessions/s1/events?n=-1", "", 400, CodeBadRequest, "n="},
	{"limit not a number", "GET", "/v1/sessions/s1/chats/12025550108/messages?limit=x", "", 400, CodeBadRequest, "limit="},
	{"bogus state", "GET", "/v1/sessions/s1/outbox?state=bogus", "", 400, CodeBadRequest, "queued, sending"},
	{"empty state in list", "GET", "/v1/sessions/s1/outbox?state=dead,", "", 400, CodeBadRequest, "unknown job state"},
}

func TestErrors(t *testing.T) {
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, serve(t, newFake("s1"), c.method, c.path, c.body), c.status, c.code, c.word)
		})
	}
}

// The chat id is read once the session can read chats at all, as the
// sessions do: a stopped session says so first.
func TestMessagesBadChat(t *testing.T) {
	f := newFake("s1")
	f.SetState("s1", session.Ready)
	wantError(t, serve(t, f, "GET", "/v1/sessions/s1/chats/bob/messages", ""), http.StatusUnprocessableEntity, CodeInvalid, "chat")
}

func TestWrongStateOfJob(t *testing.T) {
	f := newFake("s1")
	seq := f.AddJob("s1", session.JobQueued)
	wantError(t, serve(t, f, "POST", fmt.Sprintf("/v1/sessions/s1/outbox/%d/retry", seq), ""), http.StatusConflict, CodeWrongState, "dead or held")
	wantError(t, serve(t, f, "DELETE", fmt.Sprintf("/v1/sessions/s1/outbox/%d", seq), ""), http.StatusConflict, CodeWrongState, "dead or held")
}

func TestBodyOverLimit(t *testing.T) {
	body := `{"to":"12025550108","text":"` + strings.Repeat("x", maxBody) + `"}`
	f := newFake("s1")
	wantError(t, serve(t, f, "POST", "/v1/sessions/s1/messages", body), http.StatusRequestEntityTooLarge, CodeBadRequest, "bytes")
	if jobs, _ := f.Jobs("s1"); len(jobs) != 0 {
		t.Errorf("%d jobs queued from a refused body", len(jobs))
	}
}

func TestFailedRequestChangesNothing(t *testing.T) {
	f := newFake("s1")
	serve(t, f, "POST", "/v1/sessions/s1/messages", `{"to":"12025550108","texts":["ok",""]}`)
	serve(t, f, "PATCH", "/v1/sessions/s1", `{"autoStart":false,"pacing":{"minGap":"abc"}}`)
	snap, _ := f.Get("s1")
	if jobs, _ := f.Jobs("s1"); len(jobs) != 0 || !snap.AutoStart {
		t.Errorf("after refused requests: %d jobs, autoStart %v; want none and true", len(jobs), snap.AutoStart)
	}
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		err    error
		status int
		code   string
	}{
		{fmt.Errorf("x: %w", session.ErrUnknownSession), 404, CodeUnknownSession},
		{fmt.Errorf("x: %w", session.ErrNotFound), 404, CodeNotFound},
		{fmt.Errorf("x: %w", session.ErrInvalid), 422, CodeInvalid},
		{fmt.Errorf("x: %w", session.ErrExists), 409, CodeExists},
		{fmt.Errorf("x: %w", session.ErrNotReady), 409, CodeNotReady},
		{fmt.Errorf("x: %w", session.ErrWrongState), 409, CodeWrongState},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), 503, CodeUnavailable},
		{context.Canceled, 503, CodeUnavailable},
		{errors.New("disk full"), 500, CodeInternal},
	} {
		if status, code := classify(c.err); status != c.status || code != c.code {
			t.Errorf("classify(%v) = %d %s, want %d %s", c.err, status, code, c.status, c.code)
		}
	}
}

func TestSendKeepsUnicode(t *testing.T) {
	var got SendResponse
	ok(t, serve(t, newFake("s1"), "POST", "/v1/sessions/s1/messages", `{"to":"12025550108","texts":["café 😀","\ud83d\ude00 \u00e9\\ud800"]}`), http.StatusAccepted, &got)
	if len(got.Jobs) != 2 || got.Jobs[0].Body != "café 😀" || got.Jobs[1].Body != `😀 é\ud800` {
		t.Errorf("jobs %+v, want the texts unchanged", got.Jobs)
	}
}

func TestValidUnicode(t *testing.T) {
	for body, want := range map[string]bool{
		`{"t":"plain"}`:                 true,
		`{"t":"\ud83d\ude00"}`:          true,
		`{"t":"\\ud800"}`:               true, // an escaped backslash, then text
		`{"t":"\u00e9\n\""}`:            true,
		"{\"t\":\"\xff\"}":              false,
		`{"t":"\ud800"}`:                false,
		`{"t":"\udc00"}`:                false,
		`{"t":"\ud800\u0041"}`:          false,
		`{"t":"\ud800\n"}`:              false,
		`{"t":"\ud83d\ude00\ud83d"}`:    false,
		`{"t":"\ud83d\ude00","u":"\\"}`: true,
	} {
		if got := validUnicode([]byte(body)); got != want {
			t.Errorf("validUnicode(%s) = %v, want %v", body, got, want)
		}
	}
}

func TestEmptyListsAreArrays(t *testing.T) {
	f := newFake("s1")
	f.SetState("s1", session.Ready)
	for path, key := range map[string]string{
		"/v1/sessions/s1/events?n=0":                         "events",
		"/v1/sessions/s1/outbox":                             "jobs",
		"/v1/sessions/s1/outbox?state=sent":                  "jobs",
		"/v1/sessions/s1/chats":                              "chats",
		"/v1/sessions/s1/chats/12025550108/messages?limit=5": "messages",
	} {
		var got map[string]json.RawMessage
		ok(t, serve(t, f, "GET", path, ""), http.StatusOK, &got)
		if string(got[key]) != "[]" {
			t.Errorf("GET %s: %s is %s, want []", path, key, got[key])
		}
	}
}

func TestSetJitterBelowDefaultMin(t *testing.T) {
	f := newFake("s1")
	// The jitter min is a default: it follows a jitter max set below it.
	var got Session
	ok(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"pacing":{"jitter":"2s"}}`), http.StatusOK, &got)
	if got.Pacing.Jitter != Duration(2*time.Second) || got.Pacing.JitterMin != Duration(2*time.Second) {
		t.Errorf("pacing %+v, want jitter 2s and jitter min lowered to 2s", got.Pacing)
	}
	// Both set, the min may not pass the max.
	wantError(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"pacing":{"jitterMin":"3s"}}`), http.StatusUnprocessableEntity, CodeInvalid, "jitter min")
	wantError(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"pacing":{"jitterMin":"3s","jitter":"1s"}}`), http.StatusUnprocessableEntity, CodeInvalid, "above jitter max")
}
