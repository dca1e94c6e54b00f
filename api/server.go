// Package api serves the control API of a running waconsole (the console or
// `waconsole serve`) as versioned JSON over HTTP, on a unix socket in the
// data dir, and is the client the CLI commands use.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/waconsole/waconsole/session"
)

// Backend is what the API serves; *session.Manager implements it.
type Backend interface {
	Subscribe() (<-chan session.Update, func())
	List() []session.Snapshot
	Get(id string) (session.Snapshot, error)
	History(id string, n int) ([]session.Event, error)
	Add(req session.AddRequest) (session.Snapshot, error)
	Start(id string) error
	Stop(id string) error
	Restart(id string) error
	Logout(id string) error
	Delete(id string) error
	RefreshQR(id string) error
	UseLinkCode(id, phone string) error
	UseQR(id string) error
	Set(id string, s session.Settings) (session.Snapshot, error)
	SendMany(ctx context.Context, id, chatID string, bodies []string) ([]session.Job, error)
	Jobs(id string, states ...session.JobState) ([]session.Job, error)
	RetryJob(id string, seq uint64) error
	DiscardJob(id string, seq uint64) error
	Pause(id string) error
	Resume(id string) error
	QueueStats(id string) (session.QueueStats, error)
	Chats(ctx context.Context, id string) ([]session.Chat, error)
	Messages(ctx context.Context, id, chatID, before string, limit int) ([]session.Message, error)
}

// Info describes the process serving the API.
type Info struct {
	PID     int       `json:"pid"`
	Mode    string    `json:"mode"` // "console" or "serve"
	DataDir string    `json:"dataDir"`
	WAURL   string    `json:"waUrl"`
	Started time.Time `json:"started"`
	Version string    `json:"version"`
}

// maxBody bounds a request body: a batch of messages at the text limit.
const maxBody = 8 << 20

// Handler returns the HTTP handler of the API.
func Handler(b Backend, info Info) http.Handler {
	s := &server{b: b, info: info}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/info", s.getInfo)
	mux.HandleFunc("GET /v1/sessions", s.listSessions)
	mux.HandleFunc("POST /v1/sessions", s.addSession)
	mux.HandleFunc("GET /v1/sessions/{id}", s.getSession)
	mux.HandleFunc("PATCH /v1/sessions/{id}", s.setSession)
	mux.HandleFunc("DELETE /v1/sessions/{id}", s.deleteSession)
	mux.HandleFunc("POST /v1/sessions/{id}/{action}", s.sessionAction)
	mux.HandleFunc("GET /v1/sessions/{id}/events", s.events)
	mux.HandleFunc("GET /v1/sessions/{id}/pairing", s.pairing)
	mux.HandleFunc("POST /v1/sessions/{id}/pair", s.pair)
	mux.HandleFunc("POST /v1/sessions/{id}/messages", s.send)
	mux.HandleFunc("GET /v1/sessions/{id}/outbox", s.outbox)
	mux.HandleFunc("POST /v1/sessions/{id}/outbox/{seq}/retry", s.retryJob)
	mux.HandleFunc("DELETE /v1/sessions/{id}/outbox/{seq}", s.discardJob)
	mux.HandleFunc("GET /v1/sessions/{id}/queue", s.queue)
	mux.HandleFunc("POST /v1/sessions/{id}/queue/{action}", s.queueAction)
	mux.HandleFunc("GET /v1/sessions/{id}/chats", s.chats)
	mux.HandleFunc("GET /v1/sessions/{id}/chats/{chat}/messages", s.messages)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("no route %s %s: see the API section of the README", r.Method, r.URL.Path))
	})
	return mux
}

type server struct {
	b    Backend
	info Info
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, errorBody{Error: Error{Code: code, Message: msg}})
}

func fail(w http.ResponseWriter, err error) {
	status, code := classify(err)
	writeError(w, status, code, err.Error())
}

// decode reads a JSON body strictly: one object, known fields, bounded size.
// An empty body is an empty object.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, CodeBadRequest, fmt.Sprintf("request body over %d bytes", maxBody))
		return false
	}
	if err := decodeStrict(body, v); err != nil {
		writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
		return false
	}
	return true
}

func decodeStrict(body []byte, v any) error {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("malformed JSON body: %v", err)
	}
	if dec.More() {
		return errors.New("malformed JSON body: more than one value")
	}
	return nil
}

func (s *server) getInfo(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.info) }

func (s *server) listSessions(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"sessions": s.b.List()})
}

func (s *server) getSession(w http.ResponseWriter, r *http.Request) {
	snap, err := s.b.Get(r.PathValue("id"))
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, snap)
}

func (s *server) addSession(w http.ResponseWriter, r *http.Request) {
	var req session.AddRequest
	if !decode(w, r, &req) {
		return
	}
	snap, err := s.b.Add(req)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, snap)
}

func (s *server) setSession(w http.ResponseWriter, r *http.Request) {
	var req SettingsRequest
	if !decode(w, r, &req) {
		return
	}
	cur, err := s.b.Get(r.PathValue("id"))
	if err != nil {
		fail(w, err)
		return
	}
	set, err := req.settings(cur.Pacing)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, CodeInvalid, err.Error())
		return
	}
	snap, err := s.b.Set(r.PathValue("id"), set)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, snap)
}

func (s *server) deleteSession(w http.ResponseWriter, r *http.Request) {
	if err := s.b.Delete(r.PathValue("id")); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"deleted": r.PathValue("id")})
}

func (s *server) sessionAction(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	actions := map[string]func(string) error{
		"start": s.b.Start, "stop": s.b.Stop, "restart": s.b.Restart,
		"logout": s.b.Logout, "refresh-qr": s.b.RefreshQR,
	}
	act, ok := actions[r.PathValue("action")]
	if !ok {
		writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("unknown action %q: use start, stop, restart, logout or refresh-qr", r.PathValue("action")))
		return
	}
	if err := act(id); err != nil {
		fail(w, err)
		return
	}
	s.getSession(w, r)
}

func (s *server) events(w http.ResponseWriter, r *http.Request) {
	n, ok := intParam(w, r, "n", 50)
	if !ok {
		return
	}
	evs, err := s.b.History(r.PathValue("id"), n)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": evs})
}

func intParam(w http.ResponseWriter, r *http.Request, name string, def int) (int, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("query parameter %s=%q is not a non-negative number", name, v))
		return 0, false
	}
	return n, true
}

// PairRequest chooses how a session pairs; an empty body keeps its method.
type PairRequest struct {
	Method string `json:"method,omitempty"` // "qr" or "link"
	Phone  string `json:"phone,omitempty"`  // for "link"
}

// pair makes a session show a QR code or a link code, starting it if needed.
func (s *server) pair(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var req PairRequest
	if !decode(w, r, &req) {
		return
	}
	var err error
	switch req.Method {
	case session.PairLink:
		err = s.b.UseLinkCode(id, req.Phone)
	case session.PairQR:
		err = s.b.UseQR(id)
	case "":
		err = s.b.Start(id)
	default:
		writeError(w, http.StatusUnprocessableEntity, CodeInvalid, fmt.Sprintf("pairing method %q is not known: use \"qr\" or \"link\"", req.Method))
		return
	}
	if err == nil {
		// A stopped or logged-out session starts to pair.
		if snap, gerr := s.b.Get(id); gerr == nil && !snap.State.Running() {
			err = s.b.Start(id)
		}
	}
	if err != nil {
		fail(w, err)
		return
	}
	s.getSession(w, r)
}
