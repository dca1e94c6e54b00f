package api

import (
	"time"

	"github.com/waconsole/waconsole/session"
)

// Conversions from the runtime's types to the wire types.

func fromSnapshot(s session.Snapshot) Session {
	return Session{
		ID: s.ID, State: string(s.State), Since: s.Since, Reason: s.Reason, LastError: s.LastError,
		PairMethod: s.PairMethod, PairPhone: s.PairPhone, Account: s.Account, AutoStart: s.AutoStart,
		QR:   QR{Payload: s.QR.Payload, Index: s.QR.Index, Total: s.QR.Total, Expires: s.QR.Expires, Expired: s.QR.Expired},
		Code: LinkCode{Code: s.Code.Code, Phone: s.Code.Phone, Expires: s.Code.Expires},
		Queue: QueueSummary{Depth: s.Queue.Depth, Held: s.Queue.Held, Dead: s.Queue.Dead,
			Failures5m: s.Queue.Failures5m, Paused: s.Queue.Paused},
		Pacing:      fromPacing(s.Pacing),
		PacingSet:   fromPacingSettings(s.PacingSet),
		Browser:     fromBrowser(s.Browser),
		Inbox:       fromInbox(s.Inbox),
		ReplyFirst:  Duration(s.ReplyFirst),
		Alerting:    fromAlerting(s.Alerting),
		AlertingSet: fromAlertingSet(s.AlertingSet),
	}
}

// fromBrowser masks the proxy's password again: the snapshot has it masked
// already, and an API answer must never carry it.
func fromBrowser(b session.BrowserSettings) Browser {
	return Browser{Proxy: session.MaskProxy(b.Proxy), UserAgent: b.UserAgent, Flags: convert(b.Flags, same)}
}

func fromInbox(i session.InboxInfo) Inbox {
	filtered := make(map[string]int, len(i.Filtered))
	for k, v := range i.Filtered {
		filtered[k] = v
	}
	return Inbox{KeepOwn: i.KeepOwn, KeepStatus: i.KeepStatus, KeepSystem: i.KeepSystem, MentionsOnly: i.MentionsOnly,
		Retention: Duration(i.Retention), Stored: i.Stored, Bytes: i.Bytes, Filtered: filtered}
}

func fromInbound(m session.InboundMessage) InboundMessage {
	return InboundMessage{Session: m.Session, ID: m.ID, Key: m.Key, Chat: m.Chat, Twin: m.Twin, Author: m.Author, Type: m.Type,
		Body: m.Body, Time: m.Time, FromMe: m.FromMe, Filtered: m.Filtered, Unsupported: m.Unsupported, Pending: m.Pending, Received: m.Received}
}

func fromSearchHit(h session.SearchHit) SearchHit {
	return SearchHit{Message: fromInbound(h.Message), ChatName: h.ChatName}
}

func fromPacing(p session.Pacing) Pacing {
	return Pacing{MinGap: Duration(p.MinGap), JitterMin: Duration(p.JitterMin), Jitter: Duration(p.Jitter),
		ChatGap: Duration(p.ChatGap), BulkLimit: p.BulkLimit}
}

func fromPacingSettings(p session.PacingSettings) PacingSettings {
	d := func(v *time.Duration) *Duration {
		if v == nil {
			return nil
		}
		w := Duration(*v)
		return &w
	}
	out := PacingSettings{MinGap: d(p.MinGap), JitterMin: d(p.JitterMin), Jitter: d(p.Jitter), ChatGap: d(p.ChatGap)}
	if p.BulkLimit != nil {
		n := *p.BulkLimit
		out.BulkLimit = &n
	}
	return out
}

func fromEvent(e session.Event) Event {
	return Event{Seq: e.Seq, Time: e.Time, Kind: e.Kind, From: e.From, To: e.To, Reason: e.Reason, Detail: e.Detail}
}

func fromJob(j session.Job) Job {
	return Job{Seq: j.Seq, Session: j.Session, ChatID: j.ChatID, Body: j.Body, MsgID: j.MsgID, State: string(j.State),
		Attempts: j.Attempts, NextAttempt: j.NextAttempt, LastError: j.LastError, Permanent: j.Permanent,
		HoldReason: j.HoldReason, ReplyTo: j.ReplyTo, Ack: j.Ack, Created: j.Created, Updated: j.Updated, SentAt: j.SentAt}
}

func fromQueueStats(q session.QueueStats) QueueStats {
	states := make(map[string]int, len(q.States))
	for k, v := range q.States {
		states[k] = v
	}
	return QueueStats{Depth: q.Depth, InFlight: q.InFlight, Oldest: Duration(q.Oldest), LatencyP50: Duration(q.LatencyP50),
		LatencyP95: Duration(q.LatencyP95), Sent5m: q.Sent5m, Failed5m: q.Failed5m, SentTotal: q.SentTotal,
		FailedTotal: q.FailedTotal, NextSend: q.NextSend, Paused: q.Paused, HoldReason: q.HoldReason,
		Pacing: fromPacing(q.Pacing), States: states}
}

func fromChat(c session.Chat) Chat {
	return Chat{ID: c.ID, Name: c.Name, Unread: c.Unread, LastActivity: c.LastActivity, Group: c.Group,
		Participants: c.Participants, Muted: c.Muted, Archived: c.Archived, MarkedUnread: c.MarkedUnread}
}

func fromMessage(m session.Message) Message {
	out := Message{ID: m.ID, Key: m.Key, Chat: m.Chat, FromMe: m.FromMe, Author: m.Author, Body: m.Body,
		Time: m.Time, Ack: int(m.Ack), New: m.New, Type: m.Type, Subtype: m.Subtype, Media: m.Media, Notice: m.Notice,
		Mentions: m.Mentions, AuthorName: m.AuthorName, Edited: m.Edited, Revoked: m.Revoked, Raw: m.Raw}
	if f := m.File; f != nil {
		out.File = &FileInfo{Mimetype: f.Mimetype, Size: f.Size, Duration: f.Duration, Filename: f.Filename, Pages: f.Pages, Width: f.Width, Height: f.Height}
	}
	if l := m.Location; l != nil {
		out.Location = &Location{Lat: l.Lat, Lng: l.Lng, Name: l.Name, Address: l.Address}
	}
	if q := m.Quoted; q != nil {
		out.Quoted = &QuotedMessage{ID: q.ID, Author: q.Author, AuthorName: q.AuthorName, Type: q.Type, Body: q.Body}
	}
	if p := m.Poll; p != nil {
		out.Poll = &Poll{Name: p.Name, Multiple: p.Multiple, Options: convert(p.Options, func(o session.PollOption) PollOption {
			return PollOption{Name: o.Name, Votes: o.Votes}
		})}
	}
	for _, c := range m.Contacts {
		out.Contacts = append(out.Contacts, ContactCard{Name: c.Name, Number: c.Number})
	}
	for _, r := range m.Reactions {
		out.Reactions = append(out.Reactions, Reaction{Emoji: r.Emoji, Sender: r.Sender, FromMe: r.FromMe, Time: r.Time})
	}
	return out
}

// convert maps a list, never returning nil: an empty list is [] on the wire.
func convert[S, T any](in []S, f func(S) T) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
