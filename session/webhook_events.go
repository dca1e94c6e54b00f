package session

import (
	"time"

	"github.com/waconsole/waconsole/store"
)

// The webhook events the sessions emit. Their data carries the session,
// chat, message and job ids, so a worker can follow one message through.
const (
	HookSessionState = "session.state"
	HookOutboxSent   = "outbox.sent"
	HookOutboxDead   = "outbox.dead"
	HookMessageAck   = "message.ack"
)

// stateData is the data of session.state.
type stateData struct {
	Session string    `json:"session"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	Reason  string    `json:"reason,omitempty"`
	Time    time.Time `json:"time"`
}

// jobData is the data of the outbox and ack events.
type jobData struct {
	Session   string    `json:"session"`
	JobSeq    uint64    `json:"jobSeq"`
	ChatID    string    `json:"chatId"`
	MsgID     string    `json:"msgId"`
	State     string    `json:"state"`
	Ack       int       `json:"ack"` // -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played
	Attempts  int       `json:"attempts"`
	LastError string    `json:"lastError,omitempty"`
	SentAt    time.Time `json:"sentAt,omitzero"`
}

// storeHooks are what the store writes for the webhooks, in the same
// transaction as the state change or job update that causes it.
func storeHooks() store.Hooks {
	return store.Hooks{Event: stateEvents, Job: jobEvents}
}

func stateEvents(session string, ev store.Event) []store.WebhookEvent {
	if ev.Kind != "state" {
		return nil
	}
	return []store.WebhookEvent{{Session: session, Type: HookSessionState,
		Data: stateData{Session: session, From: ev.From, To: ev.To, Reason: ev.Reason, Time: ev.Time}}}
}

func jobEvents(before, after store.Job) []store.WebhookEvent {
	data := jobData{Session: after.Session, JobSeq: after.Seq, ChatID: after.ChatID, MsgID: after.MsgID,
		State: string(after.State), Ack: after.Ack, Attempts: after.Attempts, LastError: after.LastError, SentAt: after.SentAt}
	var out []store.WebhookEvent
	add := func(typ string) { out = append(out, store.WebhookEvent{Session: after.Session, Type: typ, Data: data}) }
	if after.State != before.State {
		switch after.State {
		case JobSent:
			add(HookOutboxSent)
		case JobDead:
			add(HookOutboxDead)
		}
	}
	if after.Ack != before.Ack && (after.Ack > int(AckServer) || after.Ack < 0) {
		add(HookMessageAck)
	}
	return out
}
