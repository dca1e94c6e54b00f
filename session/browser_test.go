package session

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestMaskProxy(t *testing.T) {
	for raw, want := range map[string]string{
		"http://ops:s3cret@10.0.0.1:3128":  "http://ops:***@10.0.0.1:3128",
		"https://ops@proxy.example:443":    "https://ops@proxy.example:443",
		"socks5://10.0.0.1:1080":           "socks5://10.0.0.1:1080",
		"http://ops:p@ss:w@rd@10.0.0.1:80": "http://ops:***@10.0.0.1:80",
		"ops:s3cret@10.0.0.1:3128":         "ops:***@10.0.0.1:3128",
		"http://ops:s3cret/x@h:1/path":     "http://ops:***@h:1/path",
		"":                                 "",
	} {
		if got := MaskProxy(raw); got != want {
			t.Errorf("MaskProxy(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestParseProxy(t *testing.T) {
	ok := map[string]proxyConfig{
		"http://10.0.0.1:3128":               {server: "http://10.0.0.1:3128"},
		"HTTPS://proxy.example:8443/":        {server: "https://proxy.example:8443"},
		"socks5://127.0.0.1:1080":            {server: "socks5://127.0.0.1:1080"},
		"http://ops:s3cret@10.0.0.1:3128":    {server: "http://10.0.0.1:3128", user: "ops", password: "s3cret", auth: true},
		"http://ops:p%40ss@[::1]:3128":       {server: "http://[::1]:3128", user: "ops", password: "p@ss", auth: true},
		"http://proxy.example":               {server: "http://proxy.example"},
		"https://ops:@proxy.example:3128":    {server: "https://proxy.example:3128", user: "ops", auth: true},
		"http://ops:pa%20ss@proxy.example:1": {server: "http://proxy.example:1", user: "ops", password: "pa ss", auth: true},
	}
	for raw, want := range ok {
		got, err := parseProxy(raw)
		if err != nil || got != want {
			t.Errorf("parseProxy(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	bad := map[string]string{
		"10.0.0.1:3128":                     "not a URL",
		"ftp://10.0.0.1:21":                 `scheme "ftp" is not supported`,
		"http://":                           "no host",
		"http://10.0.0.1:3128/path":         "no path",
		"http://10.0.0.1:3128?x=1":          "no path",
		"http://10.0.0.1:99999":             "port 99999",
		"socks5://ops:s3cret@10.0.0.1:1080": "cannot log in to a SOCKS5 proxy",
		"http://:s3cret@10.0.0.1:3128":      "user name",
		"http://ops:***@10.0.0.1:3128":      "real one",
		"http://ops:s3cret@10.0.0.1:31\n":   "control characters",
		"http://ops:s3cret@10.0.0.1:x":      "not a URL",
	}
	for raw, want := range bad {
		_, err := parseProxy(raw)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("parseProxy(%q) = %v, want ErrInvalid saying %q", raw, err, want)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("parseProxy(%q) shows the password: %v", raw, err)
		}
	}
}

func TestValidateFlag(t *testing.T) {
	for _, f := range []string{"--disable-notifications", "--lang=de", "--js-flags=--max-old-space-size=512", "--force-color-profile=srgb", "--window-size=1280,800"} {
		if err := validateFlag(f); err != nil {
			t.Errorf("validateFlag(%q): %v", f, err)
		}
	}
	for f, want := range map[string]string{
		"disable-notifications":                  "must start with --",
		"-lang=de":                               "must start with --",
		"--":                                     "not a Chromium switch name",
		"--a b":                                  "not a Chromium switch name",
		"--lang=de\n":                            "control characters",
		"--user-data-dir=/tmp/x":                 "profile",
		"--remote-debugging-port=9222":           "debugging pipe",
		"--remote-debugging-address=0.0":         "debugging pipe",
		"--proxy-server=http://x:1":              "use --proxy",
		"--proxy-bypass-list=*":                  "every request through the proxy",
		"--no-proxy-server":                      "--proxy none",
		"--user-agent=x":                         "--user-agent",
		"--headless=new":                         "always run headless",
		"--x=" + strings.Repeat("a", maxFlagLen): "the limit",
	} {
		err := validateFlag(f)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("validateFlag(%q) = %v, want ErrInvalid saying %q", f, err, want)
		}
	}
}

func TestValidateUserAgent(t *testing.T) {
	if err := validateUserAgent("Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0.0.0 Safari/537.36"); err != nil {
		t.Error(err)
	}
	for ua, want := range map[string]string{
		"Mozilla\r\nX-Injected: 1":          "printable ASCII",
		"Mozilla\x00":                       "printable ASCII",
		"Mozilla ü":                         "printable ASCII",
		strings.Repeat("a", maxUserAgent+1): "the limit",
	} {
		if err := validateUserAgent(ua); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("validateUserAgent(%q) = %v, want ErrInvalid saying %q", ua, err, want)
		}
	}
}

func TestChangeBrowser(t *testing.T) {
	cur := BrowserSettings{Proxy: "http://ops:s3cret@10.0.0.1:3128", UserAgent: "UA/1", Flags: []string{"--lang=de"}}
	got, err := ChangeBrowser(cur, &BrowserChange{UserAgent: new(""), Flags: &[]string{}})
	if err != nil || got.Proxy != cur.Proxy || got.UserAgent != "" || got.Flags != nil {
		t.Fatalf("clearing the user agent and flags: %+v %v", got, err)
	}
	got, err = ChangeBrowser(cur, &BrowserChange{Proxy: new(""), Flags: &[]string{"--a", "--b=1"}})
	if err != nil || got.Proxy != "" || got.UserAgent != "UA/1" || strings.Join(got.Flags, " ") != "--a --b=1" {
		t.Fatalf("clearing the proxy, replacing the flags: %+v %v", got, err)
	}
	many := make([]string, maxFlags+1)
	for i := range many {
		many[i] = "--a"
	}
	for _, c := range []BrowserChange{{Proxy: new("ftp://x")}, {UserAgent: new("a\tb")}, {Flags: &[]string{"--headless"}}, {Flags: &many}} {
		if got, err := ChangeBrowser(cur, &c); !errors.Is(err, ErrInvalid) || got.Proxy != cur.Proxy || got.UserAgent != cur.UserAgent {
			t.Errorf("ChangeBrowser(%+v) = %+v, %v; want ErrInvalid and nothing changed", c, got, err)
		}
	}
	if text := BrowserText(cur); text != `proxy http://ops:***@10.0.0.1:3128, user agent "UA/1", extra flags --lang=de` {
		t.Errorf("BrowserText = %s", text)
	}
	if text := BrowserText(BrowserSettings{}); text != "proxy none, user agent default, extra flags none" {
		t.Errorf("BrowserText of nothing set = %s", text)
	}
}

// The browser starts with waconsole's flags, then the proxy without its
// credentials and the loopback bypass removed, then the extra flags; the
// user agent set replaces the default.
func TestBrowserFlags(t *testing.T) {
	d := &ChromeDriver{execPath: "/usr/bin/chromium", version: "150.0.1.2", userAgent: desktopUserAgent("150.0.1.2")}
	plain, err := d.Flags("/data/profiles/s1", BrowserSettings{})
	if err != nil {
		t.Fatal(err)
	}
	line := " " + strings.Join(plain, " ") + " "
	for _, want := range []string{" --user-data-dir=/data/profiles/s1 ", " --headless ", "Chrome/150.0.0.0 Safari/537.36 "} {
		if !strings.Contains(line, want) {
			t.Errorf("default flags lack %q: %s", want, line)
		}
	}
	if strings.Contains(line, "proxy") {
		t.Errorf("default flags name a proxy: %s", line)
	}
	set, err := d.Flags("/data/profiles/s1", BrowserSettings{Proxy: "http://ops:s3cret@10.0.0.1:3128", UserAgent: "UA/1", Flags: []string{"--lang=de", "--disable-notifications"}})
	if err != nil {
		t.Fatal(err)
	}
	n := len(set)
	if strings.Join(set[n-4:], " ") != "--proxy-server=http://10.0.0.1:3128 --proxy-bypass-list=<-loopback> --lang=de --disable-notifications" {
		t.Errorf("the last flags are %q", set[n-4:])
	}
	if !strings.Contains(strings.Join(set, " "), "--user-agent=UA/1 ") || strings.Contains(strings.Join(set, " "), "s3cret") {
		t.Errorf("flags with settings: %q", set)
	}
	again, err := d.Flags("/p", BrowserSettings{Flags: []string{"--window-size=800,600", "--lang=de"}})
	if err != nil || len(again) != len(plain)+1 || !slices.Contains(again, "--window-size=800,600") || slices.Contains(again, "--window-size=1440,900") {
		t.Errorf("a flag waconsole sets, given again: %q, %v", again, err)
	}
	if _, err := d.Flags("/p", BrowserSettings{Flags: []string{"--user-data-dir=/elsewhere"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a managed flag in the settings: %v", err)
	}
}
