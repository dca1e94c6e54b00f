package ui

import (
	"strconv"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
)

// drainFixture gives alpha an unread snapshot of three chats.
func drainFixture(f *fakeBackend) {
	f.DrainsOf["alpha"] = session.DrainInfo{Total: 31, Chats: []session.DrainChat{
		{ID: "120363041234567890@g.us", Name: "Ops on call", Count: 12, Left: 12, Oldest: t0.Add(-47 * time.Minute), Preview: "Pager fired for db-2, anyone looking?"},
		{ID: "12025550177@c.us", Name: "Sam Ortega", Count: 1, Left: 1, Oldest: t0.Add(-3 * time.Hour), Preview: "Where is my order #4411? It said it shipped on Monday and the tracking page has not moved since"},
		{ID: "447700900456@c.us", Name: "Dana Whitfield", Count: 18, Left: 18, Oldest: t0.Add(-2 * time.Hour), Preview: "Hi, is the 10:30 delivery still on?"},
	}}
}

func TestGoldenDrain(t *testing.T) {
	goldenScreens(t, goldenSizes, func(t *testing.T, m *Model, f *fakeBackend) {
		drainFixture(f)
		press(t, m, "d")
		// The oldest unread first; Sam picked, the cursor moved on.
		press(t, m, "space")
		info := f.DrainsOf["alpha"]
		info.State, info.Rate, info.Chosen, info.Done, info.Delivered, info.Speed, info.ETA = session.DrainRunning, 2, 19, 7, 7, 1.9, 6*time.Second
		f.DrainsOf["alpha"] = info
		m.Update(drainMsg{id: "alpha", info: info})
	})
}

func TestDrainPicksChatsAndActions(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	drainFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	press(t, m, "d")
	requireCalls(t, f, "UnreadSnapshot alpha")
	requireContains(t, screen(m), "Unread drain of alpha", "31 messages in 3 chats", "Sam Ortega", "3h")

	// Sam (oldest) and Dana picked; v delivers just them.
	press(t, m, "space", "space", "v")
	requireCalls(t, f, "StartDrain alpha deliver")
	d := f.DrainsOf["alpha"]
	if d.Chosen != 19 || d.Delivered != 19 || d.Chats[0].ID != "120363041234567890@g.us" || d.Chats[0].Action != "" {
		t.Fatalf("drain after v: %+v", d)
	}
	requireContains(t, screen(m), "alpha: delivering 2 chats at 2/s")

	// m asks first, as it sends read receipts; n leaves it.
	press(t, m, "a", "m")
	if m.dialog == nil {
		t.Fatal("mark read did not ask")
	}
	requireContains(t, screen(m), "Mark 3 picked chats read?", "read receipts")
	press(t, m, "n")
	requireNoCall(t, f, "StartDrain alpha read")
	press(t, m, "m", "y")
	requireCalls(t, f, "StartDrain alpha read")
	if d := f.DrainsOf["alpha"]; d.Read != 12 {
		t.Fatalf("after y: read %d, want the 12 left of Ops on call", d.Read)
	}

	// A finished drain cannot pause: the operator is told why.
	press(t, m, "p")
	requireContains(t, screen(m), "could not pause the drain of alpha")
}

func TestDrainOfASessionNotReadyShowsItsLastSnapshot(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	drainFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	m.table.selected = "foxtrot"
	f.DrainsOf["foxtrot"] = session.DrainInfo{State: session.DrainPaused, Total: 2, Chosen: 2,
		Chats: []session.DrainChat{{ID: "15550001@c.us", Name: "Kim", Count: 2, Left: 2, Oldest: t0.Add(-time.Hour), Preview: "hello?", Action: "deliver"}}}
	press(t, m, "d")
	requireContains(t, screen(m), "foxtrot is not READY: showing its last snapshot", "PAUSED", "Kim")
	press(t, m, "p")
	requireCalls(t, f, "ControlDrain foxtrot resume")
	requireContains(t, screen(m), "RUNNING")
}

func TestDrainMarkReadIsDisabledReadOnly(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	drainFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{ReadOnly: true})
	press(t, m, "d", "m")
	if m.dialog != nil {
		t.Fatal("mark read opened a dialog in read-only mode")
	}
	requireContains(t, screen(m), "read-only mode:", "is disabled")
	press(t, m, "S")
	requireCalls(t, f, "StartDrain alpha skip")
}

// The drain's figure, console side: a snapshot of 10,000 messages across
// 500 chats is shown (sorted, laid out, drawn) well within the 3 s the
// snapshot and the screen share.
func TestDrainScreenShows500Chats(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	big := session.DrainInfo{Total: 10000}
	for i := range 500 {
		big.Chats = append(big.Chats, session.DrainChat{ID: "1555" + strconv.Itoa(3000000+i) + "@c.us", Name: "+1555" + strconv.Itoa(3000000+i),
			Count: 20, Left: 20, Oldest: t0.Add(-time.Duration(10000-20*i) * time.Second), Preview: "backlog " + strconv.Itoa(i+1) + " #1"})
	}
	f.DrainsOf["alpha"] = big
	m, _ := newTestModel(t, f, 120, 40, Options{})
	start := time.Now()
	press(t, m, "d")
	out := screen(m)
	took := time.Since(start)
	t.Logf("drain screen of 500 chats shown in %s", took.Round(time.Microsecond))
	requireContains(t, out, "10000 messages in 500 chats", "+15553000000")
	if took > 500*time.Millisecond {
		t.Fatalf("showing the drain of 500 chats took %s", took)
	}
}

func TestDrainOpensFromTheDetailView(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	drainFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	m.table.selected = "alpha"
	press(t, m, "enter", "d")
	requireContains(t, screen(m), "sessions > alpha > details > drain", "Unread drain of alpha")
	press(t, m, "esc")
	requireContains(t, screen(m), "sessions > alpha > details")
}
