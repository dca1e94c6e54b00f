package simweb

import (
	"net/http"
	"time"
)

// serveMessage delivers one message of any type (see MessageSpec).
func (s *Server) serveMessage(w http.ResponseWriter, r *http.Request) {
	var req MessageSpec
	if err := readJSON(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	s.mu.Lock()
	id, err := s.message(req)
	s.mu.Unlock()
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]string{"id": id})
}

// message composes and delivers spec; it answers the new message's id.
func (s *Server) message(spec MessageSpec) (string, error) {
	a, err := s.account(spec.Phone)
	if err != nil {
		return "", err
	}
	from, ok := normChatID(spec.From)
	if !ok {
		return "", errorf(http.StatusBadRequest, "from %q must be digits or an id ending in @c.us, @g.us or @lid", spec.From)
	}
	if s.build.LID && !s.faults[a.Phone].lidless(from) {
		from = a.migrate(from)
	}
	c, _ := a.ensureChat(from)
	author := ""
	if c.IsGroup {
		author = groupAuthor
		if spec.Author != "" {
			if author, ok = normChatID(spec.Author); !ok || isGroupID(author) {
				return "", errorf(http.StatusBadRequest, "author %q is not a user id", spec.Author)
			}
		}
		if c.LIDMode {
			author = lidOr(a, author)
		}
	}
	m, err := a.compose(c, author, spec)
	if err != nil {
		return "", err
	}
	m.T = time.Now().Unix()
	s.arrive(a, c, m)
	s.dirty()
	return m.ID, nil
}

// lidOr is a user's LID where the account knows it, else the id itself.
func lidOr(a *account, id string) string {
	if l := a.lidOf(id); l != "" {
		return l
	}
	return id
}

type changeReq struct {
	Phone   string   `json:"phone"`
	ID      string   `json:"id"` // the raw id of the message changed
	Body    string   `json:"body"`
	From    string   `json:"from"` // who reacts or votes
	Emoji   string   `json:"emoji"`
	Options []string `json:"options"`
}

// changeBy finds the account and the user a change comes from (the
// account itself when from is empty).
func (s *Server) changeBy(req changeReq) (*account, string, error) {
	a, err := s.account(req.Phone)
	if err != nil {
		return nil, "", err
	}
	if req.From == "" {
		return a, a.Phone + "@c.us", nil
	}
	who, ok := normChatID(req.From)
	if !ok || isGroupID(who) {
		return nil, "", errorf(http.StatusBadRequest, "from %q is not a user id", req.From)
	}
	return a, who, nil
}

func (s *Server) serveEdit(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req changeReq) error {
		a, err := s.account(req.Phone)
		if err != nil {
			return err
		}
		return s.edit(a, req.ID, req.Body)
	})
}

func (s *Server) serveRevoke(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req changeReq) error {
		a, err := s.account(req.Phone)
		if err != nil {
			return err
		}
		return s.revoke(a, req.ID)
	})
}

func (s *Server) serveReact(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req changeReq) error {
		a, who, err := s.changeBy(req)
		if err != nil {
			return err
		}
		return s.react(a, req.ID, who, req.Emoji)
	})
}

func (s *Server) serveVote(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req changeReq) error {
		a, who, err := s.changeBy(req)
		if err != nil {
			return err
		}
		return s.vote(a, req.ID, who, req.Options)
	})
}

type groupReq struct {
	Phone   string `json:"phone"`
	Group   string `json:"group"`
	Action  string `json:"action"` // add, remove, leave, subject
	Who     string `json:"who"`    // the member, for add, remove and leave
	Subject string `json:"subject"`
}

func (s *Server) serveGroup(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req groupReq) error {
		a, err := s.account(req.Phone)
		if err != nil {
			return err
		}
		c := a.chatIdx[req.Group]
		if c == nil || !c.IsGroup {
			return errorf(http.StatusNotFound, "the account is in no group %s", req.Group)
		}
		who := ""
		if req.Action != "subject" {
			var ok bool
			if who, ok = normChatID(req.Who); !ok || isGroupID(who) {
				return errorf(http.StatusBadRequest, "who %q is not a user id", req.Who)
			}
		}
		return s.groupChange(a, c, req.Action, who, req.Subject, time.Now())
	})
}

type contactReq struct {
	Phone    string `json:"phone"`
	ID       string `json:"id"`
	Name     string `json:"name"`     // in the account's address book
	Pushname string `json:"pushname"` // the name the user gave itself
}

func (s *Server) serveContact(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req contactReq) error {
		a, err := s.account(req.Phone)
		if err != nil {
			return err
		}
		id, ok := normChatID(req.ID)
		if !ok || isGroupID(id) {
			return errorf(http.StatusBadRequest, "id %q is not a user id", req.ID)
		}
		p := person{ID: id, Name: req.Name, Pushname: req.Pushname}
		a.name(p)
		s.pushLive(a, event{Type: "contact", Contact: &p})
		s.dirty()
		return nil
	})
}

// name records what the account calls a user.
func (a *account) name(p person) {
	if a.People == nil {
		a.People = map[string]person{}
	}
	a.People[p.ID] = p
}

type chatStateReq struct {
	Phone string `json:"phone"`
	Chat  string `json:"chat"`
	// MuteSeconds mutes for that long; -1 for ever, 0 unmutes; absent
	// leaves it.
	MuteSeconds  *int64 `json:"muteSeconds"`
	Archived     *bool  `json:"archived"`
	MarkedUnread *bool  `json:"markedUnread"`
}

// serveChatState mutes, archives or marks a chat unread, as the phone
// would, and tells the live devices.
func (s *Server) serveChatState(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req chatStateReq) error {
		a, err := s.account(req.Phone)
		if err != nil {
			return err
		}
		id, ok := normChatID(req.Chat)
		c := a.chatIdx[lidOr(a, id)]
		if !ok || c == nil {
			return errorf(http.StatusNotFound, "the account has no chat %s", req.Chat)
		}
		if m := req.MuteSeconds; m != nil {
			if *m < -1 || *m > 366*24*3600 {
				return errorf(http.StatusBadRequest, "muteSeconds must be -1 (for ever), 0 (unmute) or up to a year")
			}
			c.MuteExpiration = *m
			if *m > 0 {
				c.MuteExpiration = time.Now().Unix() + *m
			}
		}
		if req.Archived != nil {
			c.Archive = *req.Archived
		}
		if u := req.MarkedUnread; u != nil && *u {
			c.Unread = -1
		} else if u != nil && c.Unread < 0 {
			c.Unread = 0
		}
		cc := *c
		s.pushLive(a, event{Type: "chat", Chat: &cc})
		s.dirty()
		return nil
	})
}

// serveMessages lists one chat's messages as the phone sees them: acks
// (3 once read), quotes, edits, reactions and votes.
func (s *Server) serveMessages(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(r.URL.Query().Get("phone"))
	if err != nil {
		writeErr(w, err)
		return
	}
	id, ok := normChatID(r.URL.Query().Get("chat"))
	id = lidOr(a, id)
	if !ok || a.chatIdx[id] == nil {
		writeErr(w, errorf(http.StatusNotFound, "the account has no chat %q", r.URL.Query().Get("chat")))
		return
	}
	out := []message{}
	for _, m := range a.Msgs {
		if m.Remote == id {
			out = append(out, *m)
		}
	}
	writeJSON(w, map[string]any{"messages": out})
}

type showcaseReq struct {
	Phone string `json:"phone"`
}

func (s *Server) serveShowcase(w http.ResponseWriter, r *http.Request) {
	var req showcaseReq
	if err := readJSON(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	s.mu.Lock()
	res, err := s.showcase(req.Phone)
	s.mu.Unlock()
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, res)
}
