package session

import (
	"errors"
	"time"

	"github.com/waconsole/waconsole/store"
)

// Alerts lists alerts, newest first.
func (m *Manager) Alerts(q AlertQuery) ([]Alert, error) {
	if q.Limit < 0 {
		return nil, errorf(ErrInvalid, "limit %d is negative: give 1 or more, or 0 for all", q.Limit)
	}
	list, err := m.cfg.Store.Alerts(store.AlertQuery{Session: q.Session, Open: q.Open, Limit: q.Limit})
	if err != nil {
		return nil, err
	}
	out := make([]Alert, len(list))
	for i, a := range list {
		out[i] = fromStoreAlert(a)
	}
	return out, nil
}

// AckAlert acknowledges an alert. It stays open until its cause goes away,
// except unclean-restart, whose cause is past: acknowledging resolves it.
func (m *Manager) AckAlert(id uint64) error {
	a, err := m.cfg.Store.AckAlert(id, time.Now())
	if errors.Is(err, store.ErrNotFound) {
		return errorf(ErrNotFound, "no alert %d: list them with `waconsole alerts --all`", id)
	}
	if err != nil {
		return err
	}
	m.alerts.acked(fromStoreAlert(a))
	return nil
}

// NoteStart raises unclean-restart when this process followed one that did
// not stop cleanly; ps is what store.RecordStart returned.
func (m *Manager) NoteStart(ps store.ProcessStarts) { m.alerts.uncleanStart(ps) }
