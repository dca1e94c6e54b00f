package session

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/waconsole/waconsole/store"
)

// BrowserSettings is how a session's browser is configured: a proxy, a user
// agent, extra Chromium flags. The zero value is waconsole's own
// configuration. Outside the actor and the driver the proxy is always
// masked (MaskProxy): its password stays in the store and the browser.
type BrowserSettings = store.Browser

// BrowserChange changes a session's browser settings; nil fields stay as
// they are.
type BrowserChange struct {
	Proxy     *string   // "" removes the proxy
	UserAgent *string   // "" returns to the default user agent
	Flags     *[]string // replaces the extra flags; an empty list removes them
}

// Limits of the browser settings: generous for real values, small enough
// that a mistake is caught.
const (
	maxUserAgent = 512
	maxFlags     = 32
	maxFlagLen   = 1024
)

// passwordMask stands for a proxy password wherever one would be shown.
const passwordMask = "***"

// MaskProxy returns a proxy URL with its password replaced by ***, as
// http://user:***@host:port. It masks malformed input too, so that it can
// go into any message.
func MaskProxy(raw string) string {
	prefix, rest := "", raw
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	userinfo, host := rest[:at], rest[at+1:]
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		userinfo = user + ":" + passwordMask
	}
	return prefix + userinfo + "@" + host
}

// maskBrowser is b as it may be shown: the proxy's password masked.
func maskBrowser(b BrowserSettings) BrowserSettings {
	b.Proxy = MaskProxy(b.Proxy)
	b.Flags = append([]string(nil), b.Flags...)
	return b
}

// proxyConfig is a proxy setting taken apart.
type proxyConfig struct {
	server   string // scheme://host[:port], what --proxy-server takes
	user     string
	password string
	auth     bool // answer the proxy's challenges with user and password
}

var proxySchemes = []string{"http", "https", "socks5"}

// parseProxy checks a proxy URL. Its messages show the URL masked: a
// mistyped URL still holds a password.
func parseProxy(raw string) (proxyConfig, error) {
	shown := MaskProxy(raw)
	bad := func(why string) (proxyConfig, error) {
		return proxyConfig{}, errorf(ErrInvalid, "proxy %s: %s; give a URL such as http://user:password@proxy.example:3128, or none", shown, why)
	}
	if hasControl(raw) {
		return bad("it holds control characters")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		return bad("it is not a URL")
	}
	scheme := strings.ToLower(u.Scheme)
	if !slices.Contains(proxySchemes, scheme) {
		return bad(fmt.Sprintf("scheme %q is not supported: use http://, https:// or socks5://", u.Scheme))
	}
	if u.Hostname() == "" {
		return bad("it names no host")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return bad("a proxy URL has no path, query or fragment")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return bad(fmt.Sprintf("port %s is not a port (1-65535)", p))
		}
	}
	c := proxyConfig{server: scheme + "://" + u.Host}
	if u.User == nil {
		return c, nil
	}
	c.user = u.User.Username()
	c.password, _ = u.User.Password()
	switch {
	case scheme == "socks5":
		return bad("Chromium cannot log in to a SOCKS5 proxy: use an http:// or https:// proxy for a user and password, or a SOCKS5 proxy that needs none")
	case c.user == "":
		return bad("the user name before the password is missing")
	case c.password == passwordMask:
		return bad("*** is how waconsole shows a password, not the password: give the real one")
	}
	c.auth = true
	return c, nil
}

// flagName is the name of a Chromium switch, without its leading dashes.
var flagName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]*$`)

// managedFlags are the switches waconsole sets itself, and why they cannot
// be given as extra flags. A name ending in * covers every switch it starts.
var managedFlags = []struct{ name, why string }{
	{"user-data-dir", "waconsole keeps each session's browser profile under <data-dir>/profiles/<id>"},
	{"remote-debugging-*", "waconsole drives the browser through its debugging pipe"},
	{"proxy-server", "use --proxy (browser.proxy in the API)"},
	{"proxy-bypass-list", "waconsole sends every request through the proxy set with --proxy"},
	{"proxy-pac-url", "use --proxy (browser.proxy in the API)"},
	{"no-proxy-server", "remove the proxy with --proxy none (browser.proxy \"\" in the API)"},
	{"user-agent", "use --user-agent (browser.userAgent in the API)"},
	{"headless", "sessions always run headless"},
}

// validateFlag checks one extra Chromium flag: --name or --name=value,
// not one waconsole manages.
func validateFlag(f string) error {
	if !strings.HasPrefix(f, "--") {
		return errorf(ErrInvalid, "extra flag %q must start with --, as --lang=de does", f)
	}
	name, value, _ := strings.Cut(f[2:], "=")
	switch {
	case !flagName.MatchString(name):
		return errorf(ErrInvalid, "extra flag %q: %q is not a Chromium switch name (letters, digits, '-', '_', '.')", f, name)
	case hasControl(value):
		return errorf(ErrInvalid, "extra flag --%s: its value holds control characters", name)
	case len(f) > maxFlagLen:
		return errorf(ErrInvalid, "extra flag --%s is %d bytes: the limit is %d", name, len(f), maxFlagLen)
	}
	for _, m := range managedFlags {
		prefix, wild := strings.CutSuffix(m.name, "*")
		if name == m.name || (wild && strings.HasPrefix(name, prefix)) {
			return errorf(ErrInvalid, "extra flag --%s is refused: %s", name, m.why)
		}
	}
	return nil
}

// validateUserAgent checks a user agent: an HTTP header value of printable
// ASCII, at most maxUserAgent bytes. Empty is the default.
func validateUserAgent(ua string) error {
	if len(ua) > maxUserAgent {
		return errorf(ErrInvalid, "the user agent is %d bytes: the limit is %d", len(ua), maxUserAgent)
	}
	for _, r := range ua {
		if r < ' ' || r > '~' {
			return errorf(ErrInvalid, "the user agent holds %q: only printable ASCII goes in an HTTP header", r)
		}
	}
	return nil
}

// ValidateBrowser checks browser settings as a whole.
func ValidateBrowser(b BrowserSettings) error {
	if b.Proxy != "" {
		if _, err := parseProxy(b.Proxy); err != nil {
			return err
		}
	}
	if err := validateUserAgent(b.UserAgent); err != nil {
		return err
	}
	if len(b.Flags) > maxFlags {
		return errorf(ErrInvalid, "%d extra flags: the limit is %d", len(b.Flags), maxFlags)
	}
	for _, f := range b.Flags {
		if err := validateFlag(f); err != nil {
			return err
		}
	}
	return nil
}

// ChangeBrowser applies a change to browser settings and checks the result;
// on error cur is returned unchanged.
func ChangeBrowser(cur BrowserSettings, c *BrowserChange) (BrowserSettings, error) {
	out := cur
	out.Flags = append([]string(nil), cur.Flags...)
	if c == nil {
		return out, nil
	}
	if c.Proxy != nil {
		out.Proxy = *c.Proxy
	}
	if c.UserAgent != nil {
		out.UserAgent = *c.UserAgent
	}
	if c.Flags != nil {
		out.Flags = append([]string(nil), *c.Flags...)
	}
	if len(out.Flags) == 0 {
		out.Flags = nil
	}
	if err := ValidateBrowser(out); err != nil {
		return cur, err
	}
	return out, nil
}

// BrowserText describes browser settings in one line, the proxy masked.
func BrowserText(b BrowserSettings) string {
	proxy, ua, flags := "none", "default", "none"
	if b.Proxy != "" {
		proxy = MaskProxy(b.Proxy)
	}
	if b.UserAgent != "" {
		ua = strconv.Quote(b.UserAgent)
	}
	if len(b.Flags) > 0 {
		flags = strings.Join(b.Flags, " ")
	}
	return "proxy " + proxy + ", user agent " + ua + ", extra flags " + flags
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f })
}
