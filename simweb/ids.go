package simweb

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
)

// randBytes returns n bytes from crypto/rand, which never fails on Linux.
func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// linkAlphabet is WhatsApp's link-code alphabet: no 0, I, O or U.
const linkAlphabet = "123456789ABCDEFGHJKLMNPQRSTVWXYZ"

// newRef returns a QR ref: "2@" and 80 Base64 characters, as WhatsApp sends.
func newRef() string {
	return "2@" + base64.StdEncoding.EncodeToString(randBytes(60))
}

// newLinkCode returns 8 characters of linkAlphabet from 40 random bits.
func newLinkCode() string {
	b := randBytes(5)
	v := uint64(b[0])<<32 | uint64(b[1])<<24 | uint64(b[2])<<16 | uint64(b[3])<<8 | uint64(b[4])
	var code [8]byte
	for i := range code {
		code[7-i] = linkAlphabet[v&31]
		v >>= 5
	}
	return string(code[:])
}

// formatLinkCode shows a code the way the phone's screen wants it typed.
func formatLinkCode(code string) string { return code[:4] + "-" + code[4:] }

// normLinkCode accepts a code with or without its dash, in any case.
func normLinkCode(s string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "-", ""))
}

// newInboundID returns an iOS-style message id: "3A" and 18 hex digits.
func newInboundID() string { return "3A" + strings.ToUpper(hex.EncodeToString(randBytes(9))) }

// newWebID returns a WhatsApp Web message id: "3EB0" and 18 hex digits.
func newWebID() string { return "3EB0" + strings.ToUpper(hex.EncodeToString(randBytes(9))) }

func newToken() string { return base64.RawURLEncoding.EncodeToString(randBytes(24)) }

// newLID returns the digits of a random LID user.
func newLID() string {
	b := randBytes(8)
	var n uint64
	for _, c := range b {
		n = n<<8 | uint64(c)
	}
	return fmt.Sprintf("1%014d", n%1e14)
}

var (
	phoneRe    = regexp.MustCompile(`^[0-9]{5,20}$`)
	deviceIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]{6,64}$`)
	widRe      = regexp.MustCompile(`^(?:[0-9]{5,20}@(?:c\.us|lid)|[0-9]{5,30}(?:-[0-9]{5,20})?@g\.us)$`)
)

// normChatID turns digits into a user id and checks full ids.
func normChatID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if phoneRe.MatchString(s) {
		return s + "@c.us", true
	}
	s = strings.Replace(s, "@s.whatsapp.net", "@c.us", 1)
	return s, widRe.MatchString(s)
}

// userOf returns the digits of an id ("123@c.us" -> "123").
func userOf(id string) string { u, _, _ := strings.Cut(id, "@"); return u }

func isGroupID(id string) bool { return strings.HasSuffix(id, "@g.us") }

// rawMsgID takes a raw id or a serialized MsgKey
// (fromMe_remote_id[_participant]) and returns the raw id.
func rawMsgID(s string) string {
	parts := strings.Split(s, "_")
	if len(parts) >= 3 {
		return parts[2]
	}
	return s
}

// validKey reports whether s is a Base64 public key of 32 bytes.
func validKey(s string) bool {
	b, err := base64.StdEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}
