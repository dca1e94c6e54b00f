package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
)

// overTCP runs one client command against the API over TCP at addr with key.
func overTCP(t *testing.T, addr, key string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	p := startEnv(t, []string{"WACONSOLE_API=http://" + addr, "WACONSOLE_API_KEY=" + key}, args...)
	code = p.wait(t, 60*time.Second)
	return p.stdout.String(), p.stderr.String(), code
}

// A worker on another host reads a session's inbox, answers and follows the
// outbox over TCP with a key limited to that session; a read key sends
// nothing; the key never reaches the log.
func TestWorkerOverTCP(t *testing.T) {
	url, sim := startSim(t, 0.05)
	dir := t.TempDir()
	addr := freeAddr(t)
	srv := startServe(t, dir, url, "--listen", addr)
	const phone, customer = "15552220301", "15558880301"
	for _, id := range []string{"shop", "support"} {
		cli(t, "session", "add", id, "--data-dir", dir)
	}
	pairByCLI(t, dir, "shop", phone, sim)
	cli(t, "session", "set", "shop", "--min-gap", "0s", "--jitter-min", "0s", "--jitter", "0s", "--chat-gap", "0s", "--data-dir", dir)
	key := func(args ...string) string {
		out, errOut, code := cli(t, append([]string{"apikey", "create", "--json", "--data-dir", dir}, args...)...)
		var k api.NewAPIKey
		if code != 0 || json.Unmarshal([]byte(out), &k) != nil {
			t.Fatalf("apikey create %v: exit %d, %q %s", args, code, out, errOut)
		}
		return k.Key
	}
	worker, reader := key("worker", "--role", "operate", "--sessions", "shop"), key("reader", "--role", "read")

	if err := sim.Inbound(context.Background(), phone, customer, "where is my order?", 1); err != nil {
		t.Fatal(err)
	}
	var inbound api.InboundMessage
	waitFor(t, 20*time.Second, "the message in the inbox over TCP", func() bool {
		out, errOut, code := overTCP(t, addr, worker, "inbox", "shop", "--json")
		var list api.InboxList
		if code != 0 || json.Unmarshal([]byte(out), &list) != nil {
			t.Fatalf("inbox over TCP: exit %d, %q %s", code, out, errOut)
		}
		if len(list.Messages) == 1 {
			inbound = list.Messages[0]
		}
		return len(list.Messages) == 1
	})
	if out, errOut, code := overTCP(t, addr, worker, "send", "--session", "shop", "--to", inbound.Chat, "--text", "shipped today", "--reply-to", inbound.ID); code != 0 || !strings.Contains(out, "queued job") {
		t.Fatalf("send over TCP: exit %d, %q %s", code, out, errOut)
	}
	waitFor(t, 30*time.Second, "the answer sent, as the outbox over TCP shows", func() bool {
		out, errOut, code := overTCP(t, addr, worker, "outbox", "shop", "--json")
		var jobs api.JobList
		if code != 0 || json.Unmarshal([]byte(out), &jobs) != nil {
			t.Fatalf("outbox over TCP: exit %d, %q %s", code, out, errOut)
		}
		return len(jobs.Jobs) == 1 && jobs.Jobs[0].State == "sent" && jobs.Jobs[0].Body == "shipped today"
	})
	sent, err := sim.Sent(context.Background(), phone)
	if err != nil || len(sent) != 1 || sent[0].Body != "shipped today" {
		t.Fatalf("WhatsApp got %+v (%v), want the one answer", sent, err)
	}

	// support is not READY, but the shop key's status is about shop alone.
	if out, errOut, code := overTCP(t, addr, worker, "status"); code != 0 || !strings.Contains(out, "shop") || strings.Contains(out, "support") {
		t.Errorf("status with the shop key: exit %d, %q %s; want shop alone, healthy", code, out, errOut)
	}
	if _, errOut, code := overTCP(t, addr, worker, "outbox", "support"); code != 1 || !strings.Contains(errOut, "not made for that session") {
		t.Errorf("the shop key on support: exit %d, %s", code, errOut)
	}
	if _, errOut, code := overTCP(t, addr, reader, "send", "--session", "shop", "--to", customer, "--text", "x"); code != 1 || !strings.Contains(errOut, "needs role operate") {
		t.Errorf("send with a read key: exit %d, %s", code, errOut)
	}
	if _, errOut, code := overTCP(t, addr, "wac_guess", "status"); code != 1 || !strings.Contains(errOut, "wrong or revoked") {
		t.Errorf("status with a wrong key: exit %d, %s", code, errOut)
	}
	log := srv.stderr.String()
	if !strings.Contains(log, `"url":"http://`+addr+`"`) || strings.Contains(log, worker) || strings.Contains(log, reader) {
		t.Errorf("the serve log should name the TCP address and no key:\n%s", log)
	}
}
