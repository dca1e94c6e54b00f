package store

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DeliveryState is where a webhook delivery stands.
type DeliveryState string

// The delivery states; the webhook worker moves deliveries between them.
const (
	DeliveryPending    DeliveryState = "pending"
	DeliveryDelivering DeliveryState = "delivering"
	DeliveryDelivered  DeliveryState = "delivered"
	DeliveryDead       DeliveryState = "dead"
)

// Delivery is one event on its way to one endpoint. WebhookID is chosen at
// enqueue and sent on every attempt, so a receiver can drop repeats; Body
// is the exact bytes signed and sent.
type Delivery struct {
	Seq         uint64        `json:"seq"`
	Session     string        `json:"session"`
	Endpoint    string        `json:"endpoint"`
	WebhookID   string        `json:"webhook_id"`
	Type        string        `json:"type"`
	Body        []byte        `json:"body"`
	State       DeliveryState `json:"state"`
	Attempts    int           `json:"attempts,omitzero"`
	NextAttempt time.Time     `json:"next_attempt,omitzero"`
	LastStatus  int           `json:"last_status,omitzero"` // HTTP status of the last attempt, 0 if none came back
	LastError   string        `json:"last_error,omitzero"`
	Created     time.Time     `json:"created"`
	Updated     time.Time     `json:"updated"`
	DeliveredAt time.Time     `json:"delivered_at,omitzero"`
}

// WebhookEvent is something that happened, to be delivered to the session's
// endpoints that want its Type.
type WebhookEvent struct {
	Session string
	Type    string // such as "message.received"
	Data    any    // marshalled as the body's "data" object
	// Endpoint, when set, sends to that endpoint alone, whatever events it
	// chose (an operator's test).
	Endpoint string
}

// EnqueueDeliveries stores one pending delivery of ev per enabled endpoint
// that wants it, fsynced before it returns; none if no endpoint does. Concurrent
// callers share commits (db.Batch). A missing session or named endpoint
// fails with ErrNotFound, a named disabled one with ErrDisabled.
func (db *DB) EnqueueDeliveries(ev WebhookEvent) ([]Delivery, error) {
	now := time.Now()
	var out []Delivery
	err := db.bolt.Batch(func(tx *bolt.Tx) error {
		var err error
		out, err = EnqueueDeliveriesTx(tx, ev, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("enqueue %s deliveries of session %q: %w", ev.Type, ev.Session, err)
	}
	return out, nil
}

// EnqueueDeliveriesTx is EnqueueDeliveries inside the caller's write
// transaction, so a fact and the deliveries it causes commit together.
func EnqueueDeliveriesTx(tx *bolt.Tx, ev WebhookEvent, now time.Time) ([]Delivery, error) {
	if ev.Session == "" || ev.Type == "" {
		return nil, errors.New("an event needs a session and a type")
	}
	var targets []Webhook
	if ev.Endpoint != "" {
		w, err := getWebhook(tx, ev.Session, ev.Endpoint)
		if err != nil {
			return nil, fmt.Errorf("webhook %q: %w", ev.Endpoint, err)
		}
		if !w.Disabled.IsZero() {
			return nil, fmt.Errorf("webhook %q: %w (%s); add it again with `waconsole webhook add` to turn it back on", ev.Endpoint, ErrDisabled, w.DisabledReason)
		}
		targets = []Webhook{w}
	} else {
		all, err := webhooksTx(tx, ev.Session)
		if err != nil {
			return nil, err
		}
		for _, w := range all {
			if w.Wants(ev.Type) && w.Disabled.IsZero() {
				targets = append(targets, w)
			}
		}
	}
	if len(targets) == 0 {
		return nil, nil
	}
	body, err := eventBody(ev, now)
	if err != nil {
		return nil, err
	}
	b := getBucket(tx, bucketV1, bucketDeliveries)
	out := make([]Delivery, len(targets))
	for i, w := range targets {
		d := Delivery{
			Session: ev.Session, Endpoint: w.Name, Type: ev.Type, Body: body,
			State: DeliveryPending, NextAttempt: now, Created: now, Updated: now,
		}
		if d.WebhookID, err = newWebhookID(); err != nil {
			return nil, err
		}
		if d.Seq, err = b.NextSequence(); err != nil {
			return nil, err
		}
		if err := putDelivery(tx, d); err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// eventBody is the Standard Webhooks payload {"type","timestamp","data"}.
func eventBody(ev WebhookEvent, now time.Time) ([]byte, error) {
	data := ev.Data
	if data == nil {
		data = struct{}{}
	}
	body, err := json.Marshal(struct {
		Type      string `json:"type"`
		Timestamp string `json:"timestamp"`
		Data      any    `json:"data"`
	}{ev.Type, now.UTC().Format(time.RFC3339Nano), data})
	if err != nil {
		return nil, fmt.Errorf("event %s: its data cannot be encoded: %w", ev.Type, err)
	}
	return body, nil
}

// newWebhookID is "msg_" and 18 random bytes, URL-safe base64: no ".", which
// the signed content uses as its separator.
func newWebhookID() (string, error) {
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "msg_" + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// GetDelivery returns delivery seq, or ErrNotFound.
func (db *DB) GetDelivery(seq uint64) (Delivery, error) {
	var d Delivery
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		d, err = getDelivery(tx, seq)
		return err
	})
	if err != nil {
		return Delivery{}, fmt.Errorf("delivery %d: %w", seq, err)
	}
	return d, nil
}

// Deliveries returns the session's deliveries in the given states (all if
// none), oldest first.
func (db *DB) Deliveries(session string, states ...DeliveryState) ([]Delivery, error) {
	var out []Delivery
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if err := requireSession(tx, session); err != nil {
			return err
		}
		return getBucket(tx, bucketV1, bucketDeliveries).ForEach(func(k, v []byte) error {
			d, err := decodeDelivery(k, v)
			if err == nil && d.Session == session && (len(states) == 0 || slices.Contains(states, d.State)) {
				out = append(out, d)
			}
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("deliveries of session %q: %w", session, err)
	}
	return out, nil
}

// DueDeliveries returns the pending deliveries whose next attempt is at or
// before now, oldest first, and the earliest next attempt of the others
// (zero if none). It reads only the queue index, not the delivered history.
func (db *DB) DueDeliveries(now time.Time) (due []Delivery, next time.Time, err error) {
	err = db.bolt.View(func(tx *bolt.Tx) error {
		return getBucket(tx, bucketV1, bucketWebhookQueue).ForEach(func(k, _ []byte) error {
			seq, _ := btoi(k)
			d, err := getDelivery(tx, seq)
			switch {
			case err != nil:
				return err
			case d.State != DeliveryPending:
			case !d.NextAttempt.After(now):
				due = append(due, d)
			case next.IsZero() || d.NextAttempt.Before(next):
				next = d.NextAttempt
			}
			return nil
		})
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("due deliveries: %w", err)
	}
	return due, next, nil
}

// UpdateDelivery reads a delivery, lets fn change it and writes it back in
// one transaction, setting Updated; fn's error aborts it. Seq, Session,
// Endpoint, WebhookID and Body cannot change.
func (db *DB) UpdateDelivery(seq uint64, fn func(*Delivery) error) (Delivery, error) {
	var d Delivery
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		if d, err = getDelivery(tx, seq); err != nil {
			return err
		}
		before := d
		if err := fn(&d); err != nil {
			return err
		}
		if d.Seq != before.Seq || d.Session != before.Session || d.Endpoint != before.Endpoint ||
			d.WebhookID != before.WebhookID || string(d.Body) != string(before.Body) {
			return errors.New("seq, session, endpoint, webhook id and body cannot change")
		}
		d.Updated = time.Now()
		return putDelivery(tx, d)
	})
	if err != nil {
		return Delivery{}, fmt.Errorf("update delivery %d: %w", seq, err)
	}
	return d, nil
}

// RequeueDelivering makes every delivery left delivering (by a process that
// stopped mid-attempt) pending now, with its webhook id, and says how many.
func (db *DB) RequeueDelivering() (int, error) {
	n := 0
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var stuck []Delivery
		err := getBucket(tx, bucketV1, bucketWebhookQueue).ForEach(func(k, _ []byte) error {
			seq, _ := btoi(k)
			d, err := getDelivery(tx, seq)
			if err == nil && d.State == DeliveryDelivering {
				stuck = append(stuck, d)
			}
			return err
		})
		if err != nil {
			return err
		}
		now := time.Now()
		for _, d := range stuck {
			d.State, d.NextAttempt, d.Updated = DeliveryPending, now, now
			if err := putDelivery(tx, d); err != nil {
				return err
			}
		}
		n = len(stuck)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("requeue deliveries: %w", err)
	}
	return n, nil
}

func getDelivery(tx *bolt.Tx, seq uint64) (Delivery, error) {
	k := itob(seq)
	if v := getBucket(tx, bucketV1, bucketDeliveries).Get(k); v != nil {
		return decodeDelivery(k, v)
	}
	return Delivery{}, ErrNotFound
}

// putDelivery writes d and keeps the queue index to the deliveries still
// to be made (pending or delivering).
func putDelivery(tx *bolt.Tx, d Delivery) error {
	v, err := json.Marshal(d)
	if err != nil {
		return err
	}
	k := itob(d.Seq)
	if err := getBucket(tx, bucketV1, bucketDeliveries).Put(k, v); err != nil {
		return err
	}
	queue := getBucket(tx, bucketV1, bucketWebhookQueue)
	if d.State == DeliveryPending || d.State == DeliveryDelivering {
		return queue.Put(k, nil)
	}
	return queue.Delete(k)
}

// decodeDelivery trusts the key over the value for Seq.
func decodeDelivery(k, v []byte) (Delivery, error) {
	seq, ok := btoi(k)
	var d Delivery
	if err := json.Unmarshal(v, &d); err != nil || !ok {
		return Delivery{}, fmt.Errorf("delivery %x is damaged: %v; restore a backup", k, err)
	}
	d.Seq = seq
	return d, nil
}

// DeliveryCounts counts every session's deliveries by state. It reads each
// delivery's session and state alone, not its body.
func (db *DB) DeliveryCounts() (map[string]map[DeliveryState]int, error) {
	out := map[string]map[DeliveryState]int{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return getBucket(tx, bucketV1, bucketDeliveries).ForEach(func(k, v []byte) error {
			var d struct {
				Session string        `json:"session"`
				State   DeliveryState `json:"state"`
			}
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("delivery %x is damaged: %v; restore a backup", k, err)
			}
			if out[d.Session] == nil {
				out[d.Session] = map[DeliveryState]int{}
			}
			out[d.Session][d.State]++
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("counting webhook deliveries: %w", err)
	}
	return out, nil
}

// alertEventPrefix starts the types of the webhook events of alerts.
const alertEventPrefix = "alert."

// DeliveryTrouble counts one session's deliveries in trouble.
type DeliveryTrouble struct {
	Failing int // pending after at least the given number of failed attempts
	Dead    int
}

// DeliveriesInTrouble counts, per session, the deliveries still retrying
// after minAttempts or more failed attempts and the dead ones, of endpoints
// that still exist: removing an endpoint ends its trouble. The deliveries of
// alerts (types "alert.…") do not count: the alerts about this trouble go to
// the same endpoints, and counting their failures would raise and resolve
// those alerts again and again while an endpoint is down. It reads each
// delivery's fields alone, not its body.
func (db *DB) DeliveriesInTrouble(minAttempts int) (map[string]DeliveryTrouble, error) {
	out := map[string]DeliveryTrouble{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return getBucket(tx, bucketV1, bucketDeliveries).ForEach(func(k, v []byte) error {
			var d struct {
				Session  string        `json:"session"`
				Endpoint string        `json:"endpoint"`
				State    DeliveryState `json:"state"`
				Attempts int           `json:"attempts"`
				Type     string        `json:"type"`
			}
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("delivery %x is damaged: %v; restore a backup", k, err)
			}
			if strings.HasPrefix(d.Type, alertEventPrefix) {
				return nil
			}
			failing := d.State == DeliveryPending && d.Attempts >= minAttempts
			if !failing && d.State != DeliveryDead {
				return nil
			}
			if _, err := getWebhook(tx, d.Session, d.Endpoint); err != nil {
				return nil // the endpoint or its session is gone
			}
			t := out[d.Session]
			if failing {
				t.Failing++
			} else {
				t.Dead++
			}
			out[d.Session] = t
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("webhook deliveries in trouble: %w", err)
	}
	return out, nil
}
