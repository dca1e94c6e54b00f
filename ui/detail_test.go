package ui

import (
	"testing"
	"time"
)

// The detail says when reply-first is on, so a held send has its reason on
// the screen; off, it takes no line.
func TestDetailShowsReplyFirst(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	m.table.selected = "delta"
	press(t, m, "enter")
	requireNotContains(t, screen(m), "Reply-first")
	s := m.sessions["delta"]
	s.ReplyFirst = 24 * time.Hour
	m.sessions["delta"] = s
	requireContains(t, screen(m), "Reply-first  24h: a send to a chat that has not written in 24h is held")
}
