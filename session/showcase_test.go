package session

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/simweb"
)

func TestShowcaseEveryType(t *testing.T) { eachBuild(t, testShowcaseEveryType) }

// One showcase load, checked for every type: each message comes back
// through Messages with its fields and names, the chats with members, mute,
// archive and marked unread; edits, deletions, reactions and votes arrive
// live as changes of the message shown, never as new inbox entries; a reply
// reaches the phone as a quote; marking read sends the receipts.
func testShowcaseEveryType(t *testing.T, e *testEnv) {
	const phone = "15551240301"
	const alice, bruno, carla = "15550100001@c.us", "15550100002@c.us", "15550100004@c.us"
	e.pairQR("show", phone)
	e.pace("show", fastPacing)
	ctx := context.Background()
	sc, err := e.phone.Showcase(ctx, phone)
	if err != nil {
		t.Fatal(err)
	}
	id := sc.Messages

	var msgs []Message
	byID := map[string]Message{}
	e.waitUntil("every showcase message on the page", 20*time.Second, func() bool {
		msgs, err = e.m.Messages(ctx, "show", sc.Chat, "", 100)
		clear(byID)
		for _, m := range msgs {
			byID[m.ID] = m
		}
		for _, want := range id {
			if _, ok := byID[want]; !ok {
				return false
			}
		}
		// The changes made right after the messages arrived have landed.
		return err == nil && byID[id["revoked"]].Revoked && byID[id["edited"]].Body == "Meeting moved to 4 pm" && len(byID[id["chat"]].Reactions) == 3
	})
	m := func(label string) Message { return byID[id[label]] }

	check := func(label string, ok bool, what string) {
		t.Helper()
		if !ok {
			got, _ := json.Marshal(m(label))
			t.Errorf("%s: want %s; got %s", label, what, got)
		}
	}
	chat := m("chat")
	check("chat", chat.Type == "chat" && chat.Body == "Welcome to the showcase 👋" && chat.Author == alice && chat.AuthorName == "Alice Martin", "Alice's text by her address-book name")
	reacts := map[string]string{}
	for _, r := range chat.Reactions {
		reacts[r.Sender] = r.Emoji
		if r.FromMe != (r.Sender == phone+"@c.us") {
			t.Errorf("reaction %+v: fromMe is wrong", r)
		}
	}
	check("chat", reacts[bruno] == "👍" && reacts[carla] == "❤️" && reacts[phone+"@c.us"] == "👍", "three reactions, ours among them")
	reply := m("reply")
	check("reply", reply.Quoted != nil && reply.Quoted.ID == chat.ID && reply.Quoted.Author == alice && reply.Quoted.AuthorName == "Alice Martin" && reply.Quoted.Body == chat.Body &&
		slices.Contains(reply.Mentions, alice) && reply.AuthorName == "", "a quote of Alice's text, a mention, no name for Dan")
	for label, f := range map[string]FileInfo{
		"image":    {Mimetype: "image/jpeg", Size: 245760, Width: 1280, Height: 720},
		"video":    {Mimetype: "video/mp4", Size: 5242880, Duration: 34, Width: 1920, Height: 1080},
		"audio":    {Mimetype: "audio/mpeg", Size: 2960000, Duration: 185},
		"ptt":      {Mimetype: "audio/ogg; codecs=opus", Size: 19200, Duration: 12},
		"document": {Mimetype: "application/pdf", Size: 120034, Filename: "Invoice-0042.pdf", Pages: 3},
		"sticker":  {Mimetype: "image/webp", Size: 18000, Width: 512, Height: 512},
	} {
		got := m(label)
		check(label, got.Type == label && got.File != nil && *got.File == f && got.Media, "the file "+f.Mimetype)
	}
	check("image", m("image").Body == "The new storefront" && m("image").AuthorName == "Bruno Costa", "the caption by Bruno")
	check("video", m("video").AuthorName == "Carla", "Carla by her push name")
	loc := m("location").Location
	check("location", loc != nil && loc.Lat == 38.7078 && loc.Lng == -9.1366 && loc.Name == "Praça do Comércio" && loc.Address == "Lisboa, Portugal" &&
		m("location").Body == "Praça do Comércio", "the pin with its name and address")
	check("vcard", slices.Equal(m("vcard").Contacts, []ContactCard{{Name: "Erin Walsh", Number: "15550100006"}}) && m("vcard").Body == "Erin Walsh", "Erin's card")
	check("multi_vcard", slices.Equal(m("multi_vcard").Contacts, []ContactCard{{Name: "Frank Ito", Number: "15550100007"}, {Name: "Grace Lee", Number: "15550100008"}}), "two cards")
	poll := m("poll_creation").Poll
	check("poll_creation", poll != nil && poll.Name == "Lunch on Friday?" && !poll.Multiple &&
		slices.Equal(poll.Options, []PollOption{{"Pizza", 2}, {"Sushi", 1}, {"Salad", 0}}), "the poll with its votes")
	check("edited", !m("edited").Edited.IsZero(), "an edit time")
	check("revoked", m("revoked").Type == "revoked" && m("revoked").Body == "" && m("revoked").Subtype == "sender_revoke", "deleted for everyone")
	check("ciphertext", m("ciphertext").Type == "ciphertext" && m("ciphertext").Body == "", "a message not decrypted")
	check("product", m("product").Type == "product" && m("product").Body == "" && m("product").File == nil && m("product").Quoted == nil, "an unknown type by its type alone")
	for label, sub := range map[string]string{"e2e_notification": "encrypt", "notification_template": "disappearing_mode", "gp2_add": "add", "gp2_leave": "leave", "gp2_subject": "subject"} {
		check(label, m(label).Notice && m(label).Subtype == sub && (m(label).Author != "" || m(label).AuthorName == ""), "a notice of subtype "+sub+", named only by a person")
	}
	check("gp2_subject", m("gp2_subject").Type == "gp2" && m("gp2_subject").Body == "Showcase", "the new subject")
	for _, msg := range msgs {
		raw, _ := json.Marshal(msg.Raw)
		if msg.Raw["id"] != msg.Key || msg.Raw["type"] == nil {
			t.Errorf("message %s (%s): raw %s lacks its key or type", msg.ID, msg.Type, raw)
		}
		for _, secret := range []string{"mediaKey", "directPath", "filehash", "/9j/"} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("message %s (%s): raw carries %s: %s", msg.ID, msg.Type, secret, raw)
			}
		}
	}

	chats, err := e.m.Chats(ctx, "show")
	if err != nil {
		t.Fatal(err)
	}
	chatByID := map[string]Chat{}
	for _, c := range chats {
		chatByID[c.ID] = c
	}
	if g := chatByID[sc.Chat]; g.Name != "Showcase" || !g.Group || g.Participants != 5 || !g.Muted || g.Archived {
		t.Errorf("the showcase group: %+v, want Showcase, 5 members, muted", g)
	}
	if c := chatByID[sc.Archived]; !c.Archived || !c.MarkedUnread || c.Muted {
		t.Errorf("Carla's chat: %+v, want archived and marked unread", c)
	}

	// The inbox holds each message once: changes made none of their own,
	// and what has no text is found by what it shows.
	stored := e.inbox("show", InboxQuery{Chat: sc.Chat, Filtered: true})
	if len(stored) != len(id) {
		t.Errorf("the inbox holds %d messages of the showcase, want %d (one per message)", len(stored), len(id))
	}
	storedBody := map[string]string{}
	for _, s := range stored {
		storedBody[s.ID] = s.Body
	}
	for label, body := range map[string]string{"poll_creation": "Lunch on Friday?", "location": "Praça do Comércio", "multi_vcard": "Frank Ito, Grace Lee"} {
		if storedBody[id[label]] != body {
			t.Errorf("the inbox keeps %s as %q, want %q", label, storedBody[id[label]], body)
		}
	}

	// Live: each change updates the message already shown.
	live := func(what, msgID string, ok func(Message) bool) {
		t.Helper()
		deadline := time.After(15 * time.Second)
		for {
			select {
			case u := <-e.updates:
				if u.Session == "show" && u.Message != nil && u.Message.ID == msgID && ok(*u.Message) {
					if u.Message.New {
						t.Errorf("%s arrived as a new message", what)
					}
					return
				}
			case <-deadline:
				t.Fatalf("%s did not arrive live within 15s\nlog:\n%s", what, e.logText())
			}
		}
	}
	if err := e.phone.Edit(ctx, phone, id["reply"], "Thanks, glad to be here!"); err != nil {
		t.Fatal(err)
	}
	live("the edit", id["reply"], func(m Message) bool { return m.Body == "Thanks, glad to be here!" && !m.Edited.IsZero() })
	// The inbox keeps the edited text, and search finds it, not the old one.
	if s, err := e.db.InboundByID("show", id["reply"]); err != nil || s.Body != "Thanks, glad to be here!" {
		t.Errorf("after the edit the inbox keeps %+v, %v", s, err)
	}
	for text, want := range map[string]int{"thanks, glad": 1, "@15550100001": 0} {
		if hits, err := e.m.Search("show", SearchQuery{Text: text}); err != nil || len(hits) != want || (want == 1 && hits[0].Message.ID != id["reply"]) {
			t.Errorf("a search for %q after the edit: %+v, %v; want %d hit(s)", text, hits, err, want)
		}
	}
	if err := e.phone.React(ctx, phone, id["image"], alice, "🎉"); err != nil {
		t.Fatal(err)
	}
	live("the reaction", id["image"], func(m Message) bool {
		return slices.ContainsFunc(m.Reactions, func(r Reaction) bool { return r.Emoji == "🎉" && r.Sender == alice })
	})
	if err := e.phone.Vote(ctx, phone, id["poll_creation"], alice, "Salad"); err != nil {
		t.Fatal(err)
	}
	live("the vote", id["poll_creation"], func(m Message) bool { return m.Poll != nil && m.Poll.Options[2].Votes == 1 })
	if err := e.phone.Revoke(ctx, phone, id["video"]); err != nil {
		t.Fatal(err)
	}
	live("the deletion", id["video"], func(m Message) bool { return m.Revoked && m.File == nil })
	// A notice arrives live too, as a new line of the chat.
	if err := e.phone.Group(ctx, phone, sc.Chat, "subject", "", "Showcase live"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.After(15 * time.Second); ; {
		var u Update
		select {
		case u = <-e.updates:
		case <-deadline:
			t.Fatalf("the subject change did not arrive live within 15s\nlog:\n%s", e.logText())
		}
		if m := u.Message; u.Session == "show" && m != nil && m.Notice && m.Subtype == "subject" && m.Body == "Showcase live" {
			if !m.New || m.Chat != sc.Chat {
				t.Errorf("the live subject change: %+v, want a new message of %s", *m, sc.Chat)
			}
			break
		}
	}
	if n := len(e.inbox("show", InboxQuery{Chat: sc.Chat, Filtered: true})); n != len(id)+1 {
		t.Errorf("after the changes and the notice the inbox holds %d messages of the showcase, want %d", n, len(id)+1)
	}

	// A reply quotes the captured message; one to a deleted message goes
	// without the quote, and the session says why.
	quoted, err := e.m.SendMany(ctx, "show", sc.Chat, id["chat"], []string{"a quoted answer"})
	if err != nil {
		t.Fatal(err)
	}
	unquoted, err := e.m.SendMany(ctx, "show", sc.Chat, id["video"], []string{"about that video"})
	if err != nil {
		t.Fatal(err)
	}
	e.waitJob("show", unquoted[0].Seq, "the reply to a deleted message sent", func(j Job) bool { return j.State == JobSent })
	got := map[string]simweb.SentMessage{}
	for _, s := range e.sent(phone) {
		got[s.Body] = s
	}
	if got["a quoted answer"].Quoted != id["chat"] || got["about that video"].Quoted != "" {
		t.Errorf("the phone got %+v and %+v: want the first quoting %s, the second quoting nothing", got["a quoted answer"], got["about that video"], id["chat"])
	}
	if j, _ := e.db.GetJob("show", quoted[0].Seq); j.State != JobSent {
		t.Errorf("the quoted reply: %+v, want sent", j)
	}
	evs, _ := e.m.History("show", 50)
	if !slices.ContainsFunc(evs, func(ev Event) bool { return ev.Kind == "job-unquoted" && strings.Contains(ev.Detail, id["video"]) }) {
		t.Errorf("no job-unquoted event naming %s in %+v", id["video"], evs)
	}
	phoneSide, err := e.phone.Messages(ctx, phone, sc.Chat)
	if err != nil {
		t.Fatal(err)
	}
	for _, pm := range phoneSide {
		if pm.Body == "a quoted answer" && (pm.Fields["quotedStanzaID"] != id["chat"] || pm.Fields["quotedParticipant"] != alice) {
			t.Errorf("the phone shows the reply as %+v, want it quoting Alice's %s", pm, id["chat"])
		}
	}

	// Marking read sends the receipts: the senders see ack 3, and the
	// chat marked unread is read.
	if err := e.m.MarkRead(ctx, "show", sc.Archived); err != nil {
		t.Fatal(err)
	}
	carlaSide, err := e.phone.Messages(ctx, phone, sc.Archived)
	if err != nil {
		t.Fatal(err)
	}
	for _, pm := range carlaSide {
		if !pm.FromMe && pm.Ack != 3 {
			t.Errorf("Carla's message %s has ack %d after mark-read, want 3 (read)", pm.ID, pm.Ack)
		}
	}
	chats, err = e.m.Chats(ctx, "show")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chats {
		if c.ID == sc.Archived && (c.MarkedUnread || c.Unread != 0) {
			t.Errorf("Carla's chat after mark-read: %+v, want read", c)
		}
	}
}
