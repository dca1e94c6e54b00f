package sshconsole

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func TestParseAuthorizedKeys(t *testing.T) {
	ops, dev, ci := newTestKey(t, "ops@laptop"), newTestKey(t, "dev@desk"), newTestKey(t, "ci")
	file := strings.Join([]string{
		"# operators",
		ops.line,
		"",
		"read-only " + dev.line + "\r",
		`restrict,no-port-forwarding ` + ci.line,
	}, "\n")
	keys, err := parseAuthorizedKeys([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		fp       string
		comment  string
		readOnly bool
	}{{ops.fingerprint, "ops@laptop", false}, {dev.fingerprint, "dev@desk", true}, {ci.fingerprint, "ci", true}}
	if len(keys) != len(want) {
		t.Fatalf("%d keys, want %d", len(keys), len(want))
	}
	for i, w := range want {
		k := keys[i]
		if gossh.FingerprintSHA256(k.key) != w.fp || k.comment != w.comment || k.readOnly != w.readOnly {
			t.Errorf("key %d = %s %q read-only %v, want %+v", i, gossh.FingerprintSHA256(k.key), k.comment, k.readOnly, w)
		}
	}
}

func TestParseAuthorizedKeysRefusesWhatItCannotHonour(t *testing.T) {
	ops := newTestKey(t, "ops@laptop")
	for file, want := range map[string]string{
		ops.line + "\nssh-ed25519 notbase64":                "line 2 is not a public key",
		ops.line + "\n\n" + `from="10.0.0.0/8" ` + ops.line: `line 3: option "from" is not supported`,
		"no-pty " + ops.line:                                `line 1: option "no-pty" is not supported`,
	} {
		if _, err := parseAuthorizedKeys([]byte(file)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parsing %q: %v, want %q", file, err, want)
		}
	}
}

func FuzzParseAuthorizedKeys(f *testing.F) {
	f.Add([]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFq6Rk6f6Dq0e9kO1oL8cH8a2N3zJ9h7ZVvE3Jw8e2cM ops@laptop\n"))
	f.Add([]byte("read-only ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFq6Rk6f6Dq0e9kO1oL8cH8a2N3zJ9h7ZVvE3Jw8e2cM\n# c\n\n"))
	f.Add([]byte(`restrict,command="x" ssh-rsa AAAA`))
	f.Add([]byte("from=\"a,b\",read-only ecdsa-sha2-nistp256 AAAAE2VjZHNh\r\n"))
	f.Add([]byte("\x00\xff read-only"))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := parseAuthorizedKeys(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("an error that names no line: %v", err)
			}
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		if len(keys) > lines {
			t.Fatalf("%d keys from %d lines", len(keys), lines)
		}
		for _, k := range keys {
			if _, err := gossh.ParsePublicKey(k.key.Marshal()); err != nil {
				t.Fatalf("an admitted key does not parse back: %v", err)
			}
		}
	})
}

// The file is read again when it changes; a broken or missing file keeps
// the keys read before, and each problem is logged once.
func TestKeyringRereadsAChangedFileAndKeepsTheLastGoodSet(t *testing.T) {
	ops, dev := newTestKey(t, "ops@laptop"), newTestKey(t, "dev@desk")
	path := filepath.Join(t.TempDir(), "authorized_keys")
	writeKeys(t, path, ops.line)
	log := &testLog{}
	r, err := loadKeyring(path, log.logger())
	if err != nil {
		t.Fatal(err)
	}
	pub := func(k testKey) gossh.PublicKey {
		pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(k.line))
		if err != nil {
			t.Fatal(err)
		}
		return pk
	}
	if _, ok := r.lookup(pub(dev)); ok {
		t.Fatal("a key not in the file is admitted")
	}
	// Coarse file systems keep one mtime per second: move it on explicitly.
	mtime := time.Now()
	touch := func() {
		mtime = mtime.Add(time.Minute)
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}

	writeKeys(t, path, ops.line, "read-only "+dev.line)
	touch()
	if k, ok := r.lookup(pub(dev)); !ok || !k.readOnly {
		t.Fatalf("the added read-only key: admitted %v, read-only %v", ok, k.readOnly)
	}

	writeKeys(t, path, "ssh-ed25519 half-written")
	touch()
	for range 2 {
		if k, ok := r.lookup(pub(dev)); !ok || !k.readOnly {
			t.Fatal("a broken file dropped the keys read before")
		}
	}
	if n := log.count("line 1 is not a public key", "keeping the keys read before", "kept=2"); n != 1 {
		t.Fatalf("the broken file was logged %d times:\n%s", n, log)
	}

	os.Remove(path)
	if _, ok := r.lookup(pub(ops)); !ok {
		t.Fatal("a removed file dropped the keys read before")
	}
	if log.count("no such file") != 1 {
		t.Fatalf("the missing file was not logged:\n%s", log)
	}

	writeKeys(t, path, dev.line)
	touch()
	if _, ok := r.lookup(pub(ops)); ok {
		t.Fatal("a key removed from the file is still admitted")
	}
	if k, ok := r.lookup(pub(dev)); !ok || k.readOnly {
		t.Fatalf("the key no longer marked read-only: admitted %v, read-only %v", ok, k.readOnly)
	}
}

func TestLoadKeyringRefusesAFileOthersCanWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "authorized_keys")
	writeKeys(t, path, newTestKey(t, "ops").line)
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := loadKeyring(path, (&testLog{}).logger()); err == nil || !strings.Contains(err.Error(), "chmod go-w "+path) {
		t.Fatalf("a world-writable file: %v", err)
	}
	if _, err := loadKeyring(filepath.Join(t.TempDir(), "none"), (&testLog{}).logger()); err == nil || !strings.Contains(err.Error(), "--ssh-authorized-keys") {
		t.Fatalf("a missing file: %v", err)
	}
}
