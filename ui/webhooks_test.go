package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waconsole/waconsole/webhook"
)

// fakeWebhooks is the webhook service of the console's tests: fixed lists,
// and every action recorded.
type fakeWebhooks struct {
	mu         sync.Mutex
	endpoints  map[string][]WebhookEndpoint
	deliveries map[string][]WebhookDelivery // newest first
	test       WebhookDelivery
	fail       error
	calls      []string
}

func newFakeWebhooks() *fakeWebhooks {
	ago := func(d time.Duration) time.Time { return t0.Add(-d) }
	return &fakeWebhooks{
		endpoints: map[string][]WebhookEndpoint{"delta": {
			{Name: "orders", URL: "https://hooks.example.com/wa/orders", Events: []string{"message.received", "outbox.dead"}, Secret: "env WA_ORDERS_SECRET"},
			{Name: "audit", URL: "http://10.0.0.7:8080/audit", Secret: "file /etc/waconsole/audit.secret"},
		}},
		deliveries: map[string][]WebhookDelivery{"delta": {
			{Seq: 44, Endpoint: "orders", Type: "message.received", State: "pending", Created: ago(2 * time.Second)},
			{Seq: 43, Endpoint: "audit", Type: "outbox.sent", State: "dead", Attempts: 8, LastStatus: 503, LastError: "service unavailable", Created: ago(30 * time.Hour)},
			{Seq: 42, Endpoint: "orders", Type: "message.received", State: "delivered", Attempts: 1, LastStatus: 200, Created: ago(4 * time.Minute)},
			{Seq: 41, Endpoint: "audit", Type: "session.state", State: "dead", Attempts: 8, LastError: "dial tcp 10.0.0.7:8080: connection refused", Created: ago(31 * time.Hour)},
		}},
		test: WebhookDelivery{Seq: 45, Endpoint: "orders", Type: "webhook.test", State: "delivered", Attempts: 1, LastStatus: 204},
	}
}

func (f *fakeWebhooks) record(format string, a ...any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, a...))
	return f.fail
}

func (f *fakeWebhooks) WebhookEndpoints(id string) ([]WebhookEndpoint, error) {
	return f.endpoints[id], nil
}

func (f *fakeWebhooks) WebhookDeliveries(id string, n int) ([]WebhookDelivery, error) {
	ds := f.deliveries[id]
	return ds[:min(n, len(ds))], nil
}

// AddEndpoint records the call and checks the endpoint with the service's
// own rules, so the console's tests see the messages operators see.
func (f *fakeWebhooks) AddEndpoint(id string, e NewEndpoint) (WebhookEndpoint, error) {
	if err := f.record("AddEndpoint %s %+v", id, e); err != nil {
		return WebhookEndpoint{}, err
	}
	w, err := webhook.Config{Session: id, Name: e.Name, URL: e.URL, Events: webhook.ParseEvents(e.Events),
		SecretFile: e.SecretFile, SecretEnv: e.SecretEnv}.Validate()
	if err != nil {
		return WebhookEndpoint{}, err
	}
	ep := WebhookEndpoint{Name: w.Name, URL: w.URL, Events: w.Events, Secret: "env " + w.SecretEnv}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.endpoints[id] = append(f.endpoints[id], ep)
	return ep, nil
}

func (f *fakeWebhooks) TestEndpoint(_ context.Context, id, name string) (WebhookDelivery, error) {
	return f.test, f.record("TestEndpoint %s %s", id, name)
}

func (f *fakeWebhooks) RetryWebhookDelivery(id string, seq uint64) error {
	return f.record("RetryWebhookDelivery %s %d", id, seq)
}

func (f *fakeWebhooks) RemoveWebhook(id, name string) error {
	return f.record("RemoveWebhook %s %s", id, name)
}

func (f *fakeWebhooks) requireCalls(t *testing.T, want ...string) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if fmt.Sprint(f.calls) != fmt.Sprint(want) {
		t.Fatalf("webhook calls %q, want %q", f.calls, want)
	}
}

// webhookModel is the console at the detail of delta, with its webhooks.
func webhookModel(t *testing.T, w, h int, opts Options) (*Model, *fakeWebhooks) {
	f := newFake(fixedNow)
	fixture(f)
	hooks := newFakeWebhooks()
	opts.Webhooks = hooks
	m, _ := newTestModel(t, f, w, h, opts)
	m.table.selected = "delta"
	press(t, m, "enter")
	return m, hooks
}

func TestGoldenWebhooks(t *testing.T) {
	goldenScreens(t, goldenSizes, func(t *testing.T, m *Model, _ *fakeBackend) {
		m.opts.Webhooks = newFakeWebhooks()
		m.table.selected = "delta"
		press(t, m, "enter", "w")
	})
}

func TestWebhooksScreen(t *testing.T) {
	m, hooks := webhookModel(t, 120, 40, Options{})
	press(t, m, "w")
	if where(m) != "webhooks delta" {
		t.Fatalf("w on the detail opened %q, want the webhooks of delta", where(m))
	}
	requireContains(t, screen(m), "Webhooks of delta", "Endpoints (2)", "https://hooks.example.com/wa/orders",
		"message.received,outbox.dead", "env WA_ORDERS_SECRET", "file /etc/waconsole/audit.secret", "all",
		"Recent deliveries (4)", "HTTP 503: service unavailable", "not tried yet", "connection refused")

	press(t, m, "t")
	hooks.requireCalls(t, "TestEndpoint delta orders")
	requireContains(t, screen(m), "webhook orders: test delivered (HTTP 204)")

	hooks.test = WebhookDelivery{State: "pending", Attempts: 1, LastStatus: 500, LastError: "internal error"}
	press(t, m, "down", "t")
	hooks.requireCalls(t, "TestEndpoint delta orders", "TestEndpoint delta audit")
	requireContains(t, screen(m), "webhook audit: test pending: HTTP 500: internal error")

	// R acts on the deliveries: tab moves there; only a dead one is retried.
	press(t, m, "R")
	requireContains(t, screen(m), "tab moves between the endpoints and the deliveries")
	press(t, m, "tab", "R")
	requireContains(t, screen(m), "delivery 44 is pending: only a dead delivery is retried")
	press(t, m, "down", "R")
	hooks.requireCalls(t, "TestEndpoint delta orders", "TestEndpoint delta audit", "RetryWebhookDelivery delta 43")
	requireContains(t, screen(m), "delta: delivery 43 queued again")

	// Remove asks first, and acts on the endpoints.
	press(t, m, "tab", "X")
	requireContains(t, screen(m), "Remove webhook audit?", "http://10.0.0.7:8080/audit")
	press(t, m, "n")
	hooks.requireCalls(t, "TestEndpoint delta orders", "TestEndpoint delta audit", "RetryWebhookDelivery delta 43")
	press(t, m, "X", "y")
	hooks.requireCalls(t, "TestEndpoint delta orders", "TestEndpoint delta audit", "RetryWebhookDelivery delta 43", "RemoveWebhook delta audit")
	requireContains(t, screen(m), "delta: webhook audit removed")

	hooks.fail = errors.New("webhook \"audit\" of session \"delta\": not found")
	press(t, m, "X", "y")
	requireContains(t, screen(m), "could not remove webhook audit: webhook \"audit\"")
}

func TestWebhooksReadOnlyCannotRemove(t *testing.T) {
	m, hooks := webhookModel(t, 120, 40, Options{ReadOnly: true})
	press(t, m, "w", "X")
	if m.dialog != nil {
		t.Fatal("X opened a dialog in read-only mode")
	}
	requireContains(t, screen(m), "read-only")
	press(t, m, "t")
	hooks.requireCalls(t, "TestEndpoint delta orders")
}

func TestWebhooksCommandAndEmpty(t *testing.T) {
	m, hooks := webhookModel(t, 80, 24, Options{})
	press(t, m, "esc", ":")
	typeText(t, m, "w alpha")
	press(t, m, "enter")
	if where(m) != "webhooks alpha" {
		t.Fatalf(":w alpha opened %q", where(m))
	}
	requireContains(t, screen(m), "Endpoints (0)", "none: add one with waconsole webhook add alpha", "none yet: t sends a test event")
	press(t, m, "t")
	requireContains(t, screen(m), "no endpoint: add one with waconsole webhook add alpha")
	press(t, m, "tab", "R")
	requireContains(t, screen(m), "no delivery to retry")
	hooks.requireCalls(t)
}

func TestWebhooksNotWired(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	press(t, m, ":")
	typeText(t, m, "webhooks alpha")
	press(t, m, "enter")
	if where(m) == "webhooks alpha" {
		t.Fatal("the webhook screen opened without a webhook service")
	}
	requireContains(t, screen(m), "webhooks are not available in this console: use waconsole webhook list alpha")
}

// An endpoint disabled by a 410 Gone shows as disabled beside its URL.
func TestWebhooksScreenShowsADisabledEndpoint(t *testing.T) {
	m, hooks := webhookModel(t, 120, 40, Options{})
	hooks.endpoints["delta"][1].Disabled = "it answered 410 Gone"
	press(t, m, "w")
	requireContains(t, screen(m), "disabled http://10.0.0.7:8080/audit", "https://hooks.example.com/wa/orders")
	if strings.Contains(screen(m), "disabled https://hooks.example.com") {
		t.Error("the enabled endpoint shows as disabled")
	}
}
