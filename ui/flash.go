package ui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
)

// flashTTL is how long a flash stays on the status line.
const flashTTL = 5 * time.Second

type flashLevel int

const (
	flashInfo flashLevel = iota
	flashWarn
	flashError
)

// flashMsg puts a line on the status line; commands return it to report.
type flashMsg struct {
	level flashLevel
	text  string
}

// flashExpiredMsg clears the flash it was armed for, not a newer one.
type flashExpiredMsg struct{ id int }

type flash struct {
	id    int
	level flashLevel
	text  string
}

func info(format string, a ...any) flashMsg {
	return flashMsg{flashInfo, fmt.Sprintf(format, a...)}
}

func warn(format string, a ...any) flashMsg {
	return flashMsg{flashWarn, fmt.Sprintf(format, a...)}
}

// failed reports a backend error with what the operator can do about it.
func failed(err error, format string, a ...any) flashMsg {
	return flashMsg{flashError, fmt.Sprintf(format, a...) + ": " + err.Error()}
}

// report turns a flash into a command, for screens that answer results.
func report(f flashMsg) tea.Cmd { return func() tea.Msg { return f } }

// set shows msg and returns the tick that will clear it.
func (f *flash) set(msg flashMsg) tea.Cmd {
	f.id++
	f.level, f.text = msg.level, msg.text
	id := f.id
	return tea.Tick(flashTTL, func(time.Time) tea.Msg { return flashExpiredMsg{id} })
}

func (f *flash) expire(msg flashExpiredMsg) {
	if msg.id == f.id {
		f.text = ""
	}
}

func (f flash) render(width int) string {
	if f.text == "" {
		return ""
	}
	st := styles.Info
	switch f.level {
	case flashWarn:
		st = styles.Warn
	case flashError:
		st = styles.Error
	}
	return st.Render(trunc(f.text, width))
}
