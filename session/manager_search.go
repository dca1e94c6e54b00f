package session

import (
	"cmp"
	"context"
	"strings"
	"time"

	"github.com/waconsole/waconsole/store"
)

// Search answers at most this many hits, and DefaultSearchLimit unless
// asked for fewer.
const (
	DefaultSearchLimit = 100
	MaxSearchLimit     = 1000
)

// Search finds a session's captured messages that hold every word of
// q.Text, newest first, through the store's search index. Chat names are
// filled in when the session is READY.
func (m *Manager) Search(id string, q SearchQuery) ([]SearchHit, error) {
	if _, err := m.actor(id); err != nil {
		return nil, err
	}
	words := strings.Fields(q.Text)
	if len(words) == 0 {
		return nil, errorf(ErrInvalid, "nothing to search for: give one or more words")
	}
	if q.Limit < 0 || q.Limit > MaxSearchLimit {
		return nil, errorf(ErrInvalid, "limit %d is out of range: give 1 to %d, or 0 for %d", q.Limit, MaxSearchLimit, DefaultSearchLimit)
	}
	chat := q.Chat
	if chat != "" {
		var err error
		if chat, _, err = ParseChatID(chat); err != nil {
			return nil, err
		}
	}
	msgs, err := m.cfg.Store.SearchInbound(id, store.SearchQuery{Words: words, Chat: chat, Limit: cmp.Or(q.Limit, DefaultSearchLimit)})
	if err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, nil
	}
	names := m.chatNames(id)
	hits := make([]SearchHit, len(msgs))
	for i, msg := range msgs {
		hits[i] = SearchHit{Message: msg, ChatName: cmp.Or(names[msg.Chat], names[msg.Twin])}
	}
	return hits, nil
}

// chatNames maps a READY session's chat ids to their names; empty when the
// page cannot say within a moment.
func (m *Manager) chatNames(id string) map[string]string {
	p, err := m.readyPage(id)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	chats, err := p.Chats(ctx)
	if err != nil {
		return nil
	}
	names := make(map[string]string, len(chats))
	for _, c := range chats {
		names[c.ID] = c.Name
	}
	return names
}
