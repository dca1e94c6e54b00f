package ui

import (
	"regexp"
	"strings"

	"github.com/waconsole/waconsole/session"
)

// numberOf shows a WhatsApp id by its phone number, "+<digits>", masked
// when the console runs read-only; other ids (@lid, groups) as they are.
func numberOf(id string, readOnly bool) string {
	user, server, _ := strings.Cut(id, "@")
	if server != "c.us" && server != "s.whatsapp.net" && server != "" {
		return id
	}
	if readOnly {
		return "+" + maskDigits(user)
	}
	return phone(user)
}

// maskDigits keeps the country code's first digits and the last two, as
// an operator needs to tell numbers apart without reading them.
func maskDigits(d string) string {
	if len(d) < 6 {
		return strings.Repeat("•", len(d))
	}
	return d[:2] + strings.Repeat("•", len(d)-4) + d[len(d)-2:]
}

// phoneRun finds what reads as a phone number in text: an id's digits, a
// "+" number, or digits quoted as a JSON string (a contact card's number;
// times are JSON numbers, not strings).
var phoneRun = regexp.MustCompile(`(\+|\b|")(\d{7,15})(@c\.us|@s\.whatsapp\.net|")`)

// maskNumbers masks every phone number in text, for read-only mode.
func maskNumbers(text string) string {
	return phoneRun.ReplaceAllStringFunc(text, func(s string) string {
		p := phoneRun.FindStringSubmatch(s)
		return p[1] + maskDigits(p[2]) + p[3]
	})
}

// shownID is a chat id as the console shows it: masked when read-only.
func shownID(id string, readOnly bool) string {
	if readOnly {
		return maskNumbers(id)
	}
	return id
}

// chatName is a chat's name, else its number.
func chatName(ch session.Chat, readOnly bool) string {
	if ch.Name != "" && ch.Name != ch.ID {
		return ch.Name
	}
	return numberOf(ch.ID, readOnly)
}

// people names the ids of one chat: by the names its messages carry, else
// by number.
type people struct {
	readOnly bool
	names    map[string]string // id -> the account's name for it, or the push name
	me       string            // the account's number, so its own quotes read "you"
	direct   string            // the other side of a one-to-one chat
}

// name is who id is; "" is the other side of a one-to-one chat.
func (p people) name(id string) string {
	if id == "" {
		return p.direct
	}
	if user, _, _ := strings.Cut(id, "@"); p.me != "" && user == p.me {
		return "you"
	}
	if n := p.names[id]; n != "" {
		return n
	}
	return numberOf(id, p.readOnly)
}

// quoted is who wrote the message q quotes: the name the quote carries
// unless that is the account itself.
func (p people) quoted(q session.QuotedMessage) string {
	if n := p.name(q.Author); n == "you" || q.AuthorName == "" {
		return n
	}
	return q.AuthorName
}

// author is who wrote mm.
func (p people) author(mm session.Message) string {
	switch {
	case mm.FromMe:
		return "you"
	case mm.AuthorName != "":
		return mm.AuthorName
	}
	return p.name(mm.Author)
}
