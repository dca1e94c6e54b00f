package session

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/internal/procs"
	"github.com/waconsole/waconsole/store"
)

// Doctor checks every session's browser on a throwaway profile, the running
// one's too, and reports each with its flags, the proxy masked.
func TestDoctorChecksEachSession(t *testing.T) {
	e := newEnv(t)
	proxy := "http://ops:s3cret-Pw@127.0.0.1:9"
	if _, err := e.m.Add(AddRequest{ID: "d1", Start: true, Browser: BrowserSettings{Flags: []string{"--disable-notifications"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.Add(AddRequest{ID: "d2", Browser: BrowserSettings{Proxy: proxy, UserAgent: "UA/1"}}); err != nil {
		t.Fatal(err)
	}
	e.waitState("d1", QR, 30*time.Second)

	info, checks, err := e.m.Doctor(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if info.DataDir != e.dir || info.Store != filepath.Join(e.dir, "waconsole.db") || info.StoreSize == 0 || info.Binary == "" ||
		info.Version == "" || info.SearchOrder[0] != "chromium-headless-shell" || info.Go == "" {
		t.Errorf("info %+v", info)
	}
	var got []BrowserCheck
	for c := range checks {
		got = append(got, c)
	}
	if len(got) != 2 || got[0].Session != "d1" || got[1].Session != "d2" {
		t.Fatalf("checked %+v, want d1 and d2", got)
	}
	for _, c := range got {
		if !c.OK || c.Took <= 0 || c.Error != "" {
			t.Errorf("%s: ok %v in %s, error %q", c.Session, c.OK, c.Took, c.Error)
		}
		if !slices.Contains(c.Flags, "--user-data-dir="+filepath.Join(e.dir, "profiles", c.Session)) {
			t.Errorf("%s: flags %q name another profile", c.Session, c.Flags)
		}
	}
	if d1 := got[0]; !d1.ProfileExists || d1.ProfileSize == 0 || d1.Flags[len(d1.Flags)-1] != "--disable-notifications" || d1.Proxy != "" {
		t.Errorf("d1: %+v", d1)
	}
	d2 := got[1]
	if d2.ProfileExists || d2.Proxy != "http://ops:***@127.0.0.1:9" || d2.UserAgent != "UA/1" ||
		!slices.Contains(d2.Flags, "--proxy-server=http://127.0.0.1:9") || strings.Contains(strings.Join(d2.Flags, " "), "s3cret") {
		t.Errorf("d2: %+v", d2)
	}
	if s, _ := e.m.Get("d1"); s.State != QR {
		t.Errorf("the check disturbed the running session: %s", s.State)
	}
	if n := len(procs.WithArgPrefix("--user-data-dir=" + filepath.Join(os.TempDir(), "waconsole-doctor-"))); n != 0 {
		t.Errorf("%d browsers of the checks are left", n)
	}

	if _, _, err := e.m.Doctor(context.Background(), "nope"); err == nil {
		t.Error("doctor of an unknown session did not fail")
	}
	broken := Doctor{Driver: NewChromeDriver("/bin/false"), DataDir: e.dir, Store: filepath.Join(e.dir, "waconsole.db")}
	c := <-broken.Check(context.Background(), []store.Session{{ID: "d1", Browser: BrowserSettings{Flags: []string{"--lang=de"}}}})
	if c.OK || !strings.Contains(c.Error, "did not start") || !strings.Contains(c.Error, "--chrome-flags-clear") {
		t.Errorf("a browser that does not start: %+v", c)
	}
}
