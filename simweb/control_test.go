package simweb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

var bg = context.Background()

func TestScanPairsOnlyTheCurrentPayload(t *testing.T) {
	_, c := startServer(t, Options{Timings: fastTimings()})
	dev := newFakeDevice(t, c)
	dev.connect(false)
	hello := dev.next("hello")
	if hello.State != stUnpaired || len(hello.Ref) != 82 || !strings.HasPrefix(hello.Ref, "2@") {
		t.Fatalf("hello = %+v, want UNPAIRED with an 82-char 2@ ref", hello)
	}
	qr := dev.payload(hello.Ref)
	if got := deviceState(t, c, dev.id); got.State != stUnpaired || got.QR != qr {
		t.Fatalf("state = %+v, want UNPAIRED showing %s", got, qr)
	}
	if len(qr) != 82+3*45+2 {
		t.Errorf("payload is %d chars, want 219", len(qr))
	}

	stale := dev.payload("2@" + strings.Repeat("A", 80))
	if err := c.Scan(bg, stale, "15550009999"); !errors.Is(err, ErrStale) {
		t.Fatalf("scan of a stale payload: %v, want ErrStale", err)
	}
	if err := c.Scan(bg, qr, "+1 555"); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("scan with a bad phone: %v, want ErrBadRequest", err)
	}
	if err := c.Scan(bg, qr, "15550009999"); err != nil {
		t.Fatal(err)
	}
	if ev := dev.next("state"); ev.State != stPairing {
		t.Fatalf("after scan: %+v, want PAIRING", ev)
	}
	paired := dev.next("paired")
	if paired.Phone != "15550009999" || paired.Token == "" || paired.LID == "" {
		t.Fatalf("paired = %+v", paired)
	}
	dev.next("synced")
	if got := deviceState(t, c, dev.id); got.State != stConnected || got.Phone != "15550009999" || got.QR != "" {
		t.Fatalf("state after pairing = %+v", got)
	}
	if err := c.Scan(bg, qr, "15550009999"); !errors.Is(err, ErrStale) {
		t.Fatalf("second scan of the same payload: %v, want ErrStale", err)
	}
}

func TestRefsRotateThenIdleThenRefresh(t *testing.T) {
	tm := fastTimings()
	tm.FirstRef, tm.NextRef, tm.Refs = 150*time.Millisecond, 50*time.Millisecond, 3
	_, c := startServer(t, Options{Timings: tm})
	dev := newFakeDevice(t, c)
	dev.connect(false)
	refs := map[string]bool{dev.next("hello").Ref: true}
	refs[dev.next("ref").Ref] = true
	last := dev.next("ref").Ref
	refs[last] = true
	if len(refs) != 3 {
		t.Fatalf("got %d distinct refs, want 3", len(refs))
	}
	if got := deviceState(t, c, dev.id); got.QR != dev.payload(last) {
		t.Fatalf("state shows %q, want the last ref", got.QR)
	}
	if ev := dev.next("state"); ev.State != stIdle {
		t.Fatalf("after the last ref: %+v, want UNPAIRED_IDLE", ev)
	}
	if got := deviceState(t, c, dev.id); got.State != stIdle || got.QR != "" {
		t.Fatalf("idle state = %+v, want no QR", got)
	}
	if err := c.Scan(bg, dev.payload(last), "15550009999"); !errors.Is(err, ErrStale) {
		t.Fatalf("scan while idle: %v, want ErrStale", err)
	}
	if st := dev.call("refresh", nil, nil); st != http.StatusOK {
		t.Fatalf("refresh: %d", st)
	}
	ev := dev.next("ref")
	if ev.State != stUnpaired || refs[ev.Ref] {
		t.Fatalf("refresh gave %+v, want a new ref and UNPAIRED", ev)
	}
}

func TestLinkCode(t *testing.T) {
	tm := fastTimings()
	tm.LinkCodeTTL = 300 * time.Millisecond
	_, c := startServer(t, Options{Timings: tm})
	dev := newFakeDevice(t, c)
	dev.connect(false)
	dev.next("hello")
	var res struct{ Code string }
	if st := dev.call("linkcode", map[string]any{"phone": "15550001111"}, &res); st != http.StatusOK {
		t.Fatalf("linkcode: %d", st)
	}
	if len(res.Code) != 8 || strings.Trim(res.Code, linkAlphabet) != "" {
		t.Fatalf("code %q is not 8 chars of the link alphabet", res.Code)
	}
	dashed := res.Code[:4] + "-" + res.Code[4:]
	if got := deviceState(t, c, dev.id); got.LinkCode != dashed {
		t.Fatalf("state linkCode = %q, want %q", got.LinkCode, dashed)
	}
	if err := c.Link(bg, dashed, "15550002222"); !errors.Is(err, ErrStale) {
		t.Fatalf("link with another phone: %v, want ErrStale", err)
	}
	if err := c.Link(bg, "ABC", "15550001111"); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("link with a short code: %v, want ErrBadRequest", err)
	}
	res2, err := http.Post(c.BaseURL+"sim/link", "application/json", strings.NewReader(`{"code":`))
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad JSON: %d, want 400", res2.StatusCode)
	}
	if err := c.Link(bg, strings.ToLower(res.Code), "15550001111"); err != nil {
		t.Fatalf("link without dash, lower case: %v", err)
	}
	if dev.next("paired").Phone != "15550001111" {
		t.Fatal("paired with the wrong phone")
	}

	late := newFakeDevice(t, c)
	late.connect(false)
	late.next("hello")
	late.call("linkcode", map[string]any{"phone": "15550003333"}, &res)
	time.Sleep(tm.LinkCodeTTL + 50*time.Millisecond)
	if err := c.Link(bg, res.Code, "15550003333"); !errors.Is(err, ErrStale) || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("link with an expired code: %v, want 409 expired", err)
	}
	if got := deviceState(t, c, late.id); got.LinkCode != "" {
		t.Fatalf("expired code still shown: %q", got.LinkCode)
	}
}

func TestSendsAcksSentLogAndFaults(t *testing.T) {
	_, c := startServer(t, Options{Timings: fastTimings()})
	const phone = "15550004444"
	dev := newFakeDevice(t, c)
	dev.pair(c, phone)
	send := func(id, to string) string {
		var res struct{ Result string }
		dev.call("send", map[string]any{"chat": to, "id": id, "body": "hello " + id}, &res)
		return res.Result
	}
	if r := send("3EB0AAAA", "15550100001@c.us"); r != "OK" {
		t.Fatalf("send: %s", r)
	}
	for _, want := range []int{1, 2, 3} {
		if ev := dev.next("ack"); ev.ID != "3EB0AAAA" || ev.Ack != want {
			t.Fatalf("ack event %+v, want %d", ev, want)
		}
	}
	send("3EB0AAAA", "15550100001@c.us") // a retry with the same id is logged again
	if err := c.Faults(bg, Faults{Phone: phone, SendFail: 1}); err != nil {
		t.Fatal(err)
	}
	if r := send("3EB0BBBB", "15550100002"); r != "ERROR_NETWORK" {
		t.Fatalf("send with sendFail 1: %s", r)
	}
	sent, err := c.Sent(bg, phone)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 2 || sent[0].ID != "3EB0AAAA" || sent[1].ID != "3EB0AAAA" || sent[0].To != "15550100001@c.us" || sent[0].Body != "hello 3EB0AAAA" {
		t.Fatalf("sent log = %+v, want the accepted send twice", sent)
	}

	exists := func(n string) bool {
		var res struct{ Wid *string }
		dev.call("exists", map[string]any{"chat": n}, &res)
		return res.Wid != nil
	}
	c.Faults(bg, Faults{Phone: phone, NotOnWhatsApp: []string{"15550009876"}})
	if exists("15550009876@c.us") || !exists("15550100002@c.us") {
		t.Fatal("notOnWhatsApp is not honoured by exists")
	}
	if r := send("3EB0CCCC", "15550009876@c.us"); r != "ERROR_NETWORK" {
		t.Fatalf("send to a number not on WhatsApp: %s", r)
	}
	c.Faults(bg, Faults{Phone: phone, SendFail: 1, Permanent: true})
	send("3EB0DDDD", "15550100002@c.us")
	if exists("15550100002@c.us") {
		t.Fatal("a permanent failure left the recipient on WhatsApp")
	}

	c.Faults(bg, Faults{Phone: phone, AckDelayMs: 300})
	start := time.Now()
	send("3EB0EEEE", "15550100001@c.us")
	for ev := dev.next("ack"); ev.ID != "3EB0EEEE" || ev.Ack != 2; ev = dev.next("ack") {
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Fatalf("ack came after %v, want ackDelayMs 300", d)
	}
	if err := c.Faults(bg, Faults{Phone: phone, SendFail: 2}); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("sendFail 2: %v, want ErrBadRequest", err)
	}
	if _, err := c.Sent(bg, "15550000000"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("sent of an unknown phone: %v, want ErrNotFound", err)
	}
}

// TestInboundLiveAndOffline plays a build before the LID migration, where a
// number's chat is its phone-number chat; build_2026_11_test covers LID.
func TestInboundLiveAndOffline(t *testing.T) {
	_, c := startServer(t, Options{Timings: fastTimings(), Build: "2026-05"})
	const phone = "15550005555"
	dev := newFakeDevice(t, c)
	dev.pair(c, phone)
	if err := c.Inbound(bg, phone, "15550100077", "hi", 3); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		ev := dev.next("msg")
		if ev.Msg.Body != fmt.Sprintf("hi #%d", i) || ev.Msg.Remote != "15550100077@c.us" || ev.Msg.FromMe || !strings.HasPrefix(ev.Msg.ID, "3A") || len(ev.Msg.ID) != 20 {
			t.Fatalf("message %d = %+v", i, ev.Msg)
		}
		if ev.Chat.Unread != i {
			t.Fatalf("unread after %d messages = %d", i, ev.Chat.Unread)
		}
	}

	dev.close()
	waitFor(t, func() bool { return deviceState(t, c, dev.id).State == stOpening })
	c.Inbound(bg, phone, "120363000000000042@g.us", "while away", 2)
	c.Inbound(bg, phone, "15550100077", "one more", 1)

	// A fresh page sync leaves out what waits for offline delivery.
	dev.connect(false)
	if h := dev.next("hello"); h.State != stConnected {
		t.Fatalf("reconnect with token: %+v", h)
	}
	dev.next("synced")
	var snap struct {
		Chats    []chat
		Messages []message
	}
	dev.call("snapshot", nil, &snap)
	for _, m := range snap.Messages {
		if strings.HasPrefix(m.Body, "while away") || m.Body == "one more" {
			t.Fatalf("snapshot has the undelivered %q", m.Body)
		}
	}
	for _, ch := range snap.Chats {
		if ch.ID == "15550100077@c.us" && ch.Unread != 3 {
			t.Fatalf("snapshot unread = %d, want 3 (the delivered ones)", ch.Unread)
		}
	}
	dev.call("ready", nil, nil)
	if ev := dev.next("offline"); ev.Total != 3 {
		t.Fatalf("offline total = %d, want 3", ev.Total)
	}
	for _, want := range []string{"while away #1", "while away #2", "one more"} {
		ev := dev.next("msg")
		if ev.Msg.Body != want || !ev.Offline {
			t.Fatalf("offline delivery %+v, want %q", ev.Msg, want)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 5s")
}

func TestUnlinkConflictDrop(t *testing.T) {
	_, c := startServer(t, Options{Timings: fastTimings()})
	const phone = "15550006666"
	for name, call := range map[string]func() error{
		"unlink":   func() error { return c.Unlink(bg, phone) },
		"conflict": func() error { return c.Conflict(bg, phone) },
		"drop":     func() error { return c.Drop(bg, phone, 1) },
		"inbound":  func() error { return c.Inbound(bg, phone, "15550100001", "x", 1) },
	} {
		if err := call(); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s of an unknown phone: %v, want ErrNotFound", name, err)
		}
	}
	dev := newFakeDevice(t, c)
	dev.pair(c, phone)

	if err := c.Conflict(bg, phone); err != nil {
		t.Fatal(err)
	}
	dev.next("conflict")
	dev.ended()
	if got := deviceState(t, c, dev.id); got.State != stConflict {
		t.Fatalf("state after conflict = %s", got.State)
	}
	dev.connect(true) // takeover
	if h := dev.next("hello"); h.State != stConnected {
		t.Fatalf("takeover hello = %+v", h)
	}

	if err := c.Drop(bg, phone, 0.3); err != nil {
		t.Fatal(err)
	}
	dev.ended()
	if st := dev.connect(true); st != http.StatusServiceUnavailable {
		t.Fatalf("reconnect during a drop: %d, want 503", st)
	}
	time.Sleep(350 * time.Millisecond)
	if st := dev.connect(true); st != http.StatusOK {
		t.Fatalf("reconnect after the drop: %d", st)
	}
	dev.next("hello")

	if err := c.Unlink(bg, phone); err != nil {
		t.Fatal(err)
	}
	dev.next("logout")
	dev.connect(true)
	if h := dev.next("hello"); !h.LoggedOut {
		t.Fatalf("reconnect with a revoked token: %+v, want loggedOut", h)
	}
	dev.token = ""
	dev.connect(false)
	if h := dev.next("hello"); h.State != stUnpaired || h.Ref == "" {
		t.Fatalf("after logout: %+v, want a new QR", h)
	}
}

func TestStateFileRoundTrip(t *testing.T) {
	file := t.TempDir() + "/state.json"
	s, c := startServer(t, Options{Timings: fastTimings(), StateFile: file})
	const phone = "15550007777"
	dev := newFakeDevice(t, c)
	dev.pair(c, phone)
	var res struct{ Result string }
	dev.call("send", map[string]any{"chat": "15550100001@c.us", "id": "3EB0PERSIST", "body": "kept"}, &res)
	dev.close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	_, c2 := startServer(t, Options{Timings: fastTimings(), StateFile: file})
	if got := deviceState(t, c2, dev.id); got.Phone != phone || got.State != stOpening {
		t.Fatalf("restored device = %+v, want paired and OPENING", got)
	}
	sent, err := c2.Sent(bg, phone)
	if err != nil || len(sent) != 1 || sent[0].ID != "3EB0PERSIST" {
		t.Fatalf("restored sent log = %+v, %v", sent, err)
	}
	dev.base = strings.TrimSuffix(c2.BaseURL, "/")
	dev.connect(false)
	if h := dev.next("hello"); h.State != stConnected || h.Phone != phone {
		t.Fatalf("reconnect to the restarted server: %+v", h)
	}
	var ids struct{ Messages []message }
	dev.call("byid", map[string]any{"ids": []string{"true_15550100001@c.us_3EB0PERSIST"}}, &ids)
	if len(ids.Messages) != 1 || ids.Messages[0].Body != "kept" || !ids.Messages[0].FromMe {
		t.Fatalf("byid after restart = %+v", ids.Messages)
	}
}

func TestAutoPair(t *testing.T) {
	_, c := startServer(t, Options{Timings: fastTimings()})
	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	go AutoPair(ctx, c, "15550008888", 0)
	dev := newFakeDevice(t, c)
	dev.connect(false)
	dev.next("hello")
	if p := dev.next("paired"); p.Phone != "15550008888" {
		t.Fatalf("auto-paired with %q", p.Phone)
	}
}

func TestErrorsAreJSON(t *testing.T) {
	_, c := startServer(t, Options{Timings: fastTimings()})
	res, err := http.Post(c.BaseURL+"sim/inbound", "application/json", bytes.NewReader([]byte(`{"phone":"x"}`)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct{ Error string }
	if res.StatusCode != http.StatusBadRequest || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, content type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if jsonErr := json.NewDecoder(res.Body).Decode(&body); jsonErr != nil || body.Error == "" {
		t.Fatalf("error body: %v %q", jsonErr, body.Error)
	}
}

func TestPageLogoutRevokesItsToken(t *testing.T) {
	_, c := startServer(t, Options{Timings: fastTimings()})
	dev := newFakeDevice(t, c)
	dev.pair(c, "15550009191")
	if st := dev.call("logout", nil, nil); st != http.StatusOK {
		t.Fatalf("logout: %d", st)
	}
	if got := deviceState(t, c, dev.id); got.Phone != "" {
		t.Fatalf("device still paired after logout: %+v", got)
	}
	dev.connect(true)
	if h := dev.next("hello"); !h.LoggedOut {
		t.Fatalf("reconnect after logout: %+v, want loggedOut", h)
	}
}
