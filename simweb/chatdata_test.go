package simweb

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

// Every type /sim/message takes reaches the device with its fields named
// as the page's msg model names them; a bad spec is refused saying why.
func TestMessageOfEveryType(t *testing.T) {
	_, c := startServer(t, Options{Timings: fastTimings()})
	const phone, group = "15550006001", "120363000000000061@g.us"
	dev := newFakeDevice(t, c)
	dev.pair(c, phone)
	first, err := c.Message(bg, MessageSpec{Phone: phone, From: group, Body: "first"})
	if err != nil {
		t.Fatal(err)
	}
	if ev := dev.next("msg"); ev.Msg.ID != first || ev.Msg.Author != groupAuthor || ev.Msg.Type != "" {
		t.Fatalf("a text in a group: %+v, want %s by %s", ev.Msg, first, groupAuthor)
	}
	for _, tc := range []struct {
		spec  MessageSpec
		check func(m *message) bool
	}{
		{MessageSpec{Type: "image", Caption: "pic", Size: 10, Width: 4, Height: 3}, func(m *message) bool {
			return m.Caption == "pic" && m.Body == thumbnail && m.Fields["mimetype"] == "image/jpeg" && m.Fields["width"] == 4.0
		}},
		{MessageSpec{Type: "ptt", Duration: 7}, func(m *message) bool {
			return m.Fields["duration"] == 7.0 && m.Fields["mimetype"] == "audio/ogg; codecs=opus"
		}},
		{MessageSpec{Type: "document", Filename: "a.pdf", Pages: 2}, func(m *message) bool { return m.Fields["filename"] == "a.pdf" && m.Fields["pageCount"] == 2.0 }},
		{MessageSpec{Type: "location", Lat: 1.5, Lng: 2.5, Name: "Here", Address: "Street"}, func(m *message) bool {
			return m.Fields["lat"] == 1.5 && m.Fields["loc"] == "Here\nStreet"
		}},
		{MessageSpec{Type: "vcard", Contacts: []Card{{Name: "Erin", Number: "15550100006"}}}, func(m *message) bool {
			return m.Fields["vcardFormattedName"] == "Erin" && m.Body == vcardOf(Card{Name: "Erin", Number: "15550100006"})
		}},
		{MessageSpec{Type: "multi_vcard", Contacts: []Card{{Name: "A", Number: "15550100006"}, {Name: "B", Number: "15550100007"}}}, func(m *message) bool {
			return len(pollOptions(m.Fields["vcardList"])) == 2
		}},
		{MessageSpec{Type: "poll_creation", Poll: &PollSpec{Name: "Q?", Options: []string{"x", "y"}, Multiple: true}}, func(m *message) bool {
			return m.Fields["pollName"] == "Q?" && len(pollOptions(m.Fields["pollOptions"])) == 2 && m.Fields["pollSelectableOptionsCount"] == 0.0
		}},
		{MessageSpec{Type: "gp2", Subtype: "add", Recipients: []string{"15550100009"}}, func(m *message) bool {
			return m.Fields["subtype"] == "add" && fmt.Sprint(m.Fields["recipients"]) == "[15550100009@c.us]"
		}},
		{MessageSpec{Type: "revoked"}, func(m *message) bool { return m.Fields["subtype"] == "sender_revoke" }},
		{MessageSpec{Type: "product"}, func(m *message) bool { return m.Body == "" }},
		{MessageSpec{Body: "a reply", Quote: first, Mentions: []string{"15550100001"}}, func(m *message) bool {
			q, _ := m.Fields["quotedMsg"].(map[string]any)
			return m.Fields["quotedStanzaID"] == first && m.Fields["quotedParticipant"] == groupAuthor && q["body"] == "first" &&
				fmt.Sprint(m.Fields["mentionedJidList"]) == "[15550100001@c.us]"
		}},
	} {
		tc.spec.Phone, tc.spec.From = phone, group
		id, err := c.Message(bg, tc.spec)
		if err != nil {
			t.Fatalf("%s: %v", tc.spec.Type, err)
		}
		ev := dev.next("msg")
		if ev.Msg.ID != id || ev.Msg.Type != tc.spec.Type || !tc.check(ev.Msg) {
			t.Errorf("%s: the device got %+v", tc.spec.Type, ev.Msg)
		}
	}
	for _, bad := range []struct {
		spec MessageSpec
		want error
	}{
		{MessageSpec{Type: "Image!"}, ErrBadRequest},
		{MessageSpec{Type: "chat"}, ErrBadRequest},
		{MessageSpec{Type: "vcard", Contacts: []Card{{Name: "A", Number: "1555010000"}, {Name: "B", Number: "15550100007"}}}, ErrBadRequest},
		{MessageSpec{Type: "poll_creation", Poll: &PollSpec{Name: "Q?", Options: []string{"only"}}}, ErrBadRequest},
		{MessageSpec{Type: "location", Lat: 91}, ErrBadRequest},
		{MessageSpec{Body: "re", Quote: "3A0000000000000000FF"}, ErrNotFound},
	} {
		bad.spec.Phone, bad.spec.From = phone, group
		if _, err := c.Message(bg, bad.spec); !errors.Is(err, bad.want) {
			t.Errorf("%+v: %v, want %v", bad.spec, err, bad.want)
		}
	}
	if _, err := c.Message(bg, MessageSpec{Phone: "15550009999", From: group, Body: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("a message to a phone never paired: %v, want 404", err)
	}
}

// Edits, deletions, reactions, votes, group changes, names and chat states
// reach the live device as changes; what cannot be done is refused.
func TestChangesReachTheDevice(t *testing.T) {
	_, c := startServer(t, Options{Timings: fastTimings()})
	const phone, group, bob = "15550006002", "120363000000000062@g.us", "15550100002@c.us"
	dev := newFakeDevice(t, c)
	dev.pair(c, phone)
	text, _ := c.Message(bg, MessageSpec{Phone: phone, From: group, Body: "3 pm"})
	poll, _ := c.Message(bg, MessageSpec{Phone: phone, From: group, Type: "poll_creation", Poll: &PollSpec{Name: "When?", Options: []string{"3", "4"}}})
	dev.next("msg")
	dev.next("msg")

	if err := c.Edit(bg, phone, text, "4 pm"); err != nil {
		t.Fatal(err)
	}
	if ev := dev.next("edit"); ev.Msg.ID != text || ev.Msg.Body != "4 pm" || ev.Msg.Fields["latestEditMsgKey"] == nil || ev.Msg.Fields["latestEditSenderTimestampMs"] == nil {
		t.Fatalf("edit: %+v", ev.Msg)
	}
	if err := c.React(bg, phone, text, bob, "👍"); err != nil {
		t.Fatal(err)
	}
	if ev := dev.next("react"); ev.Msg.ID != text || ev.Reaction == nil || ev.Reaction.Emoji != "👍" || ev.Reaction.Sender != bob {
		t.Fatalf("react: %+v %+v", ev.Msg, ev.Reaction)
	}
	if err := c.React(bg, phone, text, bob, ""); err != nil {
		t.Fatal(err)
	}
	if ev := dev.next("react"); len(ev.Msg.Reactions) != 0 || ev.Reaction.Emoji != "" {
		t.Fatalf("a reaction taken back: %+v", ev.Msg.Reactions)
	}
	if err := c.Vote(bg, phone, poll, bob, "4"); err != nil {
		t.Fatal(err)
	}
	if ev := dev.next("vote"); ev.Vote == nil || ev.Vote.Sender != bob || fmt.Sprint(ev.Vote.Options) != "[1]" {
		t.Fatalf("vote: %+v", ev.Vote)
	}
	if err := c.Vote(bg, phone, poll, bob, "3", "4"); !errors.Is(err, ErrBadRequest) {
		t.Errorf("two options on a single-choice poll: %v, want 400", err)
	}
	if err := c.Vote(bg, phone, poll, bob, "5"); !errors.Is(err, ErrBadRequest) {
		t.Errorf("an option the poll lacks: %v, want 400", err)
	}
	if err := c.Edit(bg, phone, poll, "x"); !errors.Is(err, ErrStale) {
		t.Errorf("editing a poll: %v, want 409", err)
	}
	if err := c.Revoke(bg, phone, text); err != nil {
		t.Fatal(err)
	}
	if ev := dev.next("revoke"); ev.Msg.Type != "revoked" || ev.Msg.Body != "" || ev.Msg.Fields["subtype"] != "sender_revoke" {
		t.Fatalf("revoke: %+v", ev.Msg)
	}
	if err := c.Revoke(bg, phone, text); !errors.Is(err, ErrStale) {
		t.Errorf("deleting twice: %v, want 409", err)
	}
	if err := c.React(bg, phone, text, bob, "👍"); !errors.Is(err, ErrStale) {
		t.Errorf("reacting to a deleted message: %v, want 409", err)
	}

	if err := c.Group(bg, phone, group, "add", "15550100003", ""); err != nil {
		t.Fatal(err)
	}
	if ev := dev.next("msg"); ev.Msg.Type != "gp2" || ev.Msg.Fields["subtype"] != "add" || fmt.Sprint(ev.Chat.Participants) != "[15550100003@c.us]" {
		t.Fatalf("add: %+v in %+v", ev.Msg, ev.Chat)
	}
	if err := c.Group(bg, phone, group, "subject", "", "Team"); err != nil {
		t.Fatal(err)
	}
	if ev := dev.next("msg"); ev.Msg.Body != "Team" || ev.Chat.Name != "Team" || ev.Chat.Unread != 2 {
		t.Fatalf("subject: %+v in %+v (notices are not unread)", ev.Msg, ev.Chat)
	}
	if err := c.Group(bg, phone, group, "leave", "15550100003", ""); err != nil {
		t.Fatal(err)
	}
	if ev := dev.next("msg"); ev.Msg.Fields["subtype"] != "leave" || len(ev.Chat.Participants) != 0 {
		t.Fatalf("leave: %+v in %+v", ev.Msg, ev.Chat)
	}
	if err := c.Group(bg, phone, group, "promote", "15550100003", ""); !errors.Is(err, ErrBadRequest) {
		t.Errorf("an unknown group action: %v, want 400", err)
	}

	if err := c.Contact(bg, phone, "15550100003", "Cleo", "cleo"); err != nil {
		t.Fatal(err)
	}
	if ev := dev.next("contact"); ev.Contact == nil || ev.Contact.ID != "15550100003@c.us" || ev.Contact.Name != "Cleo" || ev.Contact.Pushname != "cleo" {
		t.Fatalf("contact: %+v", ev.Contact)
	}
	forever, yes := int64(-1), true
	if err := c.ChatState(bg, phone, group, &forever, &yes, &yes); err != nil {
		t.Fatal(err)
	}
	if ev := dev.next("chat"); ev.Chat.MuteExpiration != -1 || !ev.Chat.Archive || ev.Chat.Unread != -1 {
		t.Fatalf("chat state: %+v", ev.Chat)
	}
	if err := c.ChatState(bg, phone, "15550100077", &forever, nil, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("a chat the account does not have: %v, want 404", err)
	}
}

// The showcase holds one message of each type; read receipts show as ack 3
// on the phone, and a quoted send keeps its quote.
func TestShowcaseReceiptsAndQuotes(t *testing.T) {
	_, c := startServer(t, Options{Timings: fastTimings()})
	const phone = "15550006003"
	dev := newFakeDevice(t, c)
	dev.pair(c, phone)
	sc, err := c.Showcase(bg, phone)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Showcase(bg, phone); !errors.Is(err, ErrStale) {
		t.Errorf("a second showcase: %v, want 409", err)
	}
	msgs, err := c.Messages(bg, phone, sc.Chat)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for _, m := range msgs {
		types[m.Type] = true
	}
	for _, want := range []string{"", "image", "video", "audio", "ptt", "document", "sticker", "location", "vcard", "multi_vcard",
		"revoked", "poll_creation", "gp2", "notification_template", "e2e_notification", "ciphertext", "product"} {
		if !types[want] {
			t.Errorf("the showcase has no %q message; it has %v", want, types)
		}
	}
	if len(msgs) != len(sc.Messages) {
		t.Errorf("the showcase holds %d messages, the answer names %d", len(msgs), len(sc.Messages))
	}

	if st := dev.call("seen", map[string]any{"chat": sc.Chat, "receipts": true}, nil); st != http.StatusOK {
		t.Fatalf("seen: %d", st)
	}
	msgs, _ = c.Messages(bg, phone, sc.Chat)
	for _, m := range msgs {
		if !m.FromMe && m.Ack != 3 {
			t.Errorf("message %s (%s) has ack %d after the read receipts, want 3", m.ID, m.Type, m.Ack)
		}
	}

	quoted := sc.Messages["chat"]
	body := map[string]any{"chat": sc.Chat, "id": "3EB0AAAAAAAAAAAAAAAAAA", "body": "answer", "quotedStanzaID": quoted, "quotedParticipant": "15550100001@c.us"}
	var res struct{ Result string }
	if dev.call("send", body, &res); res.Result != "OK" {
		t.Fatalf("send: %+v", res)
	}
	sent, _ := c.Sent(bg, phone)
	if len(sent) != 1 || sent[0].Quoted != quoted {
		t.Fatalf("sent %+v, want the answer quoting %s", sent, quoted)
	}
	msgs, _ = c.Messages(bg, phone, sc.Chat)
	last := msgs[len(msgs)-1]
	if q, _ := last.Fields["quotedMsg"].(map[string]any); last.Body != "answer" || q["body"] != "Welcome to the showcase 👋" {
		t.Fatalf("the phone shows %+v, want the answer with the quoted text", last)
	}
	if _, err := c.Messages(bg, phone, "15550100077"); !errors.Is(err, ErrNotFound) {
		t.Errorf("messages of a chat the account does not have: %v, want 404", err)
	}
}
