package simweb

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

//go:embed page
var pageFS embed.FS

// Options configures a Server.
type Options struct {
	Timings Timings
	// Build names the page build to play (see Builds); "" is the newest.
	Build string
	// StateFile, when set, keeps accounts, tokens, devices, chats, messages
	// and the sent log across restarts (written atomically, at most every
	// 200 ms, and on Close). Empty keeps everything in memory.
	StateFile string
	// Showcase seeds every new account with the showcase as well (see
	// POST /sim/showcase), for a demo.
	Showcase bool
	Logf     func(format string, args ...any)
}

// Server is the stand-in: the page, its private channel and the control API.
type Server struct {
	t            Timings
	build        Build
	stateFile    string
	withShowcase bool
	logf         func(format string, args ...any)
	index        []byte
	handler      http.Handler

	mu       sync.Mutex
	devices  map[string]*device
	order    []string // device ids, first seen first
	accounts map[string]*account
	faults   map[string]*faultState
	closed   bool
	done     chan struct{}
	save     *time.Timer
	httpSrv  *http.Server

	saveMu sync.Mutex // one writer of the state file at a time
}

// New makes a server and loads Options.StateFile if it exists.
func New(opts Options) (*Server, error) {
	build, err := LookupBuild(opts.Build)
	if err != nil {
		return nil, err
	}
	s := &Server{
		t:            opts.Timings.withDefaults(),
		build:        build,
		stateFile:    opts.StateFile,
		withShowcase: opts.Showcase,
		logf:         opts.Logf,
		devices:      map[string]*device{},
		accounts:     map[string]*account{},
		faults:       map[string]*faultState{},
		done:         make(chan struct{}),
	}
	if s.logf == nil {
		s.logf = func(string, ...any) {}
	}
	if err := s.load(); err != nil {
		return nil, err
	}
	index, err := pageFS.ReadFile("page/index.html")
	if err != nil {
		return nil, err
	}
	// The page learns its load timings and its build from the HTML, as
	// early as possible.
	buildJSON, err := json.Marshal(build)
	if err != nil {
		return nil, err
	}
	s.index = []byte(strings.NewReplacer(
		"{{LOAD_MS}}", fmt.Sprint(s.t.LoadDelay.Milliseconds()),
		"{{MODULE_MS}}", fmt.Sprint(s.t.ModuleDelay.Milliseconds()),
		"{{BUILD}}", html.EscapeString(string(buildJSON)),
	).Replace(string(index)))
	s.handler = s.routes()
	return s, nil
}

func (s *Server) routes() http.Handler {
	static, _ := fs.Sub(pageFS, "page")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.serveIndex)
	mux.Handle("GET /static/", noStore(http.StripPrefix("/static/", http.FileServerFS(static))))
	mux.HandleFunc("GET /sim/qr.png", serveQR)
	mux.HandleFunc("GET /sim/stream", s.serveStream)
	mux.HandleFunc("POST /sim/device/{op}", s.serveDevice)
	mux.HandleFunc("GET /sim/state", s.serveState)
	mux.HandleFunc("POST /sim/scan", s.serveScan)
	mux.HandleFunc("POST /sim/link", s.serveLink)
	mux.HandleFunc("POST /sim/unlink", s.serveUnlink)
	mux.HandleFunc("POST /sim/conflict", s.serveConflict)
	mux.HandleFunc("POST /sim/drop", s.serveDrop)
	mux.HandleFunc("POST /sim/inbound", s.serveInbound)
	mux.HandleFunc("GET /sim/sent", s.serveSent)
	mux.HandleFunc("POST /sim/backlog", s.serveBacklog)
	mux.HandleFunc("GET /sim/read", s.serveRead)
	mux.HandleFunc("POST /sim/faults", s.serveFaults)
	mux.HandleFunc("POST /sim/companion-refresh", s.serveCompanionRefresh)
	mux.HandleFunc("POST /sim/disappearing", s.serveDisappearing)
	mux.HandleFunc("POST /sim/message", s.serveMessage)
	mux.HandleFunc("POST /sim/edit", s.serveEdit)
	mux.HandleFunc("POST /sim/revoke", s.serveRevoke)
	mux.HandleFunc("POST /sim/react", s.serveReact)
	mux.HandleFunc("POST /sim/vote", s.serveVote)
	mux.HandleFunc("POST /sim/group", s.serveGroup)
	mux.HandleFunc("POST /sim/contact", s.serveContact)
	mux.HandleFunc("POST /sim/chat", s.serveChatState)
	mux.HandleFunc("GET /sim/messages", s.serveMessages)
	mux.HandleFunc("POST /sim/showcase", s.serveShowcase)
	return mux
}

// Build is the page build the server plays.
func (s *Server) Build() Build { return s.build }

// Handler serves the page and both APIs. Event streams stay open until the
// page goes away or Close is called, so call Close before closing an
// httptest.Server that wraps this handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Listen serves in the background on addr (e.g. "127.0.0.1:0") and returns
// the page's URL, like "http://127.0.0.1:41234/".
func (s *Server) Listen(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return "", errors.New("simweb: server closed")
	}
	s.httpSrv = srv
	s.mu.Unlock()
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + "/", nil
}

// Close ends every stream, stops serving and writes the state file.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	for _, d := range s.devices {
		if d.refTimer != nil {
			d.refTimer.Stop()
		}
	}
	if s.save != nil {
		s.save.Stop()
	}
	srv := s.httpSrv
	s.mu.Unlock()
	var err error
	if srv != nil {
		err = srv.Close()
	}
	return errors.Join(err, s.writeState())
}

func (s *Server) serveIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(s.index)
}

func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// after runs f under the lock after d, unless the server closed meanwhile.
func (s *Server) after(d time.Duration, f func()) *time.Timer {
	return time.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.closed {
			f()
		}
	})
}

// apiError is an error with the HTTP status to answer it with.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) error {
	return &apiError{status, fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	var ae *apiError
	if errors.As(err, &ae) {
		status = ae.status
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}

// readJSON decodes a request body; a bad body is a 400.
func readJSON(r *http.Request, v any) error {
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(v); err != nil {
		return errorf(http.StatusBadRequest, "the body is not the JSON this endpoint takes: %v", err)
	}
	return nil
}
