package metrics

import (
	"encoding/json"
	"net/http"

	"github.com/waconsole/waconsole/session"
)

// Readiness is the /readyz body.
type Readiness struct {
	Ready bool `json:"ready"`
	// Store is "ok" or why the store cannot be read.
	Store string `json:"store"`
	// NotReady lists the auto-start sessions neither READY nor stopped
	// deliberately.
	NotReady []NotReady `json:"notReady,omitempty"`
}

// NotReady is one session that keeps the process from being ready.
type NotReady struct {
	Session string        `json:"session"`
	State   session.State `json:"state"`
	Reason  string        `json:"reason,omitempty"`
}

// Readiness checks that the store answers and that every auto-start
// session is READY or was stopped while this process ran (by an operator:
// a session STOPPED at boot is about to be started, so it is not ready yet).
func (m *Metrics) Readiness() Readiness {
	r := Readiness{Store: "ok"}
	if err := m.o.Store.Ping(); err != nil {
		r.Store = err.Error()
	}
	for _, s := range m.o.Runtime.List() {
		if !s.AutoStart || s.State == session.Ready || (s.State == session.Stopped && m.feed.stoppedDeliberately(s.ID)) {
			continue
		}
		r.NotReady = append(r.NotReady, NotReady{Session: s.ID, State: s.State, Reason: s.Reason})
	}
	r.Ready = r.Store == "ok" && len(r.NotReady) == 0
	return r
}

func (m *Metrics) readyz(w http.ResponseWriter, _ *http.Request) {
	r := m.Readiness()
	w.Header().Set("Content-Type", "application/json")
	if !r.Ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(r)
}
