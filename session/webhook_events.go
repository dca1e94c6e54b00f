package session

import (
	"time"

	"github.com/waconsole/waconsole/store"
)

// The webhook events the sessions emit. Their data carries the session,
// chat, message and job ids, so a worker can follow one message through.
const (
	HookSessionState  = "session.state"
	HookOutboxSent    = "outbox.sent"
	HookOutboxDead    = "outbox.dead"
	HookMessageAck    = "message.ack"
	HookReceived      = "message.received"
	HookAlertRaised   = "alert.raised"
	HookAlertResolved = "alert.resolved"
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
	ReplyTo   string    `json:"replyTo,omitempty"` // the inbound message id the job answers
	Trace     string    `json:"trace"`             // replyTo, else msgId: the id the logs follow the message by
	State     string    `json:"state"`
	Ack       int       `json:"ack"` // -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played
	Attempts  int       `json:"attempts"`
	LastError string    `json:"lastError,omitempty"`
	SentAt    time.Time `json:"sentAt,omitzero"`
}

// storeHooks are what the store writes for the webhooks, in the same
// transaction as the state change or job update that causes it.
func storeHooks() store.Hooks {
	return store.Hooks{Event: stateEvents, Job: jobEvents, Inbound: receivedEvents, Alert: alertEvents}
}

func stateEvents(session string, ev store.Event) []store.WebhookEvent {
	if ev.Kind != "state" {
		return nil
	}
	return []store.WebhookEvent{{Session: session, Type: HookSessionState,
		Data: stateData{Session: session, From: ev.From, To: ev.To, Reason: ev.Reason, Time: ev.Time}}}
}

func jobEvents(before, after store.Job) []store.WebhookEvent {
	data := jobData{Session: after.Session, JobSeq: after.Seq, ChatID: after.ChatID, MsgID: after.MsgID, ReplyTo: after.ReplyTo, Trace: jobTrace(after),
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

// receivedData is the data of message.received.
type receivedData struct {
	Session     string    `json:"session"`
	ChatID      string    `json:"chatId"`
	TwinChatID  string    `json:"twinChatId,omitempty"` // the same chat under its other id, when known
	MsgID       string    `json:"msgId"`
	Key         string    `json:"key"`
	Author      string    `json:"author,omitempty"` // in groups
	Type        string    `json:"type,omitempty"`
	Body        string    `json:"body"` // text, or a media message's caption
	Time        time.Time `json:"time"`
	Unsupported bool      `json:"unsupported,omitempty"` // media: its content is not handed on
	Trace       string    `json:"trace"`                 // msgId: the id the logs, and the replies that answer it, follow it by
}

// receivedEvents hands on a message the filters kept, once it is final: a
// pending placeholder waits for its decrypted form.
func receivedEvents(m store.Inbound, _ store.InboundOutcome) []store.WebhookEvent {
	if m.Filtered != "" || m.Pending {
		return nil
	}
	return []store.WebhookEvent{{Session: m.Session, Type: HookReceived, Data: receivedOf(m)}}
}

func receivedOf(m store.Inbound) receivedData {
	return receivedData{Session: m.Session, ChatID: m.Chat, TwinChatID: m.Twin, MsgID: m.ID, Key: m.Key, Author: m.Author,
		Type: m.Type, Body: m.Body, Time: m.Time, Unsupported: m.Unsupported, Trace: m.ID}
}

// ReceivedData is the data of the message.received event the webhooks
// carry for m, whatever the session's filters would decide; the console
// shows it beside the raw message.
func ReceivedData(session string, m Message) any {
	in := captured(m, InboxSettings{}, "")
	in.Session = session
	return receivedOf(in)
}

// alertData is the data of alert.raised and alert.resolved: the alert as
// kept. An alert of no session (the process, the disk) goes to every
// session's endpoints, with session empty.
type alertData struct {
	ID       uint64    `json:"id"`
	Session  string    `json:"session"`
	Kind     string    `json:"kind"`
	Severity string    `json:"severity"`
	Reason   string    `json:"reason"`
	Raised   time.Time `json:"raised"`
	Resolved time.Time `json:"resolved,omitzero"`
}

func alertEvents(a store.Alert) []store.WebhookEvent {
	typ := HookAlertRaised
	if !a.Resolved.IsZero() {
		typ = HookAlertResolved
	}
	return []store.WebhookEvent{{Session: a.Session, Type: typ, Data: alertData{ID: a.ID, Session: a.Session, Kind: a.Kind,
		Severity: a.Severity, Reason: a.Reason, Raised: a.Raised, Resolved: a.Resolved}}}
}
