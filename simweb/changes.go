package simweb

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"
)

// arrive stores an inbound message in chat c, counts it unread unless it
// is a notification, and delivers it.
func (s *Server) arrive(a *account, c *chat, m *message) {
	switch {
	case slices.Contains(noticeKinds, m.Type):
	case c.Unread >= 0:
		c.Unread++
	default:
		c.Unread = 1
	}
	a.addMsg(m)
	s.deliver(a, m, nil)
}

// pushLive sends an event to the account's live devices. A device offline
// now gets the message as it is then, with its next sync.
func (s *Server) pushLive(a *account, ev event) {
	for _, d := range s.devicesOf(a) {
		if d.live {
			d.stream.push(ev)
		}
	}
}

// changed tells the live devices about a change of m (kind "edit",
// "revoke", "react" or "vote", with the reaction or vote).
func (s *Server) changed(a *account, kind string, m *message, r *reaction, v *vote) {
	c := *a.chatIdx[m.Remote]
	mm := *m
	s.pushLive(a, event{Type: kind, Msg: &mm, Chat: &c, Reaction: r, Vote: v})
	s.dirty()
}

// edit replaces the text (or a media message's caption) of message id, as
// its sender editing it does.
func (s *Server) edit(a *account, id, body string) error {
	m := a.msgIdx[id]
	switch {
	case m == nil:
		return errorf(http.StatusNotFound, "the account has no message %s", id)
	case m.Type != "" && m.Type != "image" && m.Type != "video" && m.Type != "document":
		return errorf(http.StatusConflict, "a %s message cannot be edited, only texts and captions", m.Type)
	case body == "":
		return errorf(http.StatusBadRequest, "body is missing")
	}
	if m.Type == "" {
		m.Body = body
	} else {
		m.Caption = body
	}
	// Copied, never changed in place: an answer being written may hold
	// the old one.
	m.Fields = maps.Clone(m.Fields)
	if m.Fields == nil {
		m.Fields = map[string]any{}
	}
	now := time.Now()
	// The edit is a message of its own; the page points at it from the
	// edited one.
	m.Fields["latestEditMsgKey"] = (&message{ID: newInboundID(), FromMe: m.FromMe, Remote: m.Remote, Author: m.Author}).key()
	m.Fields["latestEditSenderTimestampMs"] = now.UnixMilli()
	s.changed(a, "edit", m, nil, nil)
	return nil
}

// revoke deletes message id for everyone: it stays, as type "revoked".
func (s *Server) revoke(a *account, id string) error {
	m := a.msgIdx[id]
	switch {
	case m == nil:
		return errorf(http.StatusNotFound, "the account has no message %s", id)
	case m.Type == "revoked":
		return errorf(http.StatusConflict, "message %s is already deleted", id)
	}
	m.Type, m.Body, m.Caption, m.Reactions, m.Votes = "revoked", "", "", nil, nil
	m.Fields = map[string]any{"subtype": "sender_revoke"}
	s.changed(a, "revoke", m, nil, nil)
	return nil
}

// react sets sender's reaction to message id; an empty emoji takes it back.
func (s *Server) react(a *account, id, sender, emoji string) error {
	m := a.msgIdx[id]
	switch {
	case m == nil:
		return errorf(http.StatusNotFound, "the account has no message %s", id)
	case m.Type == "revoked" || slices.Contains(noticeKinds, m.Type):
		return errorf(http.StatusConflict, "a %s message takes no reactions", m.Type)
	}
	r := reaction{ID: newInboundID(), Sender: sender, Emoji: emoji, T: time.Now().UnixMilli(), FromMe: sender == a.Phone+"@c.us"}
	m.Reactions = slices.DeleteFunc(slices.Clone(m.Reactions), func(o reaction) bool { return o.Sender == sender })
	if emoji != "" {
		m.Reactions = append(m.Reactions, r)
	}
	s.changed(a, "react", m, &r, nil)
	return nil
}

// vote sets sender's vote on poll id to the options named.
func (s *Server) vote(a *account, id, sender string, picks []string) error {
	m := a.msgIdx[id]
	if m == nil || m.Type != "poll_creation" {
		return errorf(http.StatusNotFound, "the account has no poll %s", id)
	}
	opts := pollOptions(m.Fields["pollOptions"])
	var local []int
	for _, p := range picks {
		i := slices.IndexFunc(opts, func(o map[string]any) bool { return o["name"] == p })
		if i < 0 {
			return errorf(http.StatusBadRequest, "poll %s has no option %q", id, p)
		}
		local = append(local, i)
	}
	if fmt.Sprint(m.Fields["pollSelectableOptionsCount"]) == "1" && len(local) > 1 {
		return errorf(http.StatusBadRequest, "poll %s takes one option per voter", id)
	}
	v := vote{ID: newInboundID(), Sender: sender, Options: local, T: time.Now().UnixMilli()}
	m.Votes = append(slices.DeleteFunc(slices.Clone(m.Votes), func(o vote) bool { return o.Sender == sender }), v)
	s.changed(a, "vote", m, nil, &v)
	return nil
}

// pollOptions reads a poll's options as composed, or as a state file
// brought them back.
func pollOptions(v any) []map[string]any {
	if l, ok := v.([]map[string]any); ok {
		return l
	}
	var out []map[string]any
	list, _ := v.([]any)
	for _, e := range list {
		if o, ok := e.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

// groupChange plays a member joining, being removed, leaving, or the
// subject changing: the group changes and a gp2 notification arrives.
func (s *Server) groupChange(a *account, c *chat, action, who, subject string, at time.Time) error {
	m := &message{ID: newInboundID(), Remote: c.ID, Type: "gp2", T: at.Unix(), Author: who,
		Fields: map[string]any{"subtype": action}}
	if action == "add" || action == "remove" {
		// An admin adds and removes members: the seeded Alice.
		m.Author = groupAuthor
	}
	switch action {
	case "add":
		if !slices.Contains(c.Participants, who) {
			c.Participants = append(c.Participants, who)
		}
		m.Fields["recipients"] = []string{who}
	case "remove", "leave":
		c.Participants = slices.DeleteFunc(slices.Clone(c.Participants), func(p string) bool { return p == who })
		m.Fields["recipients"] = []string{who}
	case "subject":
		if subject == "" {
			return errorf(http.StatusBadRequest, "a subject change needs the new subject")
		}
		c.Name, m.Body = subject, subject
	default:
		return errorf(http.StatusBadRequest, "action %q is not one of add, remove, leave, subject", action)
	}
	s.arrive(a, c, m)
	s.dirty()
	return nil
}
