package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/waconsole/waconsole/session"
)

// PairingEvent is one line of the pairing stream (newline-delimited JSON).
type PairingEvent struct {
	Snapshot Session `json:"snapshot"`
	Done     bool    `json:"done,omitempty"`   // the last line
	Result   string  `json:"result,omitempty"` // on the last line: "ready" or "failed"
}

// pairingOver says whether a pairing has ended, and how.
func pairingOver(s session.Snapshot) (bool, string) {
	switch s.State {
	case session.Ready:
		return true, "ready"
	case session.Failed, session.Blocked, session.LoggedOut, session.Conflict, session.Stopped:
		return true, "failed"
	}
	return false, ""
}

// pairing streams a session's snapshots while it pairs: every QR rotation,
// link code and state change, until READY or failure, or until the client
// goes away.
func (s *server) pairing(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	updates, cancel := s.b.Subscribe()
	defer cancel()
	snap, err := s.b.Get(id)
	if err != nil {
		fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	flusher, _ := w.(http.Flusher)
	last := snap
	send := func(s session.Snapshot) bool {
		last = s
		done, result := pairingOver(s)
		if enc.Encode(PairingEvent{Snapshot: fromSnapshot(s), Done: done, Result: result}) != nil {
			return true
		}
		if flusher != nil {
			flusher.Flush()
		}
		return done
	}
	if send(snap) {
		return
	}
	for {
		select {
		case u, ok := <-updates:
			if !ok {
				return
			}
			if u.Resync { // the feed dropped updates: read the session afresh
				u = session.Update{Session: id, Removed: true}
				if snap, err := s.b.Get(id); err == nil {
					u = session.Update{Session: id, Snapshot: &snap}
				}
			}
			if u.Session != id {
				continue
			}
			if u.Removed {
				// The session as last seen, showing no code any more.
				gone := last
				gone.State, gone.Since, gone.Reason = session.Stopped, time.Now(), "the session was deleted"
				gone.QR, gone.Code = session.QRInfo{}, session.CodeInfo{}
				send(gone)
				return
			}
			if u.Snapshot != nil && send(*u.Snapshot) {
				return
			}
		case <-r.Context().Done():
			return
		}
	}
}
