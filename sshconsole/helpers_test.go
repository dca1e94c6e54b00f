package sshconsole

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
	gossh "golang.org/x/crypto/ssh"

	"github.com/waconsole/waconsole/internal/ptyterm"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

// testLog collects what the server logs.
type testLog struct {
	mu    sync.Mutex
	lines []string
}

// Write takes one line from the text handler of logger.
func (l *testLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// logger writes text lines into l.
func (l *testLog) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

func (l *testLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// count is how many lines hold all of the parts.
func (l *testLog) count(parts ...string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			n++
		}
	}
	return n
}

// testKey is a client key: its private key file (mode 0600, as ssh
// demands) and its authorized_keys line.
type testKey struct {
	file        string
	line        string // "ssh-ed25519 AAAA… comment"
	fingerprint string
}

func newTestKey(t *testing.T, name string) testKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, name)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	pk, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pk))) + " " + name
	return testKey{file: file, line: line, fingerprint: gossh.FingerprintSHA256(pk)}
}

// writeKeys writes an authorized-keys file of lines.
func writeKeys(t *testing.T, path string, lines ...string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// startServer serves the console over SSH on fake, admitting the keys of
// the authorized-keys file it returns.
func startServer(t *testing.T, fake *sessiontest.Fake, lines ...string) (*Server, string, *testLog) {
	t.Helper()
	dir := t.TempDir()
	keys := filepath.Join(dir, "authorized_keys")
	writeKeys(t, keys, lines...)
	log := &testLog{}
	s, err := Start(Options{Listen: "127.0.0.1:0", AuthorizedKeys: keys, DataDir: dir, Runtime: fake, Log: log.logger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, keys, log
}

// readyFake holds one READY session, shop.
func readyFake() *sessiontest.Fake {
	f := sessiontest.New()
	f.Put(session.Snapshot{ID: "shop", State: session.Ready, Account: "15550001111", Since: time.Now()})
	return f
}

// sshArgs are the arguments of the OpenSSH client for s, as user, with key
// only: no agent, no user config, no host key check.
func sshArgs(s *Server, key testKey, extra ...string) []string {
	_, port, _ := strings.Cut(s.Addr().String(), ":")
	args := []string{"-F", "/dev/null", "-i", key.file, "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
		"-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
		"-p", port}
	return append(append(args, extra...), "ops@127.0.0.1")
}

// terminal is the OpenSSH client in a pseudo-terminal, its screen kept by
// a terminal emulator, as an operator's terminal would.
type terminal struct{ *ptyterm.Term }

// dial runs ssh -tt against s with key in a cols × rows terminal.
func dial(t *testing.T, s *Server, key testKey, cols, rows int) *terminal {
	t.Helper()
	return &terminal{ptyterm.Start(t, cols, rows, exec.Command("ssh", sshArgs(s, key, "-tt")...))}
}

func (c *terminal) screen() string { return ansi.Strip(c.Emu.Render()) }

// waitScreen returns the first screen that shows every one of texts.
func (c *terminal) waitScreen(t *testing.T, what string, texts ...string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := c.screen()
		if containsAll(s, texts...) {
			return s
		}
		select {
		case <-c.Done:
			t.Fatalf("ssh exited while waiting for %s; last screen:\n%s", what, s)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not show; screen:\n%s", what, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *terminal) press(t *testing.T, keys string) {
	t.Helper()
	if _, err := c.TTY.Write([]byte(keys)); err != nil {
		t.Fatal(err)
	}
}

// resize changes the terminal's size as a window manager would: ssh sees
// SIGWINCH and tells the server.
func (c *terminal) resize(t *testing.T, cols, rows int) {
	t.Helper()
	c.Emu.Resize(cols, rows)
	if err := pty.Setsize(c.TTY, &pty.Winsize{Rows: uint16(rows), Cols: uint16(cols)}); err != nil {
		t.Fatal(err)
	}
}

// waitExit waits for ssh to end.
func (c *terminal) waitExit(t *testing.T, why string) {
	t.Helper()
	select {
	case <-c.Done:
	case <-time.After(20 * time.Second):
		t.Fatalf("ssh still runs %s; screen:\n%s", why, c.screen())
	}
}

func containsAll(s string, texts ...string) bool {
	for _, x := range texts {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}

// waitFor polls cond until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
