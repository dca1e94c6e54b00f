package simweb

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"rsc.io/qr"
)

// newBrowser starts a headless Chromium with its own profile; the browser
// ends with the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true))
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
}

// js evaluates expr in the page, awaiting a promise, and decodes the result.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// waitJS polls until expr is truthy; errors (a module not registered yet, a
// navigation) count as false.
func waitJS(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	wrapped := `(() => { try { return !!(` + expr + `); } catch (e) { return false; } })()`
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](wrapped)); err == nil && ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("still false after 10s: %s", expr)
}

// recorder keeps what the page's events say, as a bridge would see it.
const recorder = `(() => {
  const r = window.require, rec = { states: [], refs: [], adds: [], acks: [], unread: [] };
  window.rec = rec;
  r('WAWebSocketModel').Socket.on('change:state', (_m, s) => rec.states.push(s));
  r('WAWebStreamModel').Stream.on('change:info', (_m, i) => rec.states.push('info:' + i));
  r('WAWebConnModel').Conn.on('change:ref', (_m, ref) => rec.refs.push(ref));
  const { Msg, Chat } = r('WAWebCollections');
  Msg.on('add', (m) => rec.adds.push({ body: m.body, isNewMsg: m.isNewMsg, fromMe: m.id.fromMe }));
  Msg.on('change:ack', (m, ack) => rec.acks.push([m.id.id, ack]));
  Chat.on('change:unreadCount', (c, n) => rec.unread.push(n));
  r('WAWebCmd').Cmd.on('logout', () => sessionStorage.setItem('sawLogout', '1'));
  return true;
})()`

// qrPayload builds the payload the way whatsapp-web.js does.
const qrPayload = `(async () => {
  const r = window.require, b64 = r('WABase64').encodeB64;
  const noise = (await r('WAWebUserPrefsInfoStore').waNoiseInfo.get()).staticKeyPair.pubKey;
  const identity = (await r('WAWebSignalStoreApi').waSignalStore.getRegistrationInfo()).identityKeyPair.pubKey;
  return [r('WAWebConnModel').Conn.ref, b64(noise), b64(identity),
    r('WAWebUserPrefsMultiDevice').getADVSecretKey(), r('WAWebCompanionRegClientUtils').DEVICE_PLATFORM].join(',');
})()`

// sendText sends like whatsapp-web.js: a MsgKey with a new id, then
// addAndSendMsgToChat. keyExpr reuses an earlier key (a retry).
func sendText(to, body, keyExpr string) string {
	return `(async () => {
  const r = window.require, MsgKey = r('WAWebMsgKey');
  const wid = r('WAWebWidFactory').createWid('` + to + `');
  const { Chat } = r('WAWebCollections');
  const chat = Chat.get(wid) || Chat.get((await r('WAWebFindChatAction').findOrCreateLatestChat(wid, 'createChat')).chat.id);
  const me = r('WAWebUserPrefsMeUser').getMaybeMePnUser();
  const key = ` + keyExpr + ` || new MsgKey({ from: me, to: chat.id, id: await MsgKey.newId(), participant: undefined, selfDir: 'out' });
  window.lastKey = key;
  const [msgP, resP] = await r('WAWebSendMsgChatAction').addAndSendMsgToChat(chat, { id: key, ack: 0, body: '` + body + `',
    from: me, to: chat.id, local: true, self: 'out', t: Math.floor(Date.now() / 1000), isNewMsg: true, type: 'chat' });
  const msg = await msgP, ackAtAdd = msg.ack, res = await resP;
  return { id: key.id, key: key.toString(), serialized: '_serialized' in key, ackAtAdd, ack: msg.ack,
    result: res.messageSendResult, copies: r('WAWebCollections').Msg.filter((m) => m.id.toString() === key.toString()).length };
})()`
}

type sendResult struct {
	ID, Key, Result string
	Serialized      bool
	AckAtAdd, Ack   int
	Copies          int
}

// canvasShows checks that a PNG data URL draws, module by module, the QR
// code of payload.
func canvasShows(t *testing.T, dataURL, payload string) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(dataURL, "data:image/png;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	code, err := qr.Encode(payload, qr.L)
	if err != nil {
		t.Fatal(err)
	}
	side := code.Size + 8 // with the quiet zone
	scale := img.Bounds().Dx() / side
	if scale == 0 || img.Bounds().Dx() != side*scale || img.Bounds().Dy() != side*scale {
		t.Fatalf("canvas is %v, want a multiple of %d modules", img.Bounds(), side)
	}
	for y := range code.Size {
		for x := range code.Size {
			r, _, _, _ := img.At((x+4)*scale+scale/2, (y+4)*scale+scale/2).RGBA()
			if dark := r < 0x8000; dark != code.Black(x, y) {
				t.Fatalf("canvas module (%d,%d) dark=%v, the payload's QR says %v", x, y, dark, code.Black(x, y))
			}
		}
	}
}

func onlyDevice(t *testing.T, c *Client, except string) Device {
	t.Helper()
	devs, err := c.State(bg)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		if d.ID != except {
			return d
		}
	}
	t.Fatal("no device in /sim/state")
	return Device{}
}

// TestPageLifecycle plays the oldest build; what later builds changed has
// tests of its own.
func TestPageLifecycle(t *testing.T) {
	tm := DefaultTimings().Scale(0.02) // FirstRef 1.2s, NextRef 0.4s
	tm.LoadDelay, tm.ModuleDelay = 500*time.Millisecond, 400*time.Millisecond
	_, c := startServer(t, Options{Timings: tm, Build: "2026-05"})
	const phone = "15550123456"
	a := newBrowser(t)

	// Loading: no Debug, no require; then VERSION; then modules one by one.
	navigate(t, a, c.BaseURL)
	if js[bool](t, a, `typeof window.Debug === 'undefined' && typeof window.require === 'undefined'`) != true {
		t.Fatal("window.Debug or window.require exists before the bundle loaded")
	}
	waitJS(t, a, `window.Debug.VERSION`)
	early := js[string](t, a, `(() => { try { require('WAWebOfflineHandler'); return 'registered'; } catch (e) { return e.message; } })()`)
	if early != `Requiring unknown module "WAWebOfflineHandler"` {
		t.Fatalf("require right after VERSION: %q", early)
	}
	waitJS(t, a, `require('__debug').modulesMap['WAWebOfflineHandler'].exports.OfflineMessageHandler`)

	// QR: the payload from Conn.ref and the keys is the DOM's and the server's.
	waitJS(t, a, `require('WAWebSocketModel').Socket.state === 'UNPAIRED' && document.querySelector('[data-ref] canvas').width > 0`)
	js[bool](t, a, recorder)
	payload := js[string](t, a, qrPayload)
	dev := onlyDevice(t, c, "")
	dataRef := js[string](t, a, `document.querySelector('[data-testid="link-device-qr-code"]').dataset.ref`)
	if payload != dev.QR || payload != dataRef || len(payload) != 219 {
		t.Fatalf("payload %q\n/sim/state %q\ndata-ref %q", payload, dev.QR, dataRef)
	}
	canvas := js[string](t, a, `document.querySelector('canvas[aria-label="Scan this QR code to link a device!"]').toDataURL()`)
	canvasShows(t, canvas, payload)

	// Refs rotate, then the QR goes idle; the reload button asks for more.
	waitJS(t, a, `require('WAWebSocketModel').Socket.state === 'UNPAIRED_IDLE'`)
	refs := js[[]string](t, a, `rec.refs`)
	if len(refs) != tm.Refs-1 {
		t.Fatalf("saw %d ref changes, want %d", len(refs), tm.Refs-1)
	}
	if d := onlyDevice(t, c, ""); d.State != stIdle || d.QR != "" {
		t.Fatalf("idle device in /sim/state = %+v", d)
	}
	if err := chromedp.Do(a, chromedp.Click(chromedp.CSS(`[data-ref] button`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, a, `require('WAWebSocketModel').Socket.state === 'UNPAIRED' && rec.refs.length === `+itoa(tm.Refs))

	// Scan: PAIRING, CONNECTED, then hasSynced with the seeded chats.
	if err := c.Scan(bg, onlyDevice(t, c, "").QR, phone); err != nil {
		t.Fatal(err)
	}
	waitJS(t, a, `require('WAWebSocketModel').Socket.hasSynced && document.querySelector('#pane-side .chat')`)
	states := strings.Join(js[[]string](t, a, `rec.states.filter((s) => !s.startsWith('info:'))`), ",")
	if !strings.HasSuffix(states, "UNPAIRED_IDLE,UNPAIRED,PAIRING,CONNECTED") {
		t.Fatalf("states %s", states)
	}
	if me := js[string](t, a, `require('WAWebUserPrefsMeUser').getMaybeMePnUser()._serialized`); me != phone+"@c.us" {
		t.Fatalf("me = %s", me)
	}
	if n := js[int](t, a, `require('WAWebCollections').Chat.getModelsArray().length`); n != 3 {
		t.Fatalf("%d chats after sync, want 3", n)
	}

	// Send: ack 0 at once, OK, then 1, 2, 3; the server logs it.
	sent := js[sendResult](t, a, sendText("15550100001@c.us", "hello from the test", "null"))
	if sent.Result != "OK" || sent.AckAtAdd != 0 || sent.Serialized || len(sent.ID) != 22 || !strings.HasPrefix(sent.ID, "3EB0") {
		t.Fatalf("send = %+v", sent)
	}
	waitJS(t, a, `rec.acks.filter(([id]) => id === '`+sent.ID+`').map(([, a]) => a).join() === '1,2,3'`)
	log, err := c.Sent(bg, phone)
	if err != nil || len(log) != 1 || log[0].ID != sent.ID || log[0].To != "15550100001@c.us" {
		t.Fatalf("sent log %+v %v", log, err)
	}

	// A refused send gets ack -1; the retry with the same key is updated in
	// place and logged once.
	c.Faults(bg, Faults{Phone: phone, SendFail: 1, NotOnWhatsApp: []string{"15550199999"}})
	failed := js[sendResult](t, a, sendText("15550100002@c.us", "flaky", "null"))
	if failed.Result != "ERROR_NETWORK" || failed.Ack != -1 {
		t.Fatalf("failed send = %+v", failed)
	}
	if js[bool](t, a, `require('WAWebQueryExistsJob').queryWidExists(require('WAWebWidFactory').createWid('15550199999@c.us')).then((r) => r === null)`) != true {
		t.Fatal("queryWidExists found a number that is not on WhatsApp")
	}
	c.Faults(bg, Faults{Phone: phone})
	retried := js[sendResult](t, a, sendText("15550100002@c.us", "flaky", "window.lastKey"))
	if retried.Result != "OK" || retried.ID != failed.ID || retried.Copies != 1 {
		t.Fatalf("retry = %+v", retried)
	}
	if log, _ = c.Sent(bg, phone); len(log) != 2 || log[1].ID != failed.ID {
		t.Fatalf("sent log after the retry: %+v", log)
	}

	// Inbound: new messages fire Msg add with isNewMsg and raise unreadCount;
	// sendSeen needs markAvailable, as on the real page.
	if err := c.Inbound(bg, phone, "15550100009", "ping", 3); err != nil {
		t.Fatal(err)
	}
	waitJS(t, a, `rec.adds.filter((m) => m.isNewMsg && !m.fromMe && m.body.startsWith('ping #')).length === 3`)
	chatExpr := `require('WAWebCollections').Chat.get('15550100009@c.us')`
	if n := js[int](t, a, chatExpr+`.unreadCount`); n != 3 {
		t.Fatalf("unreadCount %d, want 3", n)
	}
	js[bool](t, a, `require('WAWebUpdateUnreadChatAction').sendSeen({ chat: `+chatExpr+`, threadId: undefined }).then(() => true)`)
	if n := js[int](t, a, chatExpr+`.unreadCount`); n != 3 {
		t.Fatal("sendSeen worked without Stream.markAvailable()")
	}
	js[bool](t, a, `(async () => { const S = require('WAWebStreamModel').Stream; S.markAvailable();
	  await require('WAWebUpdateUnreadChatAction').sendSeen({ chat: `+chatExpr+` }); S.markUnavailable(); return true; })()`)
	waitJS(t, a, chatExpr+`.unreadCount === 0 && rec.unread.at(-1) === 0`)
	c.Inbound(bg, phone, "15550100009", "history", 60)
	waitJS(t, a, chatExpr+`.msgs.length === 63`)

	// Reload: the profile's token brings it back without a QR code; older
	// messages load in pages; the server finds the message sent before.
	navigate(t, a, c.BaseURL)
	waitJS(t, a, `require('WAWebSocketModel').Socket.hasSynced`)
	if js[bool](t, a, `require('WAWebConnModel').Conn.ref === undefined && !document.querySelector('[data-ref]')`) != true {
		t.Fatal("the reloaded page showed a QR code")
	}
	if n := js[int](t, a, chatExpr+`.msgs.length`); n != 50 {
		t.Fatalf("%d messages loaded for the chat, want the latest 50", n)
	}
	earlier := js[[]int](t, a, `(async () => { const L = require('WAWebChatLoadMessages'), chat = `+chatExpr+`;
	  const a = await L.loadEarlierMsgs({ chat }), b = await L.loadEarlierMsgs({ chat });
	  return [a.length, b.length, chat.msgs.length, chat.msgs.msgLoadState.noEarlierMsgs ? 1 : 0]; })()`)
	if strings.Trim(strings.Join(strings.Fields(strings.Trim(jsonOf(earlier), "[]")), ""), "") != "13,0,63,1" {
		t.Fatalf("loadEarlierMsgs = %v, want [13 0 63 1]", earlier)
	}
	found := js[string](t, a, `require('WAWebCollections').Msg.getMessagesById(['`+sent.Key+`']).then((r) => r.messages.map((m) => m.body + '/' + m.id.toString()).join())`)
	if found != "hello from the test/"+sent.Key {
		t.Fatalf("getMessagesById = %q", found)
	}

	// Drop: OPENING and OFFLINE, CONNECTING while retrying, then back with
	// what arrived meanwhile delivered as new messages.
	js[bool](t, a, recorder)
	if err := c.Drop(bg, phone, 1); err != nil {
		t.Fatal(err)
	}
	waitJS(t, a, `require('WAWebSocketModel').Socket.state === 'OPENING' && require('WAWebSocketModel').Socket.stream === 'DISCONNECTED'`)
	c.Inbound(bg, phone, "15550100001", "while you were away", 1)
	waitJS(t, a, `require('WAWebSocketModel').Socket.state === 'CONNECTED' && rec.adds.some((m) => m.isNewMsg && m.body === 'while you were away')`)
	if got := strings.Join(js[[]string](t, a, `rec.states`), ","); !strings.HasPrefix(got, "info:OFFLINE,OPENING,info:CONNECTING") || !strings.HasSuffix(got, "info:NORMAL,CONNECTED") {
		t.Fatalf("states during the drop: %s", got)
	}
	if p := js[int](t, a, `require('WAWebOfflineHandler').OfflineMessageHandler.getOfflineDeliveryProgress()`); p != 100 {
		t.Fatalf("offline delivery progress %d, want 100", p)
	}

	// Conflict: opened elsewhere, then taken over.
	c.Conflict(bg, phone)
	waitJS(t, a, `require('WAWebSocketModel').Socket.state === 'CONFLICT' && require('WAWebStreamModel').Stream.mode === 'CONFLICT'`)
	js[bool](t, a, `(require('WAWebSocketModel').Socket.takeover(), true)`)
	waitJS(t, a, `require('WAWebSocketModel').Socket.state === 'CONNECTED'`)

	// Link code: a second profile pairs the same phone with a code.
	b := newBrowser(t)
	navigate(t, b, c.BaseURL)
	waitJS(t, b, `require('WAWebSocketModel').Socket.state === 'UNPAIRED'`)
	refused := js[string](t, b, `require('WAWebAltDeviceLinkingApi').startAltLinkingFlow('`+phone+`', true).then(() => 'resolved', (e) => 'rejected')`)
	if refused != "rejected" {
		t.Fatal("startAltLinkingFlow worked without setPairingType and initializeAltDeviceLinking")
	}
	code := js[string](t, b, `(async () => { const L = require('WAWebAltDeviceLinkingApi');
	  L.setPairingType('ALT_DEVICE_LINKING'); await L.initializeAltDeviceLinking();
	  return L.startAltLinkingFlow('`+phone+`', true); })()`)
	devA := onlyDevice(t, c, "").ID
	devB := onlyDevice(t, c, devA)
	if len(code) != 8 || devB.LinkCode != code[:4]+"-"+code[4:] {
		t.Fatalf("code %q, /sim/state shows %q", code, devB.LinkCode)
	}
	if err := c.Link(bg, code, "15550000001"); err == nil {
		t.Fatal("a link code worked for another phone")
	}
	if err := c.Link(bg, strings.ToLower(code), phone); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, `require('WAWebSocketModel').Socket.hasSynced && require('WAWebUserPrefsMeUser').getMaybeMePnUser().user === '`+phone+`'`)
	js[bool](t, b, recorder)
	c.Inbound(bg, phone, "15550100002", "to both", 1)
	for _, tab := range []context.Context{a, b} {
		waitJS(t, tab, `rec.adds.some((m) => m.isNewMsg && m.body === 'to both')`)
	}

	// Unlink: both pages log out, navigate to post_logout and show a new QR.
	if err := c.Unlink(bg, phone); err != nil {
		t.Fatal(err)
	}
	for _, tab := range []context.Context{a, b} {
		waitJS(t, tab, `location.search === '?post_logout=1' && require('WAWebSocketModel').Socket.state === 'UNPAIRED' && document.querySelector('[data-ref]')`)
		if js[bool](t, tab, `sessionStorage.getItem('sawLogout') === '1' && localStorage.getItem('old-logout-cred') !== null && !localStorage.getItem('last-wid-md')`) != true {
			t.Fatal("logout did not fire Cmd logout, set old-logout-cred and forget the token")
		}
	}
}

func itoa(n int) string { return jsonOf(n) }

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
