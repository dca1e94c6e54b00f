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
		words := strings.Fields(strings.ToLower(q.Text))
		if len(words) == 0 {
			return fmt.Errorf("nothing to search for: give one or more words: %w", session.ErrInvalid)
		}
		if q.Limit < 0 || q.Limit > session.MaxSearchLimit {
			return fmt.Errorf("limit %d is out of range: %w", q.Limit, session.ErrInvalid)
		}
		chat := q.Chat
		if chat != "" {
			var err error
			if chat, _, err = session.ParseChatID(chat); err != nil {
				return err
			}
		}
		limit := cmp.Or(q.Limit, session.DefaultSearchLimit)
		for _, m := range slices.Backward(f.InboxOf[id]) {
			body := strings.ToLower(m.Body)
			if m.Filtered == "" && (chat == "" || m.Chat == chat || m.Twin == chat) &&
				!slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(body, w) }) {
				out = append(out, session.SearchHit{Message: m, ChatName: f.chatName(id, m.Chat)})
			}
			if len(out) == limit {
				break
			}
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
