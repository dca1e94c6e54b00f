package session

import "time"

// AlertKind names the cause an alert is raised for.
type AlertKind string

// The causes an alert is raised for; each resolves itself when its cause
// goes away.
const (
	AlertDisconnected   AlertKind = "disconnected"    // DISCONNECTED longer than the threshold
	AlertLoggedOut      AlertKind = "logged-out"      // needs pairing again
	AlertConflict       AlertKind = "conflict"        // opened elsewhere
	AlertBlocked        AlertKind = "blocked"         // TOS block, proxy block, deprecated version
	AlertFailed         AlertKind = "failed"          // the session gave up
	AlertRestartLoop    AlertKind = "restart-loop"    // the browser restarted too often
	AlertSendFailures   AlertKind = "send-failures"   // repeated send failures
	AlertDeadJobs       AlertKind = "dead-jobs"       // outbox jobs that will not be sent
	AlertWebhookFailing AlertKind = "webhook-failing" // deliveries failing and retrying
	AlertWebhookDead    AlertKind = "webhook-dead"    // deliveries given up
	AlertDiskFull       AlertKind = "disk-full"       // the store's disk nearly full
	AlertUncleanRestart AlertKind = "unclean-restart" // the last process did not stop cleanly
)

// AlertSeverity says how soon someone must act.
type AlertSeverity string

const (
	SeverityCritical AlertSeverity = "critical"
	SeverityWarning  AlertSeverity = "warning"
)

// Alert is one raised alert, open until its cause goes away.
type Alert struct {
	ID       uint64        `json:"id"`
	Session  string        `json:"session,omitempty"` // "" for the process and the disk
	Kind     AlertKind     `json:"kind"`
	Severity AlertSeverity `json:"severity"`
	Reason   string        `json:"reason"`
	Raised   time.Time     `json:"raised"`
	Acked    time.Time     `json:"acked,omitzero"`    // zero until acknowledged
	Resolved time.Time     `json:"resolved,omitzero"` // zero while open
}

// Open reports whether the alert's cause is still there.
func (a Alert) Open() bool { return a.Resolved.IsZero() }

// AlertQuery selects alerts; the zero value is every alert, newest first.
type AlertQuery struct {
	Session string // this session's only; "" for all
	Open    bool   // open ones only
	Limit   int    // the newest this many; 0 for all
}
