package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/waconsole/waconsole/session"
)

// Goldens are the plain text of the screen (colours stripped) at a fixed
// clock; regenerate them with go test ./ui -update.

var goldenSizes = [][2]int{{80, 24}, {120, 40}}

// goldenScreens runs setup on a fresh console at each size and compares
// the screen with testdata/<test>/<size>.golden.
func goldenScreens(t *testing.T, sizes [][2]int, setup func(t *testing.T, m *Model, f *fakeBackend)) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			f := newFake(fixedNow)
			fixture(f)
			chatFixture(f)
			m, _ := newTestModel(t, f, sz[0], sz[1], Options{Title: "waconsole demo · sim http://127.0.0.1:40123"})
			setup(t, m, f)
			golden.RequireEqual(t, screen(m))
		})
	}
}

func TestGoldenSessions(t *testing.T) {
	goldenScreens(t, goldenSizes, func(*testing.T, *Model, *fakeBackend) {})
}

func TestGoldenPairingQR(t *testing.T) {
	// 120x40 draws the QR; 80x24 says what it needs instead.
	goldenScreens(t, goldenSizes, func(t *testing.T, m *Model, _ *fakeBackend) {
		m.table.selected = "bravo"
		press(t, m, "enter")
	})
}

func TestGoldenLinkCode(t *testing.T) {
	goldenScreens(t, goldenSizes, func(t *testing.T, m *Model, _ *fakeBackend) {
		m.table.selected = "charlie"
		press(t, m, "enter")
	})
}

func TestGoldenDetail(t *testing.T) {
	goldenScreens(t, goldenSizes, func(t *testing.T, m *Model, f *fakeBackend) {
		f.history["delta"] = []session.Event{
			{Seq: 1, Time: t0.Add(-3 * time.Hour), Kind: "state", From: "STARTING", To: "SYNCING", Reason: "connected; syncing chats"},
			{Seq: 2, Time: t0.Add(-3*time.Hour + 40*time.Second), Kind: "state", From: "SYNCING", To: "READY", Reason: "connected and synced"},
			{Seq: 3, Time: t0.Add(-2*time.Hour - 5*time.Minute), Kind: "state", From: "READY", To: "DISCONNECTED",
				Reason: "connection lost; WhatsApp Web is reconnecting"},
			{Seq: 4, Time: t0.Add(-2 * time.Hour), Kind: "send", Reason: "send failed", Detail: "timeout waiting for the page"},
		}
		m.table.selected = "delta"
		press(t, m, "enter")
	})
}

func TestGoldenChat(t *testing.T) {
	goldenScreens(t, goldenSizes, func(t *testing.T, m *Model, _ *fakeBackend) {
		openDana(t, m)
		press(t, m, "i")
		typeText(t, m, "On my way")
		press(t, m, "enter")
		typeText(t, m, "Back at 5")
	})
}

func TestGoldenQueue(t *testing.T) {
	goldenScreens(t, goldenSizes, func(t *testing.T, m *Model, _ *fakeBackend) {
		press(t, m, "u")
	})
}
