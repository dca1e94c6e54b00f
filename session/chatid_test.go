package session

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseChatID(t *testing.T) {
	good := map[string]struct {
		id   string
		kind ChatKind
	}{
		"12025550108":                 {"12025550108@c.us", ChatUser},
		" 12025550108@c.us ":          {"12025550108@c.us", ChatUser},
		"120363025246125486@g.us":     {"120363025246125486@g.us", ChatGroup},
		"12025550108-1446234587@g.us": {"12025550108-1446234587@g.us", ChatGroup},
		"201234567890123@lid":         {"201234567890123@lid", ChatLID},
		"status@broadcast":            {"status@broadcast", ChatBroadcast},
	}
	for in, want := range good {
		id, kind, err := ParseChatID(in)
		if err != nil || id != want.id || kind != want.kind {
			t.Errorf("ParseChatID(%q) = %q, %q, %v; want %q, %q", in, id, kind, err, want.id, want.kind)
		}
	}
	for _, bad := range []string{"", "abc", "+12025550108", "12025550108@s.whatsapp.net", "x@c.us", "@g.us", "a-b@g.us", "12@lid@lid", "news@broadcast", "12025550108@", "1-2-3@g.us"} {
		if _, _, err := ParseChatID(bad); err == nil {
			t.Errorf("ParseChatID(%q) accepted", bad)
		}
	}
}

// FuzzParseChatID checks the parser of outside chat ids: it never panics,
// and what it accepts is canonical, valid UTF-8 and parses to itself.
func FuzzParseChatID(f *testing.F) {
	for _, s := range []string{"12025550108", "12025550108@c.us", "1@g.us", "1-2@g.us", "1@lid", "status@broadcast", "", "@", "\xff@c.us"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, kind, err := ParseChatID(s)
		if err != nil {
			if id != "" || kind != "" {
				t.Fatalf("error with a result: %q %q", id, kind)
			}
			return
		}
		if !utf8.ValidString(id) || strings.ContainsAny(id, " \t\n") || !strings.Contains(id, "@") {
			t.Fatalf("accepted %q as %q", s, id)
		}
		again, kind2, err := ParseChatID(id)
		if err != nil || again != id || kind2 != kind {
			t.Fatalf("%q -> %q does not parse to itself: %q %v", s, id, again, err)
		}
	})
}
