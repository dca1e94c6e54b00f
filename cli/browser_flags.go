package cli

import (
	"errors"
	"flag"
	"strings"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
)

// noProxy is the --proxy value that removes a session's proxy.
const noProxy = "none"

// browserValues are the browser flags of `session add` and `session set`.
type browserValues struct {
	proxy, userAgent *string
	flags            stringList
	clear            *bool
}

func browserFlags(fs *flag.FlagSet) *browserValues {
	b := &browserValues{
		proxy:     fs.String("proxy", "", "add, set: proxy for the session's browser, http://, https:// or socks5://, optionally with user:password@ (\"none\" removes it)"),
		userAgent: fs.String("user-agent", "", "add, set: user agent of the session's browser (\"default\": a desktop Chrome of the installed version)"),
		clear:     fs.Bool("chrome-flags-clear", false, "set: remove the session's extra Chromium flags"),
	}
	fs.Var(&b.flags, "chrome-flag", "add, set: an extra Chromium flag such as --lang=de; repeat it for more; the flags given replace the session's")
	return b
}

// request is the browser part of an API request: nil when no browser flag
// was given.
func (b *browserValues) request(set func(string) bool) (*api.BrowserRequest, error) {
	var r api.BrowserRequest
	if set("proxy") {
		v := *b.proxy
		if v == noProxy {
			v = ""
		}
		r.Proxy = &v
	}
	if set("user-agent") {
		v := *b.userAgent
		if v == useDefault {
			v = ""
		}
		r.UserAgent = &v
	}
	switch {
	case set("chrome-flag") && *b.clear:
		return nil, errors.New("--chrome-flag and --chrome-flags-clear contradict each other: give one")
	case set("chrome-flag"):
		flags := []string(b.flags)
		r.Flags = &flags
	case *b.clear:
		r.Flags = &[]string{}
	}
	if r == (api.BrowserRequest{}) {
		return nil, nil
	}
	return &r, nil
}

// browserText describes a session's browser settings in one line; the
// proxy comes masked from the API and is masked again, whatever it holds.
func browserText(b api.Browser) string {
	return session.BrowserText(session.BrowserSettings{Proxy: b.Proxy, UserAgent: b.UserAgent, Flags: b.Flags})
}

// stringList is a flag that may be repeated.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, " ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }
