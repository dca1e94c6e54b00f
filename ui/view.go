package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/waconsole/waconsole/session"
)

// Smallest terminal the console draws in; below it, it says so.
const minWidth, minHeight = 40, 10

// View draws the whole screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "waconsole"
	return v
}

// render lays the screen out from the top: header, breadcrumbs, the screen
// on display (under an open dialog), the flash or prompt line, the help line.
func (m *Model) render() string {
	w, h := m.width, m.height
	if w == 0 || h == 0 {
		return "" // no size yet: nothing sensible to draw
	}
	if w < minWidth || h < minHeight {
		return fit(wrap(fmt.Sprintf("The console needs at least %d columns × %d rows; this terminal is %d × %d. Enlarge it (ctrl+c quits).",
			minWidth, minHeight, w, h), w), w, h)
	}
	if f, ok := m.top().(fullScreen); ok && m.dialog == nil && !m.showHelp && !m.prompt.active() {
		if s, ok := f.alone(m, w, h); ok {
			return fit(s, w, h)
		}
	}
	bh := m.bodyHeight()
	var body string
	if m.dialog != nil {
		body = overlay(m.dialog.view(w), w, bh)
	} else {
		body = m.renderBody(w, bh)
	}
	status := m.flash.render(w)
	if m.prompt.active() {
		status = m.prompt.view(w)
	}
	return strings.Join([]string{
		m.renderHeader(w),
		m.renderCrumbLine(w),
		fit(body, w, bh),
		status,
		trunc(m.help.ShortHelpView(m.ShortHelp()), w), // help drops items, but can overflow by one
	}, "\n")
}

func (m *Model) renderBody(w, h int) string {
	if m.showHelp {
		return m.renderHelp(w, h)
	}
	return m.top().view(m, w, h)
}

// bySeverity orders states for the header, those that need the operator
// first, so a narrow terminal cuts the calm ones.
var bySeverity = []session.State{
	session.Failed, session.Blocked, session.Conflict, session.LoggedOut, session.Disconnected,
	session.QR, session.LinkCode, session.Starting, session.Syncing, session.Ready, session.Stopped,
}

// renderHeader shows the title, the sessions counted by state and the
// read-only badge.
func (m *Model) renderHeader(w int) string {
	title := m.opts.Title
	if title == "" {
		title = "waconsole"
	}
	left := styles.Title.Render(title)
	right := ""
	if m.opts.ReadOnly {
		right = styles.Badge.Render("[READ-ONLY]")
	}
	counts := map[session.State]int{}
	for _, s := range m.sessions {
		counts[s.State]++
	}
	n := fmt.Sprintf("%d sessions", len(m.sessions))
	if len(m.sessions) == 1 {
		n = "1 session"
	}
	parts := []string{styles.Counts.Render(n)}
	for _, st := range bySeverity {
		if n := counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", stateText(st), n))
		}
	}
	middle := strings.Join(parts, "  ")
	room := w - ansi.StringWidth(left) - ansi.StringWidth(right) - 4
	if room < 10 {
		middle = ""
	} else {
		middle = trunc(middle, room)
	}
	gap := max(w-ansi.StringWidth(left)-ansi.StringWidth(middle)-ansi.StringWidth(right)-2, 1)
	line := left + "  " + middle + strings.Repeat(" ", gap) + right
	return ansi.Truncate(line, w, "")
}

// renderCrumbLine is the breadcrumbs, with the alerts banner at the right
// while alerts are open; the banner keeps its room before the crumbs do.
func (m *Model) renderCrumbLine(w int) string {
	banner := m.alerts.banner()
	if banner == "" {
		return trunc(m.renderCrumbs(), w)
	}
	banner = trunc(banner, w)
	room := w - ansi.StringWidth(banner) - 2
	if room < 1 {
		return banner
	}
	crumbs := trunc(m.renderCrumbs(), room)
	return crumbs + strings.Repeat(" ", w-ansi.StringWidth(crumbs)-ansi.StringWidth(banner)) + banner
}

// renderCrumbs draws the view stack: sessions > demo > chats > Alice.
func (m *Model) renderCrumbs() string {
	var names []string
	for i, p := range m.stack {
		if id := p.sessionID(); i == 1 && id != "" { // a screen of all sessions names none
			names = append(names, id)
		}
		names = append(names, p.crumb())
	}
	if m.showHelp {
		names = append(names, "help")
	}
	for i, n := range names {
		if i == len(names)-1 {
			names[i] = styles.CrumbLast.Render(n)
		} else {
			names[i] = styles.Crumb.Render(n)
		}
	}
	return strings.Join(names, styles.CrumbSep.Render(" > "))
}
