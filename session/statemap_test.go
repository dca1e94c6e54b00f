package session

import "testing"

func TestMapState(t *testing.T) {
	cases := []struct {
		name   string
		prev   State
		ps     pageState
		paired bool
		method string
		want   State
	}{
		{"not booted", Starting, pageState{}, false, PairQR, Starting},
		{"opening fresh", Starting, pageState{state: "OPENING"}, false, PairQR, Starting},
		{"unpaired shows QR", Starting, pageState{state: "UNPAIRED"}, false, PairQR, QR},
		{"unpaired idle still QR", QR, pageState{state: "UNPAIRED_IDLE"}, false, PairQR, QR},
		{"unpaired in link mode", Starting, pageState{state: "UNPAIRED"}, false, PairLink, LinkCode},
		{"scanned", QR, pageState{state: "PAIRING"}, false, PairQR, Syncing},
		{"connected not synced", Syncing, pageState{state: "CONNECTED"}, false, PairQR, Syncing},
		{"connected synced", Syncing, pageState{state: "CONNECTED", synced: true}, false, PairQR, Ready},
		{"restart of a paired browser", Starting, pageState{state: "CONNECTED", synced: true}, true, PairQR, Ready},
		{"drop after ready", Ready, pageState{state: "OPENING", stream: "DISCONNECTED", synced: true}, true, PairQR, Disconnected},
		{"stream down", Ready, pageState{state: "CONNECTED", stream: "DISCONNECTED", synced: true}, true, PairQR, Disconnected},
		{"back up", Disconnected, pageState{state: "CONNECTED", stream: "CONNECTED", synced: true}, true, PairQR, Ready},
		{"timeout while up", Ready, pageState{state: "TIMEOUT", synced: true}, true, PairQR, Disconnected},
		{"unlinked from the phone", Ready, pageState{state: "UNPAIRED"}, true, PairQR, LoggedOut},
		{"unlinked while down", Starting, pageState{state: "UNPAIRED"}, true, PairQR, LoggedOut},
		{"conflict", Ready, pageState{state: "CONFLICT", synced: true}, true, PairQR, Conflict},
		{"tos block", Ready, pageState{state: "TOS_BLOCK"}, true, PairQR, Blocked},
		{"smb tos block", Starting, pageState{state: "SMB_TOS_BLOCK"}, false, PairQR, Blocked},
		{"proxy block", Starting, pageState{state: "PROXYBLOCK"}, false, PairQR, Blocked},
		{"deprecated", Starting, pageState{state: "DEPRECATED_VERSION"}, false, PairQR, Blocked},
		{"unknown keeps state", Ready, pageState{state: "SOMETHING_NEW"}, true, PairQR, Ready},
	}
	for _, c := range cases {
		got, reason := mapState(c.prev, c.ps, c.paired, c.method)
		if got != c.want {
			t.Errorf("%s: mapState = %s (%s), want %s", c.name, got, reason, c.want)
		}
		if reason == "" {
			t.Errorf("%s: no reason given", c.name)
		}
	}
}

func TestAccountOf(t *testing.T) {
	for in, want := range map[string]string{"12025550108@c.us": "12025550108", "12025550108:3@c.us": "12025550108", "": ""} {
		if got := accountOf(in); got != want {
			t.Errorf("accountOf(%q) = %q, want %q", in, got, want)
		}
	}
}
