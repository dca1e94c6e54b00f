package session

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/waconsole/waconsole/store"
)

// report makes the session's page call the bridge binding with events, as
// the bridge does: a redelivery or a reconnect, played exactly.
func (e *testEnv) report(id string, events ...bridgeEvent) {
	e.t.Helper()
	a, err := e.m.actor(id)
	if err != nil {
		e.t.Fatal(err)
	}
	var p *chromePage
	_ = a.do(func() error { p, _ = a.page.(*chromePage); return nil })
	if p == nil {
		e.t.Fatalf("session %s runs no Chromium page", id)
	}
	payload, err := json.Marshal(events)
	if err != nil {
		e.t.Fatal(err)
	}
	expr := fmt.Sprintf("window[%q](%q)", bindingName, payload)
	if err := chromedp.Do(p.ctx, chromedp.Evaluate[chromedp.Void](expr)); err != nil {
		e.t.Fatalf("reporting through the binding: %v", err)
	}
}

func inboundEvent(id, chat, body string) bridgeEvent {
	return bridgeEvent{T: EvMessage, Msg: &bridgeMsg{ID: id, Key: "false_" + chat + "_" + id, Chat: chat, Body: body, T: time.Now().Unix(), New: true, Type: "chat"}}
}

// feedUntil collects the session's published messages until one with body
// last arrives; what was published before it is all there is, since the
// actor handles the page's events in order.
func (e *testEnv) feedUntil(id, last string) []Message {
	e.t.Helper()
	var got []Message
	deadline := time.After(15 * time.Second)
	for {
		select {
		case u := <-e.updates:
			if m := u.Message; u.Session == id && m != nil {
				got = append(got, *m)
				if m.Body == last {
					return got
				}
			}
		case <-deadline:
			e.t.Fatalf("session %s: %q not on the feed within 15s; saw %+v\nlog:\n%s", id, last, got, e.logText())
		}
	}
}

func (e *testEnv) inbox(id string, q InboxQuery) []InboundMessage {
	e.t.Helper()
	msgs, err := e.m.Inbox(id, q)
	if err != nil {
		e.t.Fatal(err)
	}
	return msgs
}

// Every message is in the store by the time the feed shows it.
func TestInboundStoredBeforeTheFeed(t *testing.T) { eachBuild(t, testInboundStoredBeforeTheFeed) }

func testInboundStoredBeforeTheFeed(t *testing.T, e *testEnv) {
	const phone, from, n = "15551240101", "15558880101", 50
	e.pairQR("in", phone)
	if err := e.phone.Inbound(context.Background(), phone, from, "burst", n); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	deadline := time.After(20 * time.Second)
	for len(seen) < n {
		select {
		case u := <-e.updates:
			m := u.Message
			if u.Session != "in" || m == nil || !strings.HasPrefix(m.Body, "burst") {
				continue
			}
			stored := e.inbox("in", InboxQuery{Chat: m.Chat})
			if !containsID(stored, m.ID) {
				t.Fatalf("message %s (%q) is on the feed but not in the store", m.ID, m.Body)
			}
			seen[m.ID] = true
		case <-deadline:
			t.Fatalf("%d of %d messages reached the feed", len(seen), n)
		}
	}
	s := e.wait("in", "the count of stored messages", 10*time.Second, func(s Snapshot) bool { return s.Inbox.Stored >= n })
	if s.Inbox.Bytes <= 0 {
		t.Fatalf("inbox %+v: no size", s.Inbox)
	}
}

func containsID(msgs []InboundMessage, id string) bool {
	for _, m := range msgs {
		if m.ID == id {
			return true
		}
	}
	return false
}

// A message seen twice is stored once and published once: the same id
// again, the same id under the contact's other chat id, and an encrypted
// placeholder that is decrypted later.
func TestInboundSeenTwiceStoredOnce(t *testing.T) {
	e := newEnv(t)
	const phone = "15551240102"
	e.pairQR("twice", phone)
	if _, err := e.db.AddWebhook(store.Webhook{Session: "twice", Name: "all", URL: "http://127.0.0.1:9/", SecretEnv: "WA_TEST_SECRET"}); err != nil {
		t.Fatal(err)
	}
	const id, lid, pn = "3A00000000000000D0B1", "99887766554433@lid", "15558880102@c.us"
	e.report("twice", inboundEvent(id, lid, "once only"))
	e.report("twice", inboundEvent(id, lid, "once only"))
	e.report("twice", inboundEvent(id, pn, "once only"), inboundEvent("3A00000000000000D0B2", pn, "sentinel"))
	feed := e.feedUntil("twice", "sentinel")
	if n := countID(feed, id); n != 1 {
		t.Fatalf("message %s published %d times, want once: %+v", id, n, feed)
	}
	stored := e.inbox("twice", InboxQuery{Chat: pn})
	if len(stored) != 2 || stored[0].ID != id || stored[0].Chat != lid || stored[0].Twin != pn {
		t.Fatalf("stored %+v, want the message once, in %s with twin %s, then the sentinel", stored, lid, pn)
	}

	// Through the page: the placeholder is stored, the decrypted text
	// replaces it; a text after it shows nothing more came of it.
	ctx := context.Background()
	if err := e.phone.InboundKind(ctx, phone, "15558880103", "sealed", "ciphertext", 1); err != nil {
		t.Fatal(err)
	}
	feed = e.feedUntil("twice", "sealed")
	if err := e.phone.Inbound(ctx, phone, "15558880103", "after the seal", 1); err != nil {
		t.Fatal(err)
	}
	feed = append(feed, e.feedUntil("twice", "after the seal")...)
	var sealed []Message
	for _, m := range feed {
		if m.Body != "after the seal" {
			sealed = append(sealed, m)
		}
	}
	if len(sealed) != 1 || sealed[0].Type == "ciphertext" {
		t.Fatalf("published for the sealed message: %+v, want its decrypted form once", sealed)
	}
	all := e.inbox("twice", InboxQuery{Chat: sealed[0].Chat})
	if len(all) != 2 || all[0].ID != sealed[0].ID || all[0].Body != "sealed" || all[0].Pending {
		t.Fatalf("stored %+v, want the decrypted message once, not pending", all)
	}
	if s, _ := e.m.Get("twice"); s.Inbox.Stored != 4 {
		t.Fatalf("stored count %d, want 4", s.Inbox.Stored)
	}
	// Handed on once each, in its final form, in the transaction that
	// stored it.
	ds, err := e.db.Deliveries("twice")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]receivedData{}
	for _, d := range ds {
		if d.Type != HookReceived {
			continue
		}
		var b struct{ Data receivedData }
		if err := json.Unmarshal(d.Body, &b); err != nil {
			t.Fatal(err)
		}
		if _, twice := got[b.Data.MsgID]; twice {
			t.Fatalf("message %s handed on twice", b.Data.MsgID)
		}
		got[b.Data.MsgID] = b.Data
	}
	if len(got) != 4 || got[id].Body != "once only" || got[sealed[0].ID].Body != "sealed" || got[sealed[0].ID].Type == "ciphertext" {
		t.Fatalf("message.received for %+v, want the 4 messages once each, the sealed one decrypted", got)
	}
}

func countID(msgs []Message, id string) int {
	n := 0
	for _, m := range msgs {
		if m.ID == id {
			n++
		}
	}
	return n
}

// The filters skip own messages, status updates and system notices, and
// in groups with mentions-only what does not mention the account; each is
// counted. Media is kept, marked unsupported.
func TestInboundFiltersCount(t *testing.T) {
	e := newEnv(t)
	const phone, from, group = "15551240103", "15558880104", "120363025550100003@g.us"
	e.pairQR("filt", phone)
	e.pace("filt", fastPacing)
	if _, err := e.m.Set("filt", Settings{Inbox: &InboxChange{MentionsOnly: new(true)}}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e.send("filt", from, "from us")
	e.waitJobs("filt", 20*time.Second, JobSent)
	for _, in := range []struct{ from, body, kind string }{
		{from, "the group changed", "notification"}, {from, "a photo", "image"},
		{group, "not for us", "chat"}, {group, "hi @" + phone, "chat"}, {from, "last", "chat"},
	} {
		if err := e.phone.InboundKind(ctx, phone, in.from, in.body, in.kind, 1); err != nil {
			t.Fatal(err)
		}
	}
	status := inboundEvent("3A00000000000000D0B3", "status@broadcast", "my story")
	e.report("filt", status)
	want := map[string]int{FilterOwn: 1, FilterSystem: 1, FilterNotMentioned: 1, FilterStatus: 1}
	// All seven arrive, in whatever order the page and the report race.
	s := e.wait("filt", "the filtered counts and all seven stored", 20*time.Second, func(s Snapshot) bool {
		return maps.Equal(s.Inbox.Filtered, want) && s.Inbox.Stored == 7
	})
	kept := e.inbox("filt", InboxQuery{})
	bodies := map[string]InboundMessage{}
	for _, m := range kept {
		bodies[m.Body] = m
	}
	if len(kept) != 3 || !bodies["a photo"].Unsupported || bodies["hi @"+phone].ID == "" || bodies["last"].ID == "" {
		t.Fatalf("kept %+v, want the photo (unsupported), the mention and the last text", kept)
	}
	if all := e.inbox("filt", InboxQuery{Filtered: true}); len(all) != 7 || s.Inbox.Stored != 7 {
		t.Fatalf("with the filtered ones %d stored (snapshot says %d), want 7", len(all), s.Inbox.Stored)
	}
	// The counts are the store's: a restart keeps them.
	e.close()
	e.open(t)
	if s, _ := e.m.Get("filt"); !maps.Equal(s.Inbox.Filtered, want) {
		t.Fatalf("after a restart the filtered counts are %v, want %v", s.Inbox.Filtered, want)
	}
}

// The sweep removes what is past the retention, a bounded batch at a time.
func TestInboundRetentionSweep(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Add(AddRequest{ID: "old"}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-3 * time.Hour)
	msgs := make([]store.Inbound, 2*sweepBatch+5)
	for i := range msgs {
		msgs[i] = store.Inbound{ID: fmt.Sprintf("3A%018X", i), Chat: "15558880105@c.us", Received: old}
	}
	msgs = append(msgs, store.Inbound{ID: "3B0000000000000000FF", Chat: "15558880105@c.us", Body: "recent"})
	if _, err := e.db.SaveInbound("old", msgs); err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.Set("old", Settings{Inbox: &InboxChange{Retention: new(time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	e.wait("old", "the sweep", 20*time.Second, func(s Snapshot) bool { return s.Inbox.Stored == 1 })
	left := e.inbox("old", InboxQuery{})
	if len(left) != 1 || left[0].Body != "recent" {
		t.Fatalf("left after the sweep: %+v", left)
	}
}

// Captured messages outlive the process that captured them.
func TestInboundSurvivesARestart(t *testing.T) {
	e := newEnv(t)
	const phone, from = "15551240104", "15558880106"
	e.pairQR("keep", phone)
	if err := e.phone.Inbound(context.Background(), phone, from, "kept", 5); err != nil {
		t.Fatal(err)
	}
	e.wait("keep", "5 stored", 20*time.Second, func(s Snapshot) bool { return s.Inbox.Stored == 5 })
	e.close()
	e.open(t)
	if s, _ := e.m.Get("keep"); s.Inbox.Stored != 5 {
		t.Fatalf("after a restart the session counts %d stored, want 5", s.Inbox.Stored)
	}
	got := e.inbox("keep", InboxQuery{})
	if len(got) != 5 || got[0].Body != "kept #1" || got[4].Body != "kept #5" {
		t.Fatalf("after a restart the inbox holds %+v", got)
	}
}
