package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
)

func TestWaitUpdatesCoalesces(t *testing.T) {
	ch := make(chan session.Update, 100)
	for i := range 50 {
		ch <- session.Update{Session: fmt.Sprint(i)}
	}
	start := time.Now()
	msg := waitUpdates(ch)().(updatesMsg)
	if len(msg.updates) != 50 || msg.closed {
		t.Fatalf("one batch held %d updates (closed=%v), want all 50", len(msg.updates), msg.closed)
	}
	if d := time.Since(start); d < coalesceWindow || d > 10*coalesceWindow {
		t.Fatalf("the batch took %s, want about %s", d, coalesceWindow)
	}
	close(ch)
	if msg := waitUpdates(ch)().(updatesMsg); !msg.closed {
		t.Fatal("a closed feed was not reported")
	}
}

func TestWaitUpdatesBoundsABatch(t *testing.T) {
	ch := make(chan session.Update, 3*maxBatch)
	for range cap(ch) {
		ch <- session.Update{Session: "x"}
	}
	for i := range 3 {
		if msg := waitUpdates(ch)().(updatesMsg); len(msg.updates) != maxBatch {
			t.Fatalf("batch %d held %d updates, want at most and here exactly %d", i, len(msg.updates), maxBatch)
		}
	}
}

// TestUpdateBurst pushes 10 000 updates while a chat is open: they arrive
// in a few batches, each applied and drawn fast, keys are handled between
// them, and the screen ends up showing the last of them.
func TestUpdateBurst(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	m, ch := newTestModel(t, f, 120, 40, Options{})
	openDana(t, m)

	const n = 10000
	go func() {
		for i := range n {
			f.publish(session.Update{Session: "alpha", Message: &session.Message{ID: fmt.Sprintf("B%05d", i), Chat: dana,
				Body: fmt.Sprintf("burst %d", i), Time: t0.Add(time.Duration(i) * time.Millisecond), New: true}})
			if i%100 == 99 {
				f.change("delta", func(s *session.Snapshot) { s.Queue.Depth = i + 1 })
			}
			if i%200 == 199 {
				time.Sleep(2 * time.Millisecond) // a sustained burst, not one lump
			}
		}
	}()

	got, batches := 0, 0
	var slowest, longestWait time.Duration
	for got < n+n/100 {
		start := time.Now()
		msg := waitUpdates(ch)().(updatesMsg)
		if w := time.Since(start); w > longestWait {
			longestWait = w
		}
		start = time.Now()
		m.Update(msg)
		m.View()
		if d := time.Since(start); d > slowest {
			slowest = d
		}
		got += len(msg.updates)
		batches++

		// The console stays responsive between batches.
		press(t, m, "?")
		shown := m.showHelp
		press(t, m, "?")
		if !shown || m.showHelp {
			t.Fatal("? did not toggle help between batches")
		}
	}
	t.Logf("%d updates in %d batches; slowest Update+View %s; longest wait %s", got, batches, slowest, longestWait)
	if batches < 2 || batches > n/20 {
		t.Fatalf("%d batches for %d updates: the feed is not coalesced", batches, n)
	}
	if slowest > 250*time.Millisecond {
		t.Fatalf("one batch took %s to apply and draw", slowest)
	}
	if longestWait > time.Second {
		t.Fatalf("a batch waited %s while updates kept coming", longestWait)
	}
	if len(paneOf[*chatView](t, m).lines) > chatLimit {
		t.Fatalf("the chat holds %d messages, over its limit of %d", len(paneOf[*chatView](t, m).lines), chatLimit)
	}
	requireContains(t, screen(m), "burst 9999")
	if d := m.sessions["delta"].Queue.Depth; d != n {
		t.Fatalf("delta's queue depth is %d, want the last published %d", d, n)
	}
}
