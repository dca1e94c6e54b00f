package session

import (
	"context"
	"errors"
	"time"
)

// Driver launches one browser page per session. The chromedp driver is the
// only production implementation; tests of the actor may use a fake.
type Driver interface {
	Launch(ctx context.Context, spec LaunchSpec) (Page, error)
}

// LaunchSpec says which session a browser is for and where it keeps its profile.
type LaunchSpec struct {
	Session    string
	ProfileDir string          // the browser's user data dir: the WhatsApp login lives here
	URL        string          // https://web.whatsapp.com/ or the stand-in
	Browser    BrowserSettings // the proxy's password in clear: never log it
}

// Page is a running WhatsApp Web page with the bridge injected.
type Page interface {
	// Events delivers what the bridge reports, in order. It is closed when
	// the browser is gone; Err then says why.
	Events() <-chan PageEvent
	Err() error
	RequestLinkCode(ctx context.Context, phone string) (string, error)
	RefreshQR(ctx context.Context) error
	Logout(ctx context.Context) error
	Takeover(ctx context.Context) error
	Chats(ctx context.Context) ([]Chat, error)
	// Messages returns up to limit messages of a chat older than the message
	// with raw id before (the newest when before is empty), oldest first.
	Messages(ctx context.Context, chatID, before string, limit int) ([]Message, error)
	// SendText sends body; quote, when set, is the key (or raw id) of the
	// message it replies to. A message the page cannot quote is sent
	// without the quote: the answer's Quoted is then nil.
	SendText(ctx context.Context, chatID, msgID, body, quote string) (Message, error)
	// Unread snapshots the unread messages across all chats (a chat marked
	// unread counts its newest message), each chat's oldest first.
	Unread(ctx context.Context) ([]UnreadChat, error)
	// MarkRead marks a chat read; it sends the chat's read receipts.
	MarkRead(ctx context.Context, chatID string) error
	// FindMessage looks for a message this account sent with the raw id msgID,
	// on the page and, failing that, on the server. It reports found=false
	// only when neither has it.
	FindMessage(ctx context.Context, chatID, msgID string) (msg Message, found bool, err error)
	// ChatMessage looks for the message a reply to msgID (a raw id or a key)
	// would quote in a chat: on the page, else on the server by key. It
	// reports found=false when neither has it.
	ChatMessage(ctx context.Context, chatID, msgID string) (msg Message, found bool, err error)
	// Close stops the browser and every process it started. It is safe to
	// call more than once.
	Close() error
}

// PageEvent is one report of the bridge (or of the driver about the page).
type PageEvent struct {
	Kind    string   // one of the Ev* constants
	State   string   // Socket.state, for EvState
	Stream  string   // Socket.stream, for EvState
	Synced  bool     // Socket.hasSynced, for EvState
	Me      string   // the account's own id (<digits>@c.us) once known
	Version string   // window.Debug.VERSION, for EvBoot
	QR      string   // payload, for EvQR
	Code    string   // link code as the page gave it, for EvCode
	Reason  string   // for EvLogout, EvError
	URL     string   // for EvNavigated
	Message *Message // for EvMessage, EvAck and EvChange
}

// Kinds of PageEvent.
const (
	EvBoot      = "boot"      // the bridge attached to a loaded page
	EvState     = "state"     // Socket state, stream or sync changed
	EvQR        = "qr"        // a new QR payload (Conn.ref rotated)
	EvCode      = "code"      // a link code was issued
	EvLogout    = "logout"    // Cmd logout: the phone unlinked this browser
	EvMessage   = "msg"       // a new message (Msg add with isNewMsg)
	EvAck       = "ack"       // a message's ack changed
	EvChange    = "change"    // a message was edited, deleted, reacted to or voted on
	EvError     = "error"     // the bridge hit something it cannot handle
	EvNavigated = "navigated" // the main frame navigated (post_logout=1 is a logout)
)

// Errors of a send that the outbox must tell apart.
var (
	// ErrPermanent wraps a send failure that no retry can fix.
	ErrPermanent = errors.New("permanent failure")
	// ErrInFlight wraps a send the page holds and is still sending by
	// itself: it is waited for, never sent again, and not a failed attempt.
	ErrInFlight = errors.New("in flight at the page")
	// ErrProxyRefused means the session's proxy refused its user and
	// password: the session fails at once, as no restart can fix that.
	ErrProxyRefused = errors.New("the proxy refused the user and password")
	// ErrNoChrome means no Chromium could be found.
	ErrNoChrome = errors.New("no Chromium found: install the headless shell, which needs the least memory, with `apt-get install -y chromium-headless-shell` (Debian/Ubuntu; or chromium, or Chrome), or pass --chrome PATH")
)

// Timeouts of page calls; a hung page must never hang the actor.
const (
	callTimeout = 30 * time.Second
	loadTimeout = 60 * time.Second
)
