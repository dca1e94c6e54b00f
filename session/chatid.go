package session

import (
	"strings"
)

// ChatKind is what a chat id addresses.
type ChatKind string

// The kinds of chat ids WhatsApp Web uses.
const (
	ChatUser      ChatKind = "user"      // <digits>@c.us
	ChatGroup     ChatKind = "group"     // <id>@g.us
	ChatLID       ChatKind = "lid"       // <digits>@lid
	ChatBroadcast ChatKind = "broadcast" // status@broadcast
)

// ParseChatID checks a chat id and tells what it addresses. A bare number is
// taken as a user: 12025550108 becomes 12025550108@c.us.
func ParseChatID(s string) (string, ChatKind, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", errorf(ErrInvalid, "the chat id is empty: use <digits>@c.us, <id>@g.us, <digits>@lid or a phone number")
	}
	if !strings.Contains(s, "@") {
		if err := ValidatePhone(s); err != nil {
			return "", "", errorf(ErrInvalid, "chat %q: %w", s, err)
		}
		return s + "@c.us", ChatUser, nil
	}
	user, server, _ := strings.Cut(s, "@")
	switch server {
	case "c.us":
		if err := ValidatePhone(user); err != nil {
			return "", "", errorf(ErrInvalid, "chat %q: %w", s, err)
		}
		return s, ChatUser, nil
	case "lid":
		if !digits(user) || len(user) > 20 {
			return "", "", errorf(ErrInvalid, "chat %q: a @lid id is 1-20 digits before the @", s)
		}
		return s, ChatLID, nil
	case "g.us":
		if !groupUser(user) {
			return "", "", errorf(ErrInvalid, "chat %q: a group id is digits, optionally <digits>-<digits>, before @g.us", s)
		}
		return s, ChatGroup, nil
	case "broadcast":
		if user != "status" {
			return "", "", errorf(ErrInvalid, "chat %q: the only broadcast chat is status@broadcast", s)
		}
		return s, ChatBroadcast, nil
	}
	return "", "", errorf(ErrInvalid, "chat %q: unknown server %q: use <digits>@c.us, <id>@g.us, <digits>@lid or status@broadcast", s, server)
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// groupUser accepts new group ids (digits) and old ones (<creator>-<time>).
func groupUser(s string) bool {
	a, b, dash := strings.Cut(s, "-")
	if len(s) > 40 || !digits(a) {
		return false
	}
	return !dash || digits(b)
}
