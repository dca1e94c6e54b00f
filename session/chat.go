package session

import "time"

// Chat is one conversation of a paired account, as the page lists it.
type Chat struct {
	ID           string    `json:"id"` // <digits>@c.us, <id>@g.us, <id>@lid, status@broadcast
	Name         string    `json:"name"`
	Unread       int       `json:"unread"`
	LastActivity time.Time `json:"lastActivity"`
	Group        bool      `json:"group"`
	// Participants is a group's size; 0 for other chats.
	Participants int  `json:"participants,omitempty"`
	Muted        bool `json:"muted,omitempty"`
	Archived     bool `json:"archived,omitempty"`
	// MarkedUnread: the account marked the chat unread; Unread may be 0.
	MarkedUnread bool `json:"markedUnread,omitempty"`
}

// UnreadChat is a chat with unread messages and those messages, oldest
// first: back to the first unread one, however far back that is.
type UnreadChat struct {
	Chat
	Messages []Message `json:"messages"`
}

// Ack is WhatsApp's delivery state of a message.
type Ack int

// The ack values of WhatsApp Web (MessageAck).
const (
	AckError   Ack = -1
	AckPending Ack = 0
	AckServer  Ack = 1
	AckDevice  Ack = 2
	AckRead    Ack = 3
	AckPlayed  Ack = 4
)

// Message is one message of a chat.
type Message struct {
	ID     string    `json:"id"`  // raw id, e.g. 3EB0…
	Key    string    `json:"key"` // serialized key: <fromMe>_<chat>_<id>[_<participant>]
	Chat   string    `json:"chat"`
	FromMe bool      `json:"fromMe"`
	Author string    `json:"author,omitempty"`
	Body   string    `json:"body"`
	Time   time.Time `json:"time"`
	Ack    Ack       `json:"ack"`
	New    bool      `json:"new,omitempty"` // arrived live (isNewMsg), not loaded from history
	// Type is WhatsApp's message type ("chat", "image", "ciphertext", …).
	Type     string   `json:"type,omitempty"`
	Media    bool     `json:"media,omitempty"`    // the body is a media message's caption
	Notice   bool     `json:"notice,omitempty"`   // a system notification, not written by a person
	Mentions []string `json:"mentions,omitempty"` // ids the message mentions

	// AuthorName is the author's name as the account has it, else their
	// push name; "" when neither is known.
	AuthorName string `json:"authorName,omitempty"`
	// Subtype refines a notice or a media type ("add", "leave", "subject", …).
	Subtype string `json:"subtype,omitempty"`
	// Edited is when the text was last edited; zero if never.
	Edited  time.Time `json:"edited,omitzero"`
	Revoked bool      `json:"revoked,omitempty"` // deleted for everyone

	File      *FileInfo      `json:"file,omitempty"`      // image, video, audio, voice note, document, sticker
	Location  *Location      `json:"location,omitempty"`  // a location pin
	Contacts  []ContactCard  `json:"contacts,omitempty"`  // one or more contact cards
	Quoted    *QuotedMessage `json:"quoted,omitempty"`    // the message this one replies to
	Reactions []Reaction     `json:"reactions,omitempty"` // reactions to this message
	Poll      *Poll          `json:"poll,omitempty"`

	// Raw is the message's fields as the page reported them, for inspection.
	Raw map[string]any `json:"raw,omitempty"`
}

// FileInfo describes a media message's file; the file is not downloaded.
type FileInfo struct {
	Mimetype string `json:"mimetype,omitempty"`
	Size     int64  `json:"size,omitempty"`     // bytes
	Duration int    `json:"duration,omitempty"` // seconds, for audio and video
	Filename string `json:"filename,omitempty"` // documents
	Pages    int    `json:"pages,omitempty"`    // documents
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
	AuthorName string `json:"authorName,omitempty"` // as for Message.AuthorName
	Type       string `json:"type,omitempty"`
	Body       string `json:"body,omitempty"` // its text or caption, as quoted
}

// Reaction is one person's reaction to a message.
type Reaction struct {
	Emoji  string    `json:"emoji"`
	Sender string    `json:"sender"`
	FromMe bool      `json:"fromMe,omitempty"`
	Time   time.Time `json:"time,omitzero"`
}

// Poll is a poll's question and options, with the votes the page counted.
type Poll struct {
	Name    string       `json:"name"`
	Options []PollOption `json:"options"`
	// Multiple: voters may pick more than one option.
	Multiple bool `json:"multiple,omitempty"`
}

// PollOption is one answer of a poll.
type PollOption struct {
	Name  string `json:"name"`
	Votes int    `json:"votes"`
}
