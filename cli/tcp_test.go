package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/waconsole/waconsole/internal/testcert"
	"github.com/waconsole/waconsole/session"
)

func TestListenRule(t *testing.T) {
	for _, c := range []struct {
		o    tcpOptions
		addr string // "" with err
		err  string
	}{
		{tcpOptions{listen: "8443"}, "127.0.0.1:8443", ""},
		{tcpOptions{listen: ":8443"}, "127.0.0.1:8443", ""},
		{tcpOptions{listen: "localhost:8443"}, "localhost:8443", ""},
		{tcpOptions{listen: "127.0.0.2:8443"}, "127.0.0.2:8443", ""},
		{tcpOptions{listen: "[::1]:8443"}, "[::1]:8443", ""},
		{tcpOptions{listen: "0.0.0.0:8443"}, "", "can be reached from other hosts"},
		{tcpOptions{listen: "[::]:8443"}, "", "--insecure-listen if a TLS proxy"},
		{tcpOptions{listen: "api.example:8443"}, "", "give --tls-cert and --tls-key"},
		{tcpOptions{listen: "0.0.0.0:8443", insecure: true}, "0.0.0.0:8443", ""},
		{tcpOptions{listen: "0.0.0.0:8443", certFile: "c.pem", keyFile: "k.pem"}, "0.0.0.0:8443", ""},
		{tcpOptions{listen: "0.0.0.0:8443", certFile: "c.pem"}, "", "go together"},
		{tcpOptions{certFile: "c.pem", keyFile: "k.pem"}, "", "give --listen ADDR too"},
		{tcpOptions{insecure: true}, "", "give --listen ADDR too"},
		{tcpOptions{listen: "localhost:https"}, "", "is not a port or host:port"},
		{tcpOptions{listen: "99999"}, "", "is not a port or host:port"},
		{tcpOptions{}, "", ""},
	} {
		addr, err := c.o.check()
		if addr != c.addr || (c.err == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("%+v: %q, %v; want %q, %q", c.o, addr, err, c.addr, c.err)
		}
	}
}

// serve refuses a bad --listen before it opens anything.
func TestServeRefusesTheListenRule(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(bad, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--listen", "0.0.0.0:0"}, "--listen 0.0.0.0:0 can be reached from other hosts"},
		{[]string{"--listen", "127.0.0.1:0", "--tls-cert", bad}, "--tls-cert and --tls-key go together"},
		{[]string{"--listen", "127.0.0.1:0", "--tls-cert", bad, "--tls-key", bad}, "--tls-cert: loading the certificate " + bad},
	} {
		dir := t.TempDir()
		var stdout, stderr bytes.Buffer
		args := append([]string{"serve", "--data-dir", dir}, c.args...)
		if code := Main(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%q: exit %d, %s; want %q", args, code, stderr.String(), c.want)
		}
		if _, err := os.Stat(storePath(dir)); !os.IsNotExist(err) {
			t.Errorf("%q: the store was created although serve refused to start: %v", args, err)
		}
	}
}

// lines collects the runtime's log.
type lines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// logger writes masked text lines into l, as the console's file gets them.
func (l *lines) logger() *slog.Logger { return newLogger(l, logText, slog.LevelDebug) }

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// A key made before the server runs (on the store) works over TCP: the CLI
// reaches the sessions with --api and the key from a file or the
// environment; the socket needs none; a revoked key is refused.
func TestAPIOverTCPFromTheCLI(t *testing.T) {
	dir := t.TempDir()
	run := func(env map[string]string, args ...string) (int, string, string) {
		t.Helper()
		for k, v := range env {
			t.Setenv(k, v)
		}
		var stdout, stderr bytes.Buffer
		code := Main(args, &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	code, out, errOut := run(nil, "apikey", "create", "worker", "--role", "operate", "--sessions", "shop", "--data-dir", dir)
	key := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	if code != 0 || !strings.HasPrefix(key, "wac_") || !strings.Contains(out, "shown this once") {
		t.Fatalf("apikey create without a server: exit %d, %q %s", code, out, errOut)
	}
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	log := &lines{}
	tcp := tcpOptions{listen: "0.0.0.0:0", insecure: true}
	addr, err := tcp.check()
	if err != nil {
		t.Fatal(err)
	}
	rt, err := openRuntime(runtimeOptions{dataDir: dir, waURL: "http://127.0.0.1:1", mode: "serve", log: log.logger(),
		timing: session.Timing{DrainAfter: time.Minute}, tcp: tcp, tcpAddr: addr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), StopTimeout)
		defer cancel()
		if err := rt.close(ctx); err != nil {
			t.Error(err)
		}
	})
	if !strings.Contains(log.String(), "level=WARN") || !strings.Contains(log.String(), "without TLS (--insecure-listen)") {
		t.Errorf("no warning for the API without TLS on every interface:\n%s", log)
	}
	url := fmt.Sprintf("http://127.0.0.1:%d", rt.tcp.ln.Addr().(*net.TCPAddr).Port)
	for _, id := range []string{"shop", "support"} {
		if code, out, errOut := run(nil, "session", "add", id, "--data-dir", dir); code != 0 {
			t.Fatalf("session add %s over the socket: exit %d, %s %s", id, code, out, errOut)
		}
	}

	if code, _, errOut := run(nil, "status", "--api", url); code != 1 || !strings.Contains(errOut, "this API needs a key over TCP") {
		t.Errorf("status without a key: exit %d, %s", code, errOut)
	}
	code, out, errOut = run(map[string]string{"WACONSOLE_API": url}, "status", "--api-key-file", keyFile)
	if code != 1 || !strings.Contains(out, "shop") || strings.Contains(out, "support") {
		t.Errorf("status over TCP with the shop key: exit %d, %q %s; want shop alone", code, out, errOut)
	}
	env := map[string]string{"WACONSOLE_API": url, "WACONSOLE_API_KEY": key}
	if code, out, errOut := run(env, "send", "--session", "shop", "--to", "12025550108", "--text", "hi"); code != 0 || !strings.Contains(out, "queued job 1") {
		t.Errorf("send over TCP: exit %d, %q %s", code, out, errOut)
	}
	if code, out, errOut := run(env, "outbox", "shop"); code != 0 || !strings.Contains(out, "12025550108@c.us") {
		t.Errorf("outbox over TCP: exit %d, %q %s", code, out, errOut)
	}
	if code, _, errOut := run(env, "send", "--session", "support", "--to", "12025550108", "--text", "hi"); code != 1 || !strings.Contains(errOut, "not made for that session") {
		t.Errorf("send to another session over TCP: exit %d, %s", code, errOut)
	}
	if code, _, errOut := run(env, "apikey", "list"); code != 1 || !strings.Contains(errOut, "needs role admin") {
		t.Errorf("apikey list with an operate key: exit %d, %s", code, errOut)
	}

	t.Setenv("WACONSOLE_API", "")
	code, out, errOut = run(nil, "apikey", "list", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "worker") || !strings.Contains(out, "sessions shop") || !strings.Contains(out, "last used") || strings.Contains(out, key) {
		t.Errorf("apikey list over the socket: exit %d, %q %s", code, out, errOut)
	}
	if code, out, errOut := run(nil, "apikey", "revoke", "worker", "--yes", "--data-dir", dir); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("apikey revoke: exit %d, %q %s", code, out, errOut)
	}
	if code, _, errOut := run(env, "status"); code != 1 || !strings.Contains(errOut, "wrong or revoked") {
		t.Errorf("status with a revoked key: exit %d, %s", code, errOut)
	}
}

// Over HTTPS the CLI trusts the server's certificate with --api-ca; SIGHUP
// makes the server serve a new certificate without a restart.
func TestServeTLSReloadsOnSIGHUP(t *testing.T) {
	poll := certPoll
	certPoll = time.Hour // only SIGHUP reloads during the test
	t.Cleanup(func() { certPoll = poll })
	dir, certDir := t.TempDir(), t.TempDir()
	first := testcert.Write(t, certDir, "first")
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	copyFile(t, filepath.Join(certDir, "cert.pem"), caFile)
	tcp := tcpOptions{listen: "127.0.0.1:0", certFile: filepath.Join(certDir, "cert.pem"), keyFile: filepath.Join(certDir, "key.pem")}
	addr, err := tcp.check()
	if err != nil {
		t.Fatal(err)
	}
	log := &lines{}
	rt, err := openRuntime(runtimeOptions{dataDir: dir, waURL: "http://127.0.0.1:1", mode: "serve", log: log.logger(),
		timing: session.Timing{DrainAfter: time.Minute}, tcp: tcp, tcpAddr: addr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), StopTimeout)
		defer cancel()
		if err := rt.close(ctx); err != nil {
			t.Error(err)
		}
	})
	if strings.Contains(log.String(), "level=WARN") || !strings.Contains(log.String(), "url=https://127.0.0.1:") {
		t.Errorf("the start log of HTTPS on loopback:\n%s", log)
	}
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"apikey", "create", "probe", "--role", "read", "--json", "--data-dir", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("apikey create: exit %d, %s", code, stderr.String())
	}
	var made struct{ Key string }
	if err := json.Unmarshal(stdout.Bytes(), &made); err != nil {
		t.Fatal(err)
	}
	t.Setenv("WACONSOLE_API", "https://"+rt.tcp.ln.Addr().String())
	t.Setenv("WACONSOLE_API_KEY", made.Key)
	status := func() (int, string) {
		var stdout, stderr bytes.Buffer
		code := Main([]string{"status", "--api-ca", caFile}, &stdout, &stderr)
		return code, stderr.String()
	}
	if code, errOut := status(); code != 0 {
		t.Fatalf("status over HTTPS: exit %d, %s", code, errOut)
	}

	second := testcert.Write(t, certDir, "second")
	if second.Equal(first) {
		t.Fatal("the second certificate is the first")
	}
	copyFile(t, filepath.Join(certDir, "cert.pem"), caFile)
	if code, errOut := status(); code != 1 || !strings.Contains(errOut, "certificate") {
		t.Fatalf("before SIGHUP the first certificate should still be served: exit %d, %s", code, errOut)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for code, errOut := status(); code != 0; code, errOut = status() {
		if time.Now().After(deadline) {
			t.Fatalf("after SIGHUP the second certificate is not served: exit %d, %s\n%s", code, errOut, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(log.String(), `msg="TLS certificate reloaded"`) {
		t.Errorf("the reload is not logged:\n%s", log)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
