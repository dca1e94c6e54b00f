package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/waconsole/waconsole/session"
)

// Drain is a session's unread drain: its progress and its chats.
type Drain struct {
	State     string      `json:"state"` // "" (no snapshot yet), waiting, running, paused, done, cancelled
	Snapshot  time.Time   `json:"snapshot,omitzero"`
	Rate      float64     `json:"rate"`  // messages a second, as set
	Total     int         `json:"total"` // messages in the drain
	Chosen    int         `json:"chosen"`
	Done      int         `json:"done"`
	Delivered int         `json:"delivered"`
	Read      int         `json:"read"`
	Skipped   int         `json:"skipped"`
	Already   int         `json:"already"` // handed on before by the live path, not again
	Speed     float64     `json:"speed"`   // measured, messages a second
	ETA       Duration    `json:"eta"`
	LastError string      `json:"lastError,omitempty"`
	Chats     []DrainChat `json:"chats"`
}

// DrainChat is one chat of a drain.
type DrainChat struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Count   int       `json:"count"`
	Left    int       `json:"left"`
	Oldest  time.Time `json:"oldest"`
	Preview string    `json:"preview"`
	Action  string    `json:"action,omitempty"`
}

// DrainRequest picks an action for chats (all when absent) and runs the drain.
type DrainRequest struct {
	Chats  []string `json:"chats,omitempty"`
	Action string   `json:"action"`         // deliver, read or skip
	Rate   float64  `json:"rate,omitempty"` // messages a second; absent: as before, else 2
}

func fromDrain(d session.DrainInfo) Drain {
	return Drain{State: string(d.State), Snapshot: d.Snapshot, Rate: d.Rate, Total: d.Total, Chosen: d.Chosen, Done: d.Done,
		Delivered: d.Delivered, Read: d.Read, Skipped: d.Skipped, Already: d.Already, Speed: d.Speed, ETA: Duration(d.ETA),
		LastError: d.LastError, Chats: convert(d.Chats, fromDrainChat)}
}

func fromDrainChat(c session.DrainChat) DrainChat {
	return DrainChat{ID: c.ID, Name: c.Name, Count: c.Count, Left: c.Left, Oldest: c.Oldest, Preview: c.Preview, Action: c.Action}
}

func (s *server) getDrain(w http.ResponseWriter, r *http.Request) {
	d, err := s.b.Drain(r.PathValue("id"))
	answerDrain(w, d, err)
}

func (s *server) startDrain(w http.ResponseWriter, r *http.Request) {
	var req DrainRequest
	if !decode(w, r, &req) {
		return
	}
	d, err := s.b.StartDrain(r.PathValue("id"), session.DrainRequest{Chats: req.Chats, Action: req.Action, Rate: req.Rate})
	answerDrain(w, d, err)
}

func (s *server) drainAction(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var (
		d   session.DrainInfo
		err error
	)
	switch op := r.PathValue("action"); op {
	case "snapshot":
		d, err = s.b.UnreadSnapshot(r.Context(), id)
	case "pause", "resume", "cancel":
		d, err = s.b.ControlDrain(id, session.DrainOp(op))
	default:
		writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("unknown drain action %q: use snapshot, pause, resume or cancel", op))
		return
	}
	answerDrain(w, d, err)
}

func answerDrain(w http.ResponseWriter, d session.DrainInfo, err error) {
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, fromDrain(d))
}

// Drain returns a session's drain.
func (c *Client) Drain(ctx context.Context, id string) (Drain, error) {
	var d Drain
	return d, c.do(ctx, "GET", sessionPath(id, "drain"), nil, &d)
}

// StartDrain picks an action for chats and runs the drain.
func (c *Client) StartDrain(ctx context.Context, id string, req DrainRequest) (Drain, error) {
	var d Drain
	return d, c.do(ctx, "POST", sessionPath(id, "drain"), req, &d)
}

// DrainAction takes a snapshot, or pauses, resumes or cancels the drain.
func (c *Client) DrainAction(ctx context.Context, id, action string) (Drain, error) {
	var d Drain
	return d, c.do(ctx, "POST", sessionPath(id, "drain", action), nil, &d)
}
