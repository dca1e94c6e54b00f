package session

import (
	"time"

	"github.com/waconsole/waconsole/store"
)

// Pairing methods a session can use.
const (
	PairQR   = "qr"
	PairLink = "link"
)

// Snapshot is the operator's view of one session at one moment. The manager
// publishes a new one after every change; readers never share it with the actor.
type Snapshot struct {
	ID         string          `json:"id"`
	State      State           `json:"state"`
	Since      time.Time       `json:"since"`            // when State was entered
	Reason     string          `json:"reason,omitempty"` // why the last transition happened
	LastError  string          `json:"lastError,omitempty"`
	PairMethod string          `json:"pairMethod"`          // PairQR or PairLink
	PairPhone  string          `json:"pairPhone,omitempty"` // number the link code is requested for
	Account    string          `json:"account,omitempty"`   // digits of the paired phone
	AutoStart  bool            `json:"autoStart"`
	QR         QRInfo          `json:"qr"`
	Code       CodeInfo        `json:"code"`
	Queue      QueueInfo       `json:"queue"`
	Pacing     Pacing          `json:"pacing"`  // in effect, defaults filled in
	PacingSet  PacingSettings  `json:"-"`       // as the operator set it: nil fields are defaults
	Browser    BrowserSettings `json:"browser"` // as the operator set it, the proxy's password masked
	Inbox      InboxInfo       `json:"inbox"`
	Drain      DrainInfo       `json:"drain"` // the unread drain's progress, without its chats
	// ReplyFirst holds sends to chats that have not written within it; 0: off.
	ReplyFirst  time.Duration   `json:"replyFirst"`
	Alerting    AlertThresholds `json:"alerting"` // in effect, defaults filled in
	AlertingSet AlertSettings   `json:"-"`        // as the operator set it: nil fields are defaults
}

// QRInfo is the QR code a session shows while it waits for a scan.
type QRInfo struct {
	Payload string    `json:"payload,omitempty"`
	Index   int       `json:"index,omitempty"` // 1-based: "code n of Total"
	Total   int       `json:"total,omitempty"`
	Expires time.Time `json:"expires,omitzero"`  // estimated from the page's rotation timing
	Expired bool      `json:"expired,omitempty"` // refs ran out (UNPAIRED_IDLE): offer a fresh QR
}

// CodeInfo is the link code a session shows while it waits for the phone.
type CodeInfo struct {
	Code    string    `json:"code,omitempty"` // formatted XXXX-XXXX
	Phone   string    `json:"phone,omitempty"`
	Expires time.Time `json:"expires,omitzero"`
}

// QueueInfo summarises a session's outbox for tables and health checks.
type QueueInfo struct {
	Depth      int  `json:"depth"`      // queued + retrying + sending
	Held       int  `json:"held"`       // waiting for an operator
	Dead       int  `json:"dead"`       // gave up
	Failures5m int  `json:"failures5m"` // failed attempts in the last 5 minutes
	Paused     bool `json:"paused"`
}

// Pacing is how fast a session sends: every value in effect.
type Pacing struct {
	MinGap    time.Duration `json:"minGap"`
	JitterMin time.Duration `json:"jitterMin"` // the random extra wait is between JitterMin and Jitter
	Jitter    time.Duration `json:"jitter"`
	ChatGap   time.Duration `json:"chatGap"`
	BulkLimit int           `json:"bulkLimit"` // identical text to more chats than this within an hour is held
}

// PacingSettings is the pacing the operator set: a nil field takes the
// default, a set zero is zero.
type PacingSettings = store.Pacing

// PacingDefaults names pacing settings to return to their defaults.
type PacingDefaults struct {
	MinGap, JitterMin, Jitter, ChatGap, BulkLimit bool
}

// Event is one entry of a session's event log.
type Event = store.Event

// Job is one message in a session's outbox.
type Job = store.Job

// JobState is where a Job is in its life.
type JobState = store.JobState

// Update is one publication of the manager: a new snapshot, an event of the
// log, a chat message, an outbox job, or the removal of a session. An update
// with Resync set says updates to this subscriber were dropped: re-read
// whatever it shows from List and Get.
type Update struct {
	Session  string    `json:"session"`
	Snapshot *Snapshot `json:"snapshot,omitempty"`
	Event    *Event    `json:"event,omitempty"`
	Message  *Message  `json:"message,omitempty"` // a new message or a changed ack
	Job      *Job      `json:"job,omitempty"`     // an outbox job that changed
	Alert    *Alert    `json:"alert,omitempty"`   // an alert raised, acknowledged or resolved
	Removed  bool      `json:"removed,omitempty"`
	Resync   bool      `json:"resync,omitempty"`
}

// The states of a Job.
const (
	JobQueued   = store.JobQueued
	JobSending  = store.JobSending
	JobSent     = store.JobSent
	JobRetrying = store.JobRetrying
	JobDead     = store.JobDead
	JobHeld     = store.JobHeld
)
