package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/waconsole/waconsole/store"
)

// deliveryLog is l with a delivery's ids and the trace its event carries,
// if any. Never the URL or the secret: the endpoint is named.
func deliveryLog(l *slog.Logger, d store.Delivery) *slog.Logger {
	l = l.With("session", d.Session, "endpoint", d.Endpoint, "delivery", d.Seq, "webhook_id", d.WebhookID, "event", d.Type)
	if trace := traceOf(d.Body); trace != "" {
		l = l.With("trace", trace)
	}
	return l
}

// traceOf reads data.trace from an event body; "" for events without one.
func traceOf(body []byte) string {
	var ev struct {
		Data struct {
			Trace string `json:"trace"`
		} `json:"data"`
	}
	_ = json.Unmarshal(body, &ev)
	return ev.Data.Trace
}

// noAnswer is the failure of an endpoint that did not answer in time.
type noAnswer time.Duration

func (n noAnswer) Error() string { return fmt.Sprintf("no answer within %s", time.Duration(n)) }

// errType is a short, stable token for why an attempt failed, for logs.
func errType(status int, err error) string {
	var timeout noAnswer
	switch {
	case status >= 500:
		return "http_5xx"
	case status >= 400:
		return "http_4xx"
	case status >= 300:
		return "http_3xx"
	case errors.As(err, &timeout):
		return "timeout"
	case errors.Is(err, store.ErrNotFound):
		return "endpoint_removed"
	case errors.As(err, new(*url.Error)):
		return "network"
	}
	return "delivery_error"
}
