package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/store"
)

const doctorUsage = `usage: waconsole doctor [SESSION] [--json] [--chrome PATH]

Prints the data dir, the store, which browser runs and where it was looked
for; then, for each session (or SESSION alone), the browser's binary and
version, the full flag list it starts with (the proxy password masked), the
profile dir and its size, and checks that the browser starts with those
flags: on a throwaway profile it opens about:blank and closes. Exit 1 when a
check fails. When a console or serve runs on the data dir, it runs the
checks; otherwise the store is read directly (--chrome then picks the browser,
as for serve).`

func cmdDoctor(args []string, stdout io.Writer) error {
	fs := newFlagSet("doctor", doctorUsage)
	var f flags
	f.client(fs)
	f.json(fs)
	fs.StringVar(&f.chrome, "chrome", "", "the browser to check when no waconsole runs on the data dir (default: as serve finds it)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return errors.New(doctorUsage)
	}
	id := ""
	if len(pos) == 1 {
		id = pos[0]
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	p := &doctorPrinter{w: stdout, asJSON: f.asJSON, by: "the waconsole that runs on the data dir"}
	err = f.api().Doctor(ctx, id, p.line)
	if errors.Is(err, api.ErrNoServer) {
		p.by = "this command: no waconsole runs on the data dir, the store was read directly"
		err = doctorHere(ctx, f.dir(), f.chrome, id, p.line)
	}
	if err != nil {
		return exitError{1, err.Error()}
	}
	if !p.done || !p.ok {
		return exitError{code: 1}
	}
	return nil
}

// doctorHere runs the doctor in this process, on a data dir nothing holds.
func doctorHere(ctx context.Context, dir, chrome, id string, fn func(api.DoctorLine) error) error {
	path, err := session.FindChrome(chrome)
	if err != nil {
		return err
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return err
	}
	sessions, err := readSessions(dir)
	if err != nil {
		return err
	}
	if id != "" {
		sessions = slices.DeleteFunc(sessions, func(s store.Session) bool { return s.ID != id })
		if len(sessions) == 0 {
			return fmt.Errorf("no session %q in data dir %s: list them with `waconsole status`", id, dir)
		}
	}
	doc := session.Doctor{Driver: session.NewChromeDriver(path), DataDir: dir, Store: storePath(dir)}
	info := api.FromDoctorInfo(doc.Info())
	if err := fn(api.DoctorLine{Info: &info}); err != nil {
		return err
	}
	ok := true
	for c := range doc.Check(ctx, sessions) {
		wc := api.FromBrowserCheck(c)
		ok = ok && c.OK
		if err := fn(api.DoctorLine{Check: &wc}); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fn(api.DoctorLine{Done: true, OK: ok})
}

// readSessions reads the sessions of a data dir that no process holds;
// none when it has no store yet (nothing is created).
func readSessions(dir string) ([]store.Session, error) {
	path := storePath(dir)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	db, err := store.Open(path, store.Options{Timeout: time.Second})
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("%w\na process holds data dir %s without answering on its socket; find it with: fuser -v %s", err, dir, path)
	}
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.ListSessions()
}

// doctorPrinter prints the doctor's stream as it arrives: the global
// section, then one line per session as its check completes, with its
// details under it.
type doctorPrinter struct {
	w        io.Writer
	asJSON   bool
	by       string
	checked  int
	failed   int
	done, ok bool
	// From the info line, repeated under each session.
	browser, version string
}

func (p *doctorPrinter) line(l api.DoctorLine) error {
	if l.Done {
		p.done, p.ok = true, l.OK
	}
	if p.asJSON {
		return json.NewEncoder(p.w).Encode(l)
	}
	switch {
	case l.Info != nil:
		i := l.Info
		browser := i.Browser
		if i.Binary != i.Browser {
			browser += " -> " + i.Binary
		}
		fmt.Fprintf(p.w, "data dir      %s\nstore         %s (%s)\nbrowser       %s (%s)\nsearch order  %s on PATH, unless --chrome is given\ngo            %s %s\nchecked by    %s\n\n",
			i.DataDir, i.Store, sizeText(i.StoreSize), browser, versionText(i.Version), strings.Join(i.SearchOrder, ", "), i.Go, i.OS, p.by)
		p.browser, p.version = browser, versionText(i.Version)
	case l.Check != nil:
		p.printCheck(*l.Check)
	case l.Done && p.failed == 0:
		fmt.Fprintf(p.w, "every browser started (%d checked)\n", p.checked)
	case l.Done:
		fmt.Fprintf(p.w, "%d of %d browsers did not start: see above what to do\n", p.failed, p.checked)
	}
	return nil
}

func (p *doctorPrinter) printCheck(c api.BrowserCheck) {
	p.checked++
	name := "session " + c.Session
	if c.Session == "" {
		name = "no session yet: waconsole's own settings"
	}
	if c.OK {
		fmt.Fprintf(p.w, "%s: ok, started and closed in %s\n", name, time.Duration(c.Took).Round(time.Millisecond))
	} else {
		p.failed++
		fmt.Fprintf(p.w, "%s: FAILED: %s\n", name, c.Error)
	}
	profile := "each session's own, under the data dir"
	switch {
	case c.Profile == "":
	case c.ProfileExists:
		profile = c.Profile + " (" + sizeText(c.ProfileSize) + ")"
	default:
		profile = c.Profile + " (not created yet: the session never started)"
	}
	proxy := c.Proxy
	if proxy == "" {
		proxy = "none"
	}
	fmt.Fprintf(p.w, "  browser     %s (%s)\n  profile     %s\n  proxy       %s\n  user agent  %s\n  flags       %s\n\n",
		p.browser, p.version, profile, session.MaskProxy(proxy), c.UserAgent, strings.Join(c.Flags, "\n              "))
}

func versionText(v string) string {
	if v == "" {
		return "version unknown: it did not answer --version"
	}
	return "Chromium " + v
}

// sizeText is a size in bytes as people read it.
func sizeText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
