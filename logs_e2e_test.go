package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/simweb"
)

// logLine is one line of serve's JSON log.
type logLine map[string]any

func (l logLine) str(k string) string { s, _ := l[k].(string); return s }

// parseLog decodes serve's stderr, failing on any line that is not JSON.
func parseLog(t *testing.T, out string) []logLine {
	t.Helper()
	var lines []logLine
	for _, s := range strings.Split(strings.TrimSpace(out), "\n") {
		var l logLine
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatalf("a log line is not JSON: %q: %v", s, err)
		}
		lines = append(lines, l)
	}
	return lines
}

// find returns the lines with message msg whose attributes have the given
// values.
func find(lines []logLine, msg string, attrs ...string) []logLine {
	var out []logLine
next:
	for _, l := range lines {
		if l.str("msg") != msg {
			continue
		}
		for i := 0; i+1 < len(attrs); i += 2 {
			if l.str(attrs[i]) != attrs[i+1] {
				continue next
			}
		}
		out = append(out, l)
	}
	return out
}

// hookReceiver takes Standard Webhooks deliveries, refusing the first
// attempt of each message.received with a 503.
type hookReceiver struct {
	mu      sync.Mutex
	refused map[string]bool
	data    []map[string]any // the data of every accepted delivery
}

func (h *hookReceiver) accepted(typ, trace string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, d := range h.data {
		if d["type"] == typ && d["trace"] == trace {
			return true
		}
	}
	return false
}

// TestLogsOfRealTraffic runs serve against the stand-in with real traffic
// (pairing, an inbound message delivered to a webhook after one refused
// attempt, a reply to it through the API, a send refused for good, a send
// that fails, requests over TCP with a right and a wrong API key) and reads
// its log: JSON lines with the expected attributes, no number, chat id,
// body, secret, API key or QR payload it used, and one trace from the
// inbound message to its reply.
func TestLogsOfRealTraffic(t *testing.T) {
	url, phone := startSim(t, 0.05)
	dir := t.TempDir()
	addr := freeAddr(t)
	srv := startServe(t, dir, url, "--log-level", "debug", "--listen", addr)
	const id, number, contact, stranger = "logs", "15557770501", "15558880502", "15559990503"
	const inText, replyText, strayText, failText = "order 4711 for Ann Example", "your order ships today", "cold hello from us", "second try text"
	if _, errOut, code := cli(t, "session", "add", id, "--data-dir", dir); code != 0 {
		t.Fatalf("session add: %s", errOut)
	}
	qr := pairByCLI(t, dir, id, number, phone)
	out, errOut, code := cli(t, "apikey", "create", "worker", "--role", "read", "--json", "--data-dir", dir)
	var apiKey api.NewAPIKey
	if code != 0 || json.Unmarshal([]byte(out), &apiKey) != nil || apiKey.Key == "" || qr == "" {
		t.Fatalf("apikey create: exit %d, %q %s (QR payload %q)", code, out, errOut, qr)
	}
	for key, want := range map[string]int{apiKey.Key: 0, apiKey.Key + "x": 1} {
		if _, errOut, code := overTCP(t, addr, key, "status"); code != want {
			t.Fatalf("status over TCP: exit %d, want %d: %s", code, want, errOut)
		}
	}
	if _, errOut, code := cli(t, "session", "set", id, "--min-gap", "0s", "--jitter-min", "0s", "--jitter", "0s", "--chat-gap", "0s", "--data-dir", dir); code != 0 {
		t.Fatalf("session set: %s", errOut)
	}

	secret, _, _ := cli(t, "webhook", "secret")
	secret = strings.TrimSpace(secret)
	secretPath := filepath.Join(t.TempDir(), "hook.secret")
	if err := os.WriteFile(secretPath, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	hooks := &hookReceiver{refused: map[string]bool{}}
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := wh.Verify(body, r.Header); err != nil {
			t.Errorf("the receiver could not verify a delivery: %v", err)
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var ev struct {
			Type string         `json:"type"`
			Data map[string]any `json:"data"`
		}
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Errorf("a delivery is not JSON: %v", err)
			return
		}
		hooks.mu.Lock()
		defer hooks.mu.Unlock()
		if key := r.Header.Get("webhook-id"); ev.Type == "message.received" && !hooks.refused[key] {
			hooks.refused[key] = true
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		ev.Data["type"] = ev.Type
		hooks.data = append(hooks.data, ev.Data)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rc.Close()
	if _, errOut, code := cli(t, "webhook", "add", id, rc.URL+"/wa", "--name", "crm", "--events", "message.received,outbox.sent",
		"--secret-file", secretPath, "--data-dir", dir); code != 0 {
		t.Fatalf("webhook add: %s", errOut)
	}

	// An inbound message, handed on at the second attempt.
	ctx := context.Background()
	if err := phone.Inbound(ctx, number, contact, inText, 1); err != nil {
		t.Fatal(err)
	}
	var in api.InboundMessage
	waitFor(t, 20*time.Second, "the contact's message in the inbox", func() bool {
		msgs := inboxJSON(t, dir, id)
		if len(msgs) == 1 {
			in = msgs[0]
		}
		return len(msgs) == 1
	})
	waitFor(t, 30*time.Second, "message.received with its trace at the receiver", func() bool { return hooks.accepted("message.received", in.ID) })

	// The reply, through the API, keeps the inbound message's trace.
	c := api.NewClient(dir)
	sent, err := c.Send(ctx, id, api.SendRequest{To: in.Chat, Text: replyText, ReplyTo: in.ID})
	if err != nil || len(sent.Jobs) != 1 {
		t.Fatalf("the reply: %+v, %v", sent, err)
	}
	reply := sent.Jobs[0]
	waitFor(t, 30*time.Second, "outbox.sent of the reply with the inbound trace", func() bool { return hooks.accepted("outbox.sent", in.ID) })
	waitFor(t, 20*time.Second, "the reply's ack in the log", func() bool {
		return len(find(parseLog(t, srv.stderr.String()), "ack", "trace", in.ID)) > 0
	})

	// A number not on WhatsApp: dead at once. Then every send fails.
	if err := phone.Faults(ctx, simweb.Faults{Phone: number, NotOnWhatsApp: []string{stranger}}); err != nil {
		t.Fatal(err)
	}
	stray, err := c.Send(ctx, id, api.SendRequest{To: stranger, Text: strayText})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the send to a stranger dead in the log", func() bool {
		return len(find(parseLog(t, srv.stderr.String()), "job dead", "msg_id", stray.Jobs[0].MsgID)) > 0
	})
	if err := phone.Faults(ctx, simweb.Faults{Phone: number, SendFail: 1}); err != nil {
		t.Fatal(err)
	}
	failing, err := c.Send(ctx, id, api.SendRequest{To: in.Chat, Text: failText})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the failed send in the log", func() bool {
		return len(find(parseLog(t, srv.stderr.String()), "send failed", "msg_id", failing.Jobs[0].MsgID)) > 0
	})
	srv.signal(syscall.SIGTERM)
	if code := srv.wait(t, 30*time.Second); code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, srv.stderr.String())
	}

	out = srv.stderr.String()
	// (a) No number, chat id, body, secret, API key or QR payload used.
	leaks := []string{number, contact, stranger, inText, replyText, strayText, failText, secret, strings.TrimPrefix(secret, "whsec_"),
		apiKey.Key, strings.TrimPrefix(apiKey.Key, "wac_"), qr}
	for _, part := range strings.Split(qr, ",") { // the ref and each key of the payload
		if len(part) >= 8 {
			leaks = append(leaks, part)
		}
	}
	for _, chat := range []string{in.Chat, reply.ChatID, stray.Jobs[0].ChatID} {
		digits, _, _ := strings.Cut(chat, "@")
		leaks = append(leaks, digits)
	}
	for _, leak := range leaks {
		if strings.Contains(out, leak) {
			t.Errorf("%q is in the log", leak)
		}
	}

	// (b) JSON lines with the expected attributes.
	lines := parseLog(t, out)
	for _, l := range lines {
		if l.str("time") == "" || l.str("level") == "" || l.str("msg") == "" {
			t.Errorf("a line without time, level or message: %v", l)
		}
	}
	one := func(what string, got []logLine) logLine {
		t.Helper()
		if len(got) == 0 {
			t.Fatalf("no %s in the log:\n%s", what, out)
		}
		return got[0]
	}
	one("startup line", find(lines, "started", "mode", "serve", "version", "0.1.0"))
	one("QR line", find(lines, "QR code shown", "session", id))
	one("readiness", find(lines, "ready", "session", id, "to", "READY"))
	one("clean stop", find(lines, "stopped cleanly"))
	if p := one("paired line", find(lines, "paired", "session", id)); !strings.Contains(p.str("account"), "…") {
		t.Errorf("the account is not masked: %v", p)
	}
	masked := func(l logLine) {
		t.Helper()
		if chat := l.str("chat"); !strings.Contains(chat, "…") || !strings.Contains(chat, "@") {
			t.Errorf("chat %q is not a masked chat id in %v", chat, l)
		}
	}
	dead := one("dead job", find(lines, "job dead", "session", id, "msg_id", stray.Jobs[0].MsgID, "err_type", "rejected"))
	masked(dead)
	if dead["job"] != float64(stray.Jobs[0].Seq) || dead.str("trace") != stray.Jobs[0].MsgID || dead.str("err") == "" {
		t.Errorf("the dead job's line lacks its job, own trace or error: %v", dead)
	}
	failed := one("failed send", find(lines, "send failed", "session", id, "msg_id", failing.Jobs[0].MsgID, "trace", failing.Jobs[0].MsgID))
	masked(failed)
	if failed.str("err_type") == "" || failed["attempt"] != 1.0 || failed["job"] != float64(failing.Jobs[0].Seq) {
		t.Errorf("the failed send's line lacks its error type, attempt or job: %v", failed)
	}
	refused := one("refused delivery", find(lines, "webhook delivery failed", "session", id, "endpoint", "crm", "event", "message.received", "err_type", "http_5xx"))
	if refused["status"] != 503.0 || refused["attempt"] != 1.0 {
		t.Errorf("the refused delivery's line lacks its status or attempt: %v", refused)
	}

	// (c) One trace from the inbound message to its reply's send and ack.
	trace := in.ID
	received := one("inbound message", find(lines, "message received", "session", id, "msg_id", in.ID))
	masked(received)
	sentLine := one("reply sent", find(lines, "message sent", "session", id, "msg_id", reply.MsgID))
	masked(sentLine)
	for what, l := range map[string]logLine{
		"message received":                   received,
		"refused delivery":                   refused,
		"delivered message.received":         one("delivered message.received", find(lines, "webhook delivered", "event", "message.received")),
		"reply queued":                       one("reply queued", find(lines, "send queued", "msg_id", reply.MsgID)),
		"reply sent":                         sentLine,
		"reply ack":                          one("reply ack", find(lines, "ack", "msg_id", reply.MsgID)),
		"delivered outbox.sent of the reply": one("delivered outbox.sent", find(lines, "webhook delivered", "event", "outbox.sent")),
	} {
		if l.str("trace") != trace {
			t.Errorf("%s has trace %q; want the inbound message's %q: %v", what, l.str("trace"), trace, l)
		}
	}
	for _, l := range lines {
		if id := l.str("msg_id"); (id == in.ID || id == reply.MsgID) && l.str("trace") != trace {
			t.Errorf("a line about the message or its reply has trace %q; want %q: %v", l.str("trace"), trace, l)
		}
	}
}

// The console logs text to its file in the data dir, masked like serve's.
func TestConsoleLogsTextToItsFile(t *testing.T) {
	dir := t.TempDir()
	c := startConsole(t, "--demo", "--data-dir", dir, "--sim-addr", freeAddr(t))
	// The demo's phone pairs by itself.
	c.waitScreen(t, 60*time.Second, "the demo session paired", c.has("Paired with +15550123456"))
	c.TTY.Write([]byte("q"))
	c.exitScreen(t, 20*time.Second, "the console did not quit on q")
	b, err := os.ReadFile(filepath.Join(dir, "waconsole.log"))
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, want := range []string{"level=INFO msg=started", "mode=console", "msg=ready session=demo from=SYNCING to=READY", `account=+155…56`, `msg="stopped cleanly"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the console's log has no %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "15550123456") || strings.Contains(out, `{"time"`) {
		t.Errorf("the console's log holds the demo's number or JSON:\n%s", out)
	}
}
