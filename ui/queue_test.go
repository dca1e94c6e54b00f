package ui

import (
	"errors"
	"testing"

	"github.com/waconsole/waconsole/session"
)

func TestQueueViewActions(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	press(t, m, "u")
	requireContains(t, screen(m), "Queue of alpha", "in flight 1", "oldest 42s", "next send in 4s", "p50 1.2s · p95 3.4s",
		"12 in 5m · 340 in all", "min gap 15s · jitter 5s–15s · chat gap 30s · bulk limit 5",
		"Dead letters and held jobs (2)", "page did not answer the send call")

	press(t, m, "enter")
	requireContains(t, screen(m), "Job 17 of alpha", "Your order #4411 has shipped.", "Attempts   5")
	press(t, m, "esc")
	press(t, m, "R")
	requireCalls(t, f, "RetryJob alpha 17")

	press(t, m, "down", "X")
	requireContains(t, screen(m), "Discard job 23?")
	requireNoCall(t, f, "DiscardJob")
	press(t, m, "y")
	requireCalls(t, f, "DiscardJob alpha 23")

	press(t, m, "p")
	requireCalls(t, f, "Pause alpha")
	st := f.stats["alpha"]
	st.Paused = true
	f.stats["alpha"] = st
	_, cmd := m.Update(tickMsg(t0)) // the view refreshes every second
	run(m, cmd, 0)
	requireContains(t, screen(m), "PAUSED by the operator")
	press(t, m, "p")
	requireCalls(t, f, "Resume alpha")
}

func TestQueuePacingForm(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	chatFixture(f)
	m, _ := newTestModel(t, f, 80, 24, Options{})
	press(t, m, "u", "e")
	requireContains(t, screen(m), "Pacing of alpha", "> 15s", "> 30s")
	press(t, m, "ctrl+u")
	typeText(t, m, "10x")
	press(t, m, "tab", "tab", "tab", "tab", "ctrl+u")
	typeText(t, m, "-1")
	press(t, m, "enter")
	d, ok := m.dialog.(*pacingDialog)
	if !ok {
		t.Fatal("a bad value closed the pacing form")
	}
	requireContains(t, screen(m), `"10x" is not a duration`)
	if d.inputs[0].Value() != "10x" || d.focus != 0 || d.errs[4] == "" {
		t.Fatalf("the form lost a value or its focus: %q focus %d errs %q", d.inputs[0].Value(), d.focus, d.errs)
	}
	requireNoCall(t, f, "Set")
	press(t, m, "ctrl+u")
	typeText(t, m, "10s")
	press(t, m, "tab", "ctrl+u")
	typeText(t, m, "20s")
	press(t, m, "tab", "tab", "tab", "ctrl+u")
	typeText(t, m, "8")
	press(t, m, "enter")
	requireContains(t, screen(m), "the least jitter must not be above the most")
	press(t, m, "ctrl+u")
	typeText(t, m, "5s")
	press(t, m, "enter")
	// Only what was changed is set: the rest stay defaults.
	requireCalls(t, f, "Set alpha minGap=10s bulkLimit=8")
	if m.dialog != nil {
		t.Fatal("the form stayed open after a good submit")
	}
}

func TestQueueErrorReportedOnce(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	f.fail["QueueStats"] = errors.New("store closed")
	m, _ := newTestModel(t, f, 120, 40, Options{})
	press(t, m, "u")
	requireContains(t, screen(m), "could not read the queue of alpha: store closed")
	id := m.flash.id
	_, cmd := m.Update(tickMsg(t0))
	run(m, cmd, 0)
	if m.flash.id != id {
		t.Fatal("the same queue error was flashed again")
	}
}

func TestQueueNoJobs(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	f.stats["alpha"] = session.QueueStats{}
	m, _ := newTestModel(t, f, 120, 40, Options{})
	press(t, m, "u", "X")
	requireContains(t, screen(m), "none: nothing waits for an operator", "no dead or held job to act on")
	if m.dialog != nil {
		t.Fatal("discard without a job opened a dialog")
	}
}
