package api

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
)

// A chat and a message with every field the page reports reach the wire
// with all of them, under the names the runtime gives them.
func TestChatsAndMessagesCarryEveryField(t *testing.T) {
	const group = "120363025550109999@g.us"
	at := time.Date(2026, 3, 1, 10, 5, 0, 0, time.UTC)
	chat := session.Chat{ID: group, Name: "Showcase", Unread: 2, LastActivity: at, Group: true,
		Participants: 5, Muted: true, Archived: true, MarkedUnread: true}
	msg := session.Message{ID: "3A01", Key: "false_" + group + "_3A01_15550100001@c.us", Chat: group, Author: "15550100001@c.us",
		Body: "The new storefront", Time: at, Ack: session.AckDevice, New: true, Type: "image", Subtype: "hd", Media: true, Notice: true,
		Mentions: []string{"15550100002@c.us"}, AuthorName: "Alice Martin", Edited: at.Add(time.Minute), Revoked: true,
		File:      &session.FileInfo{Mimetype: "image/jpeg", Size: 245760, Duration: 3, Filename: "a.jpg", Pages: 1, Width: 1280, Height: 720},
		Location:  &session.Location{Lat: 38.7078, Lng: -9.1366, Name: "Praça do Comércio", Address: "Lisboa, Portugal"},
		Contacts:  []session.ContactCard{{Name: "Erin Walsh", Number: "15550100006"}, {Name: "Grace Lee"}},
		Quoted:    &session.QuotedMessage{ID: "3A00", Author: "15550100002@c.us", Type: "chat", Body: "hello"},
		Reactions: []session.Reaction{{Emoji: "👍", Sender: "15550100002@c.us", FromMe: true, Time: at}},
		Poll:      &session.Poll{Name: "Lunch?", Options: []session.PollOption{{Name: "Pizza", Votes: 2}, {Name: "Salad"}}, Multiple: true},
		Raw:       map[string]any{"type": "image", "size": 245760.0, "id": map[string]any{"fromMe": false}},
	}
	f := newFake("s1")
	f.SetState("s1", session.Ready)
	f.ChatsOf["s1"] = []session.Chat{chat}
	f.MessagesOf["s1/"+group] = []session.Message{msg}

	same := func(what, path, list string, want any) {
		t.Helper()
		var got map[string][]map[string]any
		ok(t, serve(t, f, "GET", path, ""), http.StatusOK, &got)
		b, _ := json.Marshal(want)
		var w map[string]any
		json.Unmarshal(b, &w)
		if len(got[list]) != 1 || !reflect.DeepEqual(got[list][0], w) {
			t.Errorf("%s on the wire:\n%v\nwant every field of the runtime's:\n%v", what, got[list], w)
		}
	}
	same("the chat", "/v1/sessions/s1/chats", "chats", chat)
	same("the message", "/v1/sessions/s1/chats/"+group+"/messages", "messages", msg)

	var msgs MessageList
	ok(t, serve(t, f, "GET", "/v1/sessions/s1/chats/"+group+"/messages", ""), http.StatusOK, &msgs)
	if m := msgs.Messages[0]; m.File == nil || m.File.Size != 245760 || m.Poll == nil || m.Poll.Options[0].Votes != 2 || m.Quoted == nil || m.Quoted.ID != "3A00" {
		t.Errorf("the client reads %+v, want the file, the poll and the quote", m)
	}
}
