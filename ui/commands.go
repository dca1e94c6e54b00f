package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

// callTimeout bounds page calls made from the console (chats, messages,
// sends), so a hung page cannot leave a screen loading forever.
const callTimeout = 30 * time.Second

// act runs a backend action and reports it on the flash line. The closures
// capture values only, never the model.
func act(fn func() error, ok, fail string) tea.Cmd {
	return func() tea.Msg {
		if err := fn(); err != nil {
			return failed(err, "%s", fail)
		}
		return info("%s", ok)
	}
}

// pageCtx is the context of one page call.
func pageCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), callTimeout)
}

// startSession and restartSession are shared by the table, the detail
// view and the pairing view.
func startSession(b session.Runtime, id string) tea.Cmd {
	return act(func() error { return b.Start(id) }, "starting "+id, "could not start "+id)
}

func restartSession(b session.Runtime, id string) tea.Cmd {
	return act(func() error { return b.Restart(id) }, "restarting "+id, "could not restart "+id)
}
