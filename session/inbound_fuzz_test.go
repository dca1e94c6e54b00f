package session

import (
	"slices"
	"testing"
)

// FuzzInbound feeds inbound message events from the page through decoding
// and capture: nothing may panic, a captured message keeps its id and
// chat, a placeholder is pending, and a filter reason is one we count.
func FuzzInbound(f *testing.F) {
	f.Add(`[{"t":"msg","msg":{"id":"3A01","chat":"1@lid","body":"hi","type":"chat","new":true}}]`, false, "15550001111@c.us")
	f.Add(`[{"t":"msg","msg":{"id":"3A02","chat":"status@broadcast","type":"ciphertext"}}]`, true, "")
	f.Add(`[{"t":"msg","msg":{"id":"3A03","chat":"1@g.us","body":"@15550001111","mentions":["15550001111@c.us"]}}]`, true, "15550001111@c.us")
	f.Add(`[{"t":"msg","msg":{"id":"3A04","fromMe":true,"notice":true,"media":true,"mentions":[null,1]}}]`, false, "@")
	reasons := []string{"", FilterOwn, FilterStatus, FilterSystem, FilterNotMentioned}
	f.Fuzz(func(t *testing.T, payload string, mentionsOnly bool, me string) {
		evs, err := parseBatch(payload)
		if err != nil {
			return
		}
		for _, ev := range evs {
			if ev.Kind != EvMessage {
				continue
			}
			m := *ev.Message
			in := captured(m, InboxSettings{MentionsOnly: mentionsOnly}, me)
			switch {
			case in.ID != m.ID || in.Chat != m.Chat || in.Body != m.Body:
				t.Fatalf("captured %+v from %+v", in, m)
			case in.Pending != (m.Type == "ciphertext"):
				t.Fatalf("pending %v for type %q", in.Pending, m.Type)
			case !slices.Contains(reasons, in.Filtered):
				t.Fatalf("filter reason %q is not one of %q", in.Filtered, reasons)
			case m.FromMe && in.Filtered != FilterOwn:
				t.Fatalf("own message kept by default: %+v", in)
			}
		}
	})
}

func TestFilterReason(t *testing.T) {
	const me = "15550001111@c.us"
	for _, c := range []struct {
		m    Message
		set  InboxSettings
		want string
	}{
		{Message{Chat: "1@c.us", Body: "hi"}, InboxSettings{}, ""},
		{Message{Chat: "1@c.us", FromMe: true}, InboxSettings{}, FilterOwn},
		{Message{Chat: "1@c.us", FromMe: true}, InboxSettings{KeepOwn: true}, ""},
		{Message{Chat: "status@broadcast"}, InboxSettings{}, FilterStatus},
		{Message{Chat: "status@broadcast"}, InboxSettings{KeepStatus: true}, ""},
		{Message{Chat: "1@c.us", Notice: true}, InboxSettings{}, FilterSystem},
		{Message{Chat: "1@c.us", Type: "gp2"}, InboxSettings{}, FilterSystem},
		{Message{Chat: "1@c.us", Type: "gp2"}, InboxSettings{KeepSystem: true}, ""},
		{Message{Chat: "1@g.us", Body: "hi"}, InboxSettings{}, ""},
		{Message{Chat: "1@g.us", Body: "hi"}, InboxSettings{MentionsOnly: true}, FilterNotMentioned},
		{Message{Chat: "1@g.us", Body: "hi @15550001111"}, InboxSettings{MentionsOnly: true}, ""},
		{Message{Chat: "1@g.us", Mentions: []string{me}}, InboxSettings{MentionsOnly: true}, ""},
		{Message{Chat: "1@c.us", Body: "hi"}, InboxSettings{MentionsOnly: true}, ""},
	} {
		if got := filterReason(c.m, c.set, me); got != c.want {
			t.Errorf("filterReason(%+v, %+v) = %q, want %q", c.m, c.set, got, c.want)
		}
	}
}
