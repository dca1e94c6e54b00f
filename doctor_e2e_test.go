package main

import (
	"bufio"
	"context"
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/internal/authproxy"
	"github.com/waconsole/waconsole/session"
)

// An operator gives a session a proxy with a login, a user agent and an
// extra flag; the session reaches its QR code through the proxy; show, set
// and doctor (with serve running and without) tell what the browser runs
// with. No password shows in any output, API answer or the serve log.
func TestBrowserSettingsAndDoctor(t *testing.T) {
	url, _ := startSim(t, 0.05)
	const password, wrong = "Pr0xy-s3cret", "Wr0ng-s3cret"
	const ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36 e2e"
	px, err := authproxy.Start("ops", password)
	if err != nil {
		t.Fatal(err)
	}
	defer px.Close()
	masked := "http://ops:***@" + px.Addr()
	dir := t.TempDir()
	srv := startServe(t, dir, url)
	var outputs []string
	run := func(args ...string) (string, int) {
		t.Helper()
		out, errOut, code := cli(t, append(args, "--data-dir", dir)...)
		outputs = append(outputs, out, errOut)
		return out + errOut, code
	}

	out, code := run("session", "add", "shop", "--proxy", px.URL("ops", password), "--user-agent", ua, "--chrome-flag", "--disable-notifications", "--start")
	if code != 0 || !strings.Contains(out, "proxy "+masked) {
		t.Fatalf("session add: exit %d\n%s", code, out)
	}
	waitFor(t, 30*time.Second, "shop to show a QR code through the proxy", func() bool {
		st, _ := status(t, dir)
		return len(st.Sessions) == 1 && st.Sessions[0].State == string(session.QR)
	})
	pageSeen := false
	for _, r := range px.Seen() {
		pageSeen = pageSeen || strings.HasPrefix(r.URL, url)
		if r.UserAgent != ua {
			t.Errorf("%s %s went through the proxy with user agent %q", r.Method, r.URL, r.UserAgent)
		}
	}
	if !pageSeen {
		t.Fatalf("the proxy never saw the stand-in's page: %+v", px.Seen())
	}

	if out, _ := run("session", "show", "shop"); !strings.Contains(out, `browser    proxy `+masked+`, user agent "`+ua+`", extra flags --disable-notifications`) {
		t.Errorf("session show:\n%s", out)
	}
	if out, code := run("session", "set", "shop", "--chrome-flag", "--lang=de"); code != 0 || !strings.Contains(out, "restart the session to apply them") {
		t.Errorf("session set on a running session: exit %d\n%s", code, out)
	}
	if out, code := run("session", "set", "shop", "--chrome-flag", "--remote-debugging-port=9222"); code != 1 || !strings.Contains(out, "debugging pipe") {
		t.Errorf("a managed flag: exit %d\n%s", code, out)
	}

	if _, code := run("session", "add", "bad", "--proxy", px.URL("ops", wrong), "--start"); code != 0 {
		t.Fatalf("session add bad: exit %d", code)
	}
	waitFor(t, 30*time.Second, "bad to fail on the refused login", func() bool {
		st, _ := status(t, dir)
		for _, s := range st.Sessions {
			if s.ID == "bad" && s.State == string(session.Failed) {
				if !strings.Contains(s.LastError, masked) {
					t.Fatalf("bad failed with %q, not naming %s", s.LastError, masked)
				}
				return true
			}
		}
		return false
	})

	out, code = run("doctor")
	for _, want := range []string{"checked by    the waconsole that runs on the data dir", "session bad: ok", "session shop: ok",
		"proxy       " + masked, "--proxy-server=http://" + px.Addr(), "--lang=de", "--user-agent=" + ua, "every browser started (2 checked)"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor lacks %q:\n%s", want, out)
		}
	}
	if code != 0 {
		t.Errorf("doctor exited %d", code)
	}
	out, code = run("doctor", "shop", "--json")
	var last api.DoctorLine
	lines := 0
	for sc := bufio.NewScanner(strings.NewReader(out)); sc.Scan(); lines++ {
		if err := json.Unmarshal(sc.Bytes(), &last); err != nil {
			t.Fatalf("doctor --json line %q: %v", sc.Text(), err)
		}
	}
	if code != 0 || lines != 3 || !last.Done || !last.OK {
		t.Errorf("doctor shop --json: exit %d, %d lines, last %+v", code, lines, last)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, id := range []string{"shop", "bad"} {
		evs, err := api.NewClient(dir).Events(ctx, id, 100)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(evs)
		outputs = append(outputs, string(b))
	}
	st, _ := status(t, dir)
	b, _ := json.Marshal(st)
	outputs = append(outputs, string(b))

	srv.signal(syscall.SIGTERM)
	if code := srv.wait(t, 15*time.Second); code != 0 {
		t.Fatalf("serve exited %d", code)
	}
	out, code = run("doctor", "bad")
	if code != 0 || !strings.Contains(out, "no waconsole runs on the data dir") || !strings.Contains(out, "session bad: ok") || !strings.Contains(out, masked) {
		t.Errorf("doctor without a server: exit %d\n%s", code, out)
	}
	if out, code := run("doctor", "--chrome", "/bin/false"); code != 1 || !strings.Contains(out, "FAILED: the browser did not start") {
		t.Errorf("doctor with a browser that does not start: exit %d\n%s", code, out)
	}

	outputs = append(outputs, srv.stderr.String())
	for _, text := range outputs {
		if strings.Contains(text, password) || strings.Contains(text, wrong) {
			t.Fatalf("a proxy password shows in:\n%s", text)
		}
	}
}
