package store

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// Hooks turn what the store writes into webhook events, committed in the
// same transaction as the write that causes them: nothing bound for the
// operator's endpoints is handed on from memory alone. The session runtime
// sets them; a nil field produces nothing.
type Hooks struct {
	// Event sees every event appended to a session's log.
	Event func(session string, ev Event) []WebhookEvent
	// Job sees every job update, before and after.
	Job func(before, after Job) []WebhookEvent
	// Inbound sees every captured message that was new, or the final form
	// of a pending one, with what SaveInbound did with it.
	Inbound func(m Inbound, o InboundOutcome) []WebhookEvent
	// Alert sees every alert raised or resolved. An event for session ""
	// goes to the endpoints of every session that want it.
	Alert func(a Alert) []WebhookEvent
}

// SetHooks installs h for the writes that follow.
func (db *DB) SetHooks(h Hooks) { db.hooks.Store(&h) }

// emit enqueues the deliveries of evs inside tx.
func emit(tx *bolt.Tx, evs []WebhookEvent, now time.Time) error {
	for _, ev := range evs {
		if _, err := EnqueueDeliveriesTx(tx, ev, now); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) eventHook(tx *bolt.Tx, session string, ev Event) error {
	if h := db.hooks.Load(); h != nil && h.Event != nil {
		return emit(tx, h.Event(session, ev), ev.Time)
	}
	return nil
}

func (db *DB) jobHook(tx *bolt.Tx, before, after Job) error {
	if h := db.hooks.Load(); h != nil && h.Job != nil {
		return emit(tx, h.Job(before, after), after.Updated)
	}
	return nil
}

func (db *DB) inboundHook(tx *bolt.Tx, m Inbound, o InboundOutcome, now time.Time, hooked bool) error {
	if h := db.hooks.Load(); hooked && h != nil && h.Inbound != nil && o != InboundSeen {
		return emit(tx, h.Inbound(m, o), now)
	}
	return nil
}

func (db *DB) alertHook(tx *bolt.Tx, a Alert, now time.Time) error {
	h := db.hooks.Load()
	if h == nil || h.Alert == nil {
		return nil
	}
	for _, ev := range h.Alert(a) {
		if ev.Session != "" {
			if err := emit(tx, []WebhookEvent{ev}, now); err != nil {
				return err
			}
			continue
		}
		err := getBucket(tx, sessionsPath()...).ForEachBucket(func(id []byte) error {
			ev.Session = string(id)
			return emit(tx, []WebhookEvent{ev}, now)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
