package ui

import "testing"

// withAlerts raises the alert fixture on a console already running and
// reads the open alerts, as a resync would.
func withAlerts(t *testing.T, m *Model, f *fakeBackend) {
	t.Helper()
	alertFixture(f)
	run(m, m.rereadAlerts(), 0)
}

func TestGoldenAlerts(t *testing.T) {
	goldenScreens(t, goldenSizes, func(t *testing.T, m *Model, f *fakeBackend) {
		withAlerts(t, m, f)
		press(t, m, "!")
	})
}

func TestGoldenAlertsBanner(t *testing.T) {
	goldenScreens(t, goldenSizes, func(t *testing.T, m *Model, f *fakeBackend) {
		withAlerts(t, m, f)
	})
}
