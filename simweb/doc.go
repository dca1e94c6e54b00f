// Package simweb is a local stand-in for https://web.whatsapp.com/: an HTTP
// server that serves a WhatsApp-Web-like page and a JSON control API that
// plays the phone.
//
// The page implements the in-page surface that browser-driven WhatsApp Web
// libraries use (window.Debug.VERSION, window.require('WAWeb…') modules,
// Socket/Stream/Conn models, Backbone-like collections, the QR and link-code
// flows, the DOM mirrors [data-ref] and #pane-side, logout by navigation to
// /?post_logout=1), so that a bridge tested against it is the bridge that runs
// against the real page. The page talks to the server over a private channel
// (an EventSource at /sim/stream plus POSTs to /sim/device/…), the way the real
// page talks to WhatsApp over its websocket; nothing outside this package may
// depend on that channel.
//
// # Model
//
// A device is one browser profile; the page keeps its id, its three public
// keys and its login in IndexedDB, as WhatsApp Web does, so that a killed
// browser keeps them. An account is one phone number; it is created, with
// three seeded chats, the first time a phone pairs a device. Pairing gives the
// device a token that the page keeps, so a reload comes back CONNECTED
// without a QR code. The server owns the QR refs and their rotation, link
// codes, tokens, chats, messages, the log of accepted sends, faults and drops.
// With Options.StateFile set, accounts, tokens, devices, chats, messages and
// the sent log survive a restart (faults and drops do not).
//
// # Builds
//
// The page plays one build (Options.Build, see Builds): what WhatsApp Web
// did at a date. The server puts it in the HTML, the page reads it before
// anything else, and both hold to it: which modules exist, how a QR refresh
// is asked for, whether the ADV secret rotates, whether contacts are on
// LID, how messages are keyed, queued and delivered. Where the real page's
// behaviour is not known, a build takes the stricter reading. Faults of a
// later build are refused (409) by an earlier one.
//
// # Control API (the phone)
//
// Every body is JSON. Errors are {"error":"…"} with status 400 (bad JSON or
// missing/invalid fields), 404 (unknown phone) or 409 (the request does not
// match what the devices show now). Phones are digits only, international
// form, no "+".
//
//	GET  /sim/state
//	     {"devices":[{"id","state","qr","linkCode","phone"}]} for every device
//	     the server knows, in first-seen order. state is the device's
//	     Socket.state (UNLAUNCHED when its page is not connected and it is
//	     not paired, OPENING when a paired device's page is not connected);
//	     qr is the payload shown now (only while UNPAIRED); linkCode is the
//	     live code, formatted XXXX-XXXX; phone is set once paired.
//	POST /sim/scan      {"qr","phone"}
//	     Pairs the device showing exactly this payload (current ref only;
//	     409 otherwise): PAIRING, then CONNECTED after PairDelay, then
//	     hasSynced after SyncDelay.
//	POST /sim/link      {"code","phone"}
//	     Pairs the device that requested this code (dash and case do not
//	     matter). 409 if the code is unknown or expired or was requested for
//	     another phone.
//	POST /sim/unlink    {"phone"}
//	     Logs out every device of the account and revokes its tokens.
//	POST /sim/conflict  {"phone"}
//	     Every connected device of the account goes CONFLICT (opened
//	     elsewhere) until Socket.takeover() or a reload.
//	POST /sim/drop      {"phone","seconds"}
//	     The account's devices lose their connection; the server refuses
//	     them until the time is up, then the pages reconnect on their own and
//	     get what arrived meanwhile as new messages.
//	POST /sim/inbound   {"phone","from","body","count","type"}
//	     count (default 1, at most 10000) text messages from "from" (digits,
//	     or an id ending in @c.us, @g.us or @lid) to the account; with count
//	     > 1 the bodies end in " #1" … " #n". Connected devices get them at
//	     once, the others when they reconnect. The chat is created if needed.
//	     type (builds with rich inbound only; "chat" by default) makes
//	     "ciphertext" (a text that first arrives as an encrypted
//	     placeholder and changes type when decrypted), "image" (body is
//	     the caption, the message body a thumbnail) or "notification" (a
//	     system notice, isNotification, no unread count).
//	GET  /sim/sent?phone=
//	     {"messages":[{"id","to","body","time","from","ephemeralDuration","quoted"}]}:
//	     every text the account's devices sent that the server accepted, in
//	     order, repeats included (a page resending from its own queue what
//	     the server already has is not a repeat); from is the sender id the
//	     message carried, ephemeralDuration its disappearing timer.
//	POST /sim/backlog   {"phone","chats","perChat"}
//	     Leaves perChat unread texts (bodies "backlog <chat> #<n>", a
//	     second apart up to now) in each of chats new contact chats, as if
//	     they arrived while every device was offline long enough for
//	     WhatsApp to hand them over as history: a device gets them with its
//	     next sync,
//	     counted in the chats' unreadCount, the newest page held and the
//	     rest loading earlier, never as new messages. 409 while a device
//	     of the account is online (stop its page first).
//	GET  /sim/read?phone=
//	     {"chats":[{"chat","time","unread"}]}: every chat the account's
//	     devices marked read with sendSeen (read receipts sent), in order,
//	     with its unread count just before (-1: it was marked unread).
//	POST /sim/disappearing {"phone","chat","seconds"}
//	     Sets the disappearing-message timer of one of the account's chats
//	     (digits for a contact; 0 turns it off), as the contact would.
//	POST /sim/faults    {"phone","sendFail","permanent","ackDelayMs","sendDelayMs","notOnWhatsApp","noLid"}
//	     Replaces the phone's faults (the phone need not be paired yet).
//	     Each send fails with probability sendFail: the server does not
//	     accept it and the page's result is ERROR_NETWORK with ack -1. With
//	     permanent, a failed recipient is from then on treated as not on
//	     WhatsApp. notOnWhatsApp lists numbers that never are:
//	     queryWidExists resolves null for them and sends to them fail the
//	     same way. ackDelayMs > 0 replaces Timings.AckDelay for the account.
//	     sendDelayMs > 0 answers each accepted send that late: the message
//	     is delivered at once, the sender hears of it later (crash tests
//	     aim their kills at this window). noLid lists numbers WhatsApp
//	     finds but has no LID for (builds with LID): findOrCreateLatestChat
//	     throws "No LID for user" for them and their messages stay in
//	     phone-number chats.
//
//	POST /sim/companion-refresh {"device"}
//	     Plays WhatsApp's companion_reg_refresh notification to the
//	     connected, unpaired device with this id (every one when empty):
//	     the page makes a new ADV secret under the same ref, so a QR code
//	     drawn before no longer pairs. 409 in builds that keep their
//	     secret, or when no such device is connected.
//
//	POST /sim/message   MessageSpec
//	     One message of any type, with that type's fields (see
//	     MessageSpec), answered {"id"}.
//	POST /sim/edit      {"phone","id","body"}
//	POST /sim/revoke    {"phone","id"}
//	POST /sim/react     {"phone","id","from","emoji"}
//	POST /sim/vote      {"phone","id","from","options"}
//	     Changes of an existing message: an edit of a text or caption,
//	     deletion for everyone (type "revoked"), a reaction ("" takes it
//	     back), a poll vote by option names; one reaction and one vote per
//	     sender. Live devices get them as edit/revoke/react/vote events.
//	POST /sim/group     {"phone","group","action","who","subject"}
//	     add, remove, leave or subject: the group changes and a gp2
//	     notification with that subtype arrives.
//	POST /sim/contact   {"phone","id","name","pushname"}
//	POST /sim/chat      {"phone","chat","muteSeconds","archived","markedUnread"}
//	POST /sim/showcase  {"phone"}
//	     The showcase group: one message of each type (see Showcase).
//	GET  /sim/messages?phone=&chat=
//	     One chat's messages as the phone sees them, acks included (3
//	     once the account's devices sent read receipts).
//
// GET /sim/qr.png?d=<payload> renders a payload as a QR code (the page draws
// it into its canvas).
package simweb
