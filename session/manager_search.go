package session

// Search finds stored messages of a session, newest first.
func (m *Manager) Search(string, SearchQuery) ([]SearchHit, error) {
	return nil, errorf(ErrWrongState, "search is not built yet")
}
