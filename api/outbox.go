package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/waconsole/waconsole/session"
)

// SendRequest queues text for a chat: Text for one message, Texts for many.
// ReplyTo is the id of the captured inbound message they answer.
type SendRequest struct {
	To      string   `json:"to"`
	Text    string   `json:"text,omitempty"`
	Texts   []string `json:"texts,omitempty"`
	ReplyTo string   `json:"replyTo,omitempty"`
}

// SendResponse lists the durable jobs, each with its WhatsApp message id.
type SendResponse struct {
	Jobs []Job `json:"jobs"`
}

func (s *server) send(w http.ResponseWriter, r *http.Request) {
	var req SendRequest
	if !decode(w, r, &req) {
		return
	}
	bodies := req.Texts
	if req.Text != "" {
		bodies = append([]string{req.Text}, bodies...)
	}
	if len(bodies) == 0 {
		writeError(w, http.StatusUnprocessableEntity, CodeInvalid, `nothing to send: give "text" or "texts"`)
		return
	}
	jobs, err := s.b.SendMany(r.Context(), r.PathValue("id"), req.To, req.ReplyTo, bodies)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusAccepted, SendResponse{Jobs: convert(jobs, fromJob)})
}

func (s *server) outbox(w http.ResponseWriter, r *http.Request) {
	var states []session.JobState
	if v := r.URL.Query().Get("state"); v != "" {
		for _, st := range strings.Split(v, ",") {
			js := session.JobState(strings.TrimSpace(st))
			switch js {
			case session.JobQueued, session.JobSending, session.JobSent, session.JobRetrying, session.JobDead, session.JobHeld:
				states = append(states, js)
			default:
				writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("unknown job state %q: use queued, sending, sent, retrying, dead or held", st))
				return
			}
		}
	}
	jobs, err := s.b.Jobs(r.PathValue("id"), states...)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, JobList{Jobs: convert(jobs, fromJob)})
}

func jobSeq(w http.ResponseWriter, r *http.Request) (uint64, bool) {
	seq, err := strconv.ParseUint(r.PathValue("seq"), 10, 64)
	if err != nil || seq == 0 {
		writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("job %q is not a job number", r.PathValue("seq")))
		return 0, false
	}
	return seq, true
}

func (s *server) retryJob(w http.ResponseWriter, r *http.Request) {
	seq, ok := jobSeq(w, r)
	if !ok {
		return
	}
	if err := s.b.RetryJob(r.PathValue("id"), seq); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, Retried{Retried: seq})
}

func (s *server) discardJob(w http.ResponseWriter, r *http.Request) {
	seq, ok := jobSeq(w, r)
	if !ok {
		return
	}
	if err := s.b.DiscardJob(r.PathValue("id"), seq); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, Discarded{Discarded: seq})
}

func (s *server) queue(w http.ResponseWriter, r *http.Request) {
	qs, err := s.b.QueueStats(r.PathValue("id"))
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, fromQueueStats(qs))
}

func (s *server) queueAction(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var err error
	switch r.PathValue("action") {
	case "pause":
		err = s.b.Pause(id)
	case "resume":
		err = s.b.Resume(id)
	default:
		writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("unknown queue action %q: use pause or resume", r.PathValue("action")))
		return
	}
	if err != nil {
		fail(w, err)
		return
	}
	s.queue(w, r)
}

func (s *server) chats(w http.ResponseWriter, r *http.Request) {
	chats, err := s.b.Chats(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ChatList{Chats: convert(chats, fromChat)})
}

func (s *server) messages(w http.ResponseWriter, r *http.Request) {
	limit, ok := intParam(w, r, "limit", 50)
	if !ok {
		return
	}
	msgs, err := s.b.Messages(r.Context(), r.PathValue("id"), r.PathValue("chat"), r.URL.Query().Get("before"), limit)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, MessageList{Messages: convert(msgs, fromMessage)})
}
