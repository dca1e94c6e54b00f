package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/store"
	"github.com/waconsole/waconsole/ui"
	"github.com/waconsole/waconsole/webhook"
)

// newWebhookAdapter is the adapter over a running service whose store
// holds session s1.
func newWebhookAdapter(t *testing.T) (webhookAdapter, *webhook.Service) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "waconsole.db"), store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.CreateSession(store.Session{ID: "s1"}); err != nil {
		t.Fatal(err)
	}
	svc := webhook.New(db, webhook.Options{})
	if err := svc.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	return webhookAdapter{svc}, svc
}

// The console adds endpoints through the service's own checks: what it
// refuses is not stored, and what it takes is listed as the CLI lists it.
func TestWebhookAdapterAddsEndpointsForTheConsole(t *testing.T) {
	a, _ := newWebhookAdapter(t)
	for _, bad := range []ui.NewEndpoint{
		{SecretEnv: "WA_SECRET"},
		{URL: "https://crm.example.com/wa"},
		{URL: "https://crm.example.com/wa", SecretFile: "/etc/waconsole/crm.secret", SecretEnv: "WA_SECRET"},
		{URL: "https://crm.example.com/wa", Events: "message.received,message.sent", SecretEnv: "WA_SECRET"},
	} {
		if _, err := a.AddEndpoint("s1", bad); !errors.Is(err, webhook.ErrInvalid) {
			t.Fatalf("AddEndpoint(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
	ep, err := a.AddEndpoint("s1", ui.NewEndpoint{URL: "https://crm.example.com/wa", Events: "outbox.dead, message.received",
		SecretFile: "/etc/waconsole/crm.secret"})
	want := ui.WebhookEndpoint{Name: "hook1", URL: "https://crm.example.com/wa", Events: []string{"message.received", "outbox.dead"},
		Secret: "file /etc/waconsole/crm.secret"}
	if err != nil || fmt.Sprint(ep) != fmt.Sprint(want) {
		t.Fatalf("AddEndpoint = %+v, %v; want %+v", ep, err, want)
	}
	if eps, err := a.WebhookEndpoints("s1"); err != nil || fmt.Sprint(eps) != fmt.Sprint([]ui.WebhookEndpoint{want}) {
		t.Fatalf("endpoints %+v, %v; want only %+v", eps, err, want)
	}
	if _, err := a.AddEndpoint("s1", ui.NewEndpoint{Name: "hook1", URL: "https://other.example.com/", SecretEnv: "WA_SECRET"}); !errors.Is(err, store.ErrExists) {
		t.Fatalf("a second hook1: %v, want ErrExists", err)
	}
}

// The console's face of the adapter: where a secret comes from (never the
// secret), deliveries newest first, a test answered with its outcome, and
// the service's errors.
func TestWebhookAdapterForTheConsole(t *testing.T) {
	a, svc := newWebhookAdapter(t)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	t.Cleanup(receiver.Close)
	t.Setenv("WA_TEST_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if _, err := a.AddWebhook("s1", api.WebhookRequest{Name: "orders", URL: receiver.URL, SecretEnv: "WA_TEST_SECRET"}); err != nil {
		t.Fatal(err)
	}
	eps, err := a.WebhookEndpoints("s1")
	if err != nil || len(eps) != 1 || eps[0].Name != "orders" || eps[0].Secret != "env WA_TEST_SECRET" {
		t.Fatalf("endpoints %+v, %v; want orders with its secret's source", eps, err)
	}

	d, err := a.TestEndpoint(context.Background(), "s1", "orders")
	if err != nil || d.State != string(store.DeliveryDelivered) || d.LastStatus != http.StatusNoContent || d.Type != webhook.TestEvent {
		t.Fatalf("test %+v, %v; want delivered with 204", d, err)
	}
	if _, err := svc.Enqueue("s1", session.HookOutboxSent, map[string]string{"session": "s1"}); err != nil {
		t.Fatal(err)
	}
	ds, err := a.WebhookDeliveries("s1", 1)
	if err != nil || len(ds) != 1 || ds[0].Type != session.HookOutboxSent {
		t.Fatalf("the newest delivery %+v, %v; want the outbox.sent", ds, err)
	}
	if err := a.RetryWebhookDelivery("s1", d.Seq); !errors.Is(err, webhook.ErrWrongState) {
		t.Fatalf("retrying a delivered delivery: %v, want ErrWrongState", err)
	}
	if err := a.RemoveWebhook("s1", "orders"); err != nil {
		t.Fatal(err)
	}
	if eps, _ := a.WebhookEndpoints("s1"); len(eps) != 0 {
		t.Fatalf("endpoints after remove: %+v", eps)
	}
}

// An endpoint that answered 410 Gone shows as disabled to the API and the
// console, and a test of it is refused as a wrong state.
func TestWebhookAdapterShowsADisabledEndpoint(t *testing.T) {
	a, _ := newWebhookAdapter(t)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusGone) }))
	t.Cleanup(receiver.Close)
	t.Setenv("WA_TEST_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if _, err := a.AddWebhook("s1", api.WebhookRequest{Name: "crm", URL: receiver.URL, SecretEnv: "WA_TEST_SECRET"}); err != nil {
		t.Fatal(err)
	}
	if ds, err := a.TestWebhook(context.Background(), "s1", "crm"); err != nil || len(ds) != 1 || ds[0].State != "dead" {
		t.Fatalf("test to a 410: %+v, %v; want it dead", ds, err)
	}
	list, err := a.Webhooks("s1")
	if err != nil || len(list) != 1 || list[0].Disabled.IsZero() || list[0].DisabledReason != "it answered 410 Gone" {
		t.Fatalf("API list %+v, %v; want crm disabled with its reason", list, err)
	}
	eps, err := a.WebhookEndpoints("s1")
	if err != nil || len(eps) != 1 || eps[0].Disabled != "it answered 410 Gone" {
		t.Fatalf("console list %+v, %v; want crm disabled", eps, err)
	}
	if _, err := a.TestWebhook(context.Background(), "s1", "crm"); !errors.Is(err, session.ErrWrongState) {
		t.Fatalf("test of a disabled endpoint: %v, want ErrWrongState", err)
	}
}
