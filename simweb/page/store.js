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
  'archive', 'pin', 'isReadOnly', 'msgs', 'lastReceivedKey', 'mute', 'muteExpiration');

// MuteModel is a chat's mute: expiration in unix seconds, -1 for ever.
class MuteModel extends Model {
  get isMuted() { return this.expiration === -1 || this.expiration * 1000 > Date.now(); }
}
MuteModel.props('id', 'expiration');

export class MsgModel extends Model {
  // unsafe is the model itself, as WhatsApp Web's helpers take it.
  unsafe() { return this; }
  // msgContextInfo is what a reply to this message carries, as
  // WhatsApp Web builds it for a send with a quote.
  msgContextInfo(chat) {
    if (!chat || !chat.id) throw new TypeError("Cannot read properties of undefined (reading 'id')");
    return {
      quotedMsg: { type: this.type, body: this.body, caption: this.caption },
      quotedStanzaID: this.id.id,
      quotedParticipant: this.author || this.from,
      quotedRemoteJid: chat.id.equals(this.id.remote) ? undefined : this.id.remote,
    };
  }
}
MsgModel.props('id', 'body', 'type', 't', 'ack', 'from', 'to', 'author', 'isNewMsg', 'self', 'local',
  'caption', 'mimetype', 'mediaKey', 'directPath', 'filehash', 'encFilehash', 'mediaKeyTimestamp', 'isNotification',
  'ephemeralDuration', 'size', 'duration', 'filename', 'pageCount', 'width', 'height', 'isAnimated',
  'lat', 'lng', 'loc', 'vcardFormattedName', 'vcardList', 'pollName', 'pollOptions', 'pollSelectableOptionsCount',
  'subtype', 'recipients', 'quotedMsg', 'quotedStanzaID', 'quotedParticipant', 'quotedRemoteJid', 'mentionedJidList',
  'latestEditMsgKey', 'latestEditSenderTimestampMs', 'hasReaction');

// The reactions to a message (ReactionsModel, by the message's key): one
// aggregate per emoji, each with its senders.
class ReactionsModel extends Model {}
ReactionsModel.props('id', 'reactions');
class ReactionAggregateModel extends Model {
  serialize() { return { ...super.serialize(), senders: this.senders.serialize() }; }
}
ReactionAggregateModel.props('id', 'aggregateEmoji', 'hasReactionByMe', 'senders');
class ReactionSenderModel extends Model {}
ReactionSenderModel.props('id', 'msgKey', 'parentMsgKey', 'reactionText', 'senderUserJid', 'timestamp', 'read', 'orphan');

// A poll vote (PollVoteModel): the options a sender picked, by localId.
class PollVoteModel extends Model {}
PollVoteModel.props('id', 'msgKey', 'parentMsgKey', 'sender', 'selectedOptionLocalIds', 'senderTimestampMs');

class ParticipantModel extends Model {}
ParticipantModel.props('id', 'isAdmin', 'isSuperAdmin');

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
export const Reactions = new Collection();
export const PollVote = new Collection();
Reactions.find = async (key) => Reactions.get(key) || Reactions.add(new ReactionsModel({ id: String(key), reactions: new Collection() }));

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
    settle(chat, c);
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
  settle(chat, c);
  return Chat.add(chat);
}

// settle applies the server's mute, archive, subject and members to chat.
function settle(chat, c) {
  const exp = c.muteExpiration || 0;
  if (!chat.mute) chat.mute = new MuteModel({ id: chat.id, expiration: exp });
  chat.mute.expiration = exp;
  chat.set({ muteExpiration: exp, archive: !!c.archive });
  const meta = chat.groupMetadata;
  if (!meta) return;
  meta.subject = c.name;
  const want = (c.participants || []).map(String);
  for (const p of meta.participants.getModelsArray()) {
    if (!want.includes(String(p.id))) meta.participants.remove(p);
  }
  for (const id of want) {
    if (!meta.participants.has(id)) meta.participants.add(new ParticipantModel({ id: createWid(id), isAdmin: false, isSuperAdmin: false }));
  }
}

// person applies a name the account knows for a user.
export function person(p) {
  const id = createWid(p.id);
  const c = Contact.get(id);
  if (!c) {
    Contact.add(new ContactModel({ id, name: p.name || undefined, pushname: p.pushname || undefined,
      formattedName: p.name || p.pushname || '+' + id.user, isMyContact: !!p.name, isGroup: false, isUser: true }));
    return;
  }
  c.set({ name: p.name || undefined, pushname: p.pushname || undefined, formattedName: p.name || p.pushname || '+' + id.user, isMyContact: !!p.name });
}

export function upsertContact(id, name) {
  if (Contact.get(id)) return;
  const known = !name.startsWith('+');
  Contact.add(new ContactModel({
    id, name: known ? name : undefined, pushname: name, formattedName: name,
    isMyContact: known, isGroup: id.isGroup(), isUser: id.isUser(),
  }));
}

const mediaTypes = ['image', 'video', 'audio', 'ptt', 'document', 'sticker'];
const noticeTypes = ['gp2', 'notification', 'notification_template', 'e2e_notification', 'broadcast_notification', 'call_log'];

// content is what a server message shows: text, or media with a caption,
// a thumbnail body and its download secrets, or a notification, with the
// type's own fields; ids in them become wids and keys.
export function content(m) {
  const type = m.type || 'chat';
  const f = { ...(m.fields || {}) };
  if (f.quotedParticipant) f.quotedParticipant = createWid(f.quotedParticipant);
  if (f.mentionedJidList) f.mentionedJidList = f.mentionedJidList.map(createWid);
  if (f.recipients) f.recipients = f.recipients.map(createWid);
  if (f.latestEditMsgKey) f.latestEditMsgKey = MsgKey.fromString(f.latestEditMsgKey);
  const c = { type, body: m.body, ...f, isNotification: noticeTypes.includes(type) };
  if (mediaTypes.includes(type)) {
    Object.assign(c, {
      caption: m.caption, mediaKey: m.id.slice(0, 8), directPath: '/v/t62.7118-24/' + m.id,
      filehash: m.id.slice(2, 10), encFilehash: m.id.slice(4, 12), mediaKeyTimestamp: m.t,
    });
  }
  return c;
}

// bulkUpsert applies reaction rows to the Reactions collection, the way the
// page's reaction table does, and flags the messages that have some.
export async function bulkUpsert(rows) {
  for (const r of rows) {
    const parent = String(r.reactionParentKey);
    const sender = String(r.author || r.from);
    const model = await Reactions.find(parent);
    for (const agg of model.reactions.getModelsArray()) {
      for (const s of agg.senders.getModelsArray()) if (String(s.senderUserJid) === sender) agg.senders.remove(s);
      if (agg.senders.length === 0) model.reactions.remove(agg);
    }
    if (r.reactionText) {
      let agg = model.reactions.get(r.reactionText);
      if (!agg) agg = model.reactions.add(new ReactionAggregateModel({ id: r.reactionText, aggregateEmoji: r.reactionText, hasReactionByMe: false, senders: new Collection() }));
      agg.senders.add(new ReactionSenderModel({
        id: r.id, msgKey: r.id, parentMsgKey: r.reactionParentKey, reactionText: r.reactionText, senderUserJid: createWid(sender),
        timestamp: Math.floor(r.reactionTimestamp / 1000), read: !!r.read, orphan: 0,
      }));
    }
    const me = session.me && session.me.pn;
    for (const agg of model.reactions.getModelsArray()) {
      agg.hasReactionByMe = !!me && agg.senders.getModelsArray().some((s) => me.equals(s.senderUserJid));
    }
    const msg = Msg.get(parent);
    if (msg) msg.hasReaction = model.reactions.length > 0;
  }
}

// reactionRow is a reaction as the reaction table takes it.
function reactionRow(parent, r) {
  const author = parent.remote.isGroup() ? createWid(r.sender) : undefined;
  return {
    id: new MsgKey({ fromMe: !!r.fromMe, remote: parent.remote, id: r.id, participant: author }),
    reactionParentKey: parent, reactionText: r.reactionText, reactionTimestamp: r.reactionTimestamp,
    author, from: createWid(r.sender), read: false, orphan: 0,
  };
}

// react hands reactions to the reaction table through its module, so
// that whoever wraps bulkUpsert sees them, as on the real page.
export async function react(parent, list) {
  const rows = list.map((r) => reactionRow(parent, r));
  return window.require('WAWebAddonReactionTableMode').reactionTableMode.bulkUpsert(rows);
}

// vote adds or replaces a sender's vote on a poll.
export function vote(parent, v) {
  const sender = createWid(v.sender);
  const old = PollVote.getModelsArray().find((o) => o.parentMsgKey.equals(parent) && o.sender.equals(sender));
  if (old) {
    old.senderTimestampMs = v.senderTimestampMs;
    old.selectedOptionLocalIds = v.selectedOptionLocalIds;
    return;
  }
  const key = new MsgKey({ fromMe: false, remote: parent.remote, id: v.id, participant: parent.remote.isGroup() ? sender : undefined });
  PollVote.add(new PollVoteModel({ id: key, msgKey: key, parentMsgKey: parent, sender, selectedOptionLocalIds: v.selectedOptionLocalIds, senderTimestampMs: v.senderTimestampMs }));
}

// keyOf is the key of a server message.
export function keyOf(m) {
  const remote = createWid(m.remote);
  return new MsgKey({ fromMe: m.fromMe, remote, id: m.id, participant: remote.isGroup() && m.author ? m.author : undefined });
}

// addMsg adds a server message {id, fromMe, remote, author, body, t, ack}
// to Msg and to its chat (inChat), or updates the one already there.
export function addMsg(m, isNew, inChat = true) {
  const chat = Chat.get(m.remote);
  const remote = createWid(m.remote);
  const participant = remote.isGroup() && m.author ? m.author : undefined;
  const id = keyOf(m);
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
  const added = Msg.add(msg);
  if (m.reactions && m.reactions.length) react(id, m.reactions).catch((e) => console.error(e));
  for (const v of m.votes || []) vote(id, v);
  return added;
}
