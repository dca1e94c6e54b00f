package session

import (
	"context"
	"io"
)

// Runtime is what the sessions offer to their faces: the console, the
// control API and the CLI. *Manager implements it; sessiontest.Fake is its
// in-memory stand-in, held to the same results by a contract test.
type Runtime interface {
	// Subscribe returns every update from now on; call the func to stop.
	Subscribe() (<-chan Update, func())
	List() []Snapshot
	Get(id string) (Snapshot, error)
	History(id string, n int) ([]Event, error)

	Add(req AddRequest) (Snapshot, error)
	Start(id string) error
	Stop(id string) error
	Restart(id string) error
	Logout(id string) error
	Delete(id string) error
	RefreshQR(id string) error
	UseLinkCode(id, phone string) error
	UseQR(id string) error
	Set(id string, s Settings) (Snapshot, error)

	Send(ctx context.Context, id, chatID, body string) (Job, error)
	// SendMany queues bodies for one chat; replyTo, when set, is the id of
	// the captured inbound message they answer.
	SendMany(ctx context.Context, id, chatID, replyTo string, bodies []string) ([]Job, error)
	Jobs(id string, states ...JobState) ([]Job, error)
	RetryJob(id string, seq uint64) error // also approves a held job
	DiscardJob(id string, seq uint64) error
	Pause(id string) error
	Resume(id string) error
	QueueStats(id string) (QueueStats, error)

	Chats(ctx context.Context, id string) ([]Chat, error)
	Messages(ctx context.Context, id, chatID, before string, limit int) ([]Message, error)
	// MarkRead sends read receipts for a chat, as opening it on the phone does.
	MarkRead(ctx context.Context, id, chatID string) error
	// Inbox returns captured inbound messages, oldest first.
	Inbox(id string, q InboxQuery) ([]InboundMessage, error)
	// Search finds stored messages of a session, newest first.
	Search(id string, q SearchQuery) ([]SearchHit, error)
	Backup(w io.Writer) (int64, error)

	// UnreadSnapshot lists a READY session's unread messages into its drain.
	UnreadSnapshot(ctx context.Context, id string) (DrainInfo, error)
	Drain(id string) (DrainInfo, error)
	StartDrain(id string, req DrainRequest) (DrainInfo, error)
	ControlDrain(id string, op DrainOp) (DrainInfo, error)
	// Doctor describes the data dir and the browser, then checks that each
	// session's browser (or session id's alone) starts with its settings,
	// sending each check as it completes.
	Doctor(ctx context.Context, id string) (DoctorInfo, <-chan BrowserCheck, error)

	// Alerts lists alerts, newest first.
	Alerts(q AlertQuery) ([]Alert, error)
	// AckAlert acknowledges an alert: it stays open until its cause goes away.
	AckAlert(id uint64) error
}

var _ Runtime = (*Manager)(nil)
