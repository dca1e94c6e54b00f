package simweb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client drives the control API: it plays the phone.
type Client struct {
	BaseURL string       // the server's URL, e.g. "http://127.0.0.1:41234/"
	HTTP    *http.Client // nil means http.DefaultClient
}

// Device is one browser profile as the server sees it.
type Device struct {
	ID       string `json:"id"`
	State    string `json:"state"`
	QR       string `json:"qr"`
	LinkCode string `json:"linkCode"`
	Phone    string `json:"phone"`
}

// SentMessage is a text the server accepted from one of the account's devices.
type SentMessage struct {
	ID   string    `json:"id"` // the raw message id, e.g. 3EB0…
	To   string    `json:"to"` // the chat id, e.g. 15550100001@c.us
	Body string    `json:"body"`
	Time time.Time `json:"time"`
	// From is the sender the message carried: our phone-number id or LID.
	From string `json:"from,omitempty"`
	// Ephemeral is the disappearing-message timer it was sent with, in
	// seconds; 0 for a message that stays.
	Ephemeral int `json:"ephemeralDuration,omitempty"`
	// Quoted is the raw id of the message it replies to, if any.
	Quoted string `json:"quoted,omitempty"`
}

// Faults makes one phone's sends fail; see POST /sim/faults.
type Faults struct {
	Phone         string   `json:"phone"`
	SendFail      float64  `json:"sendFail"`
	Permanent     bool     `json:"permanent"`
	AckDelayMs    int      `json:"ackDelayMs"`
	SendDelayMs   int      `json:"sendDelayMs"` // answer sends this late (they are delivered at once)
	NotOnWhatsApp []string `json:"notOnWhatsApp"`
	// NoLID lists numbers WhatsApp finds but has no LID for (builds with
	// LID): findOrCreateLatestChat throws "No LID for user" for them.
	NoLID []string `json:"noLid"`
}

// Errors that an *APIError matches with errors.Is, by status.
var (
	ErrBadRequest = errors.New("simweb: bad request")   // 400
	ErrNotFound   = errors.New("simweb: unknown phone") // 404
	ErrStale      = errors.New("simweb: stale request") // 409: the QR or code is not live
)

// APIError is an error answer of the control API.
type APIError struct {
	Status  int
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("simweb: %d %s", e.Status, e.Message)
}

// Is lets errors.Is(err, ErrStale) and the like test the status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.Status == http.StatusBadRequest
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrStale:
		return e.Status == http.StatusConflict
	}
	return false
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body bytes.Buffer
	if in != nil {
		if err := json.NewEncoder(&body).Encode(in); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.BaseURL, "/")+path, &body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		var e struct{ Error string }
		json.NewDecoder(res.Body).Decode(&e)
		return &APIError{Status: res.StatusCode, Message: e.Error}
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(res.Body).Decode(out)
}

// State lists every device the server knows.
func (c *Client) State(ctx context.Context) ([]Device, error) {
	var res struct{ Devices []Device }
	err := c.do(ctx, http.MethodGet, "/sim/state", nil, &res)
	return res.Devices, err
}

// Scan pairs the device showing exactly this QR payload with phone.
func (c *Client) Scan(ctx context.Context, qr, phone string) error {
	return c.do(ctx, http.MethodPost, "/sim/scan", map[string]string{"qr": qr, "phone": phone}, nil)
}

// Link pairs the device that requested this link code for phone.
func (c *Client) Link(ctx context.Context, code, phone string) error {
	return c.do(ctx, http.MethodPost, "/sim/link", map[string]string{"code": code, "phone": phone}, nil)
}

// Unlink logs every device of the phone out.
func (c *Client) Unlink(ctx context.Context, phone string) error {
	return c.do(ctx, http.MethodPost, "/sim/unlink", map[string]string{"phone": phone}, nil)
}

// Conflict puts the phone's connected devices in CONFLICT.
func (c *Client) Conflict(ctx context.Context, phone string) error {
	return c.do(ctx, http.MethodPost, "/sim/conflict", map[string]string{"phone": phone}, nil)
}

// Drop disconnects the phone's devices for that many seconds.
func (c *Client) Drop(ctx context.Context, phone string, seconds float64) error {
	return c.do(ctx, http.MethodPost, "/sim/drop", map[string]any{"phone": phone, "seconds": seconds}, nil)
}

// Inbound delivers count messages from a contact or group to the phone.
func (c *Client) Inbound(ctx context.Context, phone, from, body string, count int) error {
	return c.InboundKind(ctx, phone, from, body, "chat", count)
}

// InboundKind is Inbound with a kind of message: "chat", "ciphertext" (a
// text that arrives encrypted first), "image" (body is its caption) or
// "notification".
func (c *Client) InboundKind(ctx context.Context, phone, from, body, kind string, count int) error {
	in := map[string]any{"phone": phone, "from": from, "body": body, "count": count, "type": kind}
	return c.do(ctx, http.MethodPost, "/sim/inbound", in, nil)
}

// Sent returns every text the phone's devices sent that the server accepted.
func (c *Client) Sent(ctx context.Context, phone string) ([]SentMessage, error) {
	var res struct{ Messages []SentMessage }
	err := c.do(ctx, http.MethodGet, "/sim/sent?phone="+url.QueryEscape(phone), nil, &res)
	return res.Messages, err
}

// Backlog leaves perChat unread messages in each of chats new chats, as if
// they arrived while the phone's devices were offline; every device must be
// offline (409 otherwise).
func (c *Client) Backlog(ctx context.Context, phone string, chats, perChat int) error {
	return c.do(ctx, http.MethodPost, "/sim/backlog", map[string]any{"phone": phone, "chats": chats, "perChat": perChat}, nil)
}

// Reads returns every chat the phone's devices marked read, in order.
func (c *Client) Reads(ctx context.Context, phone string) ([]ReadMark, error) {
	var res struct{ Chats []ReadMark }
	err := c.do(ctx, http.MethodGet, "/sim/read?phone="+url.QueryEscape(phone), nil, &res)
	return res.Chats, err
}

// Faults replaces the phone's send faults.
func (c *Client) Faults(ctx context.Context, f Faults) error {
	return c.do(ctx, http.MethodPost, "/sim/faults", f, nil)
}

// Disappearing sets a chat's disappearing-message timer (0 turns it off),
// as if the contact had changed it from their phone.
func (c *Client) Disappearing(ctx context.Context, phone, chat string, seconds int) error {
	return c.do(ctx, http.MethodPost, "/sim/disappearing", map[string]any{"phone": phone, "chat": chat, "seconds": seconds}, nil)
}

// CompanionRefresh sends WhatsApp's companion_reg_refresh notification to
// the unpaired device with this id, or to every one when id is empty.
func (c *Client) CompanionRefresh(ctx context.Context, device string) error {
	return c.do(ctx, http.MethodPost, "/sim/companion-refresh", map[string]string{"device": device}, nil)
}

// PhoneMessage is one message of a chat as the phone sees it (GET
// /sim/messages): Fields hold the type's attributes as the page's msg
// model names them.
type PhoneMessage struct {
	ID        string         `json:"id"`
	FromMe    bool           `json:"fromMe"`
	Remote    string         `json:"remote"`
	Author    string         `json:"author,omitempty"`
	Body      string         `json:"body"`
	T         int64          `json:"t"`
	Ack       int            `json:"ack"`
	Type      string         `json:"type,omitempty"`
	Caption   string         `json:"caption,omitempty"`
	Fields    map[string]any `json:"fields,omitempty"`
	Reactions []struct {
		Sender string `json:"sender"`
		Emoji  string `json:"reactionText"`
	} `json:"reactions,omitempty"`
	Votes []struct {
		Sender  string `json:"sender"`
		Options []int  `json:"selectedOptionLocalIds"`
	} `json:"votes,omitempty"`
}

// Message delivers one message of any type to the phone; it returns the
// message's raw id.
func (c *Client) Message(ctx context.Context, spec MessageSpec) (string, error) {
	var res struct{ ID string }
	err := c.do(ctx, http.MethodPost, "/sim/message", spec, &res)
	return res.ID, err
}

// Edit changes the text or caption of message id, as its sender would.
func (c *Client) Edit(ctx context.Context, phone, id, body string) error {
	return c.do(ctx, http.MethodPost, "/sim/edit", map[string]string{"phone": phone, "id": id, "body": body}, nil)
}

// Revoke deletes message id for everyone.
func (c *Client) Revoke(ctx context.Context, phone, id string) error {
	return c.do(ctx, http.MethodPost, "/sim/revoke", map[string]string{"phone": phone, "id": id}, nil)
}

// React sets from's reaction to message id ("" takes it back; from ""
// is the account itself).
func (c *Client) React(ctx context.Context, phone, id, from, emoji string) error {
	return c.do(ctx, http.MethodPost, "/sim/react", map[string]string{"phone": phone, "id": id, "from": from, "emoji": emoji}, nil)
}

// Vote sets from's vote on poll id to the options named.
func (c *Client) Vote(ctx context.Context, phone, id, from string, options ...string) error {
	return c.do(ctx, http.MethodPost, "/sim/vote", map[string]any{"phone": phone, "id": id, "from": from, "options": options}, nil)
}

// Group plays a change of a group: action "add", "remove" or "leave" of
// member who, or "subject" to subject.
func (c *Client) Group(ctx context.Context, phone, group, action, who, subject string) error {
	in := map[string]string{"phone": phone, "group": group, "action": action, "who": who, "subject": subject}
	return c.do(ctx, http.MethodPost, "/sim/group", in, nil)
}

// Contact sets the address-book name and push name the account knows for id.
func (c *Client) Contact(ctx context.Context, phone, id, name, pushname string) error {
	return c.do(ctx, http.MethodPost, "/sim/contact", map[string]string{"phone": phone, "id": id, "name": name, "pushname": pushname}, nil)
}

// ChatState mutes (seconds; -1 for ever, 0 unmutes), archives or marks a
// chat unread; nil leaves that one as it is.
func (c *Client) ChatState(ctx context.Context, phone, chat string, muteSeconds *int64, archived, markedUnread *bool) error {
	in := map[string]any{"phone": phone, "chat": chat, "muteSeconds": muteSeconds, "archived": archived, "markedUnread": markedUnread}
	return c.do(ctx, http.MethodPost, "/sim/chat", in, nil)
}

// Messages lists a chat's messages as the phone sees them.
func (c *Client) Messages(ctx context.Context, phone, chat string) ([]PhoneMessage, error) {
	var res struct{ Messages []PhoneMessage }
	err := c.do(ctx, http.MethodGet, "/sim/messages?phone="+url.QueryEscape(phone)+"&chat="+url.QueryEscape(chat), nil, &res)
	return res.Messages, err
}

// Showcase seeds the showcase group (a message of every type) for phone.
func (c *Client) Showcase(ctx context.Context, phone string) (Showcase, error) {
	var res Showcase
	err := c.do(ctx, http.MethodPost, "/sim/showcase", map[string]string{"phone": phone}, &res)
	return res, err
}

// AutoPair plays a phone that scans: it polls State about every 250 ms and
// scans the QR code of every device that has shown one for at least after.
// It returns when ctx ends.
func AutoPair(ctx context.Context, c *Client, phone string, after time.Duration) {
	since := map[string]time.Time{} // device id -> when it started showing a QR
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		if devs, err := c.State(ctx); err == nil {
			now := time.Now()
			for _, d := range devs {
				if d.State != stUnpaired || d.QR == "" {
					delete(since, d.ID)
					continue
				}
				first, ok := since[d.ID]
				if !ok {
					since[d.ID] = now
					first = now
				}
				if now.Sub(first) >= after {
					// A 409 means the code rotated meanwhile: try again next tick.
					if c.Scan(ctx, d.QR, phone) == nil {
						delete(since, d.ID)
					}
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
