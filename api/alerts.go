package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/waconsole/waconsole/session"
)

// Alert is one alert: open until its cause goes away.
type Alert struct {
	ID       uint64    `json:"id"`
	Session  string    `json:"session,omitempty"` // absent for the process and the disk
	Kind     string    `json:"kind"`              // disconnected, logged-out, conflict, blocked, failed, restart-loop, send-failures, dead-jobs, webhook-failing, webhook-dead, disk-full, unclean-restart
	Severity string    `json:"severity"`          // critical or warning
	Reason   string    `json:"reason"`
	Raised   time.Time `json:"raised"`
	Acked    time.Time `json:"acked,omitzero"`
	Resolved time.Time `json:"resolved,omitzero"` // absent while open
}

// AlertList is the answer of GET /v1/alerts, newest first.
type AlertList struct {
	Alerts []Alert `json:"alerts"`
}

// AlertThresholds say when a session's alerts are raised: every value in
// effect.
type AlertThresholds struct {
	Disconnected  Duration `json:"disconnected"`
	SendFailures  int      `json:"sendFailures"`
	SendWindow    Duration `json:"sendWindow"`
	Restarts      int      `json:"restarts"`
	RestartWindow Duration `json:"restartWindow"`
}

// AlertingRequest changes a session's alert thresholds. Absent fields keep
// their setting; those named in Defaults (disconnected, sendFailures,
// restarts: a count with its window) return to their defaults.
type AlertingRequest struct {
	Disconnected  *string  `json:"disconnected,omitempty"` // a duration such as "2m"
	SendFailures  *int     `json:"sendFailures,omitempty"`
	SendWindow    *string  `json:"sendWindow,omitempty"`
	Restarts      *int     `json:"restarts,omitempty"`
	RestartWindow *string  `json:"restartWindow,omitempty"`
	Defaults      []string `json:"defaults,omitempty"`
}

func (r *AlertingRequest) change(s *session.Settings) error {
	if r == nil {
		return nil
	}
	c := session.AlertSettings{SendFailures: r.SendFailures, Restarts: r.Restarts}
	for _, f := range []struct {
		name string
		in   *string
		out  **time.Duration
	}{{"disconnected", r.Disconnected, &c.Disconnected}, {"sendWindow", r.SendWindow, &c.SendWindow}, {"restartWindow", r.RestartWindow, &c.RestartWindow}} {
		if f.in == nil {
			continue
		}
		d, err := time.ParseDuration(*f.in)
		if err != nil {
			return fmt.Errorf("alerting %s %q is not a duration such as 90s or 2m", f.name, *f.in)
		}
		*f.out = &d
	}
	for _, name := range r.Defaults {
		switch name {
		case "disconnected":
			s.AlertingDefaults.Disconnected = true
		case "sendFailures":
			s.AlertingDefaults.SendFailures = true
		case "restarts":
			s.AlertingDefaults.Restarts = true
		default:
			return fmt.Errorf("alerting defaults: %q is not a threshold: use disconnected, sendFailures or restarts", name)
		}
	}
	s.Alerting = &c
	return nil
}

func fromAlert(a session.Alert) Alert {
	return Alert{ID: a.ID, Session: a.Session, Kind: string(a.Kind), Severity: string(a.Severity), Reason: a.Reason,
		Raised: a.Raised, Acked: a.Acked, Resolved: a.Resolved}
}

func fromAlerting(t session.AlertThresholds) AlertThresholds {
	return AlertThresholds{Disconnected: Duration(t.Disconnected), SendFailures: t.SendFailures, SendWindow: Duration(t.SendWindow),
		Restarts: t.Restarts, RestartWindow: Duration(t.RestartWindow)}
}

func (s *server) listAlerts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	aq := session.AlertQuery{Session: q.Get("session")}
	keyLimited := limited(r)
	if keyLimited && aq.Session != "" && !visible(r, aq.Session) {
		deny(w, r)
		return
	}
	if v := q.Get("open"); v != "" {
		open, err := strconv.ParseBool(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("open %q is not true or false", v))
			return
		}
		aq.Open = open
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("limit %q is not a count: give 1 or more, or 0 for all", v))
			return
		}
		aq.Limit = n
	}
	if keyLimited && aq.Session == "" {
		// The key's sessions only: the limit applies after the filter.
		limit := aq.Limit
		aq.Limit = 0
		list, err := s.b.Alerts(aq)
		if err != nil {
			fail(w, err)
			return
		}
		list = slices.DeleteFunc(list, func(a session.Alert) bool { return !visible(r, a.Session) })
		if limit > 0 && len(list) > limit {
			list = list[:limit]
		}
		writeJSON(w, http.StatusOK, AlertList{Alerts: convert(list, fromAlert)})
		return
	}
	list, err := s.b.Alerts(aq)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, AlertList{Alerts: convert(list, fromAlert)})
}

func (s *server) ackAlert(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseUint(r.PathValue("alert"), 10, 64)
	if err != nil || id == 0 {
		writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("alert %q is not an alert number (see waconsole alerts)", r.PathValue("alert")))
		return
	}
	if limited(r) && !s.alertVisible(w, r, id) {
		return
	}
	if err := s.b.AckAlert(id); err != nil {
		fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// alertVisible reports whether the request's key, limited to some sessions,
// may acknowledge alert id: one of its sessions' alerts. It answers 403
// otherwise, the same whether the alert exists, is of another session or
// of none (the process, the disk: those are for keys of every session).
func (s *server) alertVisible(w http.ResponseWriter, r *http.Request, id uint64) bool {
	for _, sid := range principalOf(r).key.Sessions {
		list, err := s.b.Alerts(session.AlertQuery{Session: sid})
		if err != nil {
			fail(w, err)
			return false
		}
		if slices.ContainsFunc(list, func(a session.Alert) bool { return a.ID == id }) {
			return true
		}
	}
	deny(w, r)
	return false
}

// Alerts lists alerts, newest first: session "" for all, open for the open
// ones only, limit 0 for all.
func (c *Client) Alerts(ctx context.Context, sessionID string, open bool, limit int) ([]Alert, error) {
	q := url.Values{}
	if sessionID != "" {
		q.Set("session", sessionID)
	}
	if open {
		q.Set("open", "true")
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	p := "/v1/alerts"
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	var out AlertList
	return out.Alerts, c.do(ctx, "GET", p, nil, &out)
}

// AckAlert acknowledges an alert.
func (c *Client) AckAlert(ctx context.Context, id uint64) error {
	return c.do(ctx, "POST", fmt.Sprintf("/v1/alerts/%d/ack", id), nil, nil)
}

// AlertingSet is what the operator set of the alert thresholds; absent
// fields are defaults.
type AlertingSet struct {
	Disconnected  *Duration `json:"disconnected,omitempty"`
	SendFailures  *int      `json:"sendFailures,omitempty"`
	SendWindow    *Duration `json:"sendWindow,omitempty"`
	Restarts      *int      `json:"restarts,omitempty"`
	RestartWindow *Duration `json:"restartWindow,omitempty"`
}

func fromAlertingSet(s session.AlertSettings) AlertingSet {
	d := func(v *time.Duration) *Duration {
		if v == nil {
			return nil
		}
		w := Duration(*v)
		return &w
	}
	return AlertingSet{Disconnected: d(s.Disconnected), SendFailures: s.SendFailures, SendWindow: d(s.SendWindow),
		Restarts: s.Restarts, RestartWindow: d(s.RestartWindow)}
}
