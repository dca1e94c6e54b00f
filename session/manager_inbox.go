package session

// Inbox returns the session's captured messages that q selects, oldest
// first; what the filters skipped only when q.Filtered is set.
func (m *Manager) Inbox(id string, q InboxQuery) ([]InboundMessage, error) {
	if _, err := m.actor(id); err != nil {
		return nil, err
	}
	if q.Limit < 0 {
		return nil, errorf(ErrInvalid, "limit %d is negative: give 1 or more, or 0 for all", q.Limit)
	}
	return m.cfg.Store.Inbox(id, q)
}
