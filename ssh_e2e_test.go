package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An operator pairs a phone on a headless server from the SSH console: the
// QR code is drawn in the SSH client's terminal, at its size, and the
// session stays READY after the operator leaves.
func TestServePairsAPhoneOverSSH(t *testing.T) {
	url, phone := startSim(t, 0.05)
	dir := t.TempDir()
	key := filepath.Join(t.TempDir(), "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ops@laptop", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	authorized := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(authorized, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	sshAddr := freeAddr(t)
	srv := startServe(t, dir, url, "--ssh-listen", sshAddr, "--ssh-authorized-keys", authorized)
	if out, errOut, code := cli(t, "session", "add", "shop", "--data-dir", dir); code != 0 {
		t.Fatalf("session add: %d %s %s", code, out, errOut)
	}

	host, port, _ := strings.Cut(sshAddr, ":")
	ssh := exec.Command("ssh", "-F", "/dev/null", "-i", key, "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-tt", "-p", port, "ops@"+host)
	ssh.Env = append(os.Environ(), "TERM=xterm-256color")
	c := startInTerminal(t, 120, 40, ssh)
	c.waitScreen(t, 30*time.Second, "the new session in the table", func(s string) bool {
		return strings.Contains(s, "shop") && strings.Contains(s, "STOPPED")
	})
	c.TTY.Write([]byte("s"))
	c.waitScreen(t, 30*time.Second, "the session waiting for a QR scan", func(s string) bool {
		return strings.Contains(s, "shop") && strings.Contains(s, " QR ")
	})
	c.TTY.Write([]byte("\r"))
	const number = "15553330003"
	scanFromScreen(t, c, "of 6", phone, number)
	c.waitScreen(t, 30*time.Second, "READY after the scan", c.has("Paired with +"+number))

	c.TTY.Write([]byte("q"))
	select {
	case <-c.Done:
	case <-time.After(15 * time.Second):
		t.Fatal("the SSH console did not end on q")
	}
	if out, _, code := cli(t, "status", "--data-dir", dir); code != 0 || !strings.Contains(out, "READY") {
		t.Fatalf("after the SSH console left: status exit %d:\n%s", code, out)
	}
	log := srv.stderr.String()
	for _, want := range []string{`"msg":"ssh console listening","addr":"` + sshAddr + `"`, `"msg":"ssh connected","user":"ops","remote":"127.0.0.1:`, `"mode":"read-write"`, `"msg":"ssh disconnected"`} {
		if !strings.Contains(log, want) {
			t.Fatalf("serve's log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, number) {
		t.Fatalf("serve's log shows the phone number:\n%s", log)
	}
}
