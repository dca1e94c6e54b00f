package session

import "time"

// AddRequest describes a new session.
type AddRequest struct {
	ID         string          `json:"id"`
	PairMethod string          `json:"pairMethod,omitempty"` // PairQR (default) or PairLink
	PairPhone  string          `json:"pairPhone,omitempty"`  // required for PairLink
	AutoStart  *bool           `json:"autoStart,omitempty"`  // default true: a paired session comes back on restart
	Start      bool            `json:"start,omitempty"`      // start the browser now
	Browser    BrowserSettings `json:"-"`                    // proxy, user agent, extra flags; zero: waconsole's own
}

// Settings changes a session; nil fields stay as they are.
type Settings struct {
	AutoStart  *bool   `json:"autoStart,omitempty"`
	PairMethod *string `json:"pairMethod,omitempty"`
	PairPhone  *string `json:"pairPhone,omitempty"`
	// Pacing fields that are set replace the session's; the others stay as
	// they are, except those PacingDefaults returns to their defaults.
	Pacing         *PacingSettings `json:"-"`
	PacingDefaults PacingDefaults  `json:"-"`
	// Browser changes the browser settings; a running browser keeps the
	// old ones until the session is restarted.
	Browser *BrowserChange `json:"-"`
	Inbox   *InboxChange   `json:"-"`
	// ReplyFirst sets the reply-first window; 0 turns it off.
	ReplyFirst *time.Duration `json:"-"`
	// Alerting thresholds that are set replace the session's; those named
	// in AlertingDefaults return to their defaults.
	Alerting         *AlertSettings `json:"-"`
	AlertingDefaults AlertDefaults  `json:"-"`
}

// QueueStats is the queue view of one session.
type QueueStats struct {
	Depth       int            `json:"depth"` // queued + retrying + sending
	InFlight    int            `json:"inFlight"`
	Oldest      time.Duration  `json:"oldest"` // age of the oldest waiting job
	LatencyP50  time.Duration  `json:"latencyP50"`
	LatencyP95  time.Duration  `json:"latencyP95"`
	Sent5m      int            `json:"sent5m"`
	Failed5m    int            `json:"failed5m"`
	SentTotal   int            `json:"sentTotal"`
	FailedTotal int            `json:"failedTotal"` // attempts that failed, since the session was created
	NextSend    time.Time      `json:"nextSend,omitzero"`
	Paused      bool           `json:"paused"`
	HoldReason  string         `json:"holdReason,omitempty"` // why the whole queue is held
	Pacing      Pacing         `json:"pacing"`               // effective settings, defaults filled in
	States      map[string]int `json:"states"`               // jobs per state
}
