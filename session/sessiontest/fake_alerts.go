package sessiontest

import (
	"fmt"
	"slices"

	"github.com/waconsole/waconsole/session"
)

// RaiseAlert adds an open alert, as the manager raises one, and publishes it.
func (f *Fake) RaiseAlert(a session.Alert) session.Alert {
	f.mu.Lock()
	defer f.mu.Unlock()
	a.ID = uint64(len(f.AlertList) + 1)
	if a.Raised.IsZero() {
		a.Raised = f.now()
	}
	f.AlertList = append(f.AlertList, a)
	f.publish(session.Update{Session: a.Session, Alert: &a})
	return a
}

// ResolveAlert resolves an alert, as the manager does when its cause goes away.
func (f *Fake) ResolveAlert(id uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if i := int(id) - 1; i >= 0 && i < len(f.AlertList) {
		f.AlertList[i].Resolved = f.now()
		a := f.AlertList[i]
		f.publish(session.Update{Session: a.Session, Alert: &a})
	}
}

func (f *Fake) Alerts(q session.AlertQuery) ([]session.Alert, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Alerts", q.Session, q.Open, q.Limit); err != nil {
		return nil, err
	}
	if q.Limit < 0 {
		return nil, fmt.Errorf("limit %d is negative: give 1 or more, or 0 for all: %w", q.Limit, session.ErrInvalid)
	}
	var out []session.Alert
	for _, a := range slices.Backward(f.AlertList) {
		if (q.Session == "" || a.Session == q.Session) && (!q.Open || a.Open()) {
			out = append(out, a)
		}
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func (f *Fake) AckAlert(id uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("AckAlert", id); err != nil {
		return err
	}
	i := int(id) - 1
	if i < 0 || i >= len(f.AlertList) {
		return fmt.Errorf("no alert %d: list them with `waconsole alerts --all`: %w", id, session.ErrNotFound)
	}
	if f.AlertList[i].Acked.IsZero() {
		f.AlertList[i].Acked = f.now()
		a := f.AlertList[i]
		f.publish(session.Update{Session: a.Session, Alert: &a})
	}
	return nil
}
