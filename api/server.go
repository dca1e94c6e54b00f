// Package api serves the control API of a running waconsole (the console or
// `waconsole serve`) as versioned JSON over HTTP, on a unix socket in the
// data dir, and is the client the CLI commands use.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/waconsole/waconsole/session"
)

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

// route is one route of the API; openapi.yaml describes each.
type route struct {
	method, path string
	handle       func(*server, http.ResponseWriter, *http.Request)
}

// routes is every route Handler serves, and what the OpenAPI test checks
// the document against.
var routes = []route{
	{"GET", "/v1/info", (*server).getInfo},
	{"GET", "/v1/backup", (*server).backup},
	{"GET", "/v1/doctor", (*server).doctor},
	{"GET", "/v1/sessions", (*server).listSessions},
	{"POST", "/v1/sessions", (*server).addSession},
	{"GET", "/v1/sessions/{id}", (*server).getSession},
	{"PATCH", "/v1/sessions/{id}", (*server).setSession},
	{"DELETE", "/v1/sessions/{id}", (*server).deleteSession},
	{"POST", "/v1/sessions/{id}/{action}", (*server).sessionAction},
	{"GET", "/v1/sessions/{id}/events", (*server).events},
	{"GET", "/v1/sessions/{id}/pairing", (*server).pairing},
	{"POST", "/v1/sessions/{id}/pair", (*server).pair},
	{"POST", "/v1/sessions/{id}/messages", (*server).send},
	{"GET", "/v1/sessions/{id}/outbox", (*server).outbox},
	{"POST", "/v1/sessions/{id}/outbox/{seq}/retry", (*server).retryJob},
	{"DELETE", "/v1/sessions/{id}/outbox/{seq}", (*server).discardJob},
	{"GET", "/v1/sessions/{id}/queue", (*server).queue},
	{"POST", "/v1/sessions/{id}/queue/{action}", (*server).queueAction},
	{"GET", "/v1/sessions/{id}/chats", (*server).chats},
	{"GET", "/v1/sessions/{id}/chats/{chat}/messages", (*server).messages},
	{"GET", "/v1/sessions/{id}/drain", (*server).getDrain},
	{"POST", "/v1/sessions/{id}/drain", (*server).startDrain},
	{"POST", "/v1/sessions/{id}/drain/{action}", (*server).drainAction},
	{"GET", "/v1/sessions/{id}/webhooks", (*server).listWebhooks},
	{"POST", "/v1/sessions/{id}/webhooks", (*server).addWebhook},
	{"DELETE", "/v1/sessions/{id}/webhooks/{name}", (*server).removeWebhook},
	{"POST", "/v1/sessions/{id}/webhooks/test", (*server).testWebhook},
	{"GET", "/v1/sessions/{id}/deliveries", (*server).listDeliveries},
	{"POST", "/v1/sessions/{id}/deliveries/{seq}/retry", (*server).retryDelivery},
	{"GET", "/v1/sessions/{id}/inbox", (*server).inbox},
	{"GET", "/v1/sessions/{id}/search", (*server).search},
	{"GET", "/v1/apikeys", (*server).listKeys},
	{"POST", "/v1/apikeys", (*server).createKey},
	{"DELETE", "/v1/apikeys/{name}", (*server).revokeKey},
	{"GET", "/v1/alerts", (*server).listAlerts},
	{"POST", "/v1/alerts/{alert}/ack", (*server).ackAlert},
}

// Handler returns the HTTP handler of the API over the sessions of rt,
// with the parts opts add.
func Handler(rt session.Runtime, info Info, opts ...Options) http.Handler {
	s := &server{b: rt, info: info}
	for _, o := range opts {
		s.hooksSvc = o.Webhooks
		s.keys = o.Keys
	}
	mux := http.NewServeMux()
	for _, r := range routes {
		mux.HandleFunc(r.method+" "+r.path, func(w http.ResponseWriter, req *http.Request) {
			if authorize(w, req, r.method, r.path) {
				r.handle(s, w, req)
			}
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("no route %s %s: see api/openapi.yaml or the API section of the README", r.Method, r.URL.Path))
	})
	return canonical(mux)
}

// canonical refuses a path with empty, "." or ".." segments. The ServeMux
// would redirect it to the cleaned path, and a client that follows would act
// on another resource: DELETE /v1/sessions/. would become GET /v1/sessions
// and report success.
func canonical(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.EscapedPath(); r.Method != http.MethodConnect && p != cleanPath(p) {
			writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("no route %s %s: the path has an empty, '.' or '..' segment", r.Method, r.URL.Path))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// cleanPath is the path the ServeMux would redirect p to (as net/http's own
// cleanPath): path.Clean, keeping a trailing slash.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
}

type server struct {
	b        session.Runtime
	info     Info
	hooksSvc Webhooks
	keys     Keys
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

// decode reads a JSON body strictly: one object, known fields, bounded size,
// valid Unicode. An empty body is an empty object.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, CodeBadRequest, fmt.Sprintf("request body over %d bytes: send fewer or shorter texts", maxBody))
		return false
	} else if err != nil {
		writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("reading the request body: %v", err))
		return false
	}
	if err := decodeStrict(body, v); err != nil {
		writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
		return false
	}
	if !validUnicode(body) {
		writeError(w, http.StatusUnprocessableEntity, CodeInvalid, `the request body is not valid UTF-8: send text as UTF-8, with no unpaired \ud800-\udfff escapes`)
		return false
	}
	return true
}

// jsonSpace is the white space JSON allows around values.
const jsonSpace = " \t\r\n"

func decodeStrict(body []byte, v any) error {
	body = bytes.Trim(body, jsonSpace)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return errors.New(`malformed JSON body: it must be one JSON object, such as {"id":"s1"}`)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("malformed JSON body: %v", err)
	}
	if dec.InputOffset() != int64(len(body)) {
		return fmt.Errorf("malformed JSON body: something follows the object at byte %d: send exactly one JSON object", dec.InputOffset())
	}
	return nil
}

// validUnicode reports whether a JSON text is valid UTF-8 with every
// surrogate escape paired: encoding/json would quietly turn either into
// U+FFFD, and a message would not say what its sender wrote.
func validUnicode(body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' {
			continue
		}
		i++ // the escaped byte; a backslash only occurs in strings
		r, ok := escapedRune(body[i:])
		if !ok {
			continue
		}
		i += 4
		switch {
		case r >= 0xdc00 && r <= 0xdfff:
			return false
		case r >= 0xd800 && r <= 0xdbff:
			if len(body) <= i+1 || body[i+1] != '\\' {
				return false
			}
			if low, ok := escapedRune(body[i+2:]); !ok || low < 0xdc00 || low > 0xdfff {
				return false
			}
			i += 6
		}
	}
	return true
}

// escapedRune reads the code unit of a \uXXXX escape from b, which starts
// after the backslash.
func escapedRune(b []byte) (rune, bool) {
	if len(b) < 5 || b[0] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[1:5]), 16, 16)
	return rune(n), err == nil
}

func (s *server) getInfo(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.info) }

// backup streams a backup archive (package backup) taken while the
// sessions run.
func (s *server) backup(w http.ResponseWriter, r *http.Request) {
	aw := &archiveWriter{w: w}
	if _, err := s.b.Backup(aw); err != nil {
		if !aw.started {
			fail(w, err)
			return
		}
		// Headers are gone; a cut body is all the client can be told.
		panic(http.ErrAbortHandler)
	}
}

// archiveWriter sends the archive's headers with its first byte: the
// files are gathered before any is written, so a backup that fails while
// gathering them still answers with its error.
type archiveWriter struct {
	w       http.ResponseWriter
	started bool
}

func (a *archiveWriter) Write(p []byte) (int, error) {
	if !a.started {
		a.w.Header().Set("Content-Type", "application/gzip")
		a.started = true
	}
	return a.w.Write(p)
}

func (s *server) listSessions(w http.ResponseWriter, r *http.Request) {
	list := slices.DeleteFunc(s.b.List(), func(snap session.Snapshot) bool { return !visible(r, snap.ID) })
	writeJSON(w, http.StatusOK, SessionList{Sessions: convert(list, func(snap session.Snapshot) Session { return readable(r, fromSnapshot(snap)) })})
}

func (s *server) getSession(w http.ResponseWriter, r *http.Request) {
	snap, err := s.b.Get(r.PathValue("id"))
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, readable(r, fromSnapshot(snap)))
}

func (s *server) addSession(w http.ResponseWriter, r *http.Request) {
	var req AddRequest
	if !decode(w, r, &req) {
		return
	}
	snap, err := s.b.Add(session.AddRequest{ID: req.ID, PairMethod: req.PairMethod, PairPhone: req.PairPhone, AutoStart: req.AutoStart, Start: req.Start,
		Browser: req.Browser.browserSettings()})
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, fromSnapshot(snap))
}

func (s *server) setSession(w http.ResponseWriter, r *http.Request) {
	var req SettingsRequest
	if !decode(w, r, &req) {
		return
	}
	set, err := req.settings()
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, CodeInvalid, err.Error())
		return
	}
	snap, err := s.b.Set(r.PathValue("id"), set)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, fromSnapshot(snap))
}

func (s *server) deleteSession(w http.ResponseWriter, r *http.Request) {
	if err := s.b.Delete(r.PathValue("id")); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, Deleted{Deleted: r.PathValue("id")})
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
	writeJSON(w, http.StatusOK, EventList{Events: convert(evs, fromEvent)})
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
