package simweb

import (
	"net/http"
	"time"
)

// ShowcaseGroup is the group the showcase seeds: one message of each type.
const ShowcaseGroup = "120363025550109999@g.us"

// Showcase says where the showcase is: its group, the ids of its
// messages by what each shows, and the chat it archives and marks unread.
type Showcase struct {
	Chat     string            `json:"chat"`
	Messages map[string]string `json:"messages"`
	Archived string            `json:"archived"`
}

// showcasePeople are the showcase's members as the account knows them:
// by address-book name, by push name only, or not at all.
var showcasePeople = []person{
	{ID: "15550100001@c.us", Name: "Alice Martin", Pushname: "Ali"},
	{ID: "15550100002@c.us", Name: "Bruno Costa", Pushname: "Bruno"},
	{ID: "15550100004@c.us", Pushname: "Carla"},
	{ID: "15550100005@c.us"},
}

// showcaseLeaver is the member whose leaving the showcase shows.
const showcaseLeaver = "15550100009@c.us"

func (s *Server) showcase(phone string) (*Showcase, error) {
	a, err := s.account(phone)
	if err != nil {
		return nil, err
	}
	if a.chatIdx[ShowcaseGroup] != nil {
		return nil, errorf(http.StatusConflict, "the account has the showcase already, in %s", ShowcaseGroup)
	}
	return s.seedShowcase(a, time.Now())
}

// seedShowcase makes the showcase group with a message of every type,
// a quoted reply, reactions, votes, an edit and a deletion, and a second
// chat archived and marked unread.
func (s *Server) seedShowcase(a *account, now time.Time) (*Showcase, error) {
	alice, bruno, carla, dan := showcasePeople[0].ID, showcasePeople[1].ID, showcasePeople[2].ID, showcasePeople[3].ID
	me := a.Phone + "@c.us"
	for _, p := range showcasePeople {
		a.name(p)
		s.pushLive(a, event{Type: "contact", Contact: &p})
	}
	c, _ := a.ensureChat(ShowcaseGroup)
	c.Name, c.MuteExpiration = "Showcase (draft)", -1
	c.Participants = []string{me, alice, bruno, carla, dan, showcaseLeaver}
	out := &Showcase{Chat: c.ID, Messages: map[string]string{}}
	t := now.Add(-30 * time.Minute)
	add := func(label, author string, spec MessageSpec) (string, error) {
		m, err := a.compose(c, author, spec)
		if err != nil {
			return "", err
		}
		t = t.Add(time.Minute)
		m.T = t.Unix()
		s.arrive(a, c, m)
		out.Messages[label] = m.ID
		return m.ID, nil
	}
	specs := []struct {
		label, author string
		spec          MessageSpec
	}{
		{"e2e_notification", "", MessageSpec{Type: "e2e_notification", Subtype: "encrypt"}},
		{"chat", alice, MessageSpec{Body: "Welcome to the showcase 👋"}},
		{"image", bruno, MessageSpec{Type: "image", Caption: "The new storefront", Size: 245760, Width: 1280, Height: 720}},
		{"video", carla, MessageSpec{Type: "video", Caption: "Walkthrough", Size: 5242880, Duration: 34, Width: 1920, Height: 1080}},
		{"audio", alice, MessageSpec{Type: "audio", Size: 2960000, Duration: 185}},
		{"ptt", bruno, MessageSpec{Type: "ptt", Size: 19200, Duration: 12}},
		{"document", alice, MessageSpec{Type: "document", Caption: "Invoice for October", Filename: "Invoice-0042.pdf", Pages: 3, Size: 120034}},
		{"sticker", carla, MessageSpec{Type: "sticker", Size: 18000, Width: 512, Height: 512}},
		{"location", bruno, MessageSpec{Type: "location", Lat: 38.7078, Lng: -9.1366, Name: "Praça do Comércio", Address: "Lisboa, Portugal"}},
		{"vcard", alice, MessageSpec{Type: "vcard", Contacts: []Card{{Name: "Erin Walsh", Number: "15550100006"}}}},
		{"multi_vcard", bruno, MessageSpec{Type: "multi_vcard", Contacts: []Card{{Name: "Frank Ito", Number: "15550100007"}, {Name: "Grace Lee", Number: "15550100008"}}}},
		{"poll_creation", alice, MessageSpec{Type: "poll_creation", Poll: &PollSpec{Name: "Lunch on Friday?", Options: []string{"Pizza", "Sushi", "Salad"}}}},
		{"edited", bruno, MessageSpec{Body: "Meeting moved to 3 pm"}},
		{"revoked", carla, MessageSpec{Body: "Oops, wrong group"}},
		{"ciphertext", dan, MessageSpec{Type: "ciphertext"}},
		{"product", carla, MessageSpec{Type: "product"}},
		{"notification_template", "", MessageSpec{Type: "notification_template", Subtype: "disappearing_mode"}},
	}
	for _, sp := range specs {
		if _, err := add(sp.label, sp.author, sp.spec); err != nil {
			return nil, err
		}
	}
	if _, err := add("reply", dan, MessageSpec{Body: "Thanks @15550100001, glad to be here", Quote: out.Messages["chat"], Mentions: []string{alice}}); err != nil {
		return nil, err
	}
	for _, step := range []func() error{
		func() error { return s.react(a, out.Messages["chat"], bruno, "👍") },
		func() error { return s.react(a, out.Messages["chat"], carla, "❤️") },
		func() error { return s.react(a, out.Messages["chat"], me, "👍") },
		func() error { return s.vote(a, out.Messages["poll_creation"], bruno, []string{"Pizza"}) },
		func() error { return s.vote(a, out.Messages["poll_creation"], carla, []string{"Pizza"}) },
		func() error { return s.vote(a, out.Messages["poll_creation"], dan, []string{"Sushi"}) },
		func() error { return s.edit(a, out.Messages["edited"], "Meeting moved to 4 pm") },
		func() error { return s.revoke(a, out.Messages["revoked"]) },
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	for _, g := range []struct{ label, action, who, subject string }{
		{"gp2_add", "add", dan, ""},
		{"gp2_leave", "leave", showcaseLeaver, ""},
		{"gp2_subject", "subject", alice, "Showcase"},
	} {
		// A minute apart, as the messages are, so they show in this order.
		t = t.Add(time.Minute)
		if err := s.groupChange(a, c, g.action, g.who, g.subject, t); err != nil {
			return nil, err
		}
		out.Messages[g.label] = a.Msgs[len(a.Msgs)-1].ID
	}
	// A chat archived and marked unread, as the phone can leave one.
	arch, _ := a.ensureChat(carla)
	arch.Name, arch.Archive = "Carla", true
	t = t.Add(time.Minute)
	m := &message{ID: newInboundID(), Remote: arch.ID, Body: "See you tomorrow", T: t.Unix()}
	s.arrive(a, arch, m)
	arch.Unread = -1
	cc := *arch
	s.pushLive(a, event{Type: "chat", Chat: &cc})
	out.Archived = arch.ID
	s.dirty()
	return out, nil
}
