package session

import (
	"context"
	"errors"
	"fmt"
)

// Kinds of errors, so that the control API can give each a stable code.
// Test them with errors.Is; the messages say what to do.
var (
	ErrUnknownSession = errors.New("no such session")
	ErrInvalid        = errors.New("invalid input")
	ErrExists         = errors.New("exists already")
	ErrNotReady       = errors.New("session not ready")
	ErrWrongState     = errors.New("not possible in this state")
)

// kindError is an error of a kind whose message stands on its own.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// errorf makes an error of a kind; %w in format wraps as usual.
func errorf(kind error, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &kindError{kind: kind, msg: err.Error()}
}

// ErrType is a short, stable token for the kind of a failure, for the
// err_type of log lines: what an operator filters on and counts. An error
// of no known kind came from the page (a call that threw or failed).
func ErrType(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, ErrNotReady):
		return "not_ready"
	case errors.Is(err, ErrPermanent):
		return "rejected"
	case errors.Is(err, ErrInFlight):
		return "in_flight"
	case errors.Is(err, ErrNoChrome):
		return "no_browser"
	case errors.Is(err, ErrProxyRefused):
		return "proxy_refused"
	case errors.Is(err, ErrInvalid):
		return "invalid"
	case errors.Is(err, ErrUnknownSession):
		return "unknown_session"
	}
	return "page_error"
}

// Error types of failures that are not page errors, whatever their error says.
const (
	errTypeBrowserCrash = "browser_crash" // the browser ended or failed to start
	errTypeBrowserGone  = "browser_gone"  // the browser went away during a call
	errTypeStore        = "store"         // the store could not be read or written
)
