package cli

import (
	"flag"
	"strings"
	"testing"
)

func parseBrowser(t *testing.T, args ...string) (*browserValues, func(string) bool) {
	t.Helper()
	fs := newFlagSet("session set", "")
	b := browserFlags(fs)
	if _, err := parseInterleaved(fs, args); err != nil {
		t.Fatal(err)
	}
	return b, func(name string) bool {
		found := false
		fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
		return found
	}
}

func TestBrowserFlagsRequest(t *testing.T) {
	b, set := parseBrowser(t, "shop", "--proxy", "http://ops:pw@10.0.0.1:3128", "--chrome-flag", "--lang=de", "--chrome-flag=--disable-notifications")
	r, err := b.request(set)
	if err != nil || r == nil || *r.Proxy != "http://ops:pw@10.0.0.1:3128" || r.UserAgent != nil || strings.Join(*r.Flags, " ") != "--lang=de --disable-notifications" {
		t.Fatalf("request %+v, %v", r, err)
	}
	b, set = parseBrowser(t, "shop", "--proxy", "none", "--user-agent", "default", "--chrome-flags-clear")
	r, err = b.request(set)
	if err != nil || *r.Proxy != "" || *r.UserAgent != "" || r.Flags == nil || len(*r.Flags) != 0 {
		t.Fatalf("clearing: %+v, %v", r, err)
	}
	b, set = parseBrowser(t, "shop")
	if r, err := b.request(set); r != nil || err != nil {
		t.Fatalf("no browser flag gave %+v, %v", r, err)
	}
	b, set = parseBrowser(t, "shop", "--chrome-flag", "--lang=de", "--chrome-flags-clear")
	if _, err := b.request(set); err == nil || !strings.Contains(err.Error(), "give one") {
		t.Fatalf("a flag and clearing the flags: %v", err)
	}
}
