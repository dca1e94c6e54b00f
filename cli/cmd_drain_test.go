package cli

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

// serveFake answers the API over f on dir's socket for the test.
func serveFake(t *testing.T, dir string, f *sessiontest.Fake) {
	t.Helper()
	ln, err := api.Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: api.Handler(f, api.Info{Mode: "serve", DataDir: dir})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
}

func TestDrainCommand(t *testing.T) {
	dir := t.TempDir()
	f := sessiontest.New()
	if _, err := f.Add(session.AddRequest{ID: "s1"}); err != nil {
		t.Fatal(err)
	}
	s := f.Snapshots["s1"]
	s.State = session.Ready
	f.Snapshots["s1"] = s
	now := time.Now()
	f.DrainsOf["s1"] = session.DrainInfo{Total: 5, Chats: []session.DrainChat{
		{ID: "15550002222@c.us", Name: "Bo", Count: 2, Left: 2, Oldest: now.Add(-time.Hour), Preview: "are you there?"},
		{ID: "15550001111@c.us", Name: "Ana", Count: 3, Left: 3, Oldest: now.Add(-3 * time.Hour), Preview: "order 66"},
	}}
	serveFake(t, dir, f)
	run := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := Main(append(args, "--data-dir", dir), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	code, out, errOut := run("drain", "s1")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 4 || !strings.Contains(lines[1], "15550001111@c.us") || !strings.Contains(lines[1], "3h") ||
		!strings.Contains(lines[3], "5 messages in 2 chats") {
		t.Fatalf("listing: exit %d, stdout\n%s\nstderr %s\nwant the oldest chat first", code, out, errOut)
	}
	if code, _, errOut = run("drain", "s1", "--action", "read"); code != 1 || !strings.Contains(errOut, "--yes") {
		t.Fatalf("read without confirmation: exit %d, %s", code, errOut)
	}
	if code, _, errOut = run("drain", "s1", "--action", "flood"); code != 1 || !strings.Contains(errOut, "deliver, read, skip") {
		t.Fatalf("a bad action: exit %d, %s", code, errOut)
	}
	// Not a terminal: plain lines, the last one the end.
	code, out, errOut = run("drain", "s1", "--action", "skip", "--chats", "15550001111@c.us", "--rate", "5")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; code != 0 || !strings.HasPrefix(last, "done ") || !strings.Contains(last, "3/3") || !strings.Contains(last, "skipped 3") || strings.Contains(out, "\r") {
		t.Fatalf("skip: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	if code, _, errOut = run("drain", "s1", "--pause"); code != 1 || !strings.Contains(errOut, "cannot pause") {
		t.Fatalf("pausing a finished drain: exit %d, %s", code, errOut)
	}
	if code, _, errOut = run("drain"); code != 1 || !strings.Contains(errOut, "usage: waconsole drain SESSION") {
		t.Fatalf("no session: exit %d, %s", code, errOut)
	}
}

func TestDrainAfterMustBePositive(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"serve", "--drain-after", "0s", "--data-dir", t.TempDir()}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "--drain-after 0s must be more than 0") {
		t.Fatalf("serve --drain-after 0s: exit %d, %s", code, stderr.String())
	}
}
