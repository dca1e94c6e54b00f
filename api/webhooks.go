package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Webhooks is what the API offers on webhook endpoints and deliveries;
// the runtime's webhook service implements it (wired by cli). Errors are
// classified as the runtime's are.
type Webhooks interface {
	AddWebhook(session string, req WebhookRequest) (Webhook, error)
	Webhooks(session string) ([]Webhook, error)
	RemoveWebhook(session, name string) error
	// TestWebhook sends a webhook.test event to the named endpoint (all
	// when name is empty) and returns the deliveries after their first
	// attempt.
	TestWebhook(ctx context.Context, session, name string) ([]Delivery, error)
	Deliveries(session string, states []string) ([]Delivery, error)
	RetryDelivery(session string, seq uint64) (Delivery, error)
}

// Options add optional parts to Handler.
type Options struct {
	Webhooks Webhooks // nil: the webhook routes answer unavailable
	Keys     Keys     // nil: the API key routes answer unavailable
}

// DeliveryStates are the states a webhook delivery can be in.
var DeliveryStates = []string{"pending", "delivering", "delivered", "dead"}

// testWait bounds how long a test request waits for the first attempt:
// the 15 s attempt timeout and some room.
const testWait = 20 * time.Second

// WebhookRequest adds an endpoint: exactly one of SecretFile (an absolute
// path the server reads) and SecretEnv (a variable of the server's
// environment). No events means all of them.
type WebhookRequest struct {
	Name       string   `json:"name,omitempty"`
	URL        string   `json:"url"`
	Events     []string `json:"events,omitempty"`
	SecretFile string   `json:"secretFile,omitempty"`
	SecretEnv  string   `json:"secretEnv,omitempty"`
}

// Webhook is an endpoint; where its secret comes from, never the secret.
type Webhook struct {
	Name       string    `json:"name"`
	URL        string    `json:"url"`
	Events     []string  `json:"events"` // empty: all
	SecretFile string    `json:"secretFile,omitempty"`
	SecretEnv  string    `json:"secretEnv,omitempty"`
	Created    time.Time `json:"created"`
	// Disabled is when the endpoint answered 410 Gone; nothing is sent to
	// it until it is added again under its name.
	Disabled       time.Time `json:"disabled,omitzero"`
	DisabledReason string    `json:"disabledReason,omitempty"`
}

// Delivery is one event on its way to one endpoint.
type Delivery struct {
	Seq         uint64    `json:"seq"`
	Endpoint    string    `json:"endpoint"`
	WebhookID   string    `json:"webhookId"`
	Type        string    `json:"type"`
	State       string    `json:"state"` // pending, delivering, delivered, dead
	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"nextAttempt,omitzero"`
	LastStatus  int       `json:"lastStatus,omitempty"`
	LastError   string    `json:"lastError,omitempty"`
	Created     time.Time `json:"created"`
	DeliveredAt time.Time `json:"deliveredAt,omitzero"`
}

// The lists and confirmations of the webhook routes.
type (
	WebhookList struct {
		Webhooks []Webhook `json:"webhooks"`
	}
	DeliveryList struct {
		Deliveries []Delivery `json:"deliveries"`
	}
	WebhookTestRequest struct {
		Name string `json:"name,omitempty"` // empty: every endpoint of the session
	}
	Removed struct {
		Removed string `json:"removed"` // the endpoint's name
	}
)

// hooks returns the webhook service once the request's session is known
// to exist; otherwise it answers (unavailable without a service) and
// returns nil.
func (s *server) hooks(w http.ResponseWriter, r *http.Request) Webhooks {
	if s.hooksSvc == nil {
		writeError(w, http.StatusServiceUnavailable, CodeUnavailable, "this process runs no webhook service")
		return nil
	}
	if _, err := s.b.Get(r.PathValue("id")); err != nil {
		fail(w, err)
		return nil
	}
	return s.hooksSvc
}

func (s *server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	h := s.hooks(w, r)
	if h == nil {
		return
	}
	list, err := h.Webhooks(r.PathValue("id"))
	if err != nil {
		fail(w, err)
		return
	}
	if p := principalOf(r); p != nil && p.key.Role == RoleRead {
		list = slices.Clone(list)
		for i := range list {
			list[i].URL = hostOnly(list[i].URL)
		}
	}
	writeJSON(w, http.StatusOK, WebhookList{Webhooks: nonNil(list)})
}

// hostOnly is an endpoint's URL as a read key sees it: its scheme and host,
// "/…" standing for the rest. A receiver's token is often in the URL (in
// the user info, the path or the query), and a read key must not learn
// what lets it post to the receiver.
func hostOnly(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "…"
	}
	out := u.Scheme + "://" + u.Host
	if strings.Trim(u.EscapedPath(), "/") != "" || u.RawQuery != "" || u.Fragment != "" {
		out += "/…"
	}
	return out
}

func (s *server) addWebhook(w http.ResponseWriter, r *http.Request) {
	h := s.hooks(w, r)
	var req WebhookRequest
	if h == nil || !decode(w, r, &req) {
		return
	}
	hook, err := h.AddWebhook(r.PathValue("id"), req)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, hook)
}

func (s *server) removeWebhook(w http.ResponseWriter, r *http.Request) {
	h := s.hooks(w, r)
	if h == nil {
		return
	}
	if err := h.RemoveWebhook(r.PathValue("id"), r.PathValue("name")); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, Removed{Removed: r.PathValue("name")})
}

func (s *server) testWebhook(w http.ResponseWriter, r *http.Request) {
	h := s.hooks(w, r)
	var req WebhookTestRequest
	if h == nil || !decode(w, r, &req) {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), testWait)
	defer cancel()
	ds, err := h.TestWebhook(ctx, r.PathValue("id"), req.Name)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, DeliveryList{Deliveries: nonNil(ds)})
}

func (s *server) listDeliveries(w http.ResponseWriter, r *http.Request) {
	h := s.hooks(w, r)
	if h == nil {
		return
	}
	var states []string
	if v := r.URL.Query().Get("state"); v != "" {
		for _, st := range strings.Split(v, ",") {
			st = strings.TrimSpace(st)
			if !slices.Contains(DeliveryStates, st) {
				writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("unknown delivery state %q: use %s", st, strings.Join(DeliveryStates, ", ")))
				return
			}
			states = append(states, st)
		}
	}
	ds, err := h.Deliveries(r.PathValue("id"), states)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, DeliveryList{Deliveries: nonNil(ds)})
}

func (s *server) retryDelivery(w http.ResponseWriter, r *http.Request) {
	h := s.hooks(w, r)
	if h == nil {
		return
	}
	seq, err := strconv.ParseUint(r.PathValue("seq"), 10, 64)
	if err != nil || seq == 0 {
		writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("delivery %q is not a delivery number (see webhook deliveries)", r.PathValue("seq")))
		return
	}
	d, err := h.RetryDelivery(r.PathValue("id"), seq)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// AddWebhook adds an endpoint to a session.
func (c *Client) AddWebhook(ctx context.Context, id string, req WebhookRequest) (Webhook, error) {
	var out Webhook
	return out, c.do(ctx, "POST", sessionPath(id, "webhooks"), req, &out)
}

// Webhooks lists a session's endpoints.
func (c *Client) Webhooks(ctx context.Context, id string) ([]Webhook, error) {
	var out WebhookList
	return out.Webhooks, c.do(ctx, "GET", sessionPath(id, "webhooks"), nil, &out)
}

// RemoveWebhook removes an endpoint.
func (c *Client) RemoveWebhook(ctx context.Context, id, name string) error {
	return c.do(ctx, "DELETE", sessionPath(id, "webhooks", url.PathEscape(name)), nil, nil)
}

// TestWebhook sends a test event and returns the deliveries' outcomes.
func (c *Client) TestWebhook(ctx context.Context, id, name string) ([]Delivery, error) {
	var out DeliveryList
	return out.Deliveries, c.do(ctx, "POST", sessionPath(id, "webhooks", "test"), WebhookTestRequest{Name: name}, &out)
}

// Deliveries lists a session's webhook deliveries in the given states (all when none).
func (c *Client) Deliveries(ctx context.Context, id string, states ...string) ([]Delivery, error) {
	var out DeliveryList
	path := sessionPath(id, "deliveries")
	if len(states) > 0 {
		path += "?state=" + url.QueryEscape(strings.Join(states, ","))
	}
	return out.Deliveries, c.do(ctx, "GET", path, nil, &out)
}

// RetryDelivery makes a dead delivery pending again.
func (c *Client) RetryDelivery(ctx context.Context, id string, seq uint64) (Delivery, error) {
	var out Delivery
	return out, c.do(ctx, "POST", sessionPath(id, "deliveries", fmt.Sprint(seq), "retry"), nil, &out)
}
