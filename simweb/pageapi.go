package simweb

import (
	"net/http"
	"strings"
	"time"
)

// devReq is the body of every page -> server call (POST /sim/device/{op}).
type devReq struct {
	Device      string   `json:"device"`
	Token       string   `json:"token"`
	Phone       string   `json:"phone"`
	Chat        string   `json:"chat"`
	Before      string   `json:"before"`
	IDs         []string `json:"ids"`
	ID          string   `json:"id"`
	Body        string   `json:"body"`
	Participant string   `json:"participant"`
	Resend      bool     `json:"resend"` // the page's own queue sends it again
	ADV         string   `json:"adv"`
	ByCode      bool     `json:"byCode"` // the page links by code: it shows no QR code
	From        string   `json:"from"`
	Ephemeral   int      `json:"ephemeralDuration"`
	T           int64    `json:"t"`
	Unread      int      `json:"unread"`
	Receipts    bool     `json:"receipts"` // sendSeen: read receipts go to the senders
	// A reply carries the quoted message's id and sender.
	QuotedID          string `json:"quotedStanzaID"`
	QuotedParticipant string `json:"quotedParticipant"`
}

// serveDevice answers the page's own calls. Like WhatsApp's socket, this is
// private to the page: nothing outside simweb may call it.
func (s *Server) serveDevice(w http.ResponseWriter, r *http.Request) {
	var req devReq
	if err := readJSON(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	s.mu.Lock()
	res, err := s.deviceOp(r.PathValue("op"), req)
	delay := s.replyDelay(r.PathValue("op"), req)
	s.mu.Unlock()
	// An accepted send is answered late when asked to: the message is out,
	// but the sender does not know yet (the window crash tests aim at).
	time.Sleep(delay)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, res)
}

func (s *Server) deviceOp(op string, req devReq) (any, error) {
	d := s.devices[req.Device]
	if d == nil || s.closed {
		return nil, errorf(http.StatusNotFound, "unknown device %q", req.Device)
	}
	switch op {
	case "refresh":
		if d.stream == nil || d.Token != "" || (d.state != stUnpaired && d.state != stIdle) {
			// A phone that scanned meanwhile is pairing: no new codes.
			return nil, errorf(http.StatusConflict, "only a connected, unpaired device shows QR codes")
		}
		s.startBatch(d, "ref")
		return struct{}{}, nil
	case "adv":
		// The page made a new ADV secret: QR codes drawn from the old one
		// no longer pair.
		if !s.build.ADVRotates || d.Token != "" || !validKey(req.ADV) {
			return nil, errorf(http.StatusConflict, "only an unpaired device of a build that rotates it takes a new ADV secret")
		}
		d.ADV, d.byCode = req.ADV, req.ByCode
		s.dirty()
		return struct{}{}, nil
	case "linkcode":
		if !phoneRe.MatchString(req.Phone) {
			return nil, errorf(http.StatusBadRequest, "phone must be digits in international form")
		}
		code, err := s.linkCodeFor(d, req.Phone)
		return map[string]string{"code": code}, err
	case "logout":
		if req.Token != "" && req.Token == d.Token {
			s.forget(d)
			d.state = stOpening
			s.dirty()
		}
		return struct{}{}, nil
	}
	a, err := s.authed(d, req.Token)
	if err != nil {
		return nil, err
	}
	chatID, okChat := normChatID(req.Chat)
	switch op {
	case "ready":
		if d.stream == nil {
			return nil, errorf(http.StatusConflict, "the device's stream is not connected")
		}
		s.ready(a, d)
		return struct{}{}, nil
	case "snapshot":
		chats, msgs := s.snapshot(a, d)
		people := []person{}
		for _, p := range a.People {
			people = append(people, p)
		}
		return map[string]any{"chats": chats, "messages": msgs, "contacts": people}, nil
	case "earlier":
		if !okChat {
			return nil, errorf(http.StatusBadRequest, "bad chat id %q", req.Chat)
		}
		msgs, more := s.earlier(a, d, chatID, req.Before, req.T)
		return map[string]any{"messages": msgs, "more": more}, nil
	case "byid":
		pending := map[string]bool{}
		for _, id := range d.Pending {
			pending[id] = true
		}
		msgs := []*message{}
		for _, id := range req.IDs {
			if m := a.msgIdx[rawMsgID(id)]; m != nil && !pending[m.ID] && (!s.build.KeyLookup || m.key() == id) {
				msgs = append(msgs, m)
			}
		}
		return map[string]any{"messages": msgs}, nil
	case "chat":
		if !okChat {
			return nil, errorf(http.StatusBadRequest, "bad chat id %q", req.Chat)
		}
		if s.build.LID && strings.HasSuffix(chatID, "@c.us") {
			// A migrated contact's chat is its LID chat; a number whose LID
			// the page never learned cannot have one.
			if chatID = a.lidOf(chatID); chatID == "" {
				return nil, errorf(http.StatusConflict, "No LID for user")
			}
		}
		c, created := a.ensureChat(chatID)
		if created {
			s.dirty()
		}
		return map[string]any{"chat": c, "created": created}, nil
	case "exists":
		f := s.faults[a.Phone]
		if !okChat || f.notOnWhatsApp(chatID) {
			return map[string]any{"wid": nil}, nil
		}
		lid := ""
		if s.build.LID && !f.lidless(chatID) {
			lid = a.migrate(chatID)
			s.dirty()
		}
		return map[string]any{"wid": chatID, "lid": lid}, nil
	case "send":
		if !okChat || req.ID == "" {
			return nil, errorf(http.StatusBadRequest, "send needs a chat id and a message id")
		}
		req.Chat = chatID
		if !s.send(a, d, req) {
			return map[string]any{"result": "ERROR_NETWORK"}, nil
		}
		return map[string]any{"result": "OK", "ack": 1}, nil
	case "seen":
		c := a.chatIdx[chatID]
		if c == nil {
			return nil, errorf(http.StatusNotFound, "no chat %q", req.Chat)
		}
		if req.Receipts {
			a.Reads = append(a.Reads, ReadMark{Chat: c.ID, Time: time.Now(), Unread: c.Unread})
			// The senders see their messages read.
			for _, m := range a.Msgs {
				if m.Remote == c.ID && !m.FromMe && m.Ack < 3 {
					m.Ack = 3
				}
			}
		}
		c.Unread = min(req.Unread, 0)
		for _, o := range s.devicesOf(a) {
			if o != d && o.live {
				cc := *c
				o.stream.push(event{Type: "chat", Chat: &cc})
			}
		}
		s.dirty()
		return struct{}{}, nil
	}
	return nil, errorf(http.StatusNotFound, "no device call %q", op)
}

// authed returns the account of a paired device, refusing it while the
// phone has dropped its connection.
// replyDelay is how long the answer to a device call waits: SendDelayMs of
// the account's faults, for sends only.
func (s *Server) replyDelay(op string, req devReq) time.Duration {
	d := s.devices[req.Device]
	if op != "send" || d == nil {
		return 0
	}
	if f := s.faults[d.Phone]; f != nil {
		return time.Duration(f.SendDelayMs) * time.Millisecond
	}
	return 0
}

func (s *Server) authed(d *device, token string) (*account, error) {
	a := s.accounts[d.Phone]
	if token == "" || token != d.Token || a == nil {
		return nil, errorf(http.StatusUnauthorized, "the device is not logged in")
	}
	if a.dropped(time.Now()) {
		return nil, errorf(http.StatusServiceUnavailable, "connection dropped")
	}
	return a, nil
}
