package session

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/waconsole/waconsole/store"
)

// DoctorInfo is what `waconsole doctor` tells about the data dir and the
// browser before it checks the sessions.
type DoctorInfo struct {
	DataDir     string
	Store       string // the store file
	StoreSize   int64  // bytes
	SearchOrder []string
	Browser     string // the executable found on PATH (or given with --chrome)
	Binary      string // the browser that runs: the real binary behind a launcher script
	Version     string
	Go          string
	OS          string // GOOS/GOARCH
}

// BrowserCheck is what doctor found for one session's browser.
type BrowserCheck struct {
	Session       string // empty: no session exists, waconsole's own settings were checked
	Flags         []string
	Proxy         string // masked
	UserAgent     string // the one in effect
	Profile       string
	ProfileExists bool
	ProfileSize   int64
	OK            bool
	Took          time.Duration // to start, open about:blank and close
	Error         string        // what happened and what to do
}

// doctorTimeout bounds one browser check.
const doctorTimeout = 30 * time.Second

// Doctor checks the browsers of the sessions of one data dir.
type Doctor struct {
	Driver  *ChromeDriver
	DataDir string
	Store   string // path of the store file
}

// Info describes the data dir and the browser.
func (d Doctor) Info() DoctorInfo {
	info := DoctorInfo{
		DataDir: d.DataDir, Store: d.Store, SearchOrder: append([]string(nil), chromeNames...),
		Browser: launcherOf(d.Driver.execPath), Binary: d.Driver.execPath, Version: d.Driver.version,
		Go: goruntime.Version(), OS: goruntime.GOOS + "/" + goruntime.GOARCH,
	}
	if st, err := os.Stat(d.Store); err == nil {
		info.StoreSize = st.Size()
	}
	return info
}

// Check checks each session's browser in turn, on a throwaway profile (the
// live one may be held by a running session), and sends each result as it
// completes; the channel closes after the last. With no session, it checks
// waconsole's own settings.
func (d Doctor) Check(ctx context.Context, sessions []store.Session) <-chan BrowserCheck {
	out := make(chan BrowserCheck)
	if len(sessions) == 0 {
		sessions = []store.Session{{}}
	}
	go func() {
		defer close(out)
		for _, s := range sessions {
			c := d.check(ctx, s)
			select {
			case out <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func (d Doctor) check(ctx context.Context, s store.Session) BrowserCheck {
	c := BrowserCheck{Session: s.ID, Proxy: MaskProxy(s.Browser.Proxy), UserAgent: s.Browser.UserAgent}
	if c.UserAgent == "" {
		c.UserAgent = d.Driver.userAgent
	}
	profile := filepath.Join(d.DataDir, "profiles", "ID") // with no session, what one would get
	if s.ID != "" {
		c.Profile = filepath.Join(d.DataDir, "profiles", s.ID)
		c.ProfileSize, c.ProfileExists = dirSize(c.Profile)
		profile = c.Profile
	}
	var err error
	if c.Flags, err = d.Driver.Flags(profile, s.Browser); err != nil {
		c.Error = fmt.Sprintf("the settings cannot start a browser: %v", err)
		return c
	}
	c.Took, err = d.Driver.startOnce(ctx, s.Browser)
	if err != nil {
		fix := "check that `" + d.Driver.execPath + " --version` runs"
		if len(s.Browser.Flags) > 0 {
			fix = "an extra flag may be at fault: try `waconsole session set " + s.ID + " --chrome-flags-clear`, or " + fix
		}
		c.Error = fmt.Sprintf("the browser did not start with these flags: %v; %s", err, fix)
		return c
	}
	c.OK = true
	return c
}

// startOnce starts the browser with a session's settings on a throwaway
// profile, opens about:blank and closes it, and says how long that took.
func (d *ChromeDriver) startOnce(ctx context.Context, b BrowserSettings) (time.Duration, error) {
	proxy, err := browserProxy(b)
	if err != nil {
		return 0, err
	}
	profile, err := os.MkdirTemp("", "waconsole-doctor-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(profile)
	defer killProfileProcesses(profile)
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	began := time.Now()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, d.allocatorOptions(d.flags(profile, b, proxy))...)
	defer cancelAlloc()
	// A browser that dies at once makes chromedp log a broken pipe; the
	// error returned says what happened.
	quiet := func(string, ...any) {}
	tab, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithErrorf(quiet))
	defer cancelTab()
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return 0, fmt.Errorf("no answer within %s", doctorTimeout)
		}
		return 0, err
	}
	if err := chromedp.Cancel(tab); err != nil {
		return 0, fmt.Errorf("closing it: %w", err)
	}
	return time.Since(began), nil
}

// launcherOf is the launcher script on PATH that runs binary, or binary
// itself when it was found directly.
func launcherOf(binary string) string {
	for launcher, bin := range launchers {
		if bin == binary {
			if _, err := os.Stat(launcher); err == nil {
				return launcher
			}
		}
	}
	return binary
}

// dirSize sums the sizes of the files under dir; false when dir is missing.
func dirSize(dir string) (int64, bool) {
	if _, err := os.Stat(dir); err != nil {
		return 0, false
	}
	var size int64
	_ = filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil // a file the browser removed meanwhile
		}
		if info, ierr := e.Info(); ierr == nil && info.Mode().IsRegular() {
			size += info.Size()
		}
		return nil
	})
	return size, true
}

// Doctor checks the browsers of every session, or of session id alone.
func (m *Manager) Doctor(ctx context.Context, id string) (DoctorInfo, <-chan BrowserCheck, error) {
	d, ok := m.cfg.Driver.(*ChromeDriver)
	if !ok {
		return DoctorInfo{}, nil, errors.New("doctor checks Chromium only: this waconsole runs another browser driver")
	}
	sessions, err := m.cfg.Store.ListSessions()
	if err != nil {
		return DoctorInfo{}, nil, err
	}
	if id != "" {
		if _, err := m.actor(id); err != nil {
			return DoctorInfo{}, nil, err
		}
		sessions = slices.DeleteFunc(sessions, func(s store.Session) bool { return s.ID != id })
		if len(sessions) == 0 {
			return DoctorInfo{}, nil, errorf(ErrUnknownSession, "no session %q: list them with `waconsole status`", id)
		}
	}
	doc := Doctor{Driver: d, DataDir: m.cfg.DataDir, Store: m.cfg.Store.Path()}
	return doc.Info(), doc.Check(ctx, sessions), nil
}
