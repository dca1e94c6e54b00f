// The action functions that libraries call: chats, sending, reading, the
// link-code flow.
import { createWid } from './kit.js';
import { post } from './net.js';
import { Msg, MsgModel, Socket, Stream, addMsg, byRawId, session, upsertChat } from './store.js';
import { online } from './socket.js';

export async function findOrCreateLatestChat(wid) {
  const id = createWid(wid);
  const r = await post('chat', { chat: String(id) });
  return { chat: upsertChat(r.chat), created: r.created };
}

export async function queryWidExists(wid) {
  const r = await post('exists', { chat: String(createWid(wid)) });
  return r.wid ? { wid: createWid(r.wid), biz: false } : null;
}

// addAndSendMsgToChat adds the message at once (ack 0) and sends it; a
// message with the same key (a retry) is sent again and updated in place.
export function addAndSendMsgToChat(chat, obj) {
  const key = obj.id;
  let msg = Msg.get(key);
  if (msg) {
    msg.set({ body: obj.body, t: obj.t, ack: 0 });
  } else {
    msg = new MsgModel({
      ...obj, id: key, type: obj.type || 'chat', ack: 0, isNewMsg: true,
      from: obj.from && createWid(obj.from), to: obj.to && createWid(obj.to),
    });
    chat.msgs.add(msg);
    Msg.add(msg);
    byRawId.set(key.id, msg);
    if (obj.t >= (chat.t || 0)) chat.t = obj.t;
  }
  const result = (async () => {
    try {
      await online();
      const r = await post('send', {
        chat: String(chat.id), id: key.id, body: obj.body, t: obj.t,
        participant: key.participant ? String(key.participant) : '',
      });
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

// getMessagesById asks the server, so a reloaded page finds what it sent.
export async function getMessagesById(ids) {
  const r = await post('byid', { ids: ids.map(String) });
  return { messages: r.messages.map((m) => addMsg(m, false, false)) };
}

// loadEarlierMsgs takes {chat} (or, as older builds did, the chat) and
// prepends the next older page to chat.msgs.
export async function loadEarlierMsgs(arg) {
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

// sendSeen, like WhatsApp Web since 2025-07, does nothing unless the
// presence is available (Stream.markAvailable()).
export async function sendSeen(arg) {
  const chat = arg && arg.chat ? arg.chat : arg;
  if (!Stream.available) return;
  await post('seen', { chat: String(chat.id), unread: 0 });
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

export async function initializeAltDeviceLinking() { linking.altReady = true; }

export async function initializeQRLinking() {
  linking.altReady = false;
  linking.type = PairingType.QR_CODE;
}

// showNotification would push to the phone; there is no phone app here.
export async function startAltLinkingFlow(phone, _showNotification) {
  if (session.me) throw new Error('startAltLinkingFlow: already logged in');
  if (linking.type !== PairingType.ALT_DEVICE_LINKING || !linking.altReady) {
    throw new Error('startAltLinkingFlow: call setPairingType(ALT_DEVICE_LINKING) and initializeAltDeviceLinking() first');
  }
  const r = await post('linkcode', { phone: String(phone).replace(/\D/g, '') });
  return r.code;
}
