package simweb

import (
	"fmt"
	"net/http"
	"time"
)

// Bounds of one /sim/backlog call: enough for the drain's measurements.
const (
	maxBacklogChats   = 2000
	maxBacklogPerChat = 1000
	maxBacklogTotal   = 100000
)

// ReadMark is one chat the account's devices marked read with sendSeen:
// the read receipts went to its sender.
type ReadMark struct {
	Chat string    `json:"chat"`
	Time time.Time `json:"time"`
	// Unread is the chat's unread count just before (-1: marked unread).
	Unread int `json:"unread"`
}

type backlogReq struct {
	Phone   string `json:"phone"`
	Chats   int    `json:"chats"`
	PerChat int    `json:"perChat"`
}

// serveBacklog leaves unread messages in new chats as if they arrived while
// every device of the account was offline long enough for WhatsApp to hand
// them over as history: a device gets them with its next sync, counted in
// the chats' unreadCount, never as new messages. A device that is online
// now would have got them live, so the call is refused while one is.
func (s *Server) serveBacklog(w http.ResponseWriter, r *http.Request) {
	control(s, w, r, func(req backlogReq) error {
		a, err := s.account(req.Phone)
		if err != nil {
			return err
		}
		switch {
		case req.Chats < 1 || req.Chats > maxBacklogChats:
			return errorf(http.StatusBadRequest, "chats must be between 1 and %d", maxBacklogChats)
		case req.PerChat < 1 || req.PerChat > maxBacklogPerChat:
			return errorf(http.StatusBadRequest, "perChat must be between 1 and %d", maxBacklogPerChat)
		case req.Chats*req.PerChat > maxBacklogTotal:
			return errorf(http.StatusBadRequest, "chats × perChat must be at most %d", maxBacklogTotal)
		}
		for _, d := range s.devicesOf(a) {
			if d.stream != nil {
				return errorf(http.StatusConflict, "device %s of %s is online: a backlog is what arrives while the devices are offline, so stop the session first", d.ID, a.Phone)
			}
		}
		s.backlog(a, req.Chats, req.PerChat)
		return nil
	})
}

// backlog makes the chats, each with perChat inbound texts a second apart
// (as a downtime of that many seconds would leave them), oldest chat first.
func (s *Server) backlog(a *account, chats, perChat int) {
	total := chats * perChat
	start := time.Now().Add(-time.Duration(total) * time.Second)
	step := time.Second
	base := len(a.Chats)
	for i := range chats {
		id := fmt.Sprintf("1555%07d@c.us", 3000000+base+i)
		if s.build.LID {
			id = a.migrate(id)
		}
		c, _ := a.ensureChat(id)
		for j := range perChat {
			at := start.Add(time.Duration(i*perChat+j) * step)
			a.addMsg(&message{ID: newInboundID(), Remote: id, Body: fmt.Sprintf("backlog %d #%d", i+1, j+1), T: at.Unix()})
		}
		c.Unread = max(c.Unread, 0) + perChat
	}
	s.dirty()
}

func (s *Server) serveRead(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(r.URL.Query().Get("phone"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"chats": append([]ReadMark{}, a.Reads...)})
}
