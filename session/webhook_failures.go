package session

// The event kinds of webhook trouble in a session's log: an attempt that
// failed and will be made again, and a delivery that gave up.
const (
	EventWebhookFailed = "webhook-failed"
	EventWebhookDead   = "webhook-dead"
)

// WebhookFailed records a failed webhook attempt of the session (dead: its
// delivery gave up) as an event of its log, published like the others. It
// hands the event to the session's actor without waiting for it; a session
// deleted meanwhile records nothing.
func (m *Manager) WebhookFailed(id string, dead bool, reason string) {
	a, err := m.actor(id)
	if err != nil {
		return
	}
	kind := EventWebhookFailed
	if dead {
		kind = EventWebhookDead
	}
	a.post(func() {
		a.record(Event{Kind: kind, Reason: reason, From: string(a.snap.State), To: string(a.snap.State)})
	})
}
