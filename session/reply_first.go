package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/waconsole/waconsole/store"
)

// Reply-first holds a send to a chat that has not written to the account
// within a window, so that an automation answers people instead of
// cold-messaging them, as open-wa's rate guidance prefers.

// minReplyFirst is the shortest window accepted: anything shorter is a typo.
const minReplyFirst = time.Minute

// ValidateReplyFirst checks a reply-first window: 0 turns the policy off.
func ValidateReplyFirst(d time.Duration) error {
	if d < 0 || (d > 0 && d < minReplyFirst) {
		return errorf(ErrInvalid, "reply-first window %s: give at least %s (such as 24h), or 0s (off) to turn it off", d, minReplyFirst)
	}
	return nil
}

// ReplyFirstReason is why a send to chat is held under a reply-first window,
// or "" when it may go: recent are the chat's captured messages (either
// chat id) received within the window, replyTo the message answered, if any.
func ReplyFirstReason(chat string, window time.Duration, now time.Time, recent []InboundMessage, replyTo *InboundMessage) string {
	if window <= 0 {
		return ""
	}
	wrote := func(m InboundMessage) bool {
		return !m.FromMe && (m.Chat == chat || m.Twin == chat) && now.Sub(m.Time) <= window
	}
	if replyTo != nil && wrote(*replyTo) {
		return ""
	}
	for _, m := range recent {
		if m.Filtered == "" && wrote(m) {
			return ""
		}
	}
	return fmt.Sprintf("reply-first: %s has not written in %s: approve to send", chat, FormatWindow(window))
}

// FormatWindow drops the zero tails of a duration: 24h, not 24h0m0s.
func FormatWindow(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// NoReplyTarget is the error of a reply to a message session id never
// captured.
func NoReplyTarget(id, replyTo string) error {
	return errorf(ErrInvalid, "reply to %q: session %s has not received that message; take the id from `waconsole inbox %s` or a message.received webhook", replyTo, id, id)
}

// replyTarget returns the message replyTo of session id: as captured, else,
// for a message loaded from the page's history (older than the capture, or
// the account's own), as the chat holds it on a READY session. An id neither
// has is a clear ErrInvalid.
func (m *Manager) replyTarget(ctx context.Context, id, chat, replyTo string) (*InboundMessage, error) {
	if replyTo == "" {
		return nil, nil
	}
	msg, err := m.cfg.Store.InboundByID(id, replyTo)
	if err == nil {
		return &msg, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	p, err := m.readyPage(id)
	if err != nil {
		return nil, NoReplyTarget(id, replyTo)
	}
	held, found, err := p.ChatMessage(ctx, chat, replyTo)
	if err != nil {
		return nil, fmt.Errorf("reply to %q: asking the page of session %s whether %s holds it: %w; try again", replyTo, id, chat, err)
	}
	if !found {
		return nil, NoReplyTarget(id, replyTo)
	}
	target := &InboundMessage{Session: id, ID: held.ID, Key: held.Key, Chat: held.Chat, Author: held.Author, Type: held.Type,
		Body: held.Body, Time: held.Time, FromMe: held.FromMe}
	if target.Chat != chat {
		target.Twin = chat // the page keeps the contact under its other id
	}
	return target, nil
}

// holdReplyFirst marks jobs to chat held when the session's reply-first
// window says the chat has not written recently. It reads the store, so the
// policy holds across restarts.
func (m *Manager) holdReplyFirst(id, chat string, window time.Duration, replyTo *InboundMessage, jobs []Job) error {
	if window <= 0 {
		return nil
	}
	now := m.now()
	recent, err := m.cfg.Store.Inbox(id, InboxQuery{Chat: chat, Since: now.Add(-window)})
	if err != nil {
		return err
	}
	reason := ReplyFirstReason(chat, window, now, recent, replyTo)
	if reason == "" {
		return nil
	}
	for i := range jobs {
		if jobs[i].State != JobHeld {
			jobs[i].State, jobs[i].HoldReason = JobHeld, reason
		}
	}
	return nil
}
