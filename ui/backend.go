package ui

import (
	"context"
	"time"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

// Backend is what the console drives: the session manager, in-process or
// through the control API.
type Backend interface {
	Subscribe() (<-chan session.Update, func())
	List() []session.Snapshot
	History(id string, n int) ([]session.Event, error)
	Add(req session.AddRequest) (session.Snapshot, error)
	Start(id string) error
	Stop(id string) error
	Restart(id string) error
	Logout(id string) error
	Delete(id string) error
	RefreshQR(id string) error
	UseLinkCode(id, phone string) error
	UseQR(id string) error
	Set(id string, s session.Settings) (session.Snapshot, error)
	Chats(ctx context.Context, id string) ([]session.Chat, error)
	Messages(ctx context.Context, id, chatID, before string, limit int) ([]session.Message, error)
	Send(ctx context.Context, id, chatID, body string) (session.Job, error)
	Jobs(id string, states ...session.JobState) ([]session.Job, error)
	RetryJob(id string, seq uint64) error // also approves a held job
	DiscardJob(id string, seq uint64) error
	Pause(id string) error
	Resume(id string) error
	QueueStats(id string) (session.QueueStats, error)
}

// Options tune the console.
type Options struct {
	ReadOnly bool             // disable every action that changes a session
	Now      func() time.Time // nil = time.Now; tests fix it
	Title    string           // shown in the header, e.g. "waconsole demo · sim http://127.0.0.1:4xxxx"
	Pairing  string           // a session whose pairing screen opens at start (the demo's)
	QRStyle  termtext.QRStyle // how the pairing screen draws the QR; "" is auto
}
