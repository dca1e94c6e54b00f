package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/waconsole/waconsole/keymap"
)

// column is one column of a list table; a zero width takes what is left.
type column struct {
	title string
	width int
}

// cursor is the selection and scroll position of a list of n rows shown in
// h lines; every list of the console shares it.
type cursor struct {
	idx, top int
}

// move handles the navigation keys; it reports whether msg was one.
func (c *cursor) move(msg tea.KeyPressMsg, nav keymap.Nav, n, h int) bool {
	switch {
	case key.Matches(msg, nav.Up):
		c.idx--
	case key.Matches(msg, nav.Down):
		c.idx++
	case key.Matches(msg, nav.PageUp):
		c.idx -= max(h, 1)
	case key.Matches(msg, nav.PageDown):
		c.idx += max(h, 1)
	case key.Matches(msg, nav.Top):
		c.idx = 0
	case key.Matches(msg, nav.Bottom):
		c.idx = n - 1
	default:
		return false
	}
	c.clamp(n, h)
	return true
}

// clamp keeps the cursor on a row and the row on screen.
func (c *cursor) clamp(n, h int) {
	c.idx = min(max(c.idx, 0), max(n-1, 0))
	h = max(h, 1)
	if c.idx < c.top {
		c.top = c.idx
	}
	if c.idx >= c.top+h {
		c.top = c.idx - h + 1
	}
	c.top = min(max(c.top, 0), max(n-h, 0))
}

// renderTable draws a header and the visible rows in w cells and h lines.
// Cells may hold styled text; the selected row is drawn plain and reversed
// so it reads in any theme.
func renderTable(cols []column, rows [][]string, c cursor, w, h int) string {
	widths := make([]int, len(cols))
	used := 0
	for i, col := range cols {
		widths[i] = col.width
		used += col.width + 1
	}
	for i, col := range cols {
		if col.width == 0 {
			widths[i] = max(w-used, 4)
		}
	}
	line := func(cells []string, plain bool) string {
		var b strings.Builder
		for i, s := range cells {
			if plain {
				s = ansi.Strip(s)
			}
			s = strings.ReplaceAll(s, "\n", " ") // a row is one line, whatever an error says
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(cell(s, widths[i]))
		}
		return ansi.Truncate(b.String(), w, "")
	}
	titles := make([]string, len(cols))
	for i, col := range cols {
		titles[i] = col.title
	}
	out := []string{styles.TableHeader.Render(line(titles, true))}
	if c.idx >= 0 { // a negative cursor selects nothing
		c.clamp(len(rows), h-1)
	}
	for i := c.top; i < len(rows) && i < c.top+h-1; i++ {
		if i == c.idx {
			out = append(out, styles.Selected.Render(cell(line(rows[i], true), w)))
			continue
		}
		out = append(out, line(rows[i], false))
	}
	return strings.Join(out, "\n")
}
