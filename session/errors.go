package session

import (
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
