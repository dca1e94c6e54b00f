package session

import (
	"strings"
	"testing"
)

func TestParseBatch(t *testing.T) {
	evs, err := parseBatch(`[{"t":"boot","version":"2.3000.1"},{"t":"state","state":"CONNECTED","stream":"CONNECTED","synced":true,"me":"12025550108@c.us"},
		{"t":"qr","qr":"2@abc,k1,k2,k3,1"},{"t":"msg","msg":{"id":"3A1","key":"false_1@c.us_3A1","chat":"1@c.us","body":"hi","t":1700000000,"ack":1,"new":true}},
		{"t":"msg"},{"t":"future-kind"},{"t":"ack","msg":{"id":"3EB0X","fromMe":true,"ack":3}}]`)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []string{}
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	if got := strings.Join(kinds, ","); got != "boot,state,qr,msg,ack" {
		t.Fatalf("kinds = %s", got)
	}
	if !evs[1].Synced || evs[1].Me != "12025550108@c.us" || evs[2].QR != "2@abc,k1,k2,k3,1" {
		t.Fatalf("fields lost: %+v", evs)
	}
	if m := evs[3].Message; m == nil || m.Body != "hi" || !m.New || m.Time.Unix() != 1700000000 {
		t.Fatalf("message = %+v", evs[3].Message)
	}
	if m := evs[4].Message; m == nil || m.Ack != AckRead || !m.FromMe {
		t.Fatalf("ack = %+v", evs[4].Message)
	}
}

// A change report keeps its kind and maps every field of the message:
// edit time in milliseconds, reactions in seconds, the rest as reported.
func TestParseBatchChange(t *testing.T) {
	evs, err := parseBatch(`[{"t":"change","msg":{"id":"3A2","key":"false_1@g.us_3A2_2@c.us","type":"poll_creation","body":"Lunch?",
		"authorName":"Alice","edited":1700000000123,"quoted":{"id":"3A1","author":"2@c.us","type":"chat","body":"hi"},
		"reactions":[{"emoji":"👍","sender":"3@c.us","t":1700000001}],"poll":{"name":"Lunch?","options":[{"name":"Pizza","votes":2}]},
		"file":null,"raw":{"id":"false_1@g.us_3A2_2@c.us","pollName":"Lunch?"}}},{"t":"change"}]`)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Kind != EvChange {
		t.Fatalf("events = %+v, want one change", evs)
	}
	m := evs[0].Message
	switch {
	case m.AuthorName != "Alice" || m.Edited.UnixMilli() != 1700000000123:
		t.Errorf("name or edit time lost: %+v", m)
	case m.Quoted == nil || m.Quoted.ID != "3A1" || m.Quoted.Body != "hi":
		t.Errorf("quote = %+v", m.Quoted)
	case len(m.Reactions) != 1 || m.Reactions[0].Emoji != "👍" || m.Reactions[0].Time.Unix() != 1700000001:
		t.Errorf("reactions = %+v", m.Reactions)
	case m.Poll == nil || m.Poll.Options[0].Votes != 2 || m.File != nil:
		t.Errorf("poll = %+v, file = %+v", m.Poll, m.File)
	case m.Raw["pollName"] != "Lunch?":
		t.Errorf("raw = %v", m.Raw)
	}
}

func TestParseBatchRefusesGarbage(t *testing.T) {
	for _, bad := range []string{"", "{}", "[", `["x"]`, strings.Repeat("[", maxBatch+1)} {
		if _, err := parseBatch(bad); err == nil {
			t.Errorf("parseBatch(%.20q) accepted", bad)
		}
	}
}

// FuzzParseBatch feeds the decoder of what the page sends: it must never
// panic, and every event it returns is of a known kind with its payload.
func FuzzParseBatch(f *testing.F) {
	f.Add(`[{"t":"state","state":"CONNECTED"}]`)
	f.Add(`[{"t":"msg","msg":{"id":"1","t":-5}}]`)
	f.Add(`[{"t":"ack","msg":null}]`)
	f.Add(`[null, 1, "x"]`)
	f.Fuzz(func(t *testing.T, s string) {
		evs, err := parseBatch(s)
		if err != nil {
			return
		}
		for _, e := range evs {
			switch e.Kind {
			case EvMessage, EvAck, EvChange:
				if e.Message == nil || e.Message.ID == "" {
					t.Fatalf("%s without a message", e.Kind)
				}
			case EvBoot, EvState, EvQR, EvCode, EvLogout, EvError:
			default:
				t.Fatalf("unknown kind %q passed through", e.Kind)
			}
		}
	})
}
