package session

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/waconsole/waconsole/internal/authproxy"
	"github.com/waconsole/waconsole/internal/procs"
)

// waitUntil polls ok until it holds.
func (e *testEnv) waitUntil(what string, timeout time.Duration, ok func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			e.t.Fatalf("%s did not happen within %s\nlog:\n%s", what, timeout, e.logText())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Browser settings set on a running session apply at its restart: then
// every request goes through the authenticating proxy with the session's
// credentials, the page sees the user agent set, and the extra flag is on
// the browser's command line. A wrong password fails a session at once,
// naming the proxy without the password; a missing one (what a restored
// backup leaves) too, saying how to set it. The password shows nowhere.
func TestBrowserSettingsThroughProxy(t *testing.T) {
	e := newEnv(t)
	const password, wrong = "s3cret-Pw", "wr0ng-Pw"
	px, err := authproxy.Start("ops", password)
	if err != nil {
		t.Fatal(err)
	}
	defer px.Close()

	if _, err := e.m.Add(AddRequest{ID: "px", Start: true}); err != nil {
		t.Fatal(err)
	}
	e.waitState("px", QR, 30*time.Second)
	if n := len(px.Seen()) + px.Refused(); n != 0 {
		t.Fatalf("the proxy saw %d requests of a session without a proxy", n)
	}

	const ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36 waconsole-test"
	const flag = "--disable-notifications"
	s, err := e.m.Set("px", Settings{Browser: &BrowserChange{Proxy: new(px.URL("ops", password)), UserAgent: new(ua), Flags: &[]string{flag}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://ops:***@" + px.Addr(); s.Browser.Proxy != want || s.Browser.UserAgent != ua || strings.Join(s.Browser.Flags, " ") != flag {
		t.Fatalf("the snapshot shows browser %+v, want proxy %s", s.Browser, want)
	}
	if h := history(t, e.m, "px"); !strings.Contains(h, " browser-settings ") {
		t.Fatalf("no browser-settings event: %s", h)
	}
	if evs, _ := e.m.History("px", 1); !strings.Contains(evs[0].Detail, "restart the session to apply") {
		t.Fatalf("the running session was not told to restart: %+v", evs[0])
	}
	if n := len(px.Seen()); n != 0 {
		t.Fatalf("the running browser used the new proxy before a restart (%d requests)", n)
	}

	if err := e.m.Restart("px"); err != nil {
		t.Fatal(err)
	}
	e.waitUntil("a QR code through the proxy", 30*time.Second, func() bool {
		s, _ := e.m.Get("px")
		return s.State == QR && s.QR.Payload != "" && len(px.Seen()) > 0
	})
	pageSeen := false
	for _, r := range px.Seen() {
		pageSeen = pageSeen || (r.Method == "GET" && strings.HasPrefix(r.URL, e.url))
		if r.UserAgent != ua {
			t.Errorf("request %s %s went with user agent %q", r.Method, r.URL, r.UserAgent)
		}
	}
	if !pageSeen {
		t.Errorf("the proxy never saw the stand-in's page %s: %+v", e.url, px.Seen())
	}

	a, _ := e.m.actor("px")
	var page *chromePage
	_ = a.do(func() error { page, _ = a.page.(*chromePage); return nil })
	if page == nil {
		t.Fatal("no page after the restart")
	}
	if got, err := chromedp.Run(page.ctx, chromedp.Evaluate[string]("navigator.userAgent")); err != nil || got != ua {
		t.Errorf("navigator.userAgent = %q (%v), want %q", got, err, ua)
	}
	var main *procs.Proc
	for _, p := range procs.WithArgPrefix("--user-data-dir=" + filepath.Join(e.dir, "profiles", "px")) {
		if !p.HasArgPrefix("--type=") {
			main = &p
		}
	}
	if main == nil {
		t.Fatal("no browser process for the session")
	}
	for _, want := range []string{flag, "--proxy-server=http://" + px.Addr(), "--proxy-bypass-list=<-loopback>", "--user-agent=" + ua} {
		if !main.HasArg(want) {
			t.Errorf("the browser's command line lacks %s: %q", want, main.Args)
		}
	}
	if strings.Contains(strings.Join(main.Args, " "), password) {
		t.Errorf("the browser's command line shows the password: %q", main.Args)
	}

	if _, err := e.m.Add(AddRequest{ID: "bad", Start: true, Browser: BrowserSettings{Proxy: px.URL("ops", wrong)}}); err != nil {
		t.Fatal(err)
	}
	failed := e.waitState("bad", Failed, 30*time.Second)
	if want := "proxy http://ops:***@" + px.Addr(); !strings.Contains(failed.LastError, want) || !strings.Contains(failed.LastError, "407") {
		t.Errorf("the failed session says %q, want it to name %s and the 407", failed.LastError, want)
	}
	if _, err := e.m.Add(AddRequest{ID: "nopw", Start: true, Browser: BrowserSettings{Proxy: "http://ops@" + px.Addr()}}); err != nil {
		t.Fatal(err)
	}
	failed = e.waitState("nopw", Failed, 30*time.Second)
	if want := "if the proxy needs one, set it with `waconsole session set nopw --proxy http://ops:PASSWORD@" + px.Addr() + "`"; !strings.Contains(failed.LastError, "proxy http://ops@"+px.Addr()+" answered 407") || !strings.Contains(failed.LastError, want) {
		t.Errorf("the session without a proxy password says %q, want it to name the proxy and say %s", failed.LastError, want)
	}
	// A proxy configured with a token as its user has no password either:
	// the message must not blame a backup alone.
	if want := "if the user alone is its credential, the proxy refused it: give the right one with `waconsole session set nopw --proxy URL`"; !strings.Contains(failed.LastError, want) {
		t.Errorf("the session without a proxy password says %q, want it to say %s", failed.LastError, want)
	}

	var shown []string
	for _, id := range []string{"px", "bad"} {
		evs, err := e.m.History(id, 100)
		if err != nil {
			t.Fatal(err)
		}
		snap, _ := e.m.Get(id)
		for _, v := range []any{evs, snap, e.m.List()} {
			b, _ := json.Marshal(v)
			shown = append(shown, string(b))
		}
	}
	shown = append(shown, e.logText())
	for _, text := range shown {
		if strings.Contains(text, password) || strings.Contains(text, wrong) {
			t.Fatalf("a password shows in:\n%s", text)
		}
	}
}
