package session

import (
	"time"

	"github.com/waconsole/waconsole/store"
)

// DrainState is where a session's unread drain stands: "" (none yet),
// waiting for the operator, running, paused, done or cancelled.
type DrainState = store.DrainState

// The drain states.
const (
	DrainWaiting   = store.DrainWaiting
	DrainRunning   = store.DrainRunning
	DrainPaused    = store.DrainPaused
	DrainDone      = store.DrainDone
	DrainCancelled = store.DrainCancelled
)

// The actions a drain takes on a chat's unread messages. Deliver hands
// each to the webhooks as message.received; read marks the chat read,
// which sends read receipts; skip leaves them unread and handed on to no
// one. Every drained message is captured in the inbox whatever the action.
const (
	DrainDeliver = store.DrainDeliver
	DrainRead    = store.DrainRead
	DrainSkip    = store.DrainSkip
)

// DrainActions are the actions in the order the faces offer them.
var DrainActions = []string{DrainDeliver, DrainRead, DrainSkip}

// DefaultDrainRate is how many messages a second a drain hands on unless
// the operator says otherwise.
const DefaultDrainRate = 2.0

// MaxDrainRate bounds --rate: faster than this is a flood.
const MaxDrainRate = 50.0

// DrainRequest starts (or extends) a drain: an action for the chats named
// (every chat of the snapshot when Chats is empty) at Rate messages a
// second (0: the default, or the rate of the drain already running).
type DrainRequest struct {
	Chats  []string
	Action string
	Rate   float64
}

// DrainOp pauses, resumes or cancels a drain.
type DrainOp string

// The drain operations.
const (
	DrainPause  DrainOp = "pause"
	DrainResume DrainOp = "resume"
	DrainCancel DrainOp = "cancel"
)

// DrainInfo is a session's drain as it stands: its progress and, from
// Drain and UnreadSnapshot, its chats.
type DrainInfo struct {
	State    DrainState `json:"state,omitempty"`
	Snapshot time.Time  `json:"snapshot,omitzero"` // when the last snapshot was taken
	Rate     float64    `json:"rate,omitempty"`    // messages a second, as set
	Total    int        `json:"total"`             // messages in the drain
	Chosen   int        `json:"chosen"`            // with an action
	Done     int        `json:"done"`              // handed on
	// Per outcome: delivered to the webhooks, marked read, skipped, and
	// handed on before by the live path (counted once, not again).
	Delivered int `json:"delivered"`
	Read      int `json:"read"`
	Skipped   int `json:"skipped"`
	Already   int `json:"already"`
	// Speed is the measured pace, messages a second; ETA is when what is
	// chosen will be done at that pace (the set rate until measured).
	Speed     float64       `json:"speed,omitempty"`
	ETA       time.Duration `json:"eta,omitempty"`
	LastError string        `json:"lastError,omitempty"`
	Chats     []DrainChat   `json:"chats,omitempty"`
}

// Left is how many chosen messages are still to hand on.
func (d DrainInfo) Left() int { return d.Chosen - d.Done }

// DrainChat is one chat of a drain.
type DrainChat struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Count   int       `json:"count"` // unread messages in the drain
	Left    int       `json:"left"`  // not handed on yet
	Oldest  time.Time `json:"oldest"`
	Preview string    `json:"preview"` // the oldest message, shortened
	Action  string    `json:"action,omitempty"`
}

// The outcomes of a drained message.
const (
	outDelivered = store.DrainDelivered
	outRead      = store.DrainMarked
	outSkipped   = store.DrainSkipped
	outAlready   = store.DrainAlready // captured and handed on before, by the live path
)
