package ui

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/waconsole/waconsole/internal/qrscan"
	"github.com/waconsole/waconsole/session"
)

// framed wraps the console to keep the last frame it drew. The renderer
// writes only the cells that change, so the byte stream rarely holds a
// whole word that replaced another; the frame is what the screen shows.
type framed struct {
	*Model
	mu    sync.Mutex
	frame string
}

func (f *framed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := f.Model.Update(msg)
	return f, cmd
}

func (f *framed) View() tea.View {
	v := f.Model.View()
	f.mu.Lock()
	f.frame = v.Content
	f.mu.Unlock()
	return v
}

func (f *framed) screen() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.frame
}

// startFlow runs the console over fb in a test program at w × h.
func startFlow(t *testing.T, fb *fakeBackend, w, h int) (*teatest.TestModel, *framed) {
	t.Helper()
	fm := &framed{Model: New(fb, Options{Now: fixedNow})}
	tm := teatest.NewTestModel(t, fm, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	t.Cleanup(func() { _ = tm.Quit() })
	return tm, fm
}

// waitScreen waits until the drawn screen holds every one of subs.
func waitScreen(t *testing.T, tm *teatest.TestModel, fm *framed, subs ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func([]byte) bool {
		s := ansi.Strip(fm.screen())
		for _, sub := range subs {
			if !strings.Contains(s, sub) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

func send(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
}

func TestFlowAddWithQRCode(t *testing.T) {
	fb := newFake(fixedNow)
	tm, fm := startFlow(t, fb, 120, 40)
	waitScreen(t, tm, fm, "No sessions yet")

	send(tm, "n")
	waitScreen(t, tm, fm, "Add a session")
	tm.Type("demo")
	send(tm, "enter", "enter") // the id, then QR code (the default method)
	waitScreen(t, tm, fm, "Pairing demo", "STARTING", "appears here by itself")

	// From here on the backend alone drives the screen: no key is pressed.
	for i, p := range []string{qrPayload(10), qrPayload(11)} {
		fb.change("demo", func(s *session.Snapshot) {
			s.State = session.QR
			s.QR = session.QRInfo{Payload: p, Index: i + 1, Total: 6, Expires: t0.Add(20 * time.Second)}
		})
		waitScreen(t, tm, fm, "code "+string(rune('1'+i))+" of 6", "expires in 20s")
		if got, err := qrscan.FromScreen(fm.screen()); err != nil || got != p {
			t.Fatalf("rotation %d: the screen's QR decodes to %q (%v)", i+1, got, err)
		}
	}
	fb.change("demo", func(s *session.Snapshot) { s.State, s.QR = session.Syncing, session.QRInfo{} })
	waitScreen(t, tm, fm, "SYNCING", "syncing the chats from the phone")
	fb.change("demo", func(s *session.Snapshot) { s.State, s.Account = session.Ready, "12025550108" })
	waitScreen(t, tm, fm, "✓ Paired with +12025550108", "READY")
	requireCalls(t, fb, "Add demo qr ")
}

func TestFlowAddWithLinkCode(t *testing.T) {
	fb := newFake(fixedNow)
	tm, fm := startFlow(t, fb, 80, 24)
	waitScreen(t, tm, fm, "No sessions yet")
	send(tm, "n")
	tm.Type("shop")
	send(tm, "tab", "right", "enter")
	waitScreen(t, tm, fm, "Phone (international, digits only)")
	tm.Type("447700900123")
	send(tm, "enter")
	waitScreen(t, tm, fm, "Pairing shop")
	fb.change("shop", func(s *session.Snapshot) {
		s.State = session.LinkCode
		s.Code = session.CodeInfo{Code: "w3rtq9ze", Phone: "447700900123", Expires: t0.Add(3 * time.Minute)}
	})
	waitScreen(t, tm, fm, "Link code W3RT-Q9ZE", "for +447700900123", "expires in 3m00s", "phone number instead")
	requireCalls(t, fb, "Add shop link 447700900123")
}

func TestFlowQuit(t *testing.T) {
	fb := newFake(fixedNow)
	fixture(fb)
	tm, fm := startFlow(t, fb, 80, 24)
	waitScreen(t, tm, fm, "Sessions (7)")
	send(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
	if _, ok := tm.FinalModel(t).(*framed); !ok {
		t.Fatal("the program did not end with the console model")
	}
	deadline := time.Now().Add(time.Second)
	for fb.subscribers() != 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if fb.subscribers() != 0 {
		t.Fatal("quitting left the subscription open")
	}
}
