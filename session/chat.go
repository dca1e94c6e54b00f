package session

import "time"

// Chat is one conversation of a paired account, as the page lists it.
type Chat struct {
	ID           string    `json:"id"` // <digits>@c.us, <id>@g.us, <id>@lid, status@broadcast
	Name         string    `json:"name"`
	Unread       int       `json:"unread"`
	LastActivity time.Time `json:"lastActivity"`
	Group        bool      `json:"group"`
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
}
