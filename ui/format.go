package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

// ago formats a past moment relative to now, or "-" when unknown.
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return termtext.Age(now.Sub(t)) + " ago"
}

// phone shows account digits in international form.
func phone(digits string) string {
	if digits == "" {
		return ""
	}
	return "+" + digits
}

// fit cuts or pads s to exactly h lines of at most w cells, so the lines
// below it stay where the layout put them.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "")
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// cell pads or truncates s (which may hold ANSI) to exactly w cells.
func cell(s string, w int) string {
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-ansi.StringWidth(s))
}

// wrap word-wraps plain or styled text to w cells.
func wrap(s string, w int) string {
	if w < 1 {
		return s
	}
	return ansi.Wrap(s, w, "")
}

// overlay centres box in a w × h area. What was there is not drawn: its
// fragments around a dialog only distract.
func overlay(box string, w, h int) string {
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}

// joinNonEmpty joins the parts that say something.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// pacingText shows the pacing in effect; a zero is a zero.
func pacingText(p session.Pacing) string {
	return fmt.Sprintf("min gap %s · jitter %s–%s · chat gap %s · bulk limit %d", p.MinGap, p.JitterMin, p.Jitter, p.ChatGap, p.BulkLimit)
}

// trunc cuts styled text to w cells, marking the cut.
func trunc(s string, w int) string { return ansi.Truncate(s, w, "…") }
