package session

// Alerts lists alerts, newest first.
func (m *Manager) Alerts(AlertQuery) ([]Alert, error) {
	return nil, errorf(ErrWrongState, "alerts are not kept yet")
}

// AckAlert acknowledges an alert.
func (m *Manager) AckAlert(uint64) error {
	return errorf(ErrWrongState, "alerts are not kept yet")
}
