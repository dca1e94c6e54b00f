package termtext

import (
	"charm.land/lipgloss/v2"

	"github.com/waconsole/waconsole/session"
)

// The palette's semantic roles that a state can take; the console builds
// its other styles on them too.
var (
	Subtle  = lipgloss.Color("#8B949E")
	Success = lipgloss.Color("#3FB950")
	Warning = lipgloss.Color("#D29922")
	Error   = lipgloss.Color("#F85149")
	Busy    = lipgloss.Color("#58A6FF")
	Waiting = lipgloss.Color("#C586F0") // waits for the operator (QR, link code)
)

// qrColours are always light modules drawn over a dark ground, so the code
// is dark on a light quiet zone whatever the terminal theme: phones fail to
// scan it inverted.
var qrColours = lipgloss.NewStyle().Foreground(lipgloss.Color("#F5F5F5")).Background(lipgloss.Color("#000000"))

// StateStyle is the one place a session state gets its colour: the
// console and the CLI's status table both use it.
func StateStyle(s session.State) lipgloss.Style {
	c := Subtle // Stopped and anything unknown
	switch s {
	case session.Ready:
		c = Success
	case session.Starting, session.Syncing:
		c = Busy
	case session.QR, session.LinkCode:
		c = Waiting
	case session.Disconnected, session.Conflict, session.LoggedOut:
		c = Warning
	case session.Blocked, session.Failed:
		c = Error
	}
	return lipgloss.NewStyle().Foreground(c)
}
