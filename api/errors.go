package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/waconsole/waconsole/session"
)

// Error codes of the API: stable, so scripts can branch on them.
const (
	CodeBadRequest     = "bad_request"     // malformed JSON, unknown fields, wrong types
	CodeInvalid        = "invalid"         // a value is not acceptable (id, phone, chat, text, pacing)
	CodeUnknownSession = "unknown_session" // no session with that id
	CodeNotFound       = "not_found"       // no such job or route
	CodeExists         = "exists"          // the session id is taken
	CodeNotReady       = "not_ready"       // the session must be READY for this
	CodeWrongState     = "wrong_state"     // not possible in the session's or job's state
	CodeUnavailable    = "unavailable"     // the server is shutting down or timed out
	CodeInternal       = "internal"        // anything else: see the message and the server log
)

// Error is the body of every failed request.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Message }

type errorBody struct {
	Error Error `json:"error"`
}

// classify maps an error of the session manager to a status and a code.
func classify(err error) (int, string) {
	switch {
	case errors.Is(err, session.ErrUnknownSession):
		return http.StatusNotFound, CodeUnknownSession
	case errors.Is(err, session.ErrNotFound):
		return http.StatusNotFound, CodeNotFound
	case errors.Is(err, session.ErrInvalid):
		return http.StatusUnprocessableEntity, CodeInvalid
	case errors.Is(err, session.ErrExists):
		return http.StatusConflict, CodeExists
	case errors.Is(err, session.ErrNotReady):
		return http.StatusConflict, CodeNotReady
	case errors.Is(err, session.ErrWrongState):
		return http.StatusConflict, CodeWrongState
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, CodeUnavailable
	}
	return http.StatusInternalServerError, CodeInternal
}
