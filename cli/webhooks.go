package cli

import (
	"context"
	"errors"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/store"
	"github.com/waconsole/waconsole/webhook"
)

// webhookAPI offers the webhook service to the API in the API's types.
type webhookAPI struct{ svc *webhook.Service }

func (a webhookAPI) AddWebhook(id string, req api.WebhookRequest) (api.Webhook, error) {
	w, err := a.svc.Add(webhook.Config{Session: id, Name: req.Name, URL: req.URL, Events: req.Events, SecretFile: req.SecretFile, SecretEnv: req.SecretEnv})
	return toAPIWebhook(w), apiError(err)
}

func (a webhookAPI) Webhooks(id string) ([]api.Webhook, error) {
	list, err := a.svc.List(id)
	out := make([]api.Webhook, len(list))
	for i, w := range list {
		out[i] = toAPIWebhook(w)
	}
	return out, apiError(err)
}

func (a webhookAPI) RemoveWebhook(id, name string) error { return apiError(a.svc.Remove(id, name)) }

func (a webhookAPI) TestWebhook(ctx context.Context, id, name string) ([]api.Delivery, error) {
	ds, err := a.svc.Test(ctx, id, name)
	return toAPIDeliveries(ds), apiError(err)
}

func (a webhookAPI) Deliveries(id string, states []string) ([]api.Delivery, error) {
	st := make([]store.DeliveryState, len(states))
	for i, s := range states {
		st[i] = store.DeliveryState(s)
	}
	ds, err := a.svc.Deliveries(id, st...)
	return toAPIDeliveries(ds), apiError(err)
}

func (a webhookAPI) RetryDelivery(id string, seq uint64) (api.Delivery, error) {
	d, err := a.svc.Retry(id, seq)
	return toAPIDelivery(d), apiError(err)
}

func toAPIWebhook(w store.Webhook) api.Webhook {
	events := w.Events
	if events == nil {
		events = []string{}
	}
	return api.Webhook{Name: w.Name, URL: w.URL, Events: events, SecretFile: w.SecretFile, SecretEnv: w.SecretEnv, Created: w.Created}
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
	case errors.Is(err, webhook.ErrWrongState):
		return kindError{err, session.ErrWrongState}
	}
	return err
}

type kindError struct{ err, kind error }

func (k kindError) Error() string   { return k.err.Error() }
func (k kindError) Unwrap() []error { return []error{k.err, k.kind} }
