package store

import (
	"bytes"
	"os"
	"testing"
)

// A copy without secrets holds no proxy password, neither the current one
// nor one the live file still keeps in a freed page, while everything else
// comes across: the other settings, the sessions without a proxy password,
// the sequences. The live store keeps its password.
func TestBackupWithoutSecrets(t *testing.T) {
	const old, current = "0ld-Pw-b7e1", "s3cret-Pw-a9f2"
	db := newTestDB(t)
	for _, s := range []Session{
		{ID: "shop", Account: "15550001", Browser: Browser{Proxy: "http://ops:" + old + "@10.0.0.1:3128", UserAgent: "UA test"}},
		{ID: "open", Browser: Browser{Proxy: "socks5://10.0.0.2:1080"}},
		{ID: "plain"},
	} {
		if err := db.CreateSession(s); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		if _, err := db.AppendEvent("shop", Event{Kind: "state", To: "READY"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.UpdateSession("shop", func(s *Session) error {
		s.Browser.Proxy = "http://ops:" + current + "@10.0.0.1:3128"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	if _, err := db.Backup(&raw); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw.Bytes(), []byte(old)) {
		t.Fatal("the plain copy no longer holds the overwritten password: this test would not see a freed page")
	}

	var buf bytes.Buffer
	n, removed, err := db.BackupWithoutSecrets(&buf, t.TempDir())
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("BackupWithoutSecrets = %d, %v; wrote %d", n, err, buf.Len())
	}
	for _, pw := range []string{old, current} {
		if bytes.Contains(buf.Bytes(), []byte(pw)) {
			t.Fatalf("the copy holds the password %q", pw)
		}
	}
	if len(removed) != 1 || removed["shop"] != "http://ops@10.0.0.1:3128" {
		t.Fatalf("removed = %v, want shop's proxy alone", removed)
	}

	path := tempPath(t)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cp := openTest(t, path, Options{})
	shop, err := cp.GetSession("shop")
	if err != nil || shop.Browser.Proxy != "http://ops@10.0.0.1:3128" || shop.Browser.UserAgent != "UA test" || shop.Account != "15550001" {
		t.Fatalf("shop in the copy: %+v %v", shop, err)
	}
	if open, err := cp.GetSession("open"); err != nil || open.Browser.Proxy != "socks5://10.0.0.2:1080" {
		t.Fatalf("open in the copy: %+v %v", open, err)
	}
	if ev, err := cp.AppendEvent("shop", Event{Kind: "state", To: "READY"}); err != nil || ev.Seq != 4 {
		t.Fatalf("an event appended to the copy has seq %d (%v), want 4: the sequence was lost", ev.Seq, err)
	}
	if live, err := db.GetSession("shop"); err != nil || live.Browser.Proxy != "http://ops:"+current+"@10.0.0.1:3128" {
		t.Fatalf("the live store's proxy after the copy: %q %v", live.Browser.Proxy, err)
	}
}

func TestProxyWithoutPassword(t *testing.T) {
	for raw, want := range map[string]struct {
		kept    string
		removed bool
	}{
		"http://ops:pw@proxy.example:3128":  {"http://ops@proxy.example:3128", true},
		"https://ops:p@ss:w@proxy.example/": {"https://ops@proxy.example/", true},
		"http://ops:@proxy.example":         {"http://ops@proxy.example", true},
		"ops:pw@proxy.example":              {"ops@proxy.example", true},
		"http://ops@proxy.example:3128":     {"http://ops@proxy.example:3128", false},
		"socks5://proxy.example:1080":       {"socks5://proxy.example:1080", false},
		"":                                  {"", false},
	} {
		if kept, removed := proxyWithoutPassword(raw); kept != want.kept || removed != want.removed {
			t.Errorf("proxyWithoutPassword(%q) = %q, %v; want %q, %v", raw, kept, removed, want.kept, want.removed)
		}
	}
}
