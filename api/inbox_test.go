package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
)

func TestInboxRoute(t *testing.T) { forTransports(t, testInboxRoute) }

func testInboxRoute(t *testing.T, serve serveFunc) {
	f := newFake("s1")
	now := time.Now()
	f.InboxOf["s1"] = []session.InboundMessage{
		{Session: "s1", ID: "A", Chat: "99@lid", Twin: "12025550108@c.us", Body: "old", Received: now.Add(-3 * time.Hour)},
		{Session: "s1", ID: "B", Chat: "1@g.us", Body: "group", Received: now.Add(-time.Hour)},
		{Session: "s1", ID: "C", Chat: "99@lid", FromMe: true, Filtered: "own", Received: now.Add(-time.Minute)},
		{Session: "s1", ID: "D", Chat: "99@lid", Body: "new", Type: "image", Unsupported: true, Received: now},
	}
	ids := func(path string) (out []string) {
		var list InboxList
		ok(t, serve(t, f, "GET", path, ""), http.StatusOK, &list)
		for _, m := range list.Messages {
			out = append(out, m.ID)
		}
		return out
	}
	for path, want := range map[string]string{
		"/v1/sessions/s1/inbox":                                                           "A B D",
		"/v1/sessions/s1/inbox?chat=12025550108":                                          "A",
		"/v1/sessions/s1/inbox?chat=99@lid&since=2h":                                      "D",
		"/v1/sessions/s1/inbox?limit=2":                                                   "B D",
		"/v1/sessions/s1/inbox?since=" + now.Add(-2*time.Hour).UTC().Format(time.RFC3339): "B D",
	} {
		if got := ids(path); joinIDs(got) != want {
			t.Errorf("%s = %q, want %q", path, joinIDs(got), want)
		}
	}
	wantError(t, serve(t, f, "GET", "/v1/sessions/s1/inbox?since=yesterday", ""), http.StatusBadRequest, CodeBadRequest, "RFC 3339")
	wantError(t, serve(t, f, "GET", "/v1/sessions/s1/inbox?limit=-1", ""), http.StatusBadRequest, CodeBadRequest, "limit")
	wantError(t, serve(t, f, "GET", "/v1/sessions/nope/inbox", ""), http.StatusNotFound, CodeUnknownSession, "nope")
}

func joinIDs(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += " "
		}
		out += id
	}
	return out
}

func TestSetSessionInbox(t *testing.T) {
	f := newFake("s1")
	var got Session
	ok(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"inbox":{"keepOwn":true,"mentionsOnly":true,"retention":"48h"}}`), http.StatusOK, &got)
	if i := got.Inbox; !i.KeepOwn || !i.MentionsOnly || i.KeepSystem || i.Retention != Duration(48*time.Hour) {
		t.Fatalf("inbox %+v, want own kept, mentions only, 48h", i)
	}
	ok(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"inbox":{"retention":"0s"}}`), http.StatusOK, &got)
	if i := got.Inbox; !i.KeepOwn || i.Retention != Duration(session.DefaultInboxRetention) {
		t.Fatalf("inbox %+v, want own still kept and the default retention", i)
	}
	wantError(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"inbox":{"retention":"a month"}}`), http.StatusUnprocessableEntity, CodeInvalid, "720h")
	wantError(t, serve(t, f, "PATCH", "/v1/sessions/s1", `{"inbox":{"retention":"1s"}}`), http.StatusUnprocessableEntity, CodeInvalid, "at least 1m")
}

func TestSearchRoute(t *testing.T) {
	f := newFake("s1")
	f.ChatsOf["s1"] = []session.Chat{{ID: "1@g.us", Name: "Shop team", Group: true}}
	f.InboxOf["s1"] = []session.InboundMessage{
		{Session: "s1", ID: "A", Chat: "99@lid", Twin: "12025550108@c.us", Body: "Order 1234 late"},
		{Session: "s1", ID: "B", Chat: "1@g.us", Body: "order 1234 shipped"},
		{Session: "s1", ID: "C", Chat: "1@g.us", Body: "order 99"},
	}
	var list SearchList
	ok(t, serve(t, f, "GET", "/v1/sessions/s1/search?q=ORDER+1234", ""), http.StatusOK, &list)
	if len(list.Hits) != 2 || list.Hits[0].Message.ID != "B" || list.Hits[0].ChatName != "Shop team" || list.Hits[1].Message.ID != "A" {
		t.Fatalf("hits = %+v, want B (Shop team) then A", list.Hits)
	}
	ok(t, serve(t, f, "GET", "/v1/sessions/s1/search?q=order&chat=12025550108&limit=5", ""), http.StatusOK, &list)
	if len(list.Hits) != 1 || list.Hits[0].Message.ID != "A" {
		t.Fatalf("hits in one chat = %+v, want A by its twin", list.Hits)
	}
	wantError(t, serve(t, f, "GET", "/v1/sessions/s1/search?q=+", ""), http.StatusUnprocessableEntity, CodeInvalid, "nothing to search")
	wantError(t, serve(t, f, "GET", "/v1/sessions/s1/search?q=x&limit=-1", ""), http.StatusBadRequest, CodeBadRequest, "limit")
	wantError(t, serve(t, f, "GET", "/v1/sessions/nope/search?q=x", ""), http.StatusNotFound, CodeUnknownSession, "nope")
}
