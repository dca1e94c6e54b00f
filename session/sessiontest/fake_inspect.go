package sessiontest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/waconsole/waconsole/session"
)

// MarkRead zeroes the chat's unread count in ChatsOf, as the page would.
func (f *Fake) MarkRead(ctx context.Context, id, chatID string) error {
	return f.with("MarkRead", id, func(s session.Snapshot) error {
		if err := ready(s); err != nil {
			return err
		}
		chat, _, err := session.ParseChatID(chatID)
		if err != nil {
			return err
		}
		for i, c := range f.ChatsOf[id] {
			if c.ID == chat {
				f.ChatsOf[id][i].Unread, f.ChatsOf[id][i].MarkedUnread = 0, false
			}
		}
		return nil
	}, chatID)
}

// Search matches InboxOf's kept messages by substring, newest first.
func (f *Fake) Search(id string, q session.SearchQuery) ([]session.SearchHit, error) {
	var out []session.SearchHit
	err := f.with("Search", id, func(session.Snapshot) error {
		if strings.TrimSpace(q.Text) == "" {
			return fmt.Errorf("nothing to search for: give some text: %w", session.ErrInvalid)
		}
		text := strings.ToLower(q.Text)
		for _, m := range slices.Backward(f.InboxOf[id]) {
			if m.Filtered == "" && (q.Chat == "" || m.Chat == q.Chat || m.Twin == q.Chat) && strings.Contains(strings.ToLower(m.Body), text) {
				out = append(out, session.SearchHit{Message: m, ChatName: f.chatName(id, m.Chat)})
			}
		}
		if limit := cmp.Or(q.Limit, 100); len(out) > limit {
			out = out[:limit]
		}
		return nil
	}, q.Text, q.Chat, q.Limit)
	return out, err
}

func (f *Fake) chatName(id, chat string) string {
	for _, c := range f.ChatsOf[id] {
		if c.ID == chat {
			return c.Name
		}
	}
	return ""
}
