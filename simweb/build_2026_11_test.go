package simweb

import (
	"context"
	"errors"
	"testing"
)

// pairedPage opens a browser on a fresh stand-in of build, pairs it with
// phone by scanning its QR and waits for the chats.
func pairedPage(t *testing.T, build, phone string) (*Client, context.Context) {
	t.Helper()
	_, c := startServer(t, Options{Timings: DefaultTimings().Scale(0.02), Build: build})
	a := newBrowser(t)
	navigate(t, a, c.BaseURL)
	waitJS(t, a, `require('WAWebSocketModel').Socket.state === 'UNPAIRED'`)
	if err := c.Scan(bg, onlyDevice(t, c, "").QR, phone); err != nil {
		t.Fatal(err)
	}
	waitJS(t, a, `require('WAWebSocketModel').Socket.hasSynced`)
	return c, a
}

// sentOnce fails unless the server logged exactly one send with this id.
func sentOnce(t *testing.T, c *Client, phone, id string) {
	t.Helper()
	log, err := c.Sent(bg, phone)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range log {
		if m.ID == id {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the server logged message %s %d times, want once: %+v", id, n, log)
	}
}

func TestBuild202611KeysAndDuplicates(t *testing.T) {
	const phone = "15550123401"
	c, a := pairedPage(t, "2026-11", phone)
	mixed := js[string](t, a, `(() => { try { const MsgKey = require('WAWebMsgKey');
	  new MsgKey({ from: require('WAWebUserPrefsMeUser').getMaybeMePnUser(), to: '15550100001@c.us', id: '3EB0AA', selfDir: 'out', fromMe: true });
	  return 'accepted'; } catch (e) { return e.message; } })()`)
	if mixed != "MsgKey error: unclear which constructor to use" {
		t.Fatalf("a MsgKey of both forms: %q", mixed)
	}

	positional := js[string](t, a, `(async () => { const r = window.require, chat = r('WAWebCollections').Chat.getModelsArray()[0];
	  try { await r('WAWebChatLoadMessages').loadEarlierMsgs(chat); return 'loaded'; } catch (e) { return e.name; } })()`)
	if positional != "TypeError" {
		t.Fatalf("loadEarlierMsgs(chat) in a strict build: %q, want a TypeError", positional)
	}

	sent := js[sendResult](t, a, sendText("15550100001@c.us", "once", "null"))
	if sent.Result != "OK" || len(sent.ID) != 22 {
		t.Fatalf("send = %+v", sent)
	}
	again := js[string](t, a, `(async () => { const r = window.require;
	  try { await r('WAWebSendMsgChatAction').addAndSendMsgToChat(r('WAWebCollections').Chat.get('15550100001@c.us'),
	    { id: window.lastKey, ack: 0, body: 'twice', t: 1, type: 'chat' }); return 'accepted'; } catch (e) { return 'refused'; } })()`)
	if again != "refused" {
		t.Fatal("the page took a second message with a key it holds")
	}
	sentOnce(t, c, phone, sent.ID)

	lookup := `(ids) => require('WAWebCollections').Msg.getMessagesById(ids).then((r) => r.messages.length)`
	if n := js[int](t, a, `(`+lookup+`)(['`+sent.ID+`'])`); n != 0 {
		t.Fatalf("getMessagesById found %d messages by the bare id, want none", n)
	}
	if n := js[int](t, a, `(`+lookup+`)(['`+sent.Key+`'])`); n != 1 {
		t.Fatalf("getMessagesById found %d messages by the whole key, want 1", n)
	}
}

func TestBuild202611PageResendsItsOwnQueue(t *testing.T) {
	const phone = "15550123402"
	c, a := pairedPage(t, "2026-11", phone)
	// Offline, the page keeps the message; reloaded, it still has it and
	// sends it by itself once the phone is back.
	if err := c.Drop(bg, phone, 3); err != nil {
		t.Fatal(err)
	}
	waitJS(t, a, `require('WAWebSocketModel').Socket.state !== 'CONNECTED'`)
	js[bool](t, a, `(() => { window.pending = (async () => { const r = window.require, MsgKey = r('WAWebMsgKey');
	  const pn = r('WAWebWidFactory').createWid('15550100002@c.us');
	  const chat = r('WAWebCollections').Chat.get(r('WAWebApiContact').getCurrentLid(pn)), me = r('WAWebUserPrefsMeUser').getMaybeMePnUser();
	  const key = new MsgKey({ from: me, to: chat.id, id: '3EB0112233445566778899', selfDir: 'out' });
	  const [, res] = await r('WAWebSendMsgChatAction').addAndSendMsgToChat(chat,
	    { id: key, ack: 0, body: 'queued', from: me, to: chat.id, t: Math.floor(Date.now() / 1000), type: 'chat' });
	  window.queued = true; return res; })(); return true; })()`)
	// The page answers the add once the message is in IndexedDB.
	waitJS(t, a, `window.queued && require('WAWebCollections').Msg.getModelsArray().some((m) => m.body === 'queued' && m.ack === 0)`)
	navigate(t, a, c.BaseURL)
	waitJS(t, a, `require('WAWebSocketModel').Socket.hasSynced`)
	waitJS(t, a, `require('WAWebCollections').Msg.getModelsArray().some((m) => m.body === 'queued' && m.ack >= 1)`)
	sentOnce(t, c, phone, "3EB0112233445566778899")
}

func TestBuild202611ContactsOnLID(t *testing.T) {
	const phone = "15550123403"
	c, a := pairedPage(t, "2026-11", phone)
	if got := js[string](t, a, `(() => { const r = window.require, { Chat } = r('WAWebCollections');
	  const alice = r('WAWebWidFactory').createWid('15550100001@c.us'), lid = r('WAWebApiContact').getCurrentLid(alice);
	  const group = Chat.getModelsArray().find((c) => c.id.server === 'g.us');
	  return [!!Chat.get(alice), lid.server, String(r('WAWebApiContact').getPhoneNumber(lid)), !!Chat.get(lid),
	    group.groupMetadata.isLidAddressingMode].join(); })()`); got != "false,lid,15550100001@c.us,true,true" {
		t.Fatalf("the seeded contact and group: %s", got)
	}

	// A number the page has not asked about has no LID yet; once asked, its
	// chat is a LID chat, handed back as a plain object.
	find := `require('WAWebFindChatAction').findOrCreateLatestChat(require('WAWebWidFactory').createWid('15550100044@c.us'), 'createChat')`
	if got := js[string](t, a, find+`.then(() => 'found', (e) => e.message)`); got != "No LID for user" {
		t.Fatalf("findOrCreateLatestChat before queryWidExists: %q", got)
	}
	got := js[string](t, a, `(async () => { const r = window.require;
	  const exists = await r('WAWebQueryExistsJob').queryWidExists(r('WAWebWidFactory').createWid('15550100044@c.us'));
	  const res = await `+find+`;
	  return [String(exists.wid), res.chat.id.server, res.chat.msgs === undefined, !!r('WAWebCollections').Chat.get(res.chat.id)].join(); })()`)
	if got != "15550100044@c.us,lid,true,true" {
		t.Fatalf("after queryWidExists: %s", got)
	}

	// Inbound from a number lands in its LID chat; a number the fault keeps
	// without a LID stays unreachable.
	if err := c.Faults(bg, Faults{Phone: phone, NoLID: []string{"15550100055"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Inbound(bg, phone, "15550100066", "from a new number", 1); err != nil {
		t.Fatal(err)
	}
	waitJS(t, a, `require('WAWebCollections').Msg.getModelsArray().some((m) => m.body === 'from a new number' && m.id.remote.server === 'lid')`)
	got = js[string](t, a, `(async () => { const r = window.require, wid = r('WAWebWidFactory').createWid('15550100055@c.us');
	  const exists = await r('WAWebQueryExistsJob').queryWidExists(wid);
	  return r('WAWebFindChatAction').findOrCreateLatestChat(wid, 'createChat').then(() => 'found', (e) => String(!!exists) + ',' + e.message); })()`)
	if got != "true,No LID for user" {
		t.Fatalf("a number without a LID: %s", got)
	}
}

func TestBuild202611QRRefreshAndADVSecret(t *testing.T) {
	_, c := startServer(t, Options{Timings: DefaultTimings().Scale(0.1), Build: "2026-11"})
	a := newBrowser(t)
	navigate(t, a, c.BaseURL)
	waitJS(t, a, `require('WAWebSocketModel').Socket.state === 'UNPAIRED' && require('WAWebUserPrefsMultiDevice')`)
	if js[bool](t, a, `typeof require('WAWebCmd').Cmd.refreshQR === 'undefined'`) != true {
		t.Fatal("Cmd.refreshQR exists in a build that removed it")
	}
	js[bool](t, a, `(() => { window.advChanges = 0; window.refAtStart = require('WAWebConnModel').Conn.ref;
	  require('WAWebUserPrefsMultiDevice').advSecretEventEmitter.on('change', () => window.advChanges++); return true; })()`)
	old := onlyDevice(t, c, "").QR
	if err := c.CompanionRefresh(bg, ""); err != nil {
		t.Fatal(err)
	}
	waitJS(t, a, `window.advChanges === 1`)
	if js[bool](t, a, `require('WAWebConnModel').Conn.ref === window.refAtStart`) != true {
		t.Fatal("a companion_reg_refresh changed the ref")
	}
	now := js[string](t, a, qrPayload)
	if now == old || onlyDevice(t, c, "").QR != now {
		t.Fatalf("after the refresh the page shows %q and the server %q (before: %q)", now, onlyDevice(t, c, "").QR, old)
	}
	if err := c.Scan(bg, old, "15550123404"); !errors.Is(err, ErrStale) {
		t.Fatalf("scanning a code of the old ADV secret: %v, want ErrStale", err)
	}

	// Linking by code: a new secret, none to draw a QR code from; back to
	// QR: another one, and the event bus refreshes the ref.
	if got := js[string](t, a, `(async () => { const L = require('WAWebAltDeviceLinkingApi');
	  L.setPairingType('ALT_DEVICE_LINKING'); await L.initializeAltDeviceLinking();
	  return String(require('WAWebUserPrefsMultiDevice').getADVSecretKey()) + ',' + window.advChanges; })()`); got != "null,2" {
		t.Fatalf("while linking by code: %s", got)
	}
	if d := onlyDevice(t, c, ""); d.QR != "" {
		t.Fatalf("while linking by code /sim/state shows a QR code to scan: %q", d.QR)
	}
	js[bool](t, a, `(async () => { const L = require('WAWebAltDeviceLinkingApi');
	  L.setPairingType('QR_CODE'); await L.initializeQRLinking();
	  require('WAWebBackendEventBus').BackendEventBus.triggerRefreshQR(); return true; })()`)
	waitJS(t, a, `window.advChanges === 3 && require('WAWebConnModel').Conn.ref !== window.refAtStart`)
}

// TestBuild202605RefusesLaterBehaviours: faults of later builds are
// refused by an older one rather than played wrong.
func TestBuild202605RefusesLaterBehaviours(t *testing.T) {
	_, c := startServer(t, Options{Timings: fastTimings(), Build: "2026-05"})
	dev := newFakeDevice(t, c)
	dev.connect(false)
	dev.next("hello")
	if err := c.CompanionRefresh(bg, ""); !errors.Is(err, ErrStale) {
		t.Fatalf("companion refresh on 2026-05: %v, want a 409", err)
	}
	dev.pair(c, "15550123405")
	if err := c.InboundKind(bg, "15550123405", "15550100001", "a photo", "image", 1); !errors.Is(err, ErrStale) {
		t.Fatalf("an image on 2026-05: %v, want a 409", err)
	}
	if err := c.InboundKind(bg, "15550123405", "15550100001", "hi", "video", 1); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("an unknown kind: %v, want a 400", err)
	}
}
