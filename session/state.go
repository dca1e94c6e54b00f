package session

// State is what the operator sees of a session.
type State string

// The session states, in the order a healthy session passes through them.
const (
	Stopped      State = "STOPPED"
	Starting     State = "STARTING"
	QR           State = "QR"
	LinkCode     State = "LINK_CODE"
	Syncing      State = "SYNCING"
	Ready        State = "READY"
	Disconnected State = "DISCONNECTED"
	Conflict     State = "CONFLICT"
	LoggedOut    State = "LOGGED_OUT"
	Blocked      State = "BLOCKED"
	Failed       State = "FAILED"
)

// Running reports whether a browser belongs to the session in this state.
func (s State) Running() bool {
	switch s {
	case Stopped, LoggedOut, Failed, Blocked, "":
		return false
	}
	return true
}
