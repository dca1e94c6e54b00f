package api

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

// memKeys keeps API keys in memory and counts the writes of last use.
type memKeys struct {
	mu      sync.Mutex
	keys    []StoredKey
	touches int
}

func (m *memKeys) AddKey(k StoredKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if slices.ContainsFunc(m.keys, func(o StoredKey) bool { return o.Name == k.Name }) {
		return fmt.Errorf("API key %q: %w", k.Name, session.ErrExists)
	}
	m.keys = append(m.keys, k)
	return nil
}

func (m *memKeys) Keys() ([]StoredKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.keys), nil
}

func (m *memKeys) RevokeKey(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.keys, func(o StoredKey) bool { return o.Name == name })
	if i < 0 {
		return fmt.Errorf("API key %q: %w", name, session.ErrNotFound)
	}
	m.keys = slices.Delete(m.keys, i, i+1)
	return nil
}

func (m *memKeys) TouchKey(name string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touches++
	for i := range m.keys {
		if m.keys[i].Name == name {
			m.keys[i].LastUsed = at
		}
	}
	return nil
}

// addKey stores a key with a known value, so fuzz seeds can carry it.
func (m *memKeys) addKey(t testing.TB, key, name, role string, sessions ...string) string {
	t.Helper()
	if err := m.AddKey(StoredKey{APIKey: APIKey{Name: name, Role: role, Sessions: sessions, Created: time.Now()}, Hash: hashKey(key)}); err != nil {
		t.Fatal(err)
	}
	return key
}

// tcpAdmin is the key the route tests send over TCP.
const tcpAdmin = "wac_routetestsAdmin0000000000000000"

// serveFunc sends one request to the API over f and returns the answer.
type serveFunc func(t *testing.T, f *sessiontest.Fake, method, path, body string) *httptest.ResponseRecorder

// transports are the ways a request reaches the API: over the owner's unix
// socket, and over TCP with a key. The route tests of send, outbox, inbox
// and drain run over each.
var transports = []struct {
	name  string
	serve serveFunc
}{
	{"socket", serveSocket},
	{"tcp", serveTCP},
}

func forTransports(t *testing.T, test func(*testing.T, serveFunc)) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) { test(t, tr.serve) })
	}
}

func serveSocket(t *testing.T, f *sessiontest.Fake, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	c, _ := startServer(t, Handler(f, testInfo))
	defer c.hc.CloseIdleConnections()
	return roundTrip(t, c.hc, c.base, "", method, path, body)
}

func serveTCP(t *testing.T, f *sessiontest.Fake, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	keys := &memKeys{}
	keys.addKey(t, tcpAdmin, "routes", RoleAdmin)
	srv := httptest.NewServer(RequireKey(Handler(f, testInfo, Options{Keys: keys}), keys, testLogger(t)))
	defer srv.Close()
	return roundTrip(t, srv.Client(), srv.URL, tcpAdmin, method, path, body)
}

// roundTrip sends a request and records the answer as the handler tests
// read it.
func roundTrip(t *testing.T, hc *http.Client, base, key, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	rec := httptest.NewRecorder()
	for k, v := range resp.Header {
		rec.Header()[k] = v
	}
	rec.WriteHeader(resp.StatusCode)
	if _, err := io.Copy(rec, resp.Body); err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	return rec
}
