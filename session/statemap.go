package session

import "strings"

// pageState is what the bridge last reported of WAWebSocketModel.Socket.
type pageState struct {
	state  string // Socket.state
	stream string // Socket.stream
	synced bool   // Socket.hasSynced
}

// blockStates are the page states in which WhatsApp refuses this browser.
var blockStates = map[string]string{
	"TOS_BLOCK":          "WhatsApp blocked this browser or account (TOS_BLOCK)",
	"SMB_TOS_BLOCK":      "WhatsApp blocked this business account (SMB_TOS_BLOCK)",
	"PROXYBLOCK":         "WhatsApp refuses connections through this proxy (PROXYBLOCK)",
	"DEPRECATED_VERSION": "WhatsApp says this web client version is outdated (DEPRECATED_VERSION)",
}

// mapState derives the operator's state from the page's socket. prev is the
// current state; paired says an account was linked to this browser before,
// so an unpaired page means the phone unlinked it; method is the pairing
// method the operator chose for an unpaired browser.
func mapState(prev State, ps pageState, paired bool, method string) (State, string) {
	wasUp := prev == Ready || prev == Disconnected
	switch ps.state {
	case "":
		return Starting, "waiting for WhatsApp Web to load"
	case "OPENING", "UNLAUNCHED", "TIMEOUT":
		if wasUp {
			return Disconnected, "connection lost (" + ps.state + "); WhatsApp Web is reconnecting"
		}
		if prev == Syncing {
			return Syncing, "phone linked; connecting"
		}
		return Starting, "WhatsApp Web is opening (" + ps.state + ")"
	case "PAIRING":
		return Syncing, "phone linked; pairing"
	case "UNPAIRED", "UNPAIRED_IDLE":
		if paired {
			return LoggedOut, "the phone unlinked this browser: pair it again"
		}
		if method == PairLink {
			return LinkCode, "waiting for the link code to be entered on the phone"
		}
		return QR, "waiting for the QR code to be scanned"
	case "CONNECTED":
		if wasUp && ps.stream == "DISCONNECTED" {
			return Disconnected, "connection lost; WhatsApp Web is reconnecting"
		}
		if ps.synced {
			return Ready, "connected and synced"
		}
		return Syncing, "connected; syncing chats"
	case "CONFLICT":
		return Conflict, "WhatsApp Web was opened elsewhere for this account: restart to take over"
	}
	if why, ok := blockStates[ps.state]; ok {
		return Blocked, why
	}
	return prev, "unknown page state " + strings.ToLower(ps.state)
}

// accountOf turns the page's own id (12025550108@c.us) into digits.
func accountOf(me string) string {
	user, _, _ := strings.Cut(me, "@")
	user, _, _ = strings.Cut(user, ":") // device suffix of multi-device ids
	return user
}
