package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waconsole/waconsole/internal/testcert"
)

// syncLog collects log lines from the server's goroutines.
type syncLog struct {
	mu    sync.Mutex
	lines []string
}

// Write takes one line of logger's text handler.
func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, strings.TrimSpace(string(p)))
	return len(p), nil
}

// logger writes into l.
func (l *syncLog) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// testLogger logs into the test's output.
func testLogger(t testing.TB) *slog.Logger { return slog.New(slog.NewTextHandler(t.Output(), nil)) }

func (l *syncLog) has(word string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if strings.Contains(line, word) {
			return true
		}
	}
	return false
}

// clientTrusting is an API client over TCP that trusts only cert.
func clientTrusting(t *testing.T, url, key string, cert *x509.Certificate) *Client {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return NewRemoteClient(url, key, pool)
}

// waitFor polls cond until it holds or the test's time runs out.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline, ok := t.Deadline()
	if !ok {
		deadline = time.Now().Add(time.Minute)
	}
	for !cond() {
		if time.Now().After(deadline.Add(-5 * time.Second)) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A client reaches the API over TLS with a key; the certificate rotates on
// Reload (SIGHUP) and when its files change, and a bad new pair keeps the
// old certificate.
func TestTLSRoundTripAndReload(t *testing.T) {
	dir := t.TempDir()
	first := testcert.Write(t, dir, "first")
	log := &syncLog{}
	certs, err := LoadCerts(filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"), log.logger())
	if err != nil {
		t.Fatal(err)
	}
	keys := &memKeys{}
	keys.addKey(t, readKey, "reader", RoleRead)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: RequireKey(Handler(newFake("shop"), testInfo, Options{Keys: keys}), keys, log.logger())}
	go srv.Serve(tls.NewListener(ln, &tls.Config{GetCertificate: certs.GetCertificate, MinVersion: tls.VersionTLS12}))
	t.Cleanup(func() { srv.Close() })
	url := "https://" + ln.Addr().String()

	list, err := clientTrusting(t, url, readKey, first).List(t.Context())
	if err != nil || len(list) != 1 || list[0].ID != "shop" {
		t.Fatalf("List over TLS = %+v, %v; want shop", list, err)
	}
	if _, err := clientTrusting(t, url, "wac_wrong", first).List(t.Context()); err == nil || !strings.Contains(err.Error(), "wrong or revoked") {
		t.Errorf("a wrong key over TLS = %v, want refused", err)
	}

	second := testcert.Write(t, dir, "second")
	certs.Reload()
	if _, err := clientTrusting(t, url, readKey, second).List(t.Context()); err != nil {
		t.Fatalf("after Reload the second certificate is not served: %v", err)
	}
	if _, err := clientTrusting(t, url, readKey, first).List(t.Context()); err == nil {
		t.Error("after Reload the first certificate is still served")
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go certs.Watch(ctx, 10*time.Millisecond)
	third := testcert.Write(t, dir, "third")
	waitFor(t, "the changed files to be served", func() bool {
		_, err := clientTrusting(t, url, readKey, third).List(t.Context())
		return err == nil
	})

	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the bad pair to be logged", func() bool { return log.has("still serving the previous one") })
	if _, err := clientTrusting(t, url, readKey, third).List(t.Context()); err != nil {
		t.Errorf("after a bad pair the previous certificate is not served: %v", err)
	}
}

func TestLoadCertsNamesTheFiles(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadCerts(filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"), testLogger(t))
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "cert.pem")) {
		t.Errorf("LoadCerts of missing files = %v, want an error naming them", err)
	}
}
