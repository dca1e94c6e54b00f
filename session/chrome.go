package session

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromeNames are the executables looked for on PATH, in order. The headless
// shell comes first: it is Chromium without the desktop browser around it,
// and needs much less memory per session.
var chromeNames = []string{"chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"}

// launchers are scripts that run a browser without exec: the shell would
// stand between us and the browser and take the death signal meant for it,
// so the browser they run is started directly.
var launchers = map[string]string{
	"/usr/bin/chromium-headless-shell": "/usr/lib/chromium/chromium-headless-shell", // Debian
}

// FindChrome returns the browser to run: the given path when set, else the
// first Chromium or Chrome on PATH.
func FindChrome(path string) (string, error) {
	if path != "" {
		p, err := exec.LookPath(path)
		if err != nil {
			return "", fmt.Errorf("--chrome %s: %w", path, err)
		}
		return unwrap(p), nil
	}
	for _, name := range chromeNames {
		if p, err := exec.LookPath(name); err == nil {
			return unwrap(p), nil
		}
	}
	return "", ErrNoChrome
}

// unwrap returns the browser a known launcher script runs, when installed.
func unwrap(path string) string {
	if bin, ok := launchers[path]; ok {
		if _, err := exec.LookPath(bin); err == nil {
			return bin
		}
	}
	return path
}

// ChromeDriver launches a headless Chromium per session through chromedp.
type ChromeDriver struct {
	execPath  string
	version   string // as the browser reports it, e.g. 156.0.8078.114
	userAgent string
}

// NewChromeDriver prepares a driver for the browser at execPath.
func NewChromeDriver(execPath string) *ChromeDriver {
	d := &ChromeDriver{execPath: execPath}
	if out, err := exec.Command(execPath, "--version").Output(); err == nil {
		d.version = chromeVersion.FindString(string(out))
	}
	d.userAgent = desktopUserAgent(d.version)
	return d
}

// String names the browser for the log: which binary, which version.
func (d *ChromeDriver) String() string {
	if d.version == "" {
		return d.execPath + " (version unknown)"
	}
	return d.execPath + " (Chromium " + d.version + ")"
}

var chromeVersion = regexp.MustCompile(`(\d+)\.\d+\.\d+\.\d+`)

// desktopUserAgent is the user agent of a desktop Chrome of the installed
// major version. A HeadlessChrome or outdated token gets an "update your
// browser" page instead of the QR.
func desktopUserAgent(version string) string {
	major := "146"
	if m := chromeVersion.FindStringSubmatch(version); m != nil {
		major = m[1]
	}
	return "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + major + ".0.0.0 Safari/537.36"
}

// chromeFlag is one switch of the browser's command line: a string value,
// or true for a switch that has none.
type chromeFlag struct {
	name  string
	value any
}

func (f chromeFlag) String() string {
	if v, ok := f.value.(string); ok {
		return "--" + f.name + "=" + v
	}
	return "--" + f.name
}

// flags are the browser's switches for a session, each kept for a reason
// of its own, then the operator's settings. Flags that only trim memory
// were measured (BenchmarkBrowserMemory) and left out: what they save is
// small beside the cost (README, Limits). b must be valid (ValidateBrowser).
func (d *ChromeDriver) flags(profile string, b BrowserSettings, proxy proxyConfig) []chromeFlag {
	ua := d.userAgent
	if b.UserAgent != "" {
		ua = b.UserAgent
	}
	flags := []chromeFlag{
		// The login lives in the profile: one per session, kept across runs.
		{"user-data-dir", profile},
		// A HeadlessChrome token gets an "update your browser" page.
		{"user-agent", ua},
		// Full Chromium opens a window without it; the shell ignores it.
		// Scrollbars and sound have nobody to see or hear them.
		{"headless", true},
		{"hide-scrollbars", true},
		// A message notification would open an audio device servers lack.
		{"mute-audio", true},
		// Full Chromium's first-run tasks and default-browser prompt would
		// run at every start of a fresh profile.
		{"no-first-run", true},
		{"no-default-browser-check", true},
		// Servers have no GPU: no probing for one; software WebGL instead.
		{"disable-gpu", true},
		{"enable-unsafe-swiftshader", true},
		// WhatsApp Web is built for a desktop window, not headless
		// Chromium's default of 800x600.
		{"window-size", "1440,900"},
		// A closed network refuses Chrome's own background traffic; without
		// these flags it retries many connections at every start.
		{"disable-background-networking", true},
		{"disable-component-update", true},
		{"disable-sync", true},
		// Containers give /dev/shm 64 MB, which a page can fill and crash on.
		{"disable-dev-shm-usage", true},
		// navigator.webdriver stays false, as in a browser a person uses.
		{"disable-blink-features", "AutomationControlled"},
		// Full Chromium would load extensions (Debian's wrapper asks for some).
		{"disable-extensions", true},
		// Nobody looks at the page, yet its timers (QR rotation, keepalive)
		// and the bridge's batches must run on time.
		{"disable-background-timer-throttling", true},
		{"disable-backgrounding-occluded-windows", true},
		{"disable-renderer-backgrounding", true},
		// No desktop keyring to ask for the profile's secrets: on Linux,
		// probing D-Bus for one can stall the start; macOS would prompt.
		{"password-store", "basic"},
		{"use-mock-keychain", true},
	}
	if os.Geteuid() == 0 {
		// Chromium's sandbox refuses to run as root.
		flags = append(flags, chromeFlag{"no-sandbox", true})
	}
	if proxy.server != "" {
		flags = append(flags,
			// Without credentials: Chromium ignores them here, the driver
			// answers the proxy's challenge instead (answerProxyAuth).
			chromeFlag{"proxy-server", proxy.server},
			// Chromium sends loopback requests around any proxy; the operator
			// asked for every request through it. It is also how the tests
			// see the proxy used by the stand-in on 127.0.0.1.
			chromeFlag{"proxy-bypass-list", "<-loopback>"})
	}
	for _, f := range b.Flags {
		name, value, hasValue := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		extra := chromeFlag{name, true}
		if hasValue {
			extra.value = value
		}
		// As chromedp does: a flag set again keeps its place, with the
		// value given last.
		if i := slices.IndexFunc(flags, func(f chromeFlag) bool { return f.name == name }); i >= 0 {
			flags[i] = extra
		} else {
			flags = append(flags, extra)
		}
	}
	return flags
}

// Flags is the command line a session's browser starts with (after the
// executable; chromedp adds its debugging pipe), the proxy without its
// credentials.
func (d *ChromeDriver) Flags(profile string, b BrowserSettings) ([]string, error) {
	proxy, err := browserProxy(b)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range d.flags(profile, b, proxy) {
		out = append(out, f.String())
	}
	return out, nil
}

// browserProxy checks browser settings before a launch and returns the
// proxy's parts (none when no proxy is set).
func browserProxy(b BrowserSettings) (proxyConfig, error) {
	if err := ValidateBrowser(b); err != nil {
		return proxyConfig{}, err
	}
	if b.Proxy == "" {
		return proxyConfig{}, nil
	}
	return parseProxy(b.Proxy)
}

func (d *ChromeDriver) allocatorOptions(flags []chromeFlag) []chromedp.ExecAllocatorOption {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(d.execPath),
		chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
			if cmd.SysProcAttr == nil {
				cmd.SysProcAttr = &syscall.SysProcAttr{}
			}
			tieBrowser(cmd.SysProcAttr)
		}),
	}
	for _, f := range flags {
		opts = append(opts, chromedp.Flag(f.name, f.value))
	}
	return opts
}

// Launch starts the browser, injects the bridge and opens spec.URL.
func (d *ChromeDriver) Launch(ctx context.Context, spec LaunchSpec) (Page, error) {
	proxy, err := browserProxy(spec.Browser)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(spec.ProfileDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the browser profile %s: %w", spec.ProfileDir, err)
	}
	// A browser left over by a killed process would hold the profile lock.
	killProfileProcesses(spec.ProfileDir)
	for _, f := range []string{"SingletonLock", "SingletonSocket", "SingletonCookie"} {
		_ = os.Remove(filepath.Join(spec.ProfileDir, f))
	}

	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), d.allocatorOptions(d.flags(spec.ProfileDir, spec.Browser, proxy))...)
	tabCtx, tabCancel := chromedp.NewContext(allocCtx)
	p := &chromePage{
		ctx: tabCtx, cancel: func() { tabCancel(); allocCancel() },
		profile: spec.ProfileDir,
		events:  make(chan PageEvent, 4096),
		stop:    make(chan struct{}),
		ended:   make(chan struct{}),
	}
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(tabCtx) }()
	select {
	case err := <-started:
		if err != nil {
			p.cancel()
			return nil, fmt.Errorf("starting %s: %w", d.execPath, err)
		}
	case <-ctx.Done():
		p.cancel()
		killProfileProcesses(spec.ProfileDir)
		return nil, ctx.Err()
	}
	c := chromedp.FromContext(tabCtx)
	if proc := c.Browser.Process(); proc != nil {
		p.pgid = proc.Pid
	}

	// Subscribe before anything can fire, so no event is lost.
	bindings := chromedp.Events(tabCtx, runtime.BindingCalled)
	navs := chromedp.Events(tabCtx, page.FrameNavigated)
	crashes := chromedp.Events(tabCtx, inspector.TargetCrashed)
	p.run(func() { p.pumpBindings(bindings) })
	p.run(func() { p.pumpNavigations(navs) })
	go p.watch(c.Browser.LostConnection, crashes)

	if proxy.auth {
		if err := p.answerProxyAuth(ctx, spec.Session, spec.Browser.Proxy, proxy); err != nil {
			p.Close()
			return nil, err
		}
	}
	if err := p.inject(ctx, spec.URL); err != nil {
		p.Close()
		if refused := p.proxyRefused(); refused != nil {
			return nil, refused
		}
		if proxy.server != "" {
			err = fmt.Errorf("%w (through proxy %s: check that it runs and lets %s through)", err, MaskProxy(spec.Browser.Proxy), spec.URL)
		}
		return nil, err
	}
	return p, nil
}

func (p *chromePage) inject(ctx context.Context, url string) error {
	setup := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, runtime.AddBinding, runtime.AddBindingParams{Name: bindingName}); err != nil {
			return fmt.Errorf("adding the bridge binding: %w", err)
		}
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
			page.AddScriptToEvaluateOnNewDocumentParams{Source: bridgeJS, RunImmediately: new(true)})
		if err != nil {
			return fmt.Errorf("injecting the bridge: %w", err)
		}
		return nil
	})
	lctx, cancel := context.WithTimeout(p.ctx, loadTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	if err := chromedp.Do(lctx, setup, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("the page %s never loaded: %w", url, err)
	}
	return nil
}

// chromePage is one session's tab in its own browser.
type chromePage struct {
	ctx     context.Context
	cancel  context.CancelFunc
	profile string
	pgid    int

	events chan PageEvent
	stop   chan struct{} // closed when the page ends: producers give up
	ended  chan struct{} // closed after events is closed
	wg     sync.WaitGroup

	mu      sync.Mutex
	err     error
	refused error // the proxy refused the credentials
	closing bool
	once    sync.Once
}

func (p *chromePage) Events() <-chan PageEvent { return p.events }

func (p *chromePage) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *chromePage) run(f func()) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		f()
	}()
}

func (p *chromePage) emit(ev PageEvent) bool {
	select {
	case p.events <- ev:
		return true
	case <-p.stop:
		return false
	}
}

func (p *chromePage) pumpBindings(bindings func(func(runtime.EventBindingCalled, error) bool)) {
	for ev, err := range bindings {
		if err != nil {
			return
		}
		if ev.Name != bindingName {
			continue
		}
		evs, perr := parseBatch(ev.Payload)
		if perr != nil {
			evs = []PageEvent{{Kind: EvError, Reason: perr.Error()}}
		}
		for _, e := range evs {
			if !p.emit(e) {
				return
			}
		}
	}
}

func (p *chromePage) pumpNavigations(navs func(func(page.EventFrameNavigated, error) bool)) {
	for ev, err := range navs {
		if err != nil {
			return
		}
		if ev.Frame == nil || ev.Frame.ParentID != "" {
			continue
		}
		if !p.emit(PageEvent{Kind: EvNavigated, URL: ev.Frame.URL}) {
			return
		}
	}
}

// watch ends the page when the browser goes away or the tab crashes.
func (p *chromePage) watch(lost <-chan struct{}, crashes func(func(inspector.EventTargetCrashed, error) bool)) {
	crashed := make(chan struct{})
	go func() {
		for _, err := range crashes {
			if err == nil {
				close(crashed)
			}
			return
		}
	}()
	var why error
	select {
	case <-lost:
		why = errors.New("the browser exited or lost its connection")
	case <-crashed:
		why = errors.New("the page crashed")
	case <-p.ctx.Done():
		why = errors.New("the browser was stopped")
	}
	p.end(why)
}

// end records why the page ended, stops the browser and closes Events.
func (p *chromePage) end(why error) {
	p.once.Do(func() {
		p.mu.Lock()
		if !p.closing {
			p.err = why
		}
		p.mu.Unlock()
		p.shutdown()
		close(p.stop)
		p.wg.Wait()
		close(p.events)
		close(p.ended)
	})
}

// shutdown closes the browser gracefully (it flushes the profile, where the
// login lives), then kills whatever is left of its process group.
func (p *chromePage) shutdown() {
	cctx, cancel := context.WithTimeout(p.ctx, gracefulClose)
	_ = chromedp.Cancel(cctx)
	cancel()
	if p.pgid > 0 {
		_ = syscall.Kill(-p.pgid, syscall.SIGKILL)
	}
	p.cancel()
	killProfileProcesses(p.profile)
}

func (p *chromePage) Close() error {
	p.mu.Lock()
	p.closing = true
	p.mu.Unlock()
	p.end(nil)
	<-p.ended
	return nil
}
