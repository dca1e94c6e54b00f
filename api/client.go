package api

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"unicode/utf8"
)

// ErrNoServer means nothing serves the API on the data dir.
var ErrNoServer = errors.New("no waconsole is running")

// Client talks to the API of the waconsole that holds a data dir, or to
// one over TCP.
type Client struct {
	dataDir string
	hc      *http.Client
	base    string // http://waconsole on the socket
	// key is sent over TCP; err fails every request of a client whose
	// configuration is wrong.
	key string
	err error
}

// NewClient returns a client for the server on dataDir's socket.
func NewClient(dataDir string) *Client {
	sock := SocketPath(dataDir)
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}}
	return &Client{dataDir: dataDir, hc: &http.Client{Transport: tr}, base: "http://waconsole"}
}

// NewRemoteClient returns a client of the API over TCP at base (such as
// https://host:8443), sending key; roots, when not nil, are the CAs its
// certificate is checked against instead of the system's. A base that is
// not such a URL fails every request, saying so.
func NewRemoteClient(base, key string, roots *x509.CertPool) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if roots != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	c := &Client{hc: &http.Client{Transport: tr}, key: key}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		c.err = fmt.Errorf("API URL %q is not valid: give one such as https://waconsole.example:8443", base)
		return c
	}
	c.base = u.Scheme + "://" + u.Host
	return c
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	resp, err := c.request(ctx, method, path, in)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("reading the answer to %s %s: %w", method, path, err)
	}
	return nil
}

// request sends a request and returns a 2xx response; anything else becomes
// the server's *Error.
func (c *Client) request(ctx context.Context, method, path string, in any) (*http.Response, error) {
	if c.err != nil {
		return nil, c.err
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if c.dataDir == "" {
			return nil, fmt.Errorf("talking to the waconsole API at %s: %w", c.base, err)
		}
		// No socket, or a stale one: nothing serves the data dir. Anything
		// else (a socket of another user, a server that hung up) is told as
		// it is, not as a server to start.
		if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) {
			return nil, fmt.Errorf("%w on data dir %s: start one with `waconsole serve --data-dir %s` (headless) or `waconsole --data-dir %s` (console)",
				ErrNoServer, c.dataDir, c.dataDir, c.dataDir)
		}
		return nil, fmt.Errorf("talking to the waconsole of data dir %s: %w", c.dataDir, err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	var eb errorBody
	if json.NewDecoder(resp.Body).Decode(&eb) != nil || eb.Error.Code == "" {
		return nil, &Error{Code: CodeInternal, Message: fmt.Sprintf("%s %s: HTTP %d", method, path, resp.StatusCode)}
	}
	return nil, &eb.Error
}

func sessionPath(id string, rest ...string) string {
	seg := url.PathEscape(id)
	if seg == "." || seg == ".." {
		// Escaped, so that it names a session (which cannot exist) and is
		// not a step of the path.
		seg = strings.ReplaceAll(seg, ".", "%2E")
	}
	p := "/v1/sessions/" + seg
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

// Info describes the server.
func (c *Client) Info(ctx context.Context) (Info, error) {
	var info Info
	return info, c.do(ctx, "GET", "/v1/info", nil, &info)
}

// List returns every session.
func (c *Client) List(ctx context.Context) ([]Session, error) {
	var out SessionList
	return out.Sessions, c.do(ctx, "GET", "/v1/sessions", nil, &out)
}

// Get returns one session.
func (c *Client) Get(ctx context.Context, id string) (Session, error) {
	var s Session
	return s, c.do(ctx, "GET", sessionPath(id), nil, &s)
}

// Add creates a session.
func (c *Client) Add(ctx context.Context, req AddRequest) (Session, error) {
	var s Session
	return s, c.do(ctx, "POST", "/v1/sessions", req, &s)
}

// Action runs start, stop, restart, logout or refresh-qr on a session.
func (c *Client) Action(ctx context.Context, id, action string) (Session, error) {
	var s Session
	return s, c.do(ctx, "POST", sessionPath(id, action), nil, &s)
}

// Set changes a session's settings.
func (c *Client) Set(ctx context.Context, id string, req SettingsRequest) (Session, error) {
	var s Session
	return s, c.do(ctx, "PATCH", sessionPath(id), req, &s)
}

// Delete removes a session.
func (c *Client) Delete(ctx context.Context, id string) error {
	return c.do(ctx, "DELETE", sessionPath(id), nil, nil)
}

// Events returns the last n events of a session.
func (c *Client) Events(ctx context.Context, id string, n int) ([]Event, error) {
	var out EventList
	return out.Events, c.do(ctx, "GET", sessionPath(id, fmt.Sprintf("events?n=%d", n)), nil, &out)
}

// Pair makes a session pair by the given method, starting it if needed.
func (c *Client) Pair(ctx context.Context, id string, req PairRequest) (Session, error) {
	var s Session
	return s, c.do(ctx, "POST", sessionPath(id, "pair"), req, &s)
}

// Pairing follows a session's pairing, calling fn for every line of the
// stream, until the last line, an error of fn, or the end of ctx.
func (c *Client) Pairing(ctx context.Context, id string, fn func(PairingEvent) error) error {
	resp, err := c.request(ctx, "GET", sessionPath(id, "pairing"), nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return readLines(ctx, resp.Body, "the pairing stream", fn, func(ev PairingEvent) bool { return ev.Done })
}

// readLines reads a stream of JSON lines, calling fn for each, until the
// line last says is the last, an error of fn, or the end of ctx.
func readLines[T any](ctx context.Context, body io.Reader, what string, fn func(T) error, last func(T) bool) error {
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var line T
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return fmt.Errorf("reading %s: %w", what, err)
		}
		if err := fn(line); err != nil || last(line) {
			return err
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", what, err)
	}
	return fmt.Errorf("the server ended %s early: is it shutting down?", what)
}

// Send queues messages.
func (c *Client) Send(ctx context.Context, id string, req SendRequest) (SendResponse, error) {
	var out SendResponse
	// JSON would carry invalid UTF-8 as U+FFFD: refuse it, as the server does.
	for i, t := range append([]string{req.Text}, req.Texts...) {
		if !utf8.ValidString(t) {
			which := "text"
			if i > 0 {
				which = fmt.Sprintf("message %d of texts", i)
			}
			return out, &Error{Code: CodeInvalid, Message: which + " is not valid UTF-8: send text as UTF-8"}
		}
	}
	return out, c.do(ctx, "POST", sessionPath(id, "messages"), req, &out)
}

// Jobs lists a session's outbox jobs in the given states (all when none).
func (c *Client) Jobs(ctx context.Context, id string, states ...string) ([]Job, error) {
	var out JobList
	path := sessionPath(id, "outbox")
	if len(states) > 0 {
		path += "?state=" + url.QueryEscape(strings.Join(states, ","))
	}
	return out.Jobs, c.do(ctx, "GET", path, nil, &out)
}

// RetryJob retries a dead job or approves a held one.
func (c *Client) RetryJob(ctx context.Context, id string, seq uint64) error {
	return c.do(ctx, "POST", sessionPath(id, "outbox", fmt.Sprint(seq), "retry"), nil, nil)
}

// DiscardJob removes a dead or held job.
func (c *Client) DiscardJob(ctx context.Context, id string, seq uint64) error {
	return c.do(ctx, "DELETE", sessionPath(id, "outbox", fmt.Sprint(seq)), nil, nil)
}

// Queue returns a session's queue figures.
func (c *Client) Queue(ctx context.Context, id string) (QueueStats, error) {
	var qs QueueStats
	return qs, c.do(ctx, "GET", sessionPath(id, "queue"), nil, &qs)
}

// QueueAction pauses or resumes a session's queue.
func (c *Client) QueueAction(ctx context.Context, id, action string) (QueueStats, error) {
	var qs QueueStats
	return qs, c.do(ctx, "POST", sessionPath(id, "queue", action), nil, &qs)
}

// Backup copies a backup archive of the server's store and logins, as they
// are now, to w.
func (c *Client) Backup(ctx context.Context, w io.Writer) (int64, error) {
	resp, err := c.request(ctx, "GET", "/v1/backup", nil)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("the backup was cut after %d bytes: %w", n, err)
	}
	return n, nil
}
