package cli

import (
	"context"
	"errors"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/store"
	"github.com/waconsole/waconsole/ui"
	"github.com/waconsole/waconsole/webhook"
)

// webhookAdapter offers the webhook service to the API and to the console,
// each in its own types.
type webhookAdapter struct{ svc *webhook.Service }

func (a webhookAdapter) AddWebhook(id string, req api.WebhookRequest) (api.Webhook, error) {
	w, err := a.svc.Add(webhook.Config{Session: id, Name: req.Name, URL: req.URL, Events: req.Events, SecretFile: req.SecretFile, SecretEnv: req.SecretEnv})
	return toAPIWebhook(w), apiError(err)
}

func (a webhookAdapter) Webhooks(id string) ([]api.Webhook, error) {
	list, err := a.svc.List(id)
	out := make([]api.Webhook, len(list))
	for i, w := range list {
		out[i] = toAPIWebhook(w)
	}
	return out, apiError(err)
}

func (a webhookAdapter) RemoveWebhook(id, name string) error { return apiError(a.svc.Remove(id, name)) }

func (a webhookAdapter) TestWebhook(ctx context.Context, id, name string) ([]api.Delivery, error) {
	ds, err := a.svc.Test(ctx, id, name)
	return toAPIDeliveries(ds), apiError(err)
}

func (a webhookAdapter) Deliveries(id string, states []string) ([]api.Delivery, error) {
	st := make([]store.DeliveryState, len(states))
	for i, s := range states {
		st[i] = store.DeliveryState(s)
	}
	ds, err := a.svc.Deliveries(id, st...)
	return toAPIDeliveries(ds), apiError(err)
}

func (a webhookAdapter) RetryDelivery(id string, seq uint64) (api.Delivery, error) {
	d, err := a.svc.Retry(id, seq)
	return toAPIDelivery(d), apiError(err)
}

func (a webhookAdapter) WebhookEndpoints(id string) ([]ui.WebhookEndpoint, error) {
	list, err := a.svc.List(id)
	out := make([]ui.WebhookEndpoint, len(list))
	for i, w := range list {
		out[i] = toUIEndpoint(w)
	}
	return out, err
}

func (a webhookAdapter) AddEndpoint(id string, e ui.NewEndpoint) (ui.WebhookEndpoint, error) {
	w, err := a.svc.Add(webhook.Config{Session: id, Name: e.Name, URL: e.URL, Events: webhook.ParseEvents(e.Events),
		SecretFile: e.SecretFile, SecretEnv: e.SecretEnv})
	return toUIEndpoint(w), err
}

func (a webhookAdapter) WebhookDeliveries(id string, n int) ([]ui.WebhookDelivery, error) {
	ds, err := a.svc.Deliveries(id)
	out := make([]ui.WebhookDelivery, 0, min(len(ds), n))
	for i := len(ds) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, toUIDelivery(ds[i]))
	}
	return out, err
}

func (a webhookAdapter) TestEndpoint(ctx context.Context, id, name string) (ui.WebhookDelivery, error) {
	ds, err := a.svc.Test(ctx, id, name)
	if err != nil || len(ds) == 0 {
		return ui.WebhookDelivery{}, err
	}
	return toUIDelivery(ds[0]), nil
}

func (a webhookAdapter) RetryWebhookDelivery(id string, seq uint64) error {
	_, err := a.svc.Retry(id, seq)
	return err
}

// toUIEndpoint says where the secret comes from, never the secret.
func toUIEndpoint(w store.Webhook) ui.WebhookEndpoint {
	secret := "env " + w.SecretEnv
	if w.SecretFile != "" {
		secret = "file " + w.SecretFile
	}
	return ui.WebhookEndpoint{Name: w.Name, URL: w.URL, Events: w.Events, Secret: secret, Disabled: w.DisabledReason}
}

func toUIDelivery(d store.Delivery) ui.WebhookDelivery {
	return ui.WebhookDelivery{Seq: d.Seq, Endpoint: d.Endpoint, Type: d.Type, State: string(d.State), Attempts: d.Attempts,
		LastStatus: d.LastStatus, LastError: d.LastError, Created: d.Created, NextAttempt: d.NextAttempt}
}

func toAPIWebhook(w store.Webhook) api.Webhook {
	events := w.Events
	if events == nil {
		events = []string{}
	}
	return api.Webhook{Name: w.Name, URL: w.URL, Events: events, SecretFile: w.SecretFile, SecretEnv: w.SecretEnv, Created: w.Created,
		Disabled: w.Disabled, DisabledReason: w.DisabledReason}
}

func toAPIDeliveries(ds []store.Delivery) []api.Delivery {
	out := make([]api.Delivery, len(ds))
	for i, d := range ds {
		out[i] = toAPIDelivery(d)
	}
	return out
}

func toAPIDelivery(d store.Delivery) api.Delivery {
	return api.Delivery{
		Seq: d.Seq, Endpoint: d.Endpoint, WebhookID: d.WebhookID, Type: d.Type, State: string(d.State),
		Attempts: d.Attempts, NextAttempt: d.NextAttempt, LastStatus: d.LastStatus, LastError: d.LastError,
		Created: d.Created, DeliveredAt: d.DeliveredAt,
	}
}

// apiError gives the webhook service's errors the runtime's kinds, which
// the API maps to its codes; the message stays the service's.
func apiError(err error) error {
	switch {
	case errors.Is(err, webhook.ErrInvalid):
		return kindError{err, session.ErrInvalid}
	case errors.Is(err, store.ErrExists):
		return kindError{err, session.ErrExists}
	case errors.Is(err, webhook.ErrWrongState), errors.Is(err, store.ErrDisabled):
		return kindError{err, session.ErrWrongState}
	}
	return err
}

type kindError struct{ err, kind error }

func (k kindError) Error() string   { return k.err.Error() }
func (k kindError) Unwrap() []error { return []error{k.err, k.kind} }
