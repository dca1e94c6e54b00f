package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

// osc52 would set the operator's clipboard if a terminal saw it raw.
const osc52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, ünïcode ✓": "plain text, ünïcode ✓",
		osc52:                   `\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07`,
		"csi \u009b2J del \x7f": `csi \x9b2J del \x7f`,
		"raw \x9b byte":         `raw \x9b byte`,
		"kept \uFFFD":           "kept \uFFFD",
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
	if got := oneLine("a\tb\nc"+osc52, 12); got != `a b c\x1b]5…` {
		t.Errorf("oneLine = %q", got)
	}
}

// What outsiders wrote (message bodies, chat names, message ids) reaches
// the terminal with its control characters made visible, in every listing
// that prints it.
func TestListingsEscapeOutsiderText(t *testing.T) {
	dir := t.TempDir()
	f := sessiontest.New()
	if _, err := f.Add(session.AddRequest{ID: "s1"}); err != nil {
		t.Fatal(err)
	}
	s := f.Snapshots["s1"]
	s.State = session.Ready
	f.Snapshots["s1"] = s
	now := time.Now()
	chat := "15550001111@c.us"
	f.InboxOf["s1"] = []session.InboundMessage{{Session: "s1", ID: "ID" + osc52, Chat: chat, Body: "invoice " + osc52, Received: now}}
	f.ChatsOf["s1"] = []session.Chat{{ID: chat, Name: "Ana" + osc52}}
	f.DrainsOf["s1"] = session.DrainInfo{Total: 1, Chats: []session.DrainChat{
		{ID: chat, Name: "Ana" + osc52, Count: 1, Left: 1, Oldest: now, Preview: "invoice " + osc52},
	}}
	serveFake(t, dir, f)
	for _, args := range [][]string{{"inbox", "s1"}, {"search", "s1", "invoice"}, {"drain", "s1"}} {
		var stdout, stderr bytes.Buffer
		if code := Main(append(args, "--data-dir", dir), &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d, %s", args, code, stderr.String())
		}
		out := stdout.String()
		if strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, `\x1b]52`) {
			t.Errorf("%v printed %q: want the escape sequence made visible", args, out)
		}
	}
}
