package ui

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

// markReadMsg answers MarkRead.
type markReadMsg struct {
	id, chatID string
	err        error
}

// markRead sends read receipts for the chat. They tell the other side the
// messages were read, so the first time for a session the operator is
// asked; read-only mode disables the key (keymap).
func (c *chatView) markRead(m *Model) tea.Cmd {
	b, id, chat := m.b, c.id, c.chatID
	send := func() tea.Msg {
		ctx, cancel := pageCtx()
		defer cancel()
		return markReadMsg{id: id, chatID: chat, err: b.MarkRead(ctx, id, chat)}
	}
	if m.readReceipts[id] {
		return send
	}
	m.dialog = newConfirm("Mark "+c.name+" read on the phone?",
		"This sends read receipts: the people in the chat see their messages as read, as when the chat is opened on the phone. "+
			"The console asks once for "+id+"; later R marks chats read without asking.",
		func() tea.Msg { return readReceiptsAllowed{id: id, then: send} })
	return nil
}

// readReceiptsAllowed: the operator agreed to send read receipts for a
// session; then marks the chat read.
type readReceiptsAllowed struct {
	id   string
	then tea.Cmd
}

// markedRead clears the chat's unread count here and in the chat list.
func (c *chatView) markedRead(m *Model, msg markReadMsg) tea.Cmd {
	if msg.err != nil {
		return report(failed(msg.err, "could not mark %s read on the phone", c.name))
	}
	if msg.id == c.id && msg.chatID == c.chatID {
		c.unread, c.markedUnread = 0, false
	}
	for _, p := range m.stack {
		if l, ok := p.(*chatsView); ok && l.id == msg.id {
			if i := slices.IndexFunc(l.chats, func(ch session.Chat) bool { return ch.ID == msg.chatID }); i >= 0 {
				l.chats[i].Unread, l.chats[i].MarkedUnread = 0, false
			}
		}
	}
	return report(info("%s marked read on the phone: read receipts sent", c.name))
}
