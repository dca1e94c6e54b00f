package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/waconsole/waconsole/store"
)

// idlePoll bounds the worker's sleep when nothing is scheduled, in case a
// producer wrote deliveries without waking it (a transaction of its own).
const idlePoll = time.Second

// Start requeues the deliveries a previous process left mid-attempt (same
// webhook id) and runs the worker until Close.
func (s *Service) Start() error {
	n, err := s.db.RequeueDelivering()
	if err != nil {
		return err
	}
	if n > 0 {
		s.o.Log.Info("webhook deliveries interrupted by a stop are queued again", "deliveries", n)
	}
	s.wg.Add(2)
	go s.run()
	go s.sweep()
	return nil
}

// Close stops the worker and waits for attempts in flight to end. An
// attempt cut short is left delivering in the store, for the next Start.
func (s *Service) Close() {
	s.cancel()
	s.wg.Wait()
}

func (s *Service) run() {
	defer s.wg.Done()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.kick:
		case <-timer.C:
		}
		wait := idlePoll
		if next := s.dispatch(); !next.IsZero() {
			wait = min(max(time.Until(next), time.Millisecond), idlePoll)
		}
		timer.Reset(wait)
	}
}

// dispatch starts an attempt for every due delivery whose endpoint has a
// free slot and returns when the next scheduled one is due.
func (s *Service) dispatch() time.Time {
	due, next, err := s.db.DueDeliveries(time.Now())
	if err != nil {
		s.o.Log.Error("reading the webhook queue failed", "err", err, "err_type", "store")
		return time.Now().Add(idlePoll)
	}
	for _, d := range due {
		key := endpointKey{d.Session, d.Endpoint}
		s.mu.Lock()
		free := !s.inflight[d.Seq] && s.busy[key] < s.o.Concurrency
		if free {
			s.inflight[d.Seq] = true
			s.busy[key]++
		}
		s.mu.Unlock()
		if !free {
			continue
		}
		claimed, err := s.db.UpdateDelivery(d.Seq, func(d *store.Delivery) error {
			if d.State != store.DeliveryPending {
				return ErrWrongState // retried or finished meanwhile
			}
			d.State = store.DeliveryDelivering
			d.Attempts++
			return nil
		})
		if err != nil {
			s.release(d.Seq, key)
			continue
		}
		s.wg.Add(1)
		go s.attempt(claimed, key)
	}
	return next
}

func (s *Service) release(seq uint64, key endpointKey) {
	s.mu.Lock()
	delete(s.inflight, seq)
	s.busy[key]--
	close(s.settled)
	s.settled = make(chan struct{})
	s.mu.Unlock()
	s.wake()
}

// attempt makes one attempt and records its outcome.
func (s *Service) attempt(d store.Delivery, key endpointKey) {
	defer s.wg.Done()
	defer s.release(d.Seq, key)
	status, wait, err := s.post(d)
	if s.ctx.Err() != nil {
		return // stopping: left delivering, requeued by the next Start
	}
	saved, uerr := s.db.UpdateDelivery(d.Seq, func(d *store.Delivery) error {
		wait = s.settle(d, status, wait, err)
		return nil
	})
	if uerr != nil {
		deliveryLog(s.o.Log, d).Error("recording a webhook delivery failed", "err", uerr, "err_type", "store")
		return
	}
	if err == nil || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrDisabled) {
		return // delivered, or the operator removed the endpoint or it was disabled: no news
	}
	reason := failureReason(saved, len(s.o.Schedule), status, err, wait)
	if status == http.StatusGone {
		reason = s.disable(saved)
	}
	s.o.OnFailure(saved.Session, saved.Endpoint, saved.State == store.DeliveryDead, reason)
}

// disable turns off an endpoint that answered 410 Gone, as Standard
// Webhooks asks, and returns what happened, for the operator.
func (s *Service) disable(d store.Delivery) string {
	const why = "it answered 410 Gone"
	n, err := s.db.DisableWebhook(d.Session, d.Endpoint, why)
	l := deliveryLog(s.o.Log, d)
	if err != nil {
		l.Error("disabling a webhook endpoint failed", "err", err, "err_type", "store")
		return fmt.Sprintf("%s: HTTP 410 Gone on attempt %d, but disabling it failed: %v", d.Endpoint, d.Attempts, err)
	}
	l.Warn("webhook endpoint disabled: it answered 410 Gone", "queued_dead", n)
	queued := ""
	switch {
	case n == 1:
		queued = ", its 1 queued delivery dead"
	case n > 1:
		queued = fmt.Sprintf(", its %d queued deliveries dead", n)
	}
	return fmt.Sprintf("%s: HTTP 410 Gone on attempt %d: endpoint disabled%s; add it again with waconsole webhook add to turn it back on",
		d.Endpoint, d.Attempts, queued)
}

// sweep removes the deliveries delivered longer than Keep ago (and the dead
// ones of removed endpoints), a bounded batch at a time; while a pass
// removes a full batch it goes on at once, else it waits SweepEvery (the
// store bounds what one pass looks at and goes on from there next time).
func (s *Service) sweep() {
	defer s.wg.Done()
	const batch = 500
	wait := time.Duration(0)
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(wait):
		}
		n, err := s.db.SweepDelivered(time.Now().Add(-s.o.Keep), batch)
		if err != nil {
			s.o.Log.Error("sweeping delivered webhook deliveries failed", "err", err, "err_type", "store")
		}
		wait = s.o.SweepEvery
		if n == batch {
			wait = 0
		}
	}
}

// settle moves d on after an attempt: delivered on a 2xx, dead on a
// permanent refusal or after the schedule's last attempt, else pending for
// the next one (at Retry-After when the endpoint gave one), and returns
// the wait before that one.
func (s *Service) settle(d *store.Delivery, status int, wait time.Duration, err error) time.Duration {
	now := time.Now()
	d.LastStatus = status
	l := deliveryLog(s.o.Log, *d)
	if err == nil {
		d.State, d.LastError, d.DeliveredAt = store.DeliveryDelivered, "", now
		l.Debug("webhook delivered", "status", status, "attempt", d.Attempts)
		return 0
	}
	d.LastError = withoutURL(err)
	if permanent(status) || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrDisabled) || d.Attempts >= len(s.o.Schedule) {
		d.State = store.DeliveryDead
		l.Error("webhook delivery dead", "status", status, "attempt", d.Attempts, "err", logError(status, err), "err_type", errType(status, err))
		return 0
	}
	if wait == 0 {
		wait = jitter(s.o.Schedule[d.Attempts])
	}
	d.State, d.NextAttempt = store.DeliveryPending, now.Add(wait)
	l.Warn("webhook delivery failed", "status", status, "attempt", d.Attempts, "next_in", wait.Round(time.Millisecond), "err", logError(status, err), "err_type", errType(status, err))
	return wait
}

// post sends d once, signed now, and returns the HTTP status (0 if none
// came back), the endpoint's Retry-After and why it failed.
func (s *Service) post(d store.Delivery) (int, time.Duration, error) {
	w, err := s.db.GetWebhook(d.Session, d.Endpoint)
	if err != nil {
		return 0, 0, fmt.Errorf("endpoint %q of session %q was removed: %w", d.Endpoint, d.Session, err)
	}
	if !w.Disabled.IsZero() {
		return 0, 0, fmt.Errorf("%w (%s): add %q again with waconsole webhook add to turn it back on", store.ErrDisabled, w.DisabledReason, d.Endpoint)
	}
	wh, err := signer(w)
	if err != nil {
		return 0, 0, err
	}
	now := time.Now()
	sig, err := wh.Sign(d.WebhookID, now, d.Body)
	if err != nil {
		return 0, 0, fmt.Errorf("signing: %w", err)
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(d.Body))
	if err != nil {
		return 0, 0, fmt.Errorf("the URL of endpoint %q does not parse; add it again with a valid one", d.Endpoint)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "waconsole-webhooks")
	req.Header.Set(standardwebhooks.HeaderWebhookID, d.WebhookID)
	req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(standardwebhooks.HeaderWebhookSignature, sig)
	resp, err := s.client.Do(req)
	if errors.Is(err, context.DeadlineExceeded) {
		return 0, 0, noAnswer(s.o.Timeout)
	}
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, 0, nil
	}
	return resp.StatusCode, retryAfter(resp, now), fmt.Errorf("the endpoint answered %s%s", resp.Status, quoteBody(snippet))
}

// quoteBody shows the start of an error response on one line.
func quoteBody(b []byte) string {
	text := strings.Join(strings.Fields(string(b)), " ")
	if text == "" || !utf8.ValidString(text) {
		return ""
	}
	return ": " + text
}
