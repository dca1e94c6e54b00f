package session

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestReplyFirstReason(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	const chat = "15551234567@c.us"
	wrote := func(ago time.Duration, chat, twin string) InboundMessage {
		return InboundMessage{ID: "3A" + ago.String(), Chat: chat, Twin: twin, Time: now.Add(-ago)}
	}
	held := "reply-first: 15551234567@c.us has not written in 24h: approve to send"
	old := wrote(25*time.Hour, chat, "")
	for _, c := range []struct {
		name    string
		window  time.Duration
		recent  []InboundMessage
		replyTo *InboundMessage
		want    string
	}{
		{"off", 0, nil, nil, ""},
		{"never wrote", 24 * time.Hour, nil, nil, held},
		{"wrote an hour ago", 24 * time.Hour, []InboundMessage{wrote(time.Hour, chat, "")}, nil, ""},
		{"wrote under its @lid twin", 24 * time.Hour, []InboundMessage{wrote(time.Hour, "99887766@lid", chat)}, nil, ""},
		{"wrote before the window", 24 * time.Hour, []InboundMessage{old}, nil, held},
		{"another chat wrote", 24 * time.Hour, []InboundMessage{wrote(time.Hour, "15550000000@c.us", "")}, nil, held},
		{"own message", 24 * time.Hour, []InboundMessage{{Chat: chat, FromMe: true, Time: now}}, nil, held},
		{"filtered message", 24 * time.Hour, []InboundMessage{{Chat: chat, Filtered: FilterSystem, Time: now}}, nil, held},
		{"a reply within the window", 24 * time.Hour, nil, &InboundMessage{Chat: chat, Time: now.Add(-time.Hour)}, ""},
		{"a reply to an old message", 24 * time.Hour, nil, &old, held},
	} {
		if got := ReplyFirstReason(chat, c.window, now, c.recent, c.replyTo); got != c.want {
			t.Errorf("%s: reason %q, want %q", c.name, got, c.want)
		}
	}
}

func TestValidateReplyFirst(t *testing.T) {
	for _, d := range []time.Duration{0, time.Minute, 24 * time.Hour} {
		if err := ValidateReplyFirst(d); err != nil {
			t.Errorf("%s: %v", d, err)
		}
	}
	for _, d := range []time.Duration{-time.Hour, time.Second, 59 * time.Second} {
		if err := ValidateReplyFirst(d); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "at least 1m") {
			t.Errorf("%s: error %v, want ErrInvalid naming the minimum", d, err)
		}
	}
	for d, want := range map[time.Duration]string{24 * time.Hour: "24h", 90 * time.Minute: "1h30m", 150 * time.Second: "2m30s", time.Minute: "1m"} {
		if got := FormatWindow(d); got != want {
			t.Errorf("FormatWindow(%s) = %q, want %q", d, got, want)
		}
	}
}

// Reply-first against the stand-in: a send to a contact that never wrote is
// held; once the contact writes it passes, with or without naming the
// message it answers; past the window it is held again until approved; and
// the policy reads the store, so a restart keeps it.
func TestReplyFirstHoldsUntilTheContactWrites(t *testing.T) {
	e := newEnv(t)
	const phone, contact = "15551240201", "15558880201"
	e.pairQR("rf", phone)
	e.pace("rf", fastPacing)
	if s, err := e.m.Set("rf", Settings{ReplyFirst: ptr(24 * time.Hour)}); err != nil || s.ReplyFirst != 24*time.Hour {
		t.Fatalf("set reply-first: %+v, %v", s, err)
	}
	ctx := context.Background()
	first := e.send("rf", contact, "cold open")[0]
	held := func(chat string) string { return "reply-first: " + chat + " has not written in 24h: approve to send" }
	want := held(contact + "@c.us")
	if first.State != JobHeld || first.HoldReason != want {
		t.Fatalf("a send to a chat that never wrote: %+v, want held with %q", first, want)
	}
	if _, err := e.m.SendMany(ctx, "rf", contact, "3A0000000000000000NO", []string{"a reply"}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "has not received that message") {
		t.Fatalf("a reply to a message never received: %v, want ErrInvalid saying so", err)
	}

	if err := e.phone.Inbound(ctx, phone, contact, "hello?", 1); err != nil {
		t.Fatal(err)
	}
	var in InboundMessage
	e.wait("rf", "the contact's message stored", 20*time.Second, func(Snapshot) bool {
		msgs := e.inbox("rf", InboxQuery{})
		if len(msgs) > 0 {
			in = msgs[0]
		}
		return len(msgs) > 0
	})
	// The current build reports the contact under its @lid: answers go to
	// the chat the message came from, as a worker takes it from
	// message.received.
	answer := e.send("rf", in.Chat, "an answer")[0]
	reply, err := e.m.SendMany(ctx, "rf", in.Chat, in.ID, []string{"a quoted answer"})
	if err != nil {
		t.Fatal(err)
	}
	if answer.State != JobQueued || reply[0].State != JobQueued || reply[0].ReplyTo != in.ID {
		t.Fatalf("after the contact wrote: %+v and %+v, want both queued, the second replying to %s", answer, reply[0], in.ID)
	}
	e.waitJob("rf", reply[0].Seq, "the reply sent", func(j Job) bool { return j.State == JobSent })
	if j, _ := e.db.GetJob("rf", reply[0].Seq); j.ReplyTo != in.ID {
		t.Fatalf("the stored reply %+v lost its reply-to %s", j, in.ID)
	}

	// A day later the contact has not written again.
	e.m.now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	late, err := e.m.SendMany(ctx, "rf", in.Chat, in.ID, []string{"a late answer"})
	if err != nil {
		t.Fatal(err)
	}
	if late[0].State != JobHeld || late[0].HoldReason != held(in.Chat) {
		t.Fatalf("a reply past the window: %+v, want held with %q", late[0], held(in.Chat))
	}
	if err := e.m.RetryJob("rf", late[0].Seq); err != nil {
		t.Fatal(err)
	}
	e.waitJob("rf", late[0].Seq, "the approved job sent", func(j Job) bool { return j.State == JobSent })
	sent := map[string]bool{}
	for _, m := range e.sent(phone) {
		sent[m.Body] = true
	}
	if !sent["a late answer"] || sent["cold open"] {
		t.Fatalf("the stand-in got %v: want the approved answer and not the held cold open", sent)
	}

	e.close()
	e.open(t)
	s, _ := e.m.Get("rf")
	if s.ReplyFirst != 24*time.Hour {
		t.Fatalf("after a restart reply-first is %s, want 24h", s.ReplyFirst)
	}
	if j := e.send("rf", "15558880202", "another cold open")[0]; j.State != JobHeld {
		t.Fatalf("after a restart a send to a chat that never wrote: %+v, want held", j)
	}
	if j := e.send("rf", in.Chat, "still talking")[0]; j.State != JobQueued {
		t.Fatalf("after a restart a send to the chat that wrote: %+v, want queued: the store remembers", j)
	}
}
