package session

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strings"
	"unicode/utf8"
)

var sessionID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// ValidateID checks a session id: it names a directory, so it is kept plain.
func ValidateID(id string) error {
	if !sessionID.MatchString(id) {
		return errorf(ErrInvalid, "session id %q is not valid: use 1-32 lower-case letters, digits, '-' or '_', starting with a letter or digit", id)
	}
	return nil
}

// ValidatePhone checks a phone number as WhatsApp wants it for link codes:
// international form, digits only, no '+'.
func ValidatePhone(phone string) error {
	if phone == "" {
		return errorf(ErrInvalid, "a phone number is needed: digits only, in international form without '+', e.g. 12025550108")
	}
	for _, r := range phone {
		if r < '0' || r > '9' {
			return errorf(ErrInvalid, "phone number %q is not valid: digits only (no '+', spaces or dashes), e.g. 12025550108", phone)
		}
	}
	if n := len(phone); n < 8 || n > 15 {
		return errorf(ErrInvalid, "phone number %q has %d digits: it needs 8 to 15, country code first, e.g. 12025550108", phone, n)
	}
	return nil
}

// MaxTextBytes is the longest text the outbox accepts.
const MaxTextBytes = 65536

// ValidateText checks a message body before it is queued.
func ValidateText(body string) error {
	switch {
	case strings.TrimSpace(body) == "":
		return errorf(ErrInvalid, "the message is empty")
	case len(body) > MaxTextBytes:
		return errorf(ErrInvalid, "the message is %d bytes: the limit is %d", len(body), MaxTextBytes)
	case !utf8.ValidString(body):
		return errorf(ErrInvalid, "the message is not valid UTF-8")
	}
	return nil
}

// NewMessageID returns a message id of the form WhatsApp Web gives its own
// messages (MsgKey.newId): 3EB0 and 18 upper-case hex digits, 22 in all.
func NewMessageID() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return "3EB0" + strings.ToUpper(hex.EncodeToString(b))
}

// FormatCode shows a link code as XXXX-XXXX.
func FormatCode(code string) string {
	c := strings.ToUpper(strings.ReplaceAll(code, "-", ""))
	if len(c) == 8 {
		return c[:4] + "-" + c[4:]
	}
	return c
}
