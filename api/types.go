package api

import (
	"encoding/json"
	"fmt"
	"time"
)

// The wire types of the API, described in openapi.yaml: names are
// camelCase, durations are strings Go's time.ParseDuration reads ("15s",
// "1m30s", "0s"), times are RFC 3339. They are the API's own, so the store's
// encoding and the runtime's types can change without changing the API.

// Duration is a time.Duration on the wire as a string such as "15s".
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is a string such as \"15s\", not %s", b)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 15s or 1m30s", s)
	}
	*d = Duration(v)
	return nil
}

// Session is one session at one moment.
type Session struct {
	ID          string          `json:"id"`
	State       string          `json:"state"` // STOPPED, STARTING, QR, LINK_CODE, SYNCING, READY, DISCONNECTED, CONFLICT, LOGGED_OUT, BLOCKED, FAILED
	Since       time.Time       `json:"since"` // when State was entered
	Reason      string          `json:"reason,omitempty"`
	LastError   string          `json:"lastError,omitempty"`
	PairMethod  string          `json:"pairMethod"` // "qr" or "link"
	PairPhone   string          `json:"pairPhone,omitempty"`
	Account     string          `json:"account,omitempty"` // digits of the paired phone
	AutoStart   bool            `json:"autoStart"`
	QR          QR              `json:"qr"`
	Code        LinkCode        `json:"code"`
	Queue       QueueSummary    `json:"queue"`
	Pacing      Pacing          `json:"pacing"`    // in effect, defaults filled in
	PacingSet   PacingSettings  `json:"pacingSet"` // what the operator set; an absent field is a default
	Browser     Browser         `json:"browser"`   // how its browser is configured
	Inbox       Inbox           `json:"inbox"`
	ReplyFirst  Duration        `json:"replyFirst"`  // sends to chats that have not written within it are held; 0s: off
	Alerting    AlertThresholds `json:"alerting"`    // alert thresholds in effect
	AlertingSet AlertingSet     `json:"alertingSet"` // what the operator set; an absent field is a default
}

// Browser is how a session's browser is configured. A changed setting
// applies at the session's next start or restart.
type Browser struct {
	Proxy     string   `json:"proxy,omitempty"`     // the password shown as ***; absent: no proxy
	UserAgent string   `json:"userAgent,omitempty"` // absent: a desktop Chrome of the installed version
	Flags     []string `json:"flags"`               // extra Chromium flags
}

// BrowserRequest sets a session's browser; absent fields stay as they are.
type BrowserRequest struct {
	Proxy     *string   `json:"proxy,omitempty"`     // http://, https:// or socks5://, optionally user:password@; "" removes it
	UserAgent *string   `json:"userAgent,omitempty"` // "" returns to the default
	Flags     *[]string `json:"flags,omitempty"`     // replace the extra flags; [] removes them
}

// QR is the QR code a session shows while it waits for a scan.
type QR struct {
	Payload string    `json:"payload,omitempty"`
	Index   int       `json:"index,omitempty"` // 1-based: "code n of Total"
	Total   int       `json:"total,omitempty"`
	Expires time.Time `json:"expires,omitzero"`
	Expired bool      `json:"expired,omitempty"` // the codes ran out: ask for fresh ones
}

// LinkCode is the code a session shows while it waits for the phone.
type LinkCode struct {
	Code    string    `json:"code,omitempty"` // XXXX-XXXX
	Phone   string    `json:"phone,omitempty"`
	Expires time.Time `json:"expires,omitzero"`
}

// QueueSummary is a session's outbox in a few numbers.
type QueueSummary struct {
	Depth      int  `json:"depth"` // queued + retrying + sending
	Held       int  `json:"held"`  // waiting for an operator
	Dead       int  `json:"dead"`  // gave up
	Failures5m int  `json:"failures5m"`
	Paused     bool `json:"paused"`
}

// Pacing is how fast a session sends.
type Pacing struct {
	MinGap    Duration `json:"minGap"`    // between two sends of the session
	JitterMin Duration `json:"jitterMin"` // least random extra wait after a send
	Jitter    Duration `json:"jitter"`    // most random extra wait after a send
	ChatGap   Duration `json:"chatGap"`   // between two sends to one chat
	BulkLimit int      `json:"bulkLimit"` // identical text to more chats than this within an hour is held
}

// PacingSettings is the pacing the operator set; absent fields are defaults.
type PacingSettings struct {
	MinGap    *Duration `json:"minGap,omitempty"`
	JitterMin *Duration `json:"jitterMin,omitempty"`
	Jitter    *Duration `json:"jitter,omitempty"`
	ChatGap   *Duration `json:"chatGap,omitempty"`
	BulkLimit *int      `json:"bulkLimit,omitempty"`
}

// Inbox is a session's inbound filters and retention in effect, and how
// much it holds.
type Inbox struct {
	KeepOwn      bool           `json:"keepOwn"`      // own messages are not filtered
	KeepStatus   bool           `json:"keepStatus"`   // status@broadcast is not filtered
	KeepSystem   bool           `json:"keepSystem"`   // system and notification messages are not filtered
	MentionsOnly bool           `json:"mentionsOnly"` // in groups only messages that mention the account are kept
	Retention    Duration       `json:"retention"`
	Stored       int            `json:"stored"`   // messages in the store, filtered ones included
	Bytes        int64          `json:"bytes"`    // their approximate size
	Filtered     map[string]int `json:"filtered"` // filtered messages per reason, since the session was created
}

// InboundMessage is one captured inbound message.
type InboundMessage struct {
	Session     string    `json:"session"`
	ID          string    `json:"id"`
	Key         string    `json:"key"`
	Chat        string    `json:"chat"`
	Twin        string    `json:"twin,omitempty"` // the same chat under its other id
	Author      string    `json:"author,omitempty"`
	Type        string    `json:"type,omitempty"`
	Body        string    `json:"body,omitempty"` // text, or a media message's caption
	Time        time.Time `json:"time"`
	FromMe      bool      `json:"fromMe,omitempty"`
	Filtered    string    `json:"filtered,omitempty"`
	Unsupported bool      `json:"unsupported,omitempty"` // media: only the caption is kept
	Pending     bool      `json:"pending,omitempty"`     // an encrypted placeholder not decrypted yet
	Received    time.Time `json:"received"`
}

// Event is one entry of a session's event log.
type Event struct {
	Seq    uint64    `json:"seq"`
	Time   time.Time `json:"time"`
	Kind   string    `json:"kind"` // "state" for a transition, else what happened
	From   string    `json:"from,omitempty"`
	To     string    `json:"to,omitempty"`
	Reason string    `json:"reason,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// Job is one message of a session's outbox.
type Job struct {
	Seq         uint64    `json:"seq"`
	Session     string    `json:"session"`
	ChatID      string    `json:"chatId"`
	Body        string    `json:"body"`
	MsgID       string    `json:"msgId"` // the WhatsApp message id it is sent with
	State       string    `json:"state"` // queued, sending, sent, retrying, dead, held
	Attempts    int       `json:"attempts,omitempty"`
	NextAttempt time.Time `json:"nextAttempt,omitzero"`
	LastError   string    `json:"lastError,omitempty"`
	Permanent   bool      `json:"permanent,omitempty"` // the last failure will not go away by retrying
	HoldReason  string    `json:"holdReason,omitempty"`
	ReplyTo     string    `json:"replyTo,omitempty"` // the inbound message id it answers
	Ack         int       `json:"ack,omitempty"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	SentAt      time.Time `json:"sentAt,omitzero"`
}

// QueueStats is the queue view of one session.
type QueueStats struct {
	Depth       int            `json:"depth"` // queued + retrying + sending
	InFlight    int            `json:"inFlight"`
	Oldest      Duration       `json:"oldest"` // age of the oldest waiting job
	LatencyP50  Duration       `json:"latencyP50"`
	LatencyP95  Duration       `json:"latencyP95"`
	Sent5m      int            `json:"sent5m"`
	Failed5m    int            `json:"failed5m"`
	SentTotal   int            `json:"sentTotal"`
	FailedTotal int            `json:"failedTotal"`
	NextSend    time.Time      `json:"nextSend,omitzero"`
	Paused      bool           `json:"paused"`
	HoldReason  string         `json:"holdReason,omitempty"` // why the whole queue is held
	Pacing      Pacing         `json:"pacing"`               // in effect
	States      map[string]int `json:"states"`               // jobs per state
}

// Chat is one chat of a READY session.
type Chat struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Unread       int       `json:"unread"`
	LastActivity time.Time `json:"lastActivity"`
	Group        bool      `json:"group"`
	Participants int       `json:"participants,omitempty"` // a group's size
	Muted        bool      `json:"muted,omitempty"`
	Archived     bool      `json:"archived,omitempty"`
	MarkedUnread bool      `json:"markedUnread,omitempty"` // marked unread by the account; unread may be 0
}

// Message is one message of a chat.
type Message struct {
	ID     string    `json:"id"`
	Key    string    `json:"key"` // <fromMe>_<chat>_<id>[_<participant>]
	Chat   string    `json:"chat"`
	FromMe bool      `json:"fromMe"`
	Author string    `json:"author,omitempty"`
	Body   string    `json:"body"`
	Time   time.Time `json:"time"`
	Ack    int       `json:"ack"` // -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played
	New    bool      `json:"new,omitempty"`

	Type       string         `json:"type,omitempty"` // WhatsApp's message type: chat, image, ptt, gp2, …
	Subtype    string         `json:"subtype,omitempty"`
	Media      bool           `json:"media,omitempty"`  // the body is a media message's caption
	Notice     bool           `json:"notice,omitempty"` // a system notification
	Mentions   []string       `json:"mentions,omitempty"`
	AuthorName string         `json:"authorName,omitempty"`
	Edited     time.Time      `json:"edited,omitzero"`
	Revoked    bool           `json:"revoked,omitempty"`
	File       *FileInfo      `json:"file,omitempty"`
	Location   *Location      `json:"location,omitempty"`
	Contacts   []ContactCard  `json:"contacts,omitempty"`
	Quoted     *QuotedMessage `json:"quoted,omitempty"`
	Reactions  []Reaction     `json:"reactions,omitempty"`
	Poll       *Poll          `json:"poll,omitempty"`
	Raw        map[string]any `json:"raw,omitempty"` // the message's fields as the page reported them
}

// FileInfo describes a media message's file; the file is not downloaded.
type FileInfo struct {
	Mimetype string `json:"mimetype,omitempty"`
	Size     int64  `json:"size,omitempty"`     // bytes
	Duration int    `json:"duration,omitempty"` // seconds
	Filename string `json:"filename,omitempty"`
	Pages    int    `json:"pages,omitempty"`
	Width    int    `json:"width,omitempty"`
	Height   int    `json:"height,omitempty"`
}

// Location is a shared location pin.
type Location struct {
	Lat     float64 `json:"lat"`
	Lng     float64 `json:"lng"`
	Name    string  `json:"name,omitempty"`
	Address string  `json:"address,omitempty"`
}

// ContactCard is one shared contact (vCard).
type ContactCard struct {
	Name   string `json:"name"`
	Number string `json:"number,omitempty"`
}

// QuotedMessage is the message a reply quotes, as the reply carries it.
type QuotedMessage struct {
	ID         string `json:"id"`
	Author     string `json:"author,omitempty"`
	AuthorName string `json:"authorName,omitempty"`
	Type       string `json:"type,omitempty"`
	Body       string `json:"body,omitempty"`
}

// Reaction is one person's reaction to a message.
type Reaction struct {
	Emoji  string    `json:"emoji"`
	Sender string    `json:"sender"`
	FromMe bool      `json:"fromMe,omitempty"`
	Time   time.Time `json:"time,omitzero"`
}

// Poll is a poll's question and options with the votes counted.
type Poll struct {
	Name     string       `json:"name"`
	Options  []PollOption `json:"options"`
	Multiple bool         `json:"multiple,omitempty"` // voters may pick more than one option
}

// PollOption is one answer of a poll.
type PollOption struct {
	Name  string `json:"name"`
	Votes int    `json:"votes"`
}

// The bodies of list answers.
type (
	SessionList struct {
		Sessions []Session `json:"sessions"`
	}
	EventList struct {
		Events []Event `json:"events"`
	}
	JobList struct {
		Jobs []Job `json:"jobs"`
	}
	ChatList struct {
		Chats []Chat `json:"chats"`
	}
	MessageList struct {
		Messages []Message `json:"messages"`
	}
	InboxList struct {
		Messages []InboundMessage `json:"messages"`
	}
	// SearchList is the answer of a search, newest first.
	SearchList struct {
		Hits []SearchHit `json:"hits"`
	}
)

// SearchHit is a captured message that matched, with its chat's name when
// the session is READY.
type SearchHit struct {
	Message  InboundMessage `json:"message"`
	ChatName string         `json:"chatName,omitempty"`
}

// AddRequest creates a session.
type AddRequest struct {
	ID         string          `json:"id"`
	PairMethod string          `json:"pairMethod,omitempty"` // "qr" (default) or "link"
	PairPhone  string          `json:"pairPhone,omitempty"`  // required for "link"
	AutoStart  *bool           `json:"autoStart,omitempty"`  // default true
	Start      bool            `json:"start,omitempty"`      // start the browser now
	Browser    *BrowserRequest `json:"browser,omitempty"`
}

// The bodies of answers that confirm an action.
type (
	Deleted struct {
		Deleted string `json:"deleted"` // the session id
	}
	Retried struct {
		Retried uint64 `json:"retried"` // the job's seq
	}
	Discarded struct {
		Discarded uint64 `json:"discarded"` // the job's seq
	}
)
