package session

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/waconsole/waconsole/store"
)

// What a session lives through reaches the webhook queue from the store
// itself: every state change, the sent message and its read ack, each with
// the ids a worker follows a message by.
func TestWebhookEventsOfASession(t *testing.T) {
	e := newEnv(t)
	const phone, to = "15551240031", "15557770031"
	if _, err := e.m.Add(AddRequest{ID: "hooks"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.AddWebhook(store.Webhook{Session: "hooks", Name: "all", URL: "http://127.0.0.1:9/", SecretEnv: "WA_TEST_SECRET"}); err != nil {
		t.Fatal(err)
	}
	if err := e.m.Start("hooks"); err != nil {
		t.Fatal(err)
	}
	e.pairShown("hooks", phone)
	e.pace("hooks", fastPacing)
	jobs := e.send("hooks", to, "tracked")
	e.waitJob("hooks", jobs[0].Seq, "the message read", func(j Job) bool { return j.Ack == int(AckRead) })

	type body struct {
		Type      string          `json:"type"`
		Timestamp time.Time       `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}
	var states []stateData
	var sent, acks []jobData
	var err error
	e.waitUntil("the sent and read events in the webhook queue", 10*time.Second, func() bool {
		var ds []store.Delivery
		if ds, err = e.db.Deliveries("hooks"); err != nil {
			t.Fatal(err)
		}
		states, sent, acks = nil, nil, nil
		for _, d := range ds {
			var b body
			if err := json.Unmarshal(d.Body, &b); err != nil || b.Type != d.Type || b.Timestamp.IsZero() {
				t.Fatalf("delivery %d: body %s (%v) is not {type, timestamp, data} of %s", d.Seq, d.Body, err, d.Type)
			}
			switch d.Type {
			case HookSessionState:
				var s stateData
				_ = json.Unmarshal(b.Data, &s)
				states = append(states, s)
			case HookOutboxSent, HookMessageAck:
				var j jobData
				_ = json.Unmarshal(b.Data, &j)
				if d.Type == HookOutboxSent {
					sent = append(sent, j)
				} else {
					acks = append(acks, j)
				}
			}
		}
		return len(sent) == 1 && len(acks) > 0 && acks[len(acks)-1].Ack == int(AckRead)
	})
	var path []string
	for _, s := range states {
		if s.Session != "hooks" || s.Time.IsZero() {
			t.Errorf("state event %+v lacks its session or time", s)
		}
		path = append(path, s.To)
	}
	if len(path) < 3 || path[0] != string(Starting) || path[len(path)-1] != string(Ready) {
		t.Errorf("state events %v, want STARTING first and READY last", path)
	}
	if j := sent[0]; j.JobSeq != jobs[0].Seq || j.MsgID != jobs[0].MsgID || j.ChatID != jobs[0].ChatID || j.SentAt.IsZero() {
		t.Errorf("outbox.sent %+v does not name job %d, message %s in %s", j, jobs[0].Seq, jobs[0].MsgID, jobs[0].ChatID)
	}
	if j := acks[len(acks)-1]; j.MsgID != jobs[0].MsgID || j.JobSeq != jobs[0].Seq {
		t.Errorf("message.ack %+v does not name message %s", j, jobs[0].MsgID)
	}
}

// A job's reply-to travels in every event of it, so a worker can tie its
// answer to the message it answered.
func TestJobEventsCarryTheReplyTo(t *testing.T) {
	const msg = "3AC79A5165D6F67F3945"
	queued := store.Job{Session: "s", Seq: 7, ChatID: "172589298543534@lid", MsgID: "3EB0AA", State: JobSending, ReplyTo: msg}
	sent, dead, read := queued, queued, queued
	sent.State, dead.State = JobSent, JobDead
	read.State, read.Ack = JobSent, int(AckRead)
	for _, c := range []struct {
		before, after store.Job
		want          string
	}{{queued, sent, HookOutboxSent}, {queued, dead, HookOutboxDead}, {sent, read, HookMessageAck}} {
		evs := jobEvents(c.before, c.after)
		if len(evs) != 1 || evs[0].Type != c.want {
			t.Fatalf("%s -> %s: events %+v, want one %s", c.before.State, c.after.State, evs, c.want)
		}
		if d := evs[0].Data.(jobData); d.ReplyTo != msg || d.JobSeq != 7 || d.Trace != msg {
			t.Errorf("%s data %+v, want replyTo and trace %s", c.want, d, msg)
		}
	}
}

// The trace of a message is its id; of a reply, the id of the message it
// answers; of any other send, its own id.
func TestEventsCarryTheTrace(t *testing.T) {
	in := store.Inbound{Session: "s", ID: "3AC79A5165D6F67F3945", Chat: "172589298543534@lid", Body: "hi"}
	if evs := receivedEvents(in, store.InboundNew); len(evs) != 1 || evs[0].Data.(receivedData).Trace != in.ID {
		t.Fatalf("message.received %+v, want trace %s", evs, in.ID)
	}
	before := store.Job{Session: "s", Seq: 3, ChatID: in.Chat, MsgID: "3EB0BB", State: JobSending}
	after := before
	after.State = JobSent
	if evs := jobEvents(before, after); len(evs) != 1 || evs[0].Data.(jobData).Trace != "3EB0BB" {
		t.Fatalf("outbox.sent %+v, want trace 3EB0BB", evs)
	}
}

// The console's copy of message.received is the data the store hands on
// for the same message, even one the filters would skip.
func TestReceivedDataIsWhatTheWebhooksCarry(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 12, 0, 0, time.UTC)
	m := Message{ID: "3EB0C1", Key: "false_120363041234567890@g.us_3EB0C1_447700900456@c.us", Chat: "120363041234567890@g.us",
		Author: "447700900456@c.us", Type: "image", Body: "the van", Time: at, Media: true}
	in := captured(m, InboxSettings{}, "")
	in.Session = "alpha"
	evs := receivedEvents(in, store.InboundNew)
	if len(evs) != 1 {
		t.Fatalf("%d events for a kept message", len(evs))
	}
	want, _ := json.Marshal(evs[0].Data)
	got, _ := json.Marshal(ReceivedData("alpha", m))
	if string(got) != string(want) {
		t.Fatalf("ReceivedData = %s\nthe webhooks carry %s", got, want)
	}
	m.FromMe = true // filtered as own by default, still shown
	var own receivedData
	if b, _ := json.Marshal(ReceivedData("alpha", m)); json.Unmarshal(b, &own) != nil || own.MsgID != "3EB0C1" || !own.Unsupported {
		t.Fatalf("ReceivedData of an own message = %+v", own)
	}
}
