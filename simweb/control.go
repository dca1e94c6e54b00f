package simweb

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// maxInbound bounds one /sim/inbound call.
const maxInbound = 10000

func (s *Server) serveState(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	devs := []Device{}
	for _, id := range s.order {
		d := s.devices[id]
		dev := Device{ID: d.ID, State: d.state, QR: d.payload(), Phone: d.Phone}
		if d.conflict {
			dev.State = stConflict
		}
		if l := d.liveLink(now); l != nil && d.Token == "" {
			dev.LinkCode = formatLinkCode(l.code)
		}
		devs = append(devs, dev)
	}
	writeJSON(w, map[string]any{"devices": devs})
}

// control reads a body, runs f under the lock and answers {} or the error.
func control[T any](s *Server, w http.ResponseWriter, r *http.Request, f func(req T) error) {
	var req T
	if err := readJSON(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	s.mu.Lock()
	err := f(req)
	s.mu.Unlock()
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func checkPhone(phone string) error {
	if !phoneRe.MatchString(phone) {
		return errorf(http.StatusBadRequest, "phone %q must be digits in international form, without +", phone)
	}
	return nil
}

// account finds a paired phone's account.
func (s *Server) account(phone string) (*account, error) {
	if err := checkPhone(phone); err != nil {
		return nil, err
	}
	a := s.accounts[phone]
	if a == nil {
		return nil, errorf(http.StatusNotFound, "no account for %s: pair a device with it first", phone)
	}
	return a, nil
}

type scanReq struct {
	QR    string `json:"qr"`
	Phone string `json:"phone"`
}

func (s *Server) serveScan(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req scanReq) error {
		if req.QR == "" {
			return errorf(http.StatusBadRequest, "qr is missing")
		}
		if err := checkPhone(req.Phone); err != nil {
			return err
		}
		for _, id := range s.order {
			if d := s.devices[id]; d.stream != nil && d.payload() == req.QR {
				s.pair(d, req.Phone)
				return nil
			}
		}
		return errorf(http.StatusConflict, "no device shows this QR code now (it expired or was never shown): scan the current one from /sim/state")
	})
}

type linkReq struct {
	Code  string `json:"code"`
	Phone string `json:"phone"`
}

func (s *Server) serveLink(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req linkReq) error {
		code := normLinkCode(req.Code)
		if len(code) != 8 {
			return errorf(http.StatusBadRequest, "code must be 8 characters, like ABCD-EFGH")
		}
		if err := checkPhone(req.Phone); err != nil {
			return err
		}
		for _, id := range s.order {
			d := s.devices[id]
			if d.link == nil || d.link.code != code {
				continue
			}
			switch {
			case d.liveLink(time.Now()) == nil:
				return errorf(http.StatusConflict, "link code %s expired: request a new one on the device", formatLinkCode(code))
			case d.link.phone != req.Phone:
				return errorf(http.StatusConflict, "link code %s was requested for another number", formatLinkCode(code))
			case d.stream == nil || d.Token != "":
				return errorf(http.StatusConflict, "the device of link code %s is no longer waiting for it", formatLinkCode(code))
			}
			s.pair(d, req.Phone)
			return nil
		}
		return errorf(http.StatusConflict, "no device asked for link code %s", formatLinkCode(code))
	})
}

type phoneReq struct {
	Phone   string  `json:"phone"`
	Seconds float64 `json:"seconds"`
}

func (s *Server) serveUnlink(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req phoneReq) error {
		a, err := s.account(req.Phone)
		if err != nil {
			return err
		}
		for _, d := range s.devicesOf(a) {
			s.forget(d)
			if d.stream != nil {
				d.state = stOpening
				d.stream.push(event{Type: "logout"})
			} else if !d.conflict {
				d.state = stUnlaunched
			}
		}
		a.Tokens = map[string]string{}
		s.dirty()
		s.logf("simweb: %s unlinked its devices", a.Phone)
		return nil
	})
}

func (s *Server) serveConflict(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req phoneReq) error {
		a, err := s.account(req.Phone)
		if err != nil {
			return err
		}
		for _, d := range s.devicesOf(a) {
			if d.stream != nil {
				d.conflict, d.live = true, false
				d.state = stConflict
				d.stream.push(event{Type: "conflict"})
				d.stream.close()
			}
		}
		return nil
	})
}

func (s *Server) serveDrop(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req phoneReq) error {
		a, err := s.account(req.Phone)
		if err != nil {
			return err
		}
		if req.Seconds <= 0 || req.Seconds > 24*3600 {
			return errorf(http.StatusBadRequest, "seconds must be more than 0 and at most a day")
		}
		a.dropUntil = time.Now().Add(time.Duration(req.Seconds * float64(time.Second)))
		for _, d := range s.devicesOf(a) {
			if d.stream != nil {
				d.live = false
				d.stream.close()
			}
		}
		return nil
	})
}

type inboundReq struct {
	Phone string `json:"phone"`
	From  string `json:"from"`
	Body  string `json:"body"`
	Count int    `json:"count"`
	Type  string `json:"type"` // one of inboundKinds; "" is "chat"
}

func (s *Server) serveInbound(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req inboundReq) error {
		a, err := s.account(req.Phone)
		if err != nil {
			return err
		}
		from, ok := normChatID(req.From)
		switch {
		case !ok:
			return errorf(http.StatusBadRequest, "from %q must be digits or an id ending in @c.us, @g.us or @lid", req.From)
		case req.Body == "":
			return errorf(http.StatusBadRequest, "body is missing")
		case req.Count < 0 || req.Count > maxInbound:
			return errorf(http.StatusBadRequest, "count must be between 1 and %d", maxInbound)
		case req.Type != "" && !slices.Contains(inboundKinds, req.Type):
			return errorf(http.StatusBadRequest, "type %q is not one of %s", req.Type, strings.Join(inboundKinds, ", "))
		case req.Type != "" && req.Type != "chat" && !s.build.RichInbound:
			return errorf(http.StatusConflict, "build %s delivers text messages only: play a newer build for %s (see --list-builds)", s.build.Name, req.Type)
		}
		s.inbound(a, from, req.Body, req.Type, max(req.Count, 1))
		return nil
	})
}

func (s *Server) serveSent(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(r.URL.Query().Get("phone"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"messages": append([]SentMessage{}, a.Sent...)})
}

func (s *Server) serveFaults(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req Faults) error {
		if err := checkPhone(req.Phone); err != nil {
			return err
		}
		if req.SendFail < 0 || req.SendFail > 1 || req.AckDelayMs < 0 || req.SendDelayMs < 0 || req.SendDelayMs > 60000 {
			return errorf(http.StatusBadRequest, "sendFail must be within 0..1, ackDelayMs not negative and sendDelayMs within 0..60000")
		}
		f := &faultState{Faults: req, never: map[string]bool{}, noLID: map[string]bool{}}
		for _, n := range req.NoLID {
			id, ok := normChatID(n)
			if !ok {
				return errorf(http.StatusBadRequest, "noLid entry %q is not a number", n)
			}
			f.noLID[id] = true
		}
		for _, n := range req.NotOnWhatsApp {
			id, ok := normChatID(n)
			if !ok {
				return errorf(http.StatusBadRequest, "notOnWhatsApp entry %q is not a number", n)
			}
			f.never[id] = true
		}
		s.faults[req.Phone] = f
		return nil
	})
}

type companionReq struct {
	Device string `json:"device"`
}

// serveCompanionRefresh plays WhatsApp's companion_reg_refresh notification
// to one unpaired device, or to every connected unpaired one.
func (s *Server) serveCompanionRefresh(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req companionReq) error {
		if !s.build.ADVRotates {
			return errorf(http.StatusConflict, "build %s keeps its ADV secret: play a build that rotates it (see --list-builds)", s.build.Name)
		}
		n := 0
		for _, id := range s.order {
			d := s.devices[id]
			if (req.Device == "" || req.Device == id) && d.stream != nil && d.Token == "" {
				d.stream.push(event{Type: "companion_reg_refresh"})
				n++
			}
		}
		if n == 0 {
			return errorf(http.StatusConflict, "no connected, unpaired device %s to notify", req.Device)
		}
		return nil
	})
}

type disappearingReq struct {
	Phone   string `json:"phone"`
	Chat    string `json:"chat"`
	Seconds int    `json:"seconds"`
}

// serveDisappearing sets a chat's disappearing-message timer and tells the
// account's live devices.
func (s *Server) serveDisappearing(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req disappearingReq) error {
		a, err := s.account(req.Phone)
		if err != nil {
			return err
		}
		id, ok := normChatID(req.Chat)
		if !ok {
			return errorf(http.StatusBadRequest, "chat %q must be digits or an id ending in @c.us, @g.us or @lid", req.Chat)
		}
		if lid := a.lidOf(id); lid != "" {
			id = lid
		}
		c := a.chatIdx[id]
		switch {
		case c == nil:
			return errorf(http.StatusNotFound, "the account has no chat %s: send or receive a message there first", req.Chat)
		case req.Seconds < 0 || req.Seconds > 90*24*3600:
			return errorf(http.StatusBadRequest, "seconds must be between 0 (off) and 90 days")
		}
		c.Ephemeral = req.Seconds
		for _, d := range s.devicesOf(a) {
			if d.live {
				cc := *c
				d.stream.push(event{Type: "chat", Chat: &cc})
			}
		}
		s.dirty()
		return nil
	})
}
