// The page's live objects: the socket, stream and connection models, the
// command bus and the Chat/Msg/Contact collections.
import { Collection, Emitter, Model, MsgKey, createWid } from './kit.js';

class SocketModel extends Model {}
SocketModel.props('state', 'stream', 'hasSynced');

class StreamModel extends Model {
  markAvailable() { this.available = true; }
  markUnavailable() { this.available = false; }
}
StreamModel.props('mode', 'info', 'displayInfo', 'available', 'needsUpdate');

class ConnModel extends Model {}
ConnModel.props('ref', 'platform', 'wid', 'pushname');

class ChatModel extends Model {
  get hasUnread() { return this.unreadCount !== 0; }
  serialize() {
    const out = super.serialize();
    out.lastReceivedKey = this.lastReceivedKey && String(this.lastReceivedKey);
    return out;
  }
}
ChatModel.props('id', 'name', 'formattedTitle', 'unreadCount', 't', 'isGroup', 'groupMetadata', 'ephemeralDuration',
  'archive', 'pin', 'isReadOnly', 'msgs', 'lastReceivedKey');

export class MsgModel extends Model {}
MsgModel.props('id', 'body', 'type', 't', 'ack', 'from', 'to', 'author', 'isNewMsg', 'self', 'local',
  'caption', 'mimetype', 'mediaKey', 'directPath', 'isNotification', 'ephemeralDuration');

class ContactModel extends Model {}
ContactModel.props('id', 'name', 'pushname', 'formattedName', 'isMyContact', 'isGroup', 'isUser');

class GroupMetadataModel extends Model {}
GroupMetadataModel.props('id', 'subject', 'participants', 'isLidAddressingMode');

export const Socket = new SocketModel({ state: 'OPENING', stream: 'DISCONNECTED', hasSynced: false });
export const Stream = new StreamModel({ mode: undefined, info: 'OPENING', displayInfo: 'OPENING', available: false, needsUpdate: false });
export const Conn = new ConnModel({ ref: undefined, platform: undefined });
export const Cmd = new Emitter();
Cmd.isMainLoaded = false;

const byT = (m) => m.t;
export const Chat = new Collection();
export const Msg = new Collection(byT);
export const Contact = new Collection();

// byRawId finds a message by its raw id, which is what acks carry.
export const byRawId = new Map();

// twins maps a contact's phone-number id to its LID id and back, as far as
// the page has learned it.
export const twins = new Map();

export function learnLid(pn, lid) {
  twins.set(String(pn), createWid(lid));
  twins.set(String(lid), createWid(pn));
}

// me is the logged-in account, {pn, lid} wids, or null.
export const session = { me: null };

// upsertChat adds or updates a chat from the server's {id, name, isGroup,
// unreadCount, t}. Without withUnread the count is left to addMsg, which
// raises it for each new message.
export function upsertChat(c, withUnread = true) {
  const unreadCount = withUnread ? c.unreadCount : 0;
  if (c.pn) learnLid(c.pn, c.id);
  let chat = Chat.get(c.id);
  if (chat) {
    chat.set({ name: c.name, formattedTitle: c.name, ephemeralDuration: c.ephemeralDuration || 0 });
    if (withUnread) chat.unreadCount = unreadCount;
    if (c.t > (chat.t || 0)) chat.t = c.t;
    return chat;
  }
  const id = createWid(c.id);
  upsertContact(id, c.name);
  const msgs = new Collection(byT);
  msgs.msgLoadState = { noEarlierMsgs: false, isLoadingEarlierMsgs: false };
  chat = new ChatModel({
    id, name: c.name, formattedTitle: c.name, unreadCount, t: c.t, ephemeralDuration: c.ephemeralDuration || 0,
    isGroup: c.isGroup, archive: false, pin: 0, isReadOnly: false, msgs, lastReceivedKey: undefined,
    groupMetadata: c.isGroup ? new GroupMetadataModel({
      id, subject: c.name, participants: new Collection(), isLidAddressingMode: !!c.isLidAddressingMode,
    }) : undefined,
  });
  return Chat.add(chat);
}

export function upsertContact(id, name) {
  if (Contact.get(id)) return;
  const known = !name.startsWith('+');
  Contact.add(new ContactModel({
    id, name: known ? name : undefined, pushname: name, formattedName: name,
    isMyContact: known, isGroup: id.isGroup(), isUser: id.isUser(),
  }));
}

// content is what a server message shows: text, or media with a caption
// and a thumbnail body, or a notification.
export function content(m) {
  const type = m.type || 'chat';
  const c = { type, body: m.body, isNotification: type.startsWith('notification') };
  if (type === 'image') {
    Object.assign(c, { caption: m.caption, mimetype: 'image/jpeg', mediaKey: m.id.slice(0, 8), directPath: '/v/t62.7118-24/' + m.id });
  }
  return c;
}

// addMsg adds a server message {id, fromMe, remote, author, body, t, ack}
// to Msg and to its chat (inChat), or updates the one already there.
export function addMsg(m, isNew, inChat = true) {
  const chat = Chat.get(m.remote);
  const remote = createWid(m.remote);
  const participant = remote.isGroup() && m.author ? m.author : undefined;
  const id = new MsgKey({ fromMe: m.fromMe, remote, id: m.id, participant });
  let msg = Msg.get(id);
  if (msg) {
    if (m.ack > msg.ack) msg.ack = m.ack;
  } else {
    const me = session.me && session.me.pn;
    msg = new MsgModel({
      id, t: m.t, ack: m.ack, ...content(m),
      from: m.fromMe ? me : remote, to: m.fromMe ? remote : me,
      author: participant ? createWid(participant) : undefined,
      isNewMsg: isNew, self: m.fromMe ? 'out' : 'in', local: false,
    });
  }
  if (chat && inChat && !chat.msgs.has(id)) {
    if (isNew && !m.fromMe && !msg.isNotification) chat.unreadCount = Math.max(chat.unreadCount, 0) + 1;
    if (m.t >= (chat.t || 0)) {
      chat.t = m.t;
      chat.lastReceivedKey = id;
    }
    chat.msgs.add(msg);
  }
  byRawId.set(m.id, msg);
  return Msg.add(msg);
}
