package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

var fuzzMethods = []string{"GET", "POST", "PATCH", "DELETE", "PUT", "HEAD"}

// codeStatus is the status each documented error code comes with.
var codeStatus = map[string][]int{
	CodeBadRequest:     {400, 413},
	CodeInvalid:        {422},
	CodeUnknownSession: {404},
	CodeNotFound:       {404},
	CodeExists:         {409},
	CodeNotReady:       {409},
	CodeWrongState:     {409},
	CodeUnavailable:    {503},
	CodeInternal:       {500},
	CodeUnauthorized:   {401},
	CodeForbidden:      {403},
	CodeRateLimited:    {429},
}

// takesBody reports whether a request goes to a route that reads a JSON
// body, matching segments as the ServeMux does: split escaped, then
// unescaped.
func takesBody(method, escapedPath string) bool {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil {
			return false
		}
		segs[i] = u
	}
	if len(segs) < 2 || segs[0] != "v1" || segs[1] != "sessions" {
		return false
	}
	switch {
	case method == "POST" && len(segs) == 2:
		return true
	case method == "PATCH" && len(segs) == 3:
		return true
	case method == "POST" && len(segs) == 4:
		return segs[3] == "pair" || segs[3] == "messages"
	}
	return false
}

// jsonObject reports whether body is empty or one JSON object.
func jsonObject(body []byte) bool {
	b := bytes.Trim(body, jsonSpace)
	return len(b) == 0 || b[0] == '{' && json.Valid(b)
}

// fuzzFake has s1 showing a QR code, a READY s2, and a dead (2) and a held
// (3) job in s1.
func fuzzFake() *sessiontest.Fake {
	f := newFake("s1", "s2")
	f.SetState("s1", session.QR)
	f.SetState("s2", session.Ready)
	f.AddJob("s1", session.JobQueued)
	f.AddJob("s1", session.JobDead)
	f.AddJob("s1", session.JobHeld)
	return f
}

func FuzzRequests(f *testing.F) {
	for _, s := range []struct {
		method uint8
		suffix string
		body   string
	}{
		{0, "info", ""},
		{0, "sessions", ""},
		{1, "sessions", `{"id":"s3","pairMethod":"link","pairPhone":"12025550108","autoStart":false,"start":true}`},
		{1, "sessions", `{"id":"s1"}`},
		{0, "sessions/s1", ""},
		{2, "sessions/s1", `{"autoStart":true,"pairMethod":"qr","pairPhone":"","pacing":{"minGap":"15s","jitterMin":"5s","jitter":"15s","chatGap":"30s","bulkLimit":5}}`},
		{2, "sessions/s1", `{"pacing":{"minGap":"abc"}}`},
		{3, "sessions/s1", ""},
		{1, "sessions/s1/start", ""},
		{1, "sessions/s2/stop", ""},
		{1, "sessions/s1/restart", ""},
		{1, "sessions/s2/logout", ""},
		{1, "sessions/s1/refresh-qr", ""},
		{0, "sessions/s1/events?n=5", ""},
		{0, "sessions/s1/pairing", ""},
		{1, "sessions/s1/pair", `{"method":"link","phone":"12025550108"}`},
		{1, "sessions/s1/pair", ""},
		{1, "sessions/s2/messages", `{"to":"12025550108@c.us","text":"hello","texts":["a","b 😀"]}`},
		{1, "sessions/s2/messages", `{"to":"120363025246125486@g.us","text":"\ud83d\ude00"}`},
		{0, "sessions/s1/outbox?state=dead,held", ""},
		{1, "sessions/s1/outbox/2/retry", ""},
		{3, "sessions/s1/outbox/3", ""},
		{0, "sessions/s1/queue", ""},
		{1, "sessions/s1/queue/pause", ""},
		{1, "sessions/s1/queue/resume", ""},
		{0, "sessions/s2/chats", ""},
		{0, "sessions/s2/chats/12025550108/messages?limit=10&before=3EB0", ""},
		{4, "sessions/s1", `{}`},
		{3, "sessions/./s1", ""},
	} {
		f.Add(s.method, s.suffix, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, m uint8, suffix string, body []byte) {
		method := fuzzMethods[int(m)%len(fuzzMethods)]
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if method == "GET" || method == "HEAD" {
			cancel() // a pairing stream ends after its first line
		}
		req, err := http.NewRequestWithContext(ctx, method, "http://waconsole/v1/"+suffix, bytes.NewReader(body))
		if err != nil {
			return
		}
		rec := httptest.NewRecorder()
		Handler(fuzzFake(), testInfo).ServeHTTP(rec, req)

		out := rec.Body.Bytes()
		if rec.Header().Get("Content-Type") == "application/x-ndjson" {
			for _, line := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
				if !json.Valid(line) {
					t.Fatalf("%s %s: stream line %q is not JSON", method, req.URL, line)
				}
			}
		} else if !json.Valid(out) {
			t.Fatalf("%s %s: %d with a body that is not JSON: %q", method, req.URL, rec.Code, out)
		}
		if rec.Code/100 == 2 {
			if takesBody(method, req.URL.EscapedPath()) && (!jsonObject(body) || !utf8.Valid(body)) {
				t.Fatalf("%s %s: %d for body %q, which is not one JSON object in UTF-8", method, req.URL, rec.Code, body)
			}
			return
		}
		var eb errorBody
		if err := json.Unmarshal(out, &eb); err != nil {
			t.Fatalf("%s %s: %d body %q: %v", method, req.URL, rec.Code, out, err)
		}
		statuses, known := codeStatus[eb.Error.Code]
		switch {
		case !known:
			t.Fatalf("%s %s: %d with undocumented code %q", method, req.URL, rec.Code, eb.Error.Code)
		case !slices.Contains(statuses, rec.Code):
			t.Fatalf("%s %s: code %s with status %d, want one of %v", method, req.URL, eb.Error.Code, rec.Code, statuses)
		case strings.TrimSpace(eb.Error.Message) == "":
			t.Fatalf("%s %s: %d %s with no message", method, req.URL, rec.Code, eb.Error.Code)
		case eb.Error.Code == CodeInternal:
			t.Fatalf("%s %s: internal error from the fake: %s", method, req.URL, eb.Error.Message)
		}
	})
}

// FuzzTCPRequests sends requests over TCP with no key, a wrong key, a read
// key, an operate key limited to s2 and an admin key: the answers are JSON
// in the API's error format, nothing passes without a valid key, a read key
// changes nothing, and the limited key reaches no other session.
func FuzzTCPRequests(f *testing.F) {
	const (
		fuzzRead  = "wac_fuzzRead00000000000000000000000"
		fuzzS2    = "wac_fuzzS2000000000000000000000000"
		fuzzAdmin = "wac_fuzzAdmin0000000000000000000000"
	)
	for _, s := range []struct {
		method uint8
		suffix string
		auth   string
		body   string
	}{
		{0, "sessions", "", ""},
		{0, "sessions", "Bearer wac_wrong", ""},
		{0, "sessions", "Bearer " + fuzzS2, ""},
		{0, "sessions/s1", "Bearer " + fuzzS2, ""},
		{1, "sessions/s2/messages", "Bearer " + fuzzS2, `{"to":"12025550108","text":"hi"}`},
		{1, "sessions/s1/messages", "Bearer " + fuzzS2, `{"to":"12025550108","text":"hi"}`},
		{1, "sessions/s2/messages", "Bearer " + fuzzRead, `{"to":"12025550108","text":"hi"}`},
		{3, "sessions/s1", "Bearer " + fuzzAdmin, ""},
		{2, "sessions/s2", "Bearer " + fuzzAdmin, `{"autoStart":false}`},
		{1, "apikeys", "Bearer " + fuzzAdmin, `{"name":"k","role":"read","sessions":["s1"]}`},
		{1, "apikeys", "Bearer " + fuzzS2, `{"name":"k","role":"admin"}`},
		{0, "apikeys", "bearer " + fuzzAdmin, ""},
		{1, "sessions/s2/drain/snapshot", "Bearer " + fuzzS2, ""},
		{0, "sessions/s2/inbox?limit=3", "Bearer " + fuzzRead, ""},
		{1, "sessions/%73%31/stop", "Bearer " + fuzzS2, ""},
		{3, "sessions/s2/../s1", "Bearer " + fuzzS2, ""},
	} {
		f.Add(s.method, s.suffix, s.auth, []byte(s.body))
	}
	var current http.Handler
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := current
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	f.Fuzz(func(t *testing.T, m uint8, suffix, auth string, body []byte) {
		method := fuzzMethods[int(m)%len(fuzzMethods)]
		fake := fuzzFake()
		keys := &memKeys{}
		keys.addKey(t, fuzzRead, "reader", RoleRead)
		keys.addKey(t, fuzzS2, "s2-worker", RoleOperate, "s2")
		keys.addKey(t, fuzzAdmin, "admin", RoleAdmin)
		guard := RequireKey(Handler(fake, testInfo, Options{Keys: keys}), keys, testLogger(t))
		guard.every = time.Nanosecond // the limit has its own test
		mu.Lock()
		current = guard
		mu.Unlock()
		before := fuzzState(fake)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if method == "GET" || method == "HEAD" {
			cancel() // a pairing stream ends after its first line
		}
		req, err := http.NewRequestWithContext(ctx, method, srv.URL+"/v1/"+suffix, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", auth)
		resp, err := srv.Client().Do(req)
		if err != nil {
			return // a header or path net/http does not send, or a cancelled stream
		}
		out, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil && ctx.Err() == nil {
			t.Fatalf("%s %s: reading the answer: %v", method, req.URL, err)
		}
		if resp.StatusCode == 400 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			return // a request line net/http refuses before any handler
		}
		token, _ := bearer(req)
		if !slices.Contains([]string{fuzzRead, fuzzS2, fuzzAdmin}, token) && resp.StatusCode != 401 {
			t.Fatalf("%s %s with Authorization %q: %d, want 401", method, req.URL, auth, resp.StatusCode)
		}
		if token == fuzzRead && method != "GET" && method != "HEAD" && resp.StatusCode/100 == 2 {
			t.Fatalf("%s %s: %d for a read key", method, req.URL, resp.StatusCode)
		}
		for id, was := range before {
			if now := fuzzState(fake)[id]; now != was && (resp.StatusCode/100 != 2 || token == fuzzRead || token == fuzzS2 && id != "s2") {
				t.Fatalf("%s %s with Authorization %q: %d, and session %s changed from %q to %q", method, req.URL, auth, resp.StatusCode, id, was, now)
			}
		}
		if token == fuzzS2 && resp.StatusCode/100 == 2 && strings.Contains(string(out), `"s1"`) {
			t.Fatalf("%s %s: the s2 key saw session s1: %s", method, req.URL, out)
		}
		if resp.StatusCode/100 == 2 || method == "HEAD" || ctx.Err() != nil {
			return
		}
		var eb errorBody
		if err := json.Unmarshal(out, &eb); err != nil {
			t.Fatalf("%s %s: %d body %q: %v", method, req.URL, resp.StatusCode, out, err)
		}
		if statuses := codeStatus[eb.Error.Code]; !slices.Contains(statuses, resp.StatusCode) || strings.TrimSpace(eb.Error.Message) == "" {
			t.Fatalf("%s %s: %d with code %q and message %q", method, req.URL, resp.StatusCode, eb.Error.Code, eb.Error.Message)
		}
	})
}

// fuzzState is what a request may change in the fuzz fake's sessions s1
// and s2, by session: its state, settings and jobs ("" once deleted).
func fuzzState(f *sessiontest.Fake) map[string]string {
	out := map[string]string{"s1": "", "s2": ""}
	for _, s := range f.List() {
		jobs, _ := f.Jobs(s.ID)
		out[s.ID] = fmt.Sprintf("%s %v %s %d", s.State, s.AutoStart, s.PairMethod, len(jobs))
	}
	return out
}

func FuzzDecodeStrict(f *testing.F) {
	for _, s := range []string{
		"", " \n", "{}", `{"to":"12025550108","text":"hi","texts":["a"]}`, `{"to":1}`, `{"x":1}`, `{} {}`, `{}}`, `null`, `[]`,
		`"s"`, `{"text":"\ud800"}`, `{"text":"\ud83d\ude00"}`, "{\"text\":\"\xff\"}", `{"TEXT":"a","text":"b"}`, "\u2028",
		`{"pacing":{"minGap":"1s","bulkLimit":2}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var send SendRequest
		err := decodeStrict(body, &send)
		if err == nil && !jsonObject(body) {
			t.Fatalf("decodeStrict accepted %q, which is not one JSON object", body)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "malformed JSON body: ") {
			t.Fatalf("error %q does not say the body is malformed", err)
		}
		var set SettingsRequest
		if err2 := decodeStrict(body, &set); err2 == nil && !jsonObject(body) {
			t.Fatalf("decodeStrict accepted %q into settings, which is not one JSON object", body)
		}
		// Text that passes validUnicode comes out as it was sent: no U+FFFD
		// the sender did not write.
		if err == nil && validUnicode(body) && !bytes.Contains(body, []byte("\uFFFD")) && !bytes.Contains(bytes.ToLower(body), []byte(`\ufffd`)) {
			for _, s := range append([]string{send.To, send.Text}, send.Texts...) {
				if strings.ContainsRune(s, utf8.RuneError) {
					t.Fatalf("body %q passed validUnicode but decoded to %q", body, s)
				}
			}
		}
	})
}
