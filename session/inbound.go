package session

import (
	"slices"
	"strings"
	"time"

	"github.com/waconsole/waconsole/store"
)

// InboundMessage is one message a page reported, as captured in the store.
type InboundMessage = store.Inbound

// InboxQuery selects captured messages: by chat (or its twin id), received
// since a time, the newest Limit of them.
type InboxQuery = store.InboxQuery

// InboxSettings are a session's inbound filters and retention, as set; the
// zero value is every default.
type InboxSettings = store.InboxSettings

// DefaultInboxRetention is how long captured messages are kept unless the
// session says otherwise.
const DefaultInboxRetention = 30 * 24 * time.Hour

// Why the filters skip a message. Skipped messages are stored with the
// reason and counted, never dropped unseen.
const (
	FilterOwn          = "own"           // sent by this account
	FilterStatus       = "status"        // status@broadcast
	FilterSystem       = "system"        // system and notification messages
	FilterNotMentioned = "not-mentioned" // a group message not mentioning the account, with mentions-only on
)

// InboxChange changes a session's inbox settings; nil fields stay as they
// are, a zero Retention returns to the default.
type InboxChange struct {
	KeepOwn      *bool
	KeepStatus   *bool
	KeepSystem   *bool
	MentionsOnly *bool
	Retention    *time.Duration
}

// InboxInfo is a session's inbox settings in effect and how much it holds.
type InboxInfo struct {
	KeepOwn      bool           `json:"keepOwn"`
	KeepStatus   bool           `json:"keepStatus"`
	KeepSystem   bool           `json:"keepSystem"`
	MentionsOnly bool           `json:"mentionsOnly"`
	Retention    time.Duration  `json:"retention"` // in effect, the default filled in
	Stored       int            `json:"stored"`
	Bytes        int64          `json:"bytes"`    // approximate
	Filtered     map[string]int `json:"filtered"` // per reason, since the session was created
}

// maxIngest bounds how many page events the loop takes at once, so that a
// burst is captured in few commits while commands still get their turn.
const maxIngest = 4096

// sweepBatch bounds the messages one retention pass removes.
const sweepBatch = 1000

// systemTypes are message types no person wrote.
var systemTypes = []string{"notification", "notification_template", "gp2", "e2e_notification", "protocol", "call_log", "broadcast_notification"}

// mediaTypes carry content the inbox stores only the caption of.
var mediaTypes = []string{"image", "video", "audio", "ptt", "document", "sticker"}

// filterReason says why the settings skip m, or "" when m is kept. me is
// the account's own id.
func filterReason(m Message, s InboxSettings, me string) string {
	switch {
	case m.FromMe && !s.KeepOwn:
		return FilterOwn
	case m.Chat == "status@broadcast" && !s.KeepStatus:
		return FilterStatus
	case (m.Notice || slices.Contains(systemTypes, m.Type)) && !s.KeepSystem:
		return FilterSystem
	case s.MentionsOnly && strings.HasSuffix(m.Chat, "@g.us") && !mentions(m, me):
		return FilterNotMentioned
	}
	return ""
}

// mentions reports whether m mentions the account: by the page's mention
// list, or by "@<phone>" in the text as WhatsApp writes mentions.
func mentions(m Message, me string) bool {
	if me == "" {
		return false
	}
	user, _, _ := strings.Cut(me, "@")
	return slices.Contains(m.Mentions, me) || strings.Contains(m.Body, "@"+user)
}

// captured is what the store keeps of m.
func captured(m Message, s InboxSettings, me string) store.Inbound {
	return store.Inbound{
		ID: m.ID, Key: m.Key, Chat: m.Chat, Author: m.Author, Type: m.Type, Body: m.Body, Time: m.Time, FromMe: m.FromMe,
		Filtered:    filterReason(m, s, me),
		Unsupported: m.Media || slices.Contains(mediaTypes, m.Type),
		Pending:     m.Type == "ciphertext",
	}
}

// onEvents handles first and whatever else the page already reported, so
// that a burst of messages is stored in one commit.
func (a *actor) onEvents(first PageEvent) {
	events := a.events
	evs := []PageEvent{first}
	closed := false
drain:
	for len(evs) < maxIngest {
		select {
		case ev, ok := <-events:
			if !ok {
				closed = true
				break drain
			}
			evs = append(evs, ev)
		default:
			break drain
		}
	}
	// What a page reported after it was closed is left, as before.
	for i := 0; i < len(evs) && a.events == events; {
		if evs[i].Kind != EvMessage {
			a.onEvent(evs[i])
			i++
			continue
		}
		j := i + 1
		for j < len(evs) && evs[j].Kind == EvMessage {
			j++
		}
		a.capture(evs[i:j])
		i = j
	}
	if closed && a.events == events {
		a.pageEnded()
	}
}

// capture stores the messages first, then publishes each once: a message
// seen again is not published again, a placeholder only in its final form.
func (a *actor) capture(evs []PageEvent) {
	msgs := make([]store.Inbound, len(evs))
	for i, ev := range evs {
		msgs[i] = captured(*ev.Message, a.inbox, a.me)
	}
	outcomes, err := a.m.cfg.Store.SaveInbound(a.id, msgs)
	if err != nil {
		// The feed still shows them; the operator learns the store failed.
		a.snap.LastError = "capturing inbound messages: " + err.Error()
		a.log.Error("capturing inbound messages failed", "messages", len(msgs), "err", err, "err_type", errTypeStore)
	}
	for i, ev := range evs {
		show := !msgs[i].Pending
		if outcomes != nil {
			show = (outcomes[i] == store.InboundNew && !msgs[i].Pending) || outcomes[i] == store.InboundFinal
		}
		// The feed shows what people wrote and the group's notices
		// (joined, left, subject), as the chat on the page does.
		if show {
			a.m.broker.publish(Update{Session: a.id, Message: ev.Message})
		}
		// An inbound message's id is its trace: its webhook delivery and
		// the replies that answer it carry it too. Own messages are the
		// outbox's to log.
		if show && !ev.Message.FromMe {
			a.log.Debug("message received", "chat", ev.Message.Chat, "msg_id", ev.Message.ID, "trace", ev.Message.ID, "type", ev.Message.Type)
		}
	}
	a.refreshInbox()
	a.publish()
}

// loadInbox reads the session's inbox settings and counts.
func (a *actor) loadInbox() {
	s, err := a.m.cfg.Store.GetInboxSettings(a.id)
	if err != nil {
		a.snap.LastError = "reading the inbox settings: " + err.Error()
	}
	a.inbox = s
	a.due.sweep = time.Now().Add(a.m.cfg.Timing.InboxSweep)
	a.refreshInbox()
}

// NewInboxInfo is the inbox of settings s, with nothing stored yet.
func NewInboxInfo(s InboxSettings) InboxInfo {
	ret := s.Retention
	if ret <= 0 {
		ret = DefaultInboxRetention
	}
	return InboxInfo{KeepOwn: s.KeepOwn, KeepStatus: s.KeepStatus, KeepSystem: s.KeepSystem, MentionsOnly: s.MentionsOnly,
		Retention: ret, Filtered: map[string]int{}}
}

// Settings are the settings the info shows; the default retention reads
// as unset.
func (i InboxInfo) Settings() InboxSettings {
	s := InboxSettings{KeepOwn: i.KeepOwn, KeepStatus: i.KeepStatus, KeepSystem: i.KeepSystem, MentionsOnly: i.MentionsOnly, Retention: i.Retention}
	if s.Retention == DefaultInboxRetention {
		s.Retention = 0
	}
	return s
}

// refreshInbox puts the settings and the store's counts in the snapshot.
func (a *actor) refreshInbox() {
	info := NewInboxInfo(a.inbox)
	st, err := a.m.cfg.Store.InboundStats(a.id)
	if err != nil {
		a.log.Error("reading the inbox failed", "err", err, "err_type", errTypeStore)
	}
	info.Stored, info.Bytes = st.Stored, st.Bytes
	for k, v := range st.Filtered {
		info.Filtered[k] = v
	}
	a.snap.Inbox = info
}

// sweepInbox removes a bounded number of messages older than the
// retention; while more are left it comes back at once, through the loop,
// so commands and page events go in between.
func (a *actor) sweepInbox() {
	n, err := a.m.cfg.Store.SweepInbound(a.id, time.Now().Add(-a.snap.Inbox.Retention), sweepBatch)
	if err != nil {
		a.log.Error("sweeping the inbox failed", "err", err, "err_type", errTypeStore)
	}
	next := a.m.cfg.Timing.InboxSweep
	if n == sweepBatch {
		next = 0
	}
	a.due.sweep = time.Now().Add(next)
	if n > 0 {
		a.refreshInbox()
		a.publish()
	}
}

// ChangeInbox applies c to the settings s, validating first.
func ChangeInbox(s InboxSettings, c *InboxChange) (InboxSettings, error) {
	if c == nil {
		return s, nil
	}
	if c.Retention != nil && (*c.Retention < 0 || (*c.Retention > 0 && *c.Retention < time.Minute)) {
		return s, errorf(ErrInvalid, "inbox retention %s is too short: give at least 1m (such as 720h), or 0 for the default %s", *c.Retention, DefaultInboxRetention)
	}
	for _, f := range []struct {
		to   *bool
		from *bool
	}{{&s.KeepOwn, c.KeepOwn}, {&s.KeepStatus, c.KeepStatus}, {&s.KeepSystem, c.KeepSystem}, {&s.MentionsOnly, c.MentionsOnly}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if c.Retention != nil {
		s.Retention = *c.Retention
	}
	return s, nil
}
