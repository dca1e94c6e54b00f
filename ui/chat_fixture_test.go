package ui

import (
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
)

// The group chat that holds every message type the console draws.
const (
	opsChat = "120363041234567890@g.us"
	danaID  = "447700900456@c.us"
	samID   = "12025550177@c.us"
	strayID = "33612345678@c.us" // a participant the account has no name for
)

// everyTypeFixture fills alpha's group chat with one message of every type.
func everyTypeFixture(f *fakeBackend) {
	at := func(h, m int) time.Time { return time.Date(2026, 3, 1, h, m, 0, 0, time.UTC) }
	from := func(id, author, name string, t time.Time) session.Message {
		return session.Message{ID: id, Key: "false_" + opsChat + "_" + id + "_" + author, Chat: opsChat, Author: author, AuthorName: name, Time: t, Type: "chat"}
	}
	msg := func(m session.Message, edit func(*session.Message)) session.Message { edit(&m); return m }
	f.chats["alpha"] = []session.Chat{
		{ID: danaID, Name: "Dana Whitfield", LastActivity: at(11, 40)},
		{ID: opsChat, Name: "Ops on call", Unread: 3, LastActivity: at(11, 58), Group: true, Participants: 14, Muted: true},
		{ID: samID, Name: "Sam Ortega", LastActivity: at(9, 3), MarkedUnread: true},
		{ID: "447700900999@c.us", LastActivity: at(8, 0), Archived: true},
	}
	f.messages["alpha/"+opsChat] = []session.Message{
		msg(from("G01", danaID, "Dana Whitfield", at(10, 1)), func(m *session.Message) { m.Type, m.Subtype, m.Notice = "gp2", "add", true }),
		msg(from("G02", samID, "Sam Ortega", at(10, 2)), func(m *session.Message) {
			m.Body = "Van 3 is loaded, leaving in 10"
			m.Reactions = []session.Reaction{{Emoji: "👍", Sender: danaID}, {Emoji: "❤", Sender: strayID}, {Emoji: "👍", FromMe: true}}
		}),
		msg(from("G03", danaID, "Dana Whitfield", at(10, 5)), func(m *session.Message) {
			m.Type, m.Media, m.Body = "image", true, "Dock 4, pallets stacked"
			m.File = &session.FileInfo{Mimetype: "image/jpeg", Size: 245760, Width: 1280, Height: 960}
			m.Mentions, m.Ack = []string{samID}, session.AckServer
			m.Raw = map[string]any{"id": map[string]any{"fromMe": false, "remote": opsChat, "id": "G03", "participant": danaID},
				"type": "image", "t": 1772359500, "caption": "Dock 4, pallets stacked", "size": 245760, "mimetype": "image/jpeg", "ack": 1}
		}),
		msg(from("G04", strayID, "", at(10, 7)), func(m *session.Message) {
			m.Type, m.Media, m.Body = "video", true, "loading bay"
			m.File = &session.FileInfo{Mimetype: "video/mp4", Size: 3355443, Duration: 42}
		}),
		msg(from("G05", samID, "Sam Ortega", at(10, 9)), func(m *session.Message) {
			m.Type, m.Media, m.File = "audio", true, &session.FileInfo{Mimetype: "audio/mpeg", Size: 4613734, Duration: 192}
		}),
		msg(from("G06", danaID, "Dana Whitfield", at(10, 10)), func(m *session.Message) {
			m.Type, m.Media, m.File = "ptt", true, &session.FileInfo{Mimetype: "audio/ogg", Size: 11264, Duration: 7}
		}),
		msg(from("G07", samID, "Sam Ortega", at(10, 12)), func(m *session.Message) {
			m.Type, m.Media, m.Body = "document", true, "today's manifest"
			m.File = &session.FileInfo{Mimetype: "application/pdf", Size: 225280, Filename: "manifest-0301.pdf", Pages: 3}
		}),
		msg(from("G08", danaID, "Dana Whitfield", at(10, 13)), func(m *session.Message) {
			m.Type, m.Media, m.File = "sticker", true, &session.FileInfo{Mimetype: "image/webp", Size: 18432}
		}),
		msg(from("G09", samID, "Sam Ortega", at(10, 20)), func(m *session.Message) {
			m.Type, m.Location = "location", &session.Location{Lat: 51.50735, Lng: -0.12776, Name: "Depot North", Address: "12 Canal St, London"}
		}),
		msg(from("G10", danaID, "Dana Whitfield", at(10, 22)), func(m *session.Message) {
			m.Type, m.Contacts = "vcard", []session.ContactCard{{Name: "Lee Park", Number: "447700900789"}}
		}),
		msg(from("G11", danaID, "Dana Whitfield", at(10, 23)), func(m *session.Message) {
			m.Type, m.Contacts = "multi_vcard", []session.ContactCard{{Name: "Ana Silva", Number: "5511987650000"}, {Name: "Bo Chen"}}
		}),
		{ID: "G12", Key: "true_" + opsChat + "_G12", Chat: opsChat, FromMe: true, Type: "chat", Time: at(10, 30), Ack: session.AckRead,
			Body: "Thanks, I'll tell the driver", Quoted: &session.QuotedMessage{ID: "G02", Author: samID, Type: "chat", Body: "Van 3 is loaded, leaving in 10"}},
		msg(from("G13", samID, "Sam Ortega", at(10, 41)), func(m *session.Message) { m.Body, m.Edited = "ETA 11:45 now", at(10, 44) }),
		msg(from("G14", danaID, "Dana Whitfield", at(10, 50)), func(m *session.Message) { m.Type, m.Revoked = "revoked", true }),
		msg(from("G15", samID, "Sam Ortega", at(11, 0)), func(m *session.Message) {
			m.Type, m.Poll = "poll_creation", &session.Poll{Name: "Lunch order?", Options: []session.PollOption{{Name: "Pizza", Votes: 3}, {Name: "Sushi", Votes: 1}, {Name: "Salad"}}}
		}),
		msg(from("G16", strayID, "", at(11, 10)), func(m *session.Message) { m.Type, m.Subtype, m.Notice = "gp2", "leave", true }),
		msg(from("G17", samID, "Sam Ortega", at(11, 20)), func(m *session.Message) {
			m.Type, m.Subtype, m.Notice, m.Body = "gp2", "subject", true, "Ops on call (March)"
		}),
		msg(from("G18", danaID, "Dana Whitfield", at(11, 30)), func(m *session.Message) { m.Type, m.Body = "event_creation", "Team standup" }),
		msg(from("G19", danaID, "Dana Whitfield", at(11, 58)), func(m *session.Message) {
			m.Body = "Reminder for everyone on the late shift: the north gate closes at 22:00 tonight, so park by the canal entrance and sign the visitor book."
		}),
	}
	everyTypeInbox(f)
}

// everyTypeInbox is what alpha's inbox kept of the group: what others wrote.
func everyTypeInbox(f *fakeBackend) {
	for _, mm := range f.messages["alpha/"+opsChat] {
		if !mm.FromMe && !mm.Notice {
			f.InboxOf["alpha"] = append(f.InboxOf["alpha"], session.InboundMessage{Session: "alpha", ID: mm.ID, Key: mm.Key,
				Chat: mm.Chat, Author: mm.Author, Type: mm.Type, Body: mm.Body, Time: mm.Time, Received: mm.Time})
		}
	}
}

// openOps opens alpha's group chat from the chat list.
func openOps(t *testing.T, m *Model) {
	t.Helper()
	press(t, m, "c")
	paneOf[*chatsView](t, m).selected = opsChat
	press(t, m, "enter")
	if c, ok := m.top().(*chatView); !ok || c.chatID != opsChat {
		t.Fatalf("the group chat did not open: %s", where(m))
	}
}
