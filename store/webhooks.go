package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Webhook is one endpoint a session's events are delivered to. The store
// keeps where its secret comes from, never the secret itself, so neither
// the file nor a backup of it holds one.
type Webhook struct {
	Session    string    `json:"session"`
	Name       string    `json:"name"`
	URL        string    `json:"url"`
	Events     []string  `json:"events,omitempty"` // empty: every event
	SecretFile string    `json:"secret_file,omitzero"`
	SecretEnv  string    `json:"secret_env,omitzero"`
	Created    time.Time `json:"created"`
	// Disabled is when the endpoint answered 410 Gone, as Standard Webhooks
	// asks: nothing more is sent to it until it is added again.
	Disabled       time.Time `json:"disabled,omitzero"`
	DisabledReason string    `json:"disabled_reason,omitzero"`
}

// ErrDisabled is an operation on an endpoint that is disabled.
var ErrDisabled = errors.New("endpoint disabled")

// Wants reports whether the endpoint takes events of type eventType.
func (w Webhook) Wants(eventType string) bool {
	return len(w.Events) == 0 || slices.Contains(w.Events, eventType)
}

// AddWebhook stores a new endpoint of an existing session; Created defaults
// to now. A name already used in the session fails with ErrExists, unless
// that endpoint is disabled: then w replaces it, enabled.
func (db *DB) AddWebhook(w Webhook) (Webhook, error) {
	if w.Session == "" || w.Name == "" || w.URL == "" {
		return Webhook{}, errors.New("add webhook: it lacks a session, name or URL")
	}
	if (w.SecretFile == "") == (w.SecretEnv == "") {
		return Webhook{}, errors.New("add webhook: give exactly one secret source, a file or an environment variable")
	}
	if w.Created.IsZero() {
		w.Created = time.Now()
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := requireSession(tx, w.Session); err != nil {
			return err
		}
		b, err := createBucketIfNotExists(tx, webhooksPath(w.Session)...)
		if err != nil {
			return err
		}
		if old := b.Get([]byte(w.Name)); old != nil {
			prev, err := decodeWebhook(w.Session, w.Name, old)
			if err != nil {
				return err
			}
			if prev.Disabled.IsZero() {
				return ErrExists
			}
		}
		v, err := json.Marshal(w)
		if err != nil {
			return err
		}
		return b.Put([]byte(w.Name), v)
	})
	if err != nil {
		return Webhook{}, fmt.Errorf("add webhook %q of session %q: %w", w.Name, w.Session, err)
	}
	return w, nil
}

// Webhooks returns the session's endpoints by name; ErrNotFound if the
// session does not exist.
func (db *DB) Webhooks(session string) ([]Webhook, error) {
	var out []Webhook
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = webhooksTx(tx, session)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("webhooks of session %q: %w", session, err)
	}
	return out, nil
}

// GetWebhook returns one endpoint, or ErrNotFound.
func (db *DB) GetWebhook(session, name string) (Webhook, error) {
	var w Webhook
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		w, err = getWebhook(tx, session, name)
		return err
	})
	if err != nil {
		return Webhook{}, fmt.Errorf("webhook %q of session %q: %w", name, session, err)
	}
	return w, nil
}

// DeleteWebhook removes an endpoint. Its deliveries still queued go dead
// when their turn comes, saying the endpoint was removed.
func (db *DB) DeleteWebhook(session, name string) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if _, err := getWebhook(tx, session, name); err != nil {
			return err
		}
		return getBucket(tx, webhooksPath(session)...).Delete([]byte(name))
	})
	if err != nil {
		return fmt.Errorf("delete webhook %q of session %q: %w", name, session, err)
	}
	return nil
}

// DisableWebhook marks an endpoint disabled for reason and makes its
// pending deliveries dead with that reason, in one transaction; it returns
// how many went dead. One in flight goes dead when its attempt ends.
func (db *DB) DisableWebhook(session, name, reason string) (int, error) {
	n := 0
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		w, err := getWebhook(tx, session, name)
		if err != nil {
			return err
		}
		now := time.Now()
		w.Disabled, w.DisabledReason = now, reason
		v, err := json.Marshal(w)
		if err != nil {
			return err
		}
		if err := getBucket(tx, webhooksPath(session)...).Put([]byte(name), v); err != nil {
			return err
		}
		var queued []Delivery
		err = getBucket(tx, bucketV1, bucketWebhookQueue).ForEach(func(k, _ []byte) error {
			seq, _ := btoi(k)
			d, err := getDelivery(tx, seq)
			if err == nil && d.Session == session && d.Endpoint == name && d.State == DeliveryPending {
				queued = append(queued, d)
			}
			return err
		})
		if err != nil {
			return err
		}
		for _, d := range queued {
			d.State, d.LastError, d.Updated = DeliveryDead, reason, now
			if err := putDelivery(tx, d); err != nil {
				return err
			}
		}
		n = len(queued)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("disable webhook %q of session %q: %w", name, session, err)
	}
	return n, nil
}

func getWebhook(tx *bolt.Tx, session, name string) (Webhook, error) {
	if err := requireSession(tx, session); err != nil {
		return Webhook{}, err
	}
	if b := getBucket(tx, webhooksPath(session)...); b != nil {
		if v := b.Get([]byte(name)); v != nil {
			return decodeWebhook(session, name, v)
		}
	}
	return Webhook{}, ErrNotFound
}

func webhooksTx(tx *bolt.Tx, session string) ([]Webhook, error) {
	if err := requireSession(tx, session); err != nil {
		return nil, err
	}
	b := getBucket(tx, webhooksPath(session)...)
	if b == nil {
		return nil, nil
	}
	var out []Webhook
	err := b.ForEach(func(k, v []byte) error {
		w, err := decodeWebhook(session, string(k), v)
		out = append(out, w)
		return err
	})
	return out, err
}

// decodeWebhook trusts the keys over the value for Session and Name.
func decodeWebhook(session, name string, v []byte) (Webhook, error) {
	var w Webhook
	if err := json.Unmarshal(v, &w); err != nil {
		return Webhook{}, fmt.Errorf("webhook %q of session %q is damaged: %w", name, session, err)
	}
	w.Session, w.Name = session, name
	return w, nil
}
