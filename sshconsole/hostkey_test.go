package sshconsole

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

func TestHostKeyIsGeneratedOnceAndReused(t *testing.T) {
	dir := t.TempDir()
	first, err := loadHostKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, HostKeyFile)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key file: %v, mode %v", err, fi.Mode())
	}
	if first.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Fatalf("host key type %s", first.PublicKey().Type())
	}
	again, err := loadHostKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if gossh.FingerprintSHA256(again.PublicKey()) != gossh.FingerprintSHA256(first.PublicKey()) {
		t.Fatal("a second start made a new host key")
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadHostKey(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a host key others can read: %v", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadHostKey(dir); err == nil || !strings.Contains(err.Error(), "move it away") {
		t.Fatalf("a broken host key: %v", err)
	}
}
