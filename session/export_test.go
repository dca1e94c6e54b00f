package session

import "testing"

// NewStandInManager is a Manager driving real Chromium against a running
// stand-in, for the tests of package session_test; it closes with the test.
func NewStandInManager(t *testing.T) *Manager { return newEnv(t).m }
