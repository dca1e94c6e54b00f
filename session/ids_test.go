package session

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidatePhone(t *testing.T) {
	for _, ok := range []string{"12025550108", "4915112345678", "12345678", "123456789012345"} {
		if err := ValidatePhone(ok); err != nil {
			t.Errorf("ValidatePhone(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "+12025550108", "1202-555-0108", "1234567", "1234567890123456", "12025 550108", "١٢٣٤٥٦٧٨٩"} {
		err := ValidatePhone(bad)
		if err == nil || !errors.Is(err, ErrInvalid) {
			t.Errorf("ValidatePhone(%q) = %v, want an invalid-input error", bad, err)
		}
	}
}

func TestValidateID(t *testing.T) {
	for _, ok := range []string{"demo", "sales-1", "a", "x_y", strings.Repeat("a", 32)} {
		if err := ValidateID(ok); err != nil {
			t.Errorf("ValidateID(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Demo", "-x", "a/b", "../x", strings.Repeat("a", 33), "a b"} {
		if err := ValidateID(bad); err == nil {
			t.Errorf("ValidateID(%q) accepted", bad)
		}
	}
}

func TestValidateText(t *testing.T) {
	if err := ValidateText("hello"); err != nil {
		t.Fatal(err)
	}
	if err := ValidateText(strings.Repeat("a", MaxTextBytes)); err != nil {
		t.Fatalf("text at the limit refused: %v", err)
	}
	for name, bad := range map[string]string{"empty": "", "blank": " \n\t", "long": strings.Repeat("a", MaxTextBytes+1), "utf8": "a\xffb"} {
		if err := ValidateText(bad); err == nil {
			t.Errorf("%s text accepted", name)
		}
	}
}

func TestNewMessageID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewMessageID()
		if len(id) != 22 || !strings.HasPrefix(id, "3EB0") || strings.ToUpper(id) != id {
			t.Fatalf("NewMessageID = %q: want 3EB0 + 18 upper-case hex digits", id)
		}
		if seen[id] {
			t.Fatalf("NewMessageID repeated %q", id)
		}
		seen[id] = true
	}
}

func TestFormatCode(t *testing.T) {
	for in, want := range map[string]string{"ABCDEFGH": "ABCD-EFGH", "abcd-efgh": "ABCD-EFGH", "ABC": "ABC"} {
		if got := FormatCode(in); got != want {
			t.Errorf("FormatCode(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzEnqueueInput feeds the checks every queued message passes: what they
// accept is a canonical chat id and a non-blank, valid UTF-8 text within the
// size limit.
func FuzzEnqueueInput(f *testing.F) {
	f.Add("12025550108", "hello")
	f.Add("1@g.us", " ")
	f.Add("status@broadcast", "a\xffb")
	f.Add("x@lid", strings.Repeat("é", MaxTextBytes/2+1))
	f.Fuzz(func(t *testing.T, chat, body string) {
		id, _, cerr := ParseChatID(chat)
		terr := ValidateText(body)
		if cerr == nil && !strings.Contains(id, "@") {
			t.Fatalf("accepted chat %q as %q", chat, id)
		}
		if terr != nil {
			if !errors.Is(terr, ErrInvalid) {
				t.Fatalf("text error of the wrong kind: %v", terr)
			}
			return
		}
		if !utf8.ValidString(body) || len(body) > MaxTextBytes || strings.TrimSpace(body) == "" {
			t.Fatalf("accepted text %q", body)
		}
	})
}
