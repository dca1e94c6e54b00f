package main

import (
	"context"
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
)

// inboxJSON runs `waconsole inbox` with --json and decodes its answer.
func inboxJSON(t *testing.T, dir string, args ...string) []api.InboundMessage {
	t.Helper()
	out, errOut, code := cli(t, append([]string{"inbox", "--json", "--data-dir", dir}, args...)...)
	if code != 0 {
		t.Fatalf("inbox %v: exit %d: %s", args, code, errOut)
	}
	var list api.InboxList
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("inbox --json printed %q: %v", out, err)
	}
	return list.Messages
}

// Inbound messages are listed by `inbox`, by chat and by time, and are
// still there after the server is killed and started again.
func TestInboxCLI(t *testing.T) {
	url, sim := startSim(t, 0.05)
	dir := t.TempDir()
	srv := startServe(t, dir, url)
	const phone, from = "15552220101", "15558880201"
	cli(t, "session", "add", "in", "--data-dir", dir)
	pairByCLI(t, dir, "in", phone, sim)
	ctx := context.Background()
	if err := sim.Inbound(ctx, phone, from, "hello inbox", 3); err != nil {
		t.Fatal(err)
	}
	if err := sim.Inbound(ctx, phone, "15558880202", "someone else", 1); err != nil {
		t.Fatal(err)
	}
	var all []api.InboundMessage
	waitFor(t, 20*time.Second, "4 messages in the inbox", func() bool { all = inboxJSON(t, dir, "in"); return len(all) == 4 })

	// The stand-in plays the current page: the contact writes from its LID chat.
	chat := all[0].Chat
	byChat := inboxJSON(t, dir, "in", "--chat", chat)
	if len(byChat) != 3 || byChat[0].Body != "hello inbox #1" || byChat[2].Body != "hello inbox #3" {
		t.Fatalf("inbox --chat %s: %+v, want its 3 messages oldest first", chat, byChat)
	}
	if got := inboxJSON(t, dir, "in", "--since", time.Now().Add(time.Minute).UTC().Format(time.RFC3339)); len(got) != 0 {
		t.Fatalf("inbox --since a minute ahead: %+v", got)
	}
	if got := inboxJSON(t, dir, "in", "--since", "1h"); len(got) != 4 {
		t.Fatalf("inbox --since 1h: %d messages, want 4", len(got))
	}
	out, _, code := cli(t, "inbox", "in", "--data-dir", dir)
	if code != 0 || strings.Count(out, "\n") != 4 || !strings.Contains(out, "someone else") {
		t.Fatalf("inbox as text: exit %d:\n%s", code, out)
	}
	out, errOut, code := cli(t, "search", "in", "HELLO", "#2", "--json", "--data-dir", dir)
	var found api.SearchList
	if code != 0 || json.Unmarshal([]byte(out), &found) != nil || len(found.Hits) != 1 || found.Hits[0].Message.Body != "hello inbox #2" {
		t.Fatalf("search in HELLO #2: exit %d: %s %s", code, out, errOut)
	}
	if out, _, code := cli(t, "search", "in", "hello", "--chat", chat, "--data-dir", dir); code != 0 || strings.Count(out, "\n") != 3 || !strings.Contains(out, "hello inbox #3") {
		t.Fatalf("search in hello --chat: exit %d:\n%s", code, out)
	}
	if _, errOut, code := cli(t, "inbox", "in", "--since", "yesterday", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "RFC 3339") {
		t.Fatalf("inbox --since yesterday: exit %d: %s", code, errOut)
	}
	if out, _, code := cli(t, "status", "--data-dir", dir); code != 0 || !strings.Contains(out, "INBOX") || !strings.Contains(out, "4/") {
		t.Fatalf("status shows no inbox size: exit %d:\n%s", code, out)
	}
	if out, errOut, code := cli(t, "session", "set", "in", "--inbox-retention", "48h", "--inbox-keep-own", "--data-dir", dir); code != 0 || !strings.Contains(out, "keeps own yes") || !strings.Contains(out, "retention 48h0m0s") {
		t.Fatalf("session set --inbox-…: exit %d: %s %s", code, out, errOut)
	}

	srv.signal(syscall.SIGKILL)
	srv.wait(t, 5*time.Second)
	waitFor(t, 5*time.Second, "Chromium to die with the killed server", func() bool { return browsers(dir) == 0 })
	startServe(t, dir, url)
	if got := inboxJSON(t, dir, "in"); len(got) != 4 {
		t.Fatalf("after a SIGKILL the inbox holds %d messages, want 4", len(got))
	}
	if out, _, _ := cli(t, "session", "show", "in", "--data-dir", dir); !strings.Contains(out, "4 stored") || !strings.Contains(out, "retention 48h0m0s") {
		t.Fatalf("session show after the restart:\n%s", out)
	}
}
