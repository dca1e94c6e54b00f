package ui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

// The palette: semantic roles only. Plain text keeps the terminal's own
// foreground so both light and dark themes stay readable.
var (
	colAccent  = lipgloss.Color("#5FA8F5")
	colSubtle  = termtext.Subtle
	colSuccess = termtext.Success
	colWarning = termtext.Warning
	colError   = termtext.Error
	colBusy    = termtext.Busy
	colWaiting = termtext.Waiting
	colRead    = lipgloss.Color("#34B7F1") // WhatsApp's blue ticks
)

// Styles is every style of the console.
type Styles struct {
	Title, Badge, Counts           lipgloss.Style
	Crumb, CrumbSep, CrumbLast     lipgloss.Style
	TableHeader, Selected, Subtle  lipgloss.Style
	Info, Warn, Error              lipgloss.Style
	Dialog, DialogTitle, Label     lipgloss.Style
	FieldError, Hint, Key          lipgloss.Style
	Success, BigCode, Code         lipgloss.Style
	Heading, Prompt                lipgloss.Style
	MsgIn, MsgOut, TickRead, Ticks lipgloss.Style
	Help                           help.Styles
}

var styles = newStyles()

func newStyles() Styles {
	s := lipgloss.NewStyle()
	box := s.Border(lipgloss.RoundedBorder()).Padding(0, 1)
	h := help.DefaultDarkStyles()
	h.ShortKey = s.Foreground(colAccent)
	h.FullKey = s.Foreground(colAccent)
	return Styles{
		Title:       s.Bold(true).Foreground(colAccent),
		Badge:       s.Bold(true).Foreground(colWarning),
		Counts:      s.Foreground(colSubtle),
		Crumb:       s.Foreground(colSubtle),
		CrumbSep:    s.Foreground(colSubtle),
		CrumbLast:   s.Bold(true),
		TableHeader: s.Bold(true).Foreground(colSubtle),
		Selected:    s.Reverse(true),
		Subtle:      s.Foreground(colSubtle),
		Info:        s.Foreground(colSuccess),
		Warn:        s.Foreground(colWarning),
		Error:       s.Bold(true).Foreground(colError),
		Dialog:      box.BorderForeground(colAccent),
		DialogTitle: s.Bold(true).Foreground(colAccent),
		Label:       s.Bold(true),
		FieldError:  s.Foreground(colError),
		Hint:        s.Foreground(colSubtle),
		Key:         s.Bold(true).Foreground(colAccent),
		Success:     box.BorderForeground(colSuccess).Foreground(colSuccess).Bold(true),
		BigCode:     s.Bold(true).Foreground(colWaiting),
		Code:        box.BorderForeground(colWaiting).Padding(1, 3),
		Heading:     s.Bold(true),
		Prompt:      s.Bold(true).Foreground(colAccent),
		MsgIn:       s.Bold(true).Foreground(colAccent),
		MsgOut:      s.Bold(true).Foreground(colSuccess),
		TickRead:    s.Foreground(colRead),
		Ticks:       s.Foreground(colSubtle),
		Help:        h,
	}
}

// stateText renders a state in its colour.
func stateText(s session.State) string { return termtext.StateStyle(s).Render(string(s)) }

// severityStyle is the one place an alert severity gets its colour: the
// colours of the states that need acting on now, or soon.
func severityStyle(s session.AlertSeverity) lipgloss.Style {
	if s == session.SeverityCritical {
		return lipgloss.NewStyle().Foreground(colError)
	}
	return lipgloss.NewStyle().Foreground(colWarning)
}

// newInput returns a text input styled for the console, with a steady
// cursor so no blink messages need routing.
func newInput(prompt, placeholder string, width int) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	st := textinput.DefaultDarkStyles()
	st.Focused.Prompt = styles.Prompt
	st.Blurred.Prompt = styles.Subtle
	st.Focused.Placeholder = styles.Hint
	st.Blurred.Placeholder = styles.Hint
	st.Cursor.Blink = false
	in.SetStyles(st)
	in.SetWidth(width)
	return in
}
