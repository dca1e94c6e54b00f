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
	// Inbound sees every captured message the first time it is stored in
	// its final form, unless the filters skipped it.
	Inbound func(m Inbound) []WebhookEvent
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

// handedOn reports whether a capture with outcome o stored m in its final
// form for the first time, for the operator's endpoints to hear of it.
func handedOn(m Inbound, o InboundOutcome) bool {
	return m.Filtered == "" && ((o == InboundNew && !m.Pending) || o == InboundFinal)
}

func (db *DB) inboundHook(tx *bolt.Tx, session string, msgs []Inbound, out []InboundOutcome, now time.Time) error {
	h := db.hooks.Load()
	if h == nil || h.Inbound == nil {
		return nil
	}
	for i, m := range msgs {
		if handedOn(m, out[i]) {
			m.Session = session
			if err := emit(tx, h.Inbound(m), now); err != nil {
				return err
			}
		}
	}
	return nil
}
