// The action functions that libraries call: chats, sending, reading, the
// link-code flow.
import { build } from './build.js';
import { MsgKey, createWid } from './kit.js';
import { keys, outbox, post, rotateAdv } from './net.js';
import { Chat, Msg, MsgModel, Socket, Stream, addMsg, byRawId, learnLid, session, twins, upsertChat } from './store.js';
import { online } from './socket.js';

// findOrCreateLatestChat answers the chat model; builds with LID answer a
// plain object whose id may be the contact's LID chat, and throw "No LID
// for user" for a number whose LID the page has not learned.
export async function findOrCreateLatestChat(wid, _origin) {
  const id = createWid(wid);
  const r = await post('chat', { chat: String(id) });
  const chat = upsertChat(r.chat);
  if (!build.lid) return { chat, created: r.created };
  return { chat: { id: chat.id, t: chat.t, name: chat.name, unreadCount: chat.unreadCount }, created: r.created };
}

export async function queryWidExists(wid) {
  const r = await post('exists', { chat: String(createWid(wid)) });
  if (!r.wid) return null;
  if (r.lid) learnLid(r.wid, r.lid);
  return { wid: createWid(r.wid), biz: false };
}

export function getCurrentLid(wid) { return twins.get(String(createWid(wid))); }

export function getPhoneNumber(wid) { return twins.get(String(createWid(wid))); }

// addAndSendMsgToChat adds the message at once (ack 0) and sends it. Older
// builds answer [added, result] at once and send a key they already hold
// again, updating it in place; builds with the page's own queue answer a
// promise of it, refuse a key they hold, and keep the message in IndexedDB
// until the server has it.
export function addAndSendMsgToChat(chat, obj) {
  if (build.ownQueue) return addAndQueue(chat, obj);
  const key = obj.id;
  let msg = Msg.get(key);
  if (msg) msg.set({ body: obj.body, t: obj.t, ack: 0 });
  else msg = addLocal(chat, obj);
  const result = (async () => {
    try {
      await online();
      const r = await post('send', wire(chat.id, key, obj));
      if (r.result !== 'OK') {
        msg.ack = -1;
        return { messageSendResult: r.result };
      }
      if (msg.ack < r.ack) msg.ack = r.ack;
      return { messageSendResult: 'OK' };
    } catch {
      msg.ack = -1;
      return { messageSendResult: 'ERROR_NETWORK' };
    }
  })();
  return [Promise.resolve(msg), result];
}

// addLocal adds a message of ours at ack 0: new when it is being sent now,
// not new when the page brings back one it queued in an earlier life.
function addLocal(chat, obj, isNew = true) {
  const msg = new MsgModel({
    ...obj, id: obj.id, type: obj.type || 'chat', ack: 0, isNewMsg: isNew,
    from: obj.from && createWid(obj.from), to: obj.to && createWid(obj.to),
  });
  if (chat) {
    chat.msgs.add(msg);
    if (obj.t >= (chat.t || 0)) chat.t = obj.t;
  }
  Msg.add(msg);
  byRawId.set(obj.id.id, msg);
  return msg;
}

// wire is a send as the server takes it; a reply names what it quotes.
function wire(chatId, key, obj) {
  return {
    chat: String(chatId), id: key.id, body: obj.body, t: obj.t, participant: key.participant ? String(key.participant) : '',
    from: obj.from ? String(obj.from) : '', ephemeralDuration: obj.ephemeralDuration || 0,
    quotedStanzaID: obj.quotedStanzaID || '', quotedParticipant: obj.quotedParticipant ? String(obj.quotedParticipant) : '',
  };
}

// canReplyMsg says whether a message can be quoted: not once deleted,
// not a notification, not while it cannot be read.
export function canReplyMsg(msg) {
  if (!msg || typeof msg.unsafe !== 'function') throw new TypeError('canReplyMsg takes a message model');
  return !msg.isNotification && !['revoked', 'ciphertext'].includes(msg.type);
}

// getEphemeralFields are the disappearing-message fields a message to the
// chat carries.
export function getEphemeralFields(chat) {
  const d = chat.ephemeralDuration || 0;
  return d ? { ephemeralDuration: d, ephemeralSettingTimestamp: chat.ephemeralSettingTimestamp || 0 } : { ephemeralDuration: 0 };
}

async function addAndQueue(chat, obj) {
  const key = obj.id;
  if (Msg.get(key)) throw new Error('addAndSendMsgToChat: the page already holds message ' + key);
  const me = session.me && session.me.lid;
  if (build.lid && chat.groupMetadata && chat.groupMetadata.isLidAddressingMode && !(me && me.equals(key.participant))) {
    throw new Error('addAndSendMsgToChat: a group in LID addressing mode needs our LID as the participant');
  }
  const msg = addLocal(chat, obj);
  const entry = wire(chat.id, key, obj);
  await outbox.put(String(key), entry);
  return [Promise.resolve(msg), deliver(String(key), msg, entry, false)];
}

const delivering = new Set(); // keys this page life is sending now

// deliver sends a queued message until the server answers; a lost
// connection keeps it queued and it goes again once the page is back.
async function deliver(key, msg, entry, resend) {
  delivering.add(key);
  try {
    for (;;) {
      await online();
      let r;
      try {
        r = await post('send', { ...entry, resend });
      } catch {
        resend = true;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      await outbox.del(key);
      if (r.result !== 'OK') {
        msg.ack = -1;
        return { messageSendResult: r.result };
      }
      if (msg.ack < r.ack) msg.ack = r.ack;
      return { messageSendResult: 'OK' };
    }
  } finally {
    delivering.delete(key);
  }
}

// resendQueued sends again what the queue kept from an earlier page life,
// showing each message as pending meanwhile, as WhatsApp Web does.
export async function resendQueued() {
  if (!build.ownQueue) return;
  for (const entry of await outbox.all()) {
    const key = new MsgKey({ fromMe: true, remote: entry.chat, id: entry.id, participant: entry.participant || undefined });
    if (delivering.has(String(key))) continue;
    let msg = Msg.get(key);
    if (!msg) {
      const me = session.me && session.me.pn;
      msg = addLocal(Chat.get(entry.chat), { id: key, body: entry.body, t: entry.t, from: me, to: entry.chat, self: 'out', local: true }, false);
    }
    deliver(String(key), msg, entry, true).catch(() => {});
  }
}

// getMessagesById asks the server, so a reloaded page finds what it sent.
export async function getMessagesById(ids) {
  const r = await post('byid', { ids: ids.map(String) });
  return { messages: r.messages.map((m) => addMsg(m, false, false)) };
}

// loadEarlierMsgs takes {chat} (or, in builds before the strict ones, the
// chat itself) and prepends the next older page to chat.msgs.
export async function loadEarlierMsgs(arg) {
  if (build.strictMsgKey && !(arg && arg.chat)) throw new TypeError("Cannot read properties of undefined (reading 'msgs')");
  const chat = arg && arg.chat ? arg.chat : arg;
  const state = chat.msgs.msgLoadState;
  if (state.noEarlierMsgs) return [];
  const first = chat.msgs.at(0);
  state.isLoadingEarlierMsgs = true;
  try {
    const r = await post('earlier', { chat: String(chat.id), before: first ? first.id.id : '', t: first ? first.t : 0 });
    if (!r.more) state.noEarlierMsgs = true;
    return r.messages.map((m) => addMsg(m, false));
  } finally {
    state.isLoadingEarlierMsgs = false;
  }
}

// sendSeen takes {chat} (the positional form went away in 2.3000.1031992593,
// before every build played here) and, like WhatsApp Web since 2025-07,
// does nothing unless the presence is available (Stream.markAvailable()).
// It sends read receipts and zeroes the chat's unread count.
export async function sendSeen(arg) {
  const chat = arg.chat;
  if (!chat || !chat.msgs) throw new TypeError("Cannot read properties of undefined (reading 'id')");
  if (!Stream.available) return;
  await post('seen', { chat: String(chat.id), unread: 0, receipts: true });
  chat.unreadCount = 0;
}

export async function markChatUnread(chat, unread) {
  await post('seen', { chat: String(chat.id), unread: unread ? -1 : 0 });
  chat.unreadCount = unread ? -1 : 0;
}

export async function refreshQR() {
  if (Socket.state === 'UNPAIRED' || Socket.state === 'UNPAIRED_IDLE') await post('refresh');
}

// The link-code flow: the pairing type must be ALT_DEVICE_LINKING and
// initializeAltDeviceLinking() must have run, as in WhatsApp Web.
export const PairingType = { QR_CODE: 'QR_CODE', ALT_DEVICE_LINKING: 'ALT_DEVICE_LINKING' };
const linking = { type: PairingType.QR_CODE, altReady: false };

export function setPairingType(t) { linking.type = t; }

// Setting up either method makes a new ADV secret in builds that rotate it.
export async function initializeAltDeviceLinking() {
  linking.altReady = true;
  if (build.advRotates) await rotateAdv(linkingByCode());
}

export async function initializeQRLinking() {
  linking.altReady = false;
  linking.type = PairingType.QR_CODE;
  if (build.advRotates) await rotateAdv(false);
}

// getADVSecretKey is null while linking by code in builds that rotate it.
export function getADVSecretKey() {
  return build.advRotates && linkingByCode() ? null : keys.adv;
}

export function linkingByCode() { return linking.type === PairingType.ALT_DEVICE_LINKING; }

// showNotification would push to the phone; there is no phone app here.
export async function startAltLinkingFlow(phone, _showNotification) {
  if (session.me) throw new Error('startAltLinkingFlow: already logged in');
  if (linking.type !== PairingType.ALT_DEVICE_LINKING || !linking.altReady) {
    throw new Error('startAltLinkingFlow: call setPairingType(ALT_DEVICE_LINKING) and initializeAltDeviceLinking() first');
  }
  const r = await post('linkcode', { phone: String(phone).replace(/\D/g, '') });
  return r.code;
}
