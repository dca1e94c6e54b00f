package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/waconsole/waconsole/session"
)

// fakeHooks keeps endpoints in memory and records what the server asked.
type fakeHooks struct {
	hooks      map[string][]Webhook
	deliveries []Delivery
	states     []string
}

func (f *fakeHooks) AddWebhook(id string, req WebhookRequest) (Webhook, error) {
	if req.URL == "" {
		return Webhook{}, fmt.Errorf("no URL: %w", session.ErrInvalid)
	}
	w := Webhook{Name: req.Name, URL: req.URL, Events: req.Events, SecretEnv: req.SecretEnv}
	f.hooks[id] = append(f.hooks[id], w)
	return w, nil
}

func (f *fakeHooks) Webhooks(id string) ([]Webhook, error) { return f.hooks[id], nil }

func (f *fakeHooks) RemoveWebhook(id, name string) error {
	i := slices.IndexFunc(f.hooks[id], func(w Webhook) bool { return w.Name == name })
	if i < 0 {
		return fmt.Errorf("webhook %q: %w", name, session.ErrNotFound)
	}
	f.hooks[id] = slices.Delete(f.hooks[id], i, i+1)
	return nil
}

func (f *fakeHooks) TestWebhook(_ context.Context, id, name string) ([]Delivery, error) {
	return []Delivery{{Seq: 1, Endpoint: name, Type: "webhook.test", State: "delivered", LastStatus: 204}}, nil
}

func (f *fakeHooks) Deliveries(id string, states []string) ([]Delivery, error) {
	f.states = states
	return f.deliveries, nil
}

func (f *fakeHooks) RetryDelivery(id string, seq uint64) (Delivery, error) {
	if seq != 7 {
		return Delivery{}, fmt.Errorf("delivery %d is delivered: %w", seq, session.ErrWrongState)
	}
	return Delivery{Seq: 7, State: "pending"}, nil
}

func TestWebhookRoutesThroughTheClient(t *testing.T) {
	hooks := &fakeHooks{hooks: map[string][]Webhook{}}
	c, _ := startServer(t, Handler(newFake("s1"), testInfo, Options{Webhooks: hooks}))
	ctx := context.Background()
	if _, err := c.AddWebhook(ctx, "s1", WebhookRequest{Name: "crm", URL: "https://e/h", SecretEnv: "S", Events: []string{"message.ack"}}); err != nil {
		t.Fatal(err)
	}
	_, err := c.AddWebhook(ctx, "s1", WebhookRequest{Name: "x"})
	wantAPIError(t, err, CodeInvalid)
	list, err := c.Webhooks(ctx, "s1")
	if err != nil || len(list) != 1 || list[0].Name != "crm" || list[0].Events[0] != "message.ack" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	ds, err := c.TestWebhook(ctx, "s1", "crm")
	if err != nil || len(ds) != 1 || ds[0].Endpoint != "crm" || ds[0].LastStatus != 204 {
		t.Fatalf("test = %+v, %v", ds, err)
	}
	if _, err := c.Deliveries(ctx, "s1", "dead", "pending"); err != nil || !slices.Equal(hooks.states, []string{"dead", "pending"}) {
		t.Errorf("deliveries asked for states %v, %v", hooks.states, err)
	}
	_, err = c.Deliveries(ctx, "s1", "lost")
	wantAPIError(t, err, CodeBadRequest)
	if d, err := c.RetryDelivery(ctx, "s1", 7); err != nil || d.State != "pending" {
		t.Errorf("retry = %+v, %v", d, err)
	}
	_, err = c.RetryDelivery(ctx, "s1", 8)
	wantAPIError(t, err, CodeWrongState)
	if err := c.RemoveWebhook(ctx, "s1", "crm"); err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, c.RemoveWebhook(ctx, "s1", "crm"), CodeNotFound)
	_, err = c.Webhooks(ctx, "nobody")
	wantAPIError(t, err, CodeUnknownSession)
	if list, err := c.Webhooks(ctx, "s1"); err != nil || list == nil || len(list) != 0 {
		t.Errorf("an empty list = %#v, %v; want []", list, err)
	}
}

// Without a webhook service the routes say so instead of failing obscurely.
func TestWebhookRoutesWithoutService(t *testing.T) {
	c, _ := startServer(t, Handler(newFake("s1"), testInfo))
	_, err := c.Webhooks(context.Background(), "s1")
	wantAPIError(t, err, CodeUnavailable)
}

// A read key sees where events go, not the URL's token: the scheme and
// host alone. Keys that may change endpoints see the whole URL.
func TestTCPReadKeySeesWebhookHostOnly(t *testing.T) {
	a := newTCPAPI(t)
	a.hooks.hooks["shop"] = []Webhook{
		{Name: "slack", URL: "https://hooks.example.com/services/T0/B0/s3cretPathToken"},
		{Name: "crm", URL: "https://ops:s3cretPw@crm.example:8443/hook?token=s3cretQuery#frag"},
		{Name: "bare", URL: "http://10.0.0.5:9000"},
	}
	want := map[string]string{"slack": "https://hooks.example.com/…", "crm": "https://crm.example:8443/…", "bare": "http://10.0.0.5:9000"}
	var list WebhookList
	rec := a.do(t, readKey, "GET", "/v1/sessions/shop/webhooks", "")
	if strings.Contains(rec.Body.String(), "s3cret") {
		t.Errorf("a read key sees a token: %s", rec.Body)
	}
	ok(t, rec, http.StatusOK, &list)
	for _, w := range list.Webhooks {
		if w.URL != want[w.Name] {
			t.Errorf("a read key sees %s as %q, want %q", w.Name, w.URL, want[w.Name])
		}
	}
	ok(t, a.do(t, operateKey, "GET", "/v1/sessions/shop/webhooks", ""), http.StatusOK, &list)
	if len(list.Webhooks) != 3 || list.Webhooks[0].URL != a.hooks.hooks["shop"][0].URL || list.Webhooks[1].URL != a.hooks.hooks["shop"][1].URL {
		t.Errorf("an operate key sees %+v, want the whole URLs", list.Webhooks)
	}
}
