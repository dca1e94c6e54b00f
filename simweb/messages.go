package simweb

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// historyPage is how many messages per chat a sync or an earlier-load returns.
const historyPage = 50

// groupAuthor writes the inbound messages of groups (the seeded "Alice").
const groupAuthor = "15550100001@c.us"

// faultState is a phone's faults plus the recipients that failed for good.
type faultState struct {
	Faults
	never map[string]bool // chat ids never on WhatsApp
	noLID map[string]bool // chat ids WhatsApp has no LID for
}

func (f *faultState) notOnWhatsApp(id string) bool { return f != nil && f.never[id] }
func (f *faultState) lidless(id string) bool       { return f != nil && f.noLID[id] }

// deliver hands a message to the account's devices except one: at once to
// the live ones, later (offline delivery) to the others.
func (s *Server) deliver(a *account, m *message, except *device) {
	for _, d := range s.devicesOf(a) {
		switch {
		case d == except:
		case d.live:
			s.pushMsg(a, d, m, false)
		default:
			d.Pending = append(d.Pending, m.ID)
		}
	}
}

// pushMsg sends a message down a device's stream; a sealed one goes first
// as a placeholder, decrypted a moment later.
func (s *Server) pushMsg(a *account, d *device, m *message, offline bool) {
	c := *a.chatIdx[m.Remote]
	if !m.Sealed {
		d.stream.push(event{Type: "msg", Msg: m, Chat: &c, Offline: offline})
		return
	}
	d.stream.push(event{Type: "msg", Msg: m.placeholder(), Chat: &c, Offline: offline})
	st := d.stream
	s.after(s.t.AckDelay, func() { st.push(event{Type: "decrypt", Msg: m}) })
}

// thumbnail stands for the JPEG thumbnail that is a media message's body.
const thumbnail = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k="

// inbound stores count messages of a kind (see inboundKinds) from a
// contact or group and delivers them.
func (s *Server) inbound(a *account, from, body, kind string, count int) {
	if s.build.LID && !s.faults[a.Phone].lidless(from) {
		from = a.migrate(from)
	}
	c, _ := a.ensureChat(from)
	now := time.Now().Unix()
	for i := 1; i <= count; i++ {
		m := &message{ID: newInboundID(), Remote: from, Body: body, T: now}
		if count > 1 {
			m.Body = fmt.Sprintf("%s #%d", body, i)
		}
		switch kind {
		case "ciphertext":
			m.Sealed = true
		case "image":
			m.Type, m.Caption, m.Body = "image", m.Body, thumbnail
			m.Fields = map[string]any{"mimetype": defaultMimetype["image"]}
		case "notification":
			m.Type = "notification_template"
		}
		if c.IsGroup {
			m.Author = groupAuthor
			if c.LIDMode {
				m.Author = a.lidOf(groupAuthor)
			}
		}
		s.arrive(a, c, m)
	}
	s.dirty()
}

// send handles a text a device sends. It reports whether the server
// accepted it; a refused send is not logged and gets no acks.
func (s *Server) send(a *account, d *device, req devReq) bool {
	// The page's own queue may send again what the server already took
	// when the answer was lost; WhatsApp knows the key and keeps one copy.
	if m := a.msgIdx[req.ID]; req.Resend && m != nil && m.FromMe && m.Remote == req.Chat {
		s.pushAck(d, m)
		return true
	}
	f := s.faults[a.Phone]
	if f.notOnWhatsApp(req.Chat) {
		return false
	}
	if f != nil && f.SendFail > 0 && rand.Float64() < f.SendFail {
		if f.Permanent {
			f.never[req.Chat] = true
		}
		return false
	}
	now := time.Now()
	a.Sent = append(a.Sent, SentMessage{ID: req.ID, To: req.Chat, Body: req.Body, Time: now, From: req.From, Ephemeral: req.Ephemeral,
		Quoted: req.QuotedID})
	a.ensureChat(req.Chat)
	t := req.T
	if t == 0 {
		t = now.Unix()
	}
	m := a.addMsg(&message{ID: req.ID, FromMe: true, Remote: req.Chat, Author: req.Participant, Body: req.Body, T: t, Ack: 1,
		Fields: a.quoteOf(req)})
	s.deliver(a, m, d)
	// Ack 1 also goes down the stream, so the page sees 1, 2, 3 in order
	// whichever of the stream and this call's answer is first.
	s.pushAck(d, m)
	s.scheduleAck(a, m, 2)
	s.dirty()
	return true
}

// scheduleAck moves a sent message to ack step after the account's delay.
func (s *Server) scheduleAck(a *account, m *message, step int) {
	delay := s.t.AckDelay
	if f := s.faults[a.Phone]; f != nil && f.AckDelayMs > 0 {
		delay = time.Duration(f.AckDelayMs) * time.Millisecond
	}
	s.after(delay, func() {
		if m.Ack >= step || s.accounts[a.Phone] != a {
			return
		}
		m.Ack = step
		for _, d := range s.devicesOf(a) {
			s.pushAck(d, m)
		}
		if step < 3 {
			s.scheduleAck(a, m, step+1)
		}
		s.dirty()
	})
}

// pushAck tells the device a message's ack now, or when it is live again.
func (s *Server) pushAck(d *device, m *message) {
	if d.live {
		d.stream.push(event{Type: "ack", ID: m.ID, Remote: m.Remote, Ack: m.Ack})
		return
	}
	if d.pendingAcks == nil {
		d.pendingAcks = map[string]bool{}
	}
	d.pendingAcks[m.ID] = true
}

// ready marks the device live and delivers what it missed, oldest first,
// framed by "offline" events so the page can report delivery progress.
func (s *Server) ready(a *account, d *device) {
	d.live = true
	d.stream.push(event{Type: "offline", Total: len(d.Pending)})
	for _, id := range d.Pending {
		if m := a.msgIdx[id]; m != nil {
			s.pushMsg(a, d, m, true)
		}
	}
	for id := range d.pendingAcks {
		if m := a.msgIdx[id]; m != nil {
			d.stream.push(event{Type: "ack", ID: id, Remote: m.Remote, Ack: m.Ack})
		}
	}
	if len(d.Pending) > 0 {
		s.dirty()
	}
	d.Pending, d.pendingAcks = nil, nil
}

// snapshot is what a device loads when it syncs: every chat and its latest
// messages, without those still waiting for offline delivery (they come as
// new messages right after).
func (s *Server) snapshot(a *account, d *device) ([]chat, []*message) {
	pending := map[string]bool{}
	unread := map[string]int{}
	for _, id := range d.Pending {
		pending[id] = true
		if m := a.msgIdx[id]; m != nil && !m.FromMe {
			unread[m.Remote]++
		}
	}
	chats := make([]chat, len(a.Chats))
	for i, c := range a.Chats {
		chats[i] = *c
		if c.Unread > 0 {
			chats[i].Unread = max(0, c.Unread-unread[c.ID])
		}
	}
	perChat := map[string]int{}
	var msgs []*message
	for _, m := range slices.Backward(a.Msgs) {
		if !pending[m.ID] && perChat[m.Remote] < historyPage {
			perChat[m.Remote]++
			msgs = append(msgs, m)
		}
	}
	slices.Reverse(msgs)
	return chats, msgs
}

// earlier returns up to a page of the chat's messages older than the one
// with id before (the newest when before is empty; older than beforeT when
// the server never had that message), and whether more exist.
func (s *Server) earlier(a *account, d *device, chatID, before string, beforeT int64) ([]*message, bool) {
	pending := map[string]bool{}
	for _, id := range d.Pending {
		pending[id] = true
	}
	older := []*message{} // never null: the page maps over it
	seen := before == ""
	byTime := !seen && a.msgIdx[before] == nil
	for _, m := range slices.Backward(a.Msgs) {
		switch {
		case m.Remote != chatID || pending[m.ID]:
			continue
		case byTime:
			if m.T >= beforeT {
				continue
			}
		case !seen:
			seen = m.ID == before
			continue
		}
		if len(older) == historyPage {
			return reversed(older), true
		}
		older = append(older, m)
	}
	return reversed(older), false
}

func reversed(ms []*message) []*message {
	slices.Reverse(ms)
	return ms
}
