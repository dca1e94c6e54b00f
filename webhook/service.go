// Package webhook delivers a session's events to the operator's endpoints:
// durably (a queue in the store), at least once, signed with Standard
// Webhooks. Producers enqueue through the store, in their own transaction
// when they have one; the worker here delivers from there.
package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/waconsole/waconsole/store"
)

// ErrWrongState is returned for an operation the delivery's state forbids.
var ErrWrongState = errors.New("not possible in the delivery's state")

// Options tune the worker. The zero value is what production uses.
type Options struct {
	// Schedule is the wait before each attempt; after its last, a delivery
	// is dead. Nil means DefaultSchedule; tests pass short ones.
	Schedule []time.Duration
	// Concurrency bounds the attempts in flight per endpoint; 0 means 4.
	Concurrency int
	// Timeout bounds one attempt; 0 means 15 s.
	Timeout time.Duration
	// Log reports failed attempts; nil discards.
	Log *slog.Logger
	// OnFailure, when set, hears of every failed attempt and every delivery
	// that goes dead, with the session, the endpoint's name and a reason fit
	// for an operator (the endpoint's name, never its URL, secret or the
	// body). It runs on the attempt's goroutine, holding the endpoint's slot:
	// it should return quickly.
	OnFailure func(session, endpoint string, dead bool, reason string)
	// Keep is how long a delivered delivery stays listed; 0 means 7 days.
	Keep time.Duration
	// SweepEvery is how often older delivered deliveries are removed; 0
	// means a minute.
	SweepEvery time.Duration
}

// Service is the webhook side of a runtime: endpoint configuration, the
// delivery queue and its worker.
type Service struct {
	db     *store.DB
	o      Options
	client *http.Client
	kick   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	inflight map[uint64]bool
	busy     map[endpointKey]int
	settled  chan struct{} // closed and replaced after every attempt
}

type endpointKey struct{ session, name string }

// New returns a service over db; Start runs its worker.
func New(db *store.DB, o Options) *Service {
	if o.Schedule == nil {
		o.Schedule = DefaultSchedule
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.OnFailure == nil {
		o.OnFailure = func(string, string, bool, string) {}
	}
	if o.Keep <= 0 {
		o.Keep = 7 * 24 * time.Hour
	}
	if o.SweepEvery <= 0 {
		o.SweepEvery = time.Minute
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Service{
		db: db, o: o, ctx: ctx, cancel: cancel,
		// Redirects are not followed: a 3xx is a failed attempt, as the
		// specification says, and the signed request never goes elsewhere.
		client:   &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		kick:     make(chan struct{}, 1),
		inflight: map[uint64]bool{}, busy: map[endpointKey]int{},
		settled: make(chan struct{}),
	}
}

// Add validates and stores an endpoint; an endpoint of that name that is
// disabled is replaced, enabled.
func (s *Service) Add(c Config) (store.Webhook, error) {
	w, err := c.Validate()
	if err != nil {
		return store.Webhook{}, err
	}
	if w.Name == "" {
		existing, err := s.db.Webhooks(c.Session)
		if err != nil {
			return store.Webhook{}, err
		}
		for i := 1; w.Name == ""; i++ {
			name := fmt.Sprintf("hook%d", i)
			if !slices.ContainsFunc(existing, func(e store.Webhook) bool { return e.Name == name }) {
				w.Name = name
			}
		}
	}
	return s.db.AddWebhook(w)
}

// List returns the session's endpoints.
func (s *Service) List(session string) ([]store.Webhook, error) { return s.db.Webhooks(session) }

// Remove deletes an endpoint; its queued deliveries go dead.
func (s *Service) Remove(session, name string) error {
	if err := s.db.DeleteWebhook(session, name); err != nil {
		return err
	}
	s.wake()
	return nil
}

// Enqueue stores a delivery of the event to every endpoint of the session
// that wants it and wakes the worker.
func (s *Service) Enqueue(session, eventType string, data any) ([]store.Delivery, error) {
	ds, err := s.db.EnqueueDeliveries(store.WebhookEvent{Session: session, Type: eventType, Data: data})
	if err == nil && len(ds) > 0 {
		s.wake()
	}
	return ds, err
}

// Test sends a webhook.test event to the named endpoint, or to every
// endpoint of the session, and waits until each delivery's first attempt is
// over (or ctx ends), returning the deliveries as they then stand.
func (s *Service) Test(ctx context.Context, session, name string) ([]store.Delivery, error) {
	names := []string{name}
	if name == "" {
		all, err := s.db.Webhooks(session)
		if err != nil {
			return nil, err
		}
		if len(all) == 0 {
			return nil, fmt.Errorf("session %q has no webhook to test: add one with `waconsole webhook add`: %w", session, store.ErrNotFound)
		}
		names = names[:0]
		for _, w := range all {
			names = append(names, w.Name)
		}
	}
	var seqs []uint64
	for _, n := range names {
		ds, err := s.db.EnqueueDeliveries(store.WebhookEvent{
			Session: session, Type: TestEvent, Endpoint: n,
			Data: map[string]string{"session": session, "endpoint": n},
		})
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("%w; the session's webhooks: waconsole webhook list %s", err, session)
		}
		if err != nil {
			return nil, err
		}
		seqs = append(seqs, ds[0].Seq)
	}
	s.wake()
	return s.awaitAttempt(ctx, session, seqs)
}

// awaitAttempt waits until every delivery in seqs has had an attempt
// settle, then returns them.
func (s *Service) awaitAttempt(ctx context.Context, session string, seqs []uint64) ([]store.Delivery, error) {
	for {
		s.mu.Lock()
		settled := s.settled
		s.mu.Unlock()
		out := make([]store.Delivery, 0, len(seqs))
		for _, seq := range seqs {
			d, err := s.db.GetDelivery(seq)
			if err != nil {
				return nil, err
			}
			if d.State == store.DeliveryDelivering || (d.State == store.DeliveryPending && d.Attempts == 0) {
				break
			}
			out = append(out, d)
		}
		if len(out) == len(seqs) {
			return out, nil
		}
		select {
		case <-settled:
		case <-ctx.Done():
			return nil, fmt.Errorf("no outcome yet; see `waconsole webhook deliveries %s`: %w", session, ctx.Err())
		}
	}
}

// Deliveries lists the session's deliveries in the given states (all if none).
func (s *Service) Deliveries(session string, states ...store.DeliveryState) ([]store.Delivery, error) {
	return s.db.Deliveries(session, states...)
}

// Retry makes a dead delivery pending again, with its webhook id and the
// whole schedule ahead of it; not while its endpoint is disabled.
func (s *Service) Retry(session string, seq uint64) (store.Delivery, error) {
	if d, err := s.db.GetDelivery(seq); err == nil && d.Session == session {
		if w, err := s.db.GetWebhook(session, d.Endpoint); err == nil && !w.Disabled.IsZero() {
			return store.Delivery{}, fmt.Errorf("delivery %d: %w (%s): add %q again with waconsole webhook add first", seq, store.ErrDisabled, w.DisabledReason, w.Name)
		}
	}
	d, err := s.db.UpdateDelivery(seq, func(d *store.Delivery) error {
		switch {
		case d.Session != session:
			return store.ErrNotFound
		case d.State != store.DeliveryDead:
			return fmt.Errorf("delivery %d is %s, only a dead one is retried: %w", seq, d.State, ErrWrongState)
		}
		d.State, d.Attempts, d.NextAttempt = store.DeliveryPending, 0, time.Now()
		return nil
	})
	if err != nil {
		return store.Delivery{}, err
	}
	s.wake()
	return d, nil
}

func (s *Service) wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}
