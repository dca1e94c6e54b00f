package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// An operator turns reply-first on, sees a cold send held with its reason,
// answers a contact's message with --reply-to, and finds the reply in the
// outbox listing.
func TestReplyCLI(t *testing.T) {
	url, sim := startSim(t, 0.05)
	dir := t.TempDir()
	startServe(t, dir, url)
	const phone, contact = "15552220301", "15558880301"
	cli(t, "session", "add", "rp", "--data-dir", dir)
	pairByCLI(t, dir, "rp", phone, sim)

	if out, errOut, code := cli(t, "session", "set", "rp", "--reply-first", "24h", "--data-dir", dir); code != 0 || !strings.Contains(out, "reply-first 24h") {
		t.Fatalf("session set --reply-first 24h: exit %d: %s %s", code, out, errOut)
	}
	if _, errOut, code := cli(t, "session", "set", "rp", "--reply-first", "soon", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "24h") {
		t.Fatalf("session set --reply-first soon: exit %d: %s", code, errOut)
	}
	out, errOut, code := cli(t, "send", "--session", "rp", "--to", contact, "--text", "cold open", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "held: reply-first: "+contact+"@c.us has not written in 24h") {
		t.Fatalf("a cold send: exit %d: %s %s", code, out, errOut)
	}

	if err := sim.Inbound(context.Background(), phone, contact, "are you there?", 1); err != nil {
		t.Fatal(err)
	}
	var in []string
	waitFor(t, 20*time.Second, "the contact's message in the inbox", func() bool {
		msgs := inboxJSON(t, dir, "rp")
		if len(msgs) == 1 {
			in = []string{msgs[0].ID, msgs[0].Chat}
		}
		return len(msgs) == 1
	})
	if _, errOut, code := cli(t, "send", "--session", "rp", "--to", in[1], "--text", "yes", "--reply-to", "3A0000000000000000NO", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "has not received that message") {
		t.Fatalf("a reply to a message never received: exit %d: %s", code, errOut)
	}
	if out, errOut, code := cli(t, "send", "--session", "rp", "--to", in[1], "--text", "yes, here", "--reply-to", in[0], "--data-dir", dir); code != 0 || strings.Contains(out, "held") {
		t.Fatalf("a reply: exit %d: %s %s", code, out, errOut)
	}
	if out, _, code := cli(t, "outbox", "rp", "--data-dir", dir); code != 0 || !strings.Contains(out, "reply to "+in[0]) || !strings.Contains(out, "held") {
		t.Fatalf("outbox lists no reply or no held job: exit %d:\n%s", code, out)
	}
	if out, _, _ := cli(t, "session", "show", "rp", "--data-dir", dir); !strings.Contains(out, "policy     reply-first 24h") {
		t.Fatalf("session show names no reply-first:\n%s", out)
	}
	if out, _, code := cli(t, "session", "set", "rp", "--reply-first", "off", "--data-dir", dir); code != 0 || !strings.Contains(out, "reply-first off") {
		t.Fatalf("session set --reply-first off: exit %d: %s", code, out)
	}
}
