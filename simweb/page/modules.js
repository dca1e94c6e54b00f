// WhatsApp Web's module system (Meta's __d/require, 2.3000+): after the
// bundle loads, modules register one by one; requiring a name that is not
// registered yet throws, and require('__debug').modulesMap shows which are.
import * as actions from './actions.js';
import { build } from './build.js';
import { Emitter, MsgKey, createWid, decodeB64, encodeB64 } from './kit.js';
import { advSecretEventEmitter, keys } from './net.js';
import { offlineProgress } from './socket.js';
import { Chat, Cmd, Conn, Contact, Msg, PollVote, Reactions, Socket, Stream, bulkUpsert, session, upsertContact } from './store.js';

const registry = new Map();
const modulesMap = {};

function define(name, deps, factory) {
  const module = { exports: {} };
  factory(window, window.require, undefined, undefined, module, module.exports);
  registry.set(name, module.exports);
  modulesMap[name] = { id: name, dependencies: deps, depPosition: deps.length, exports: module.exports };
}

function require(name) {
  if (!registry.has(name)) throw new Error('Requiring unknown module "' + name + '"');
  return registry.get(name);
}

const enumOf = (...names) => Object.fromEntries(names.map((n) => [n, n]));
const pubKey = (b64) => ({ pubKey: decodeB64(b64).buffer });

if (build.qrRefresh === 'cmd') Cmd.refreshQR = actions.refreshQR;
Cmd.markChatUnread = actions.markChatUnread;
Chat.find = async (wid) => Chat.get(wid) || Chat.get((await actions.findOrCreateLatestChat(wid)).chat.id);
Contact.find = async (wid) => {
  const id = createWid(wid);
  upsertContact(id, '+' + id.user);
  return Contact.get(id);
};
Msg.getMessagesById = actions.getMessagesById;

// The modules in the order they register.
const modules = [
  ['__debug', () => ({ modulesMap })],
  ['WABase64', () => ({ encodeB64, decodeB64 })],
  ['WAWebWidFactory', () => ({ createWid, createUserWid: (user, server = 'c.us') => createWid(user + '@' + server) })],
  ['WAWebMsgKey', () => MsgKey],
  ['WAWebSocketModel', () => ({
    Socket,
    SOCKET_STATE: enumOf('OPENING', 'PAIRING', 'UNPAIRED', 'UNPAIRED_IDLE', 'CONNECTED', 'TIMEOUT', 'CONFLICT',
      'UNLAUNCHED', 'PROXYBLOCK', 'TOS_BLOCK', 'SMB_TOS_BLOCK', 'DEPRECATED_VERSION'),
    SOCKET_STREAM: enumOf('DISCONNECTED', 'SYNCING', 'RESUMING', 'CONNECTED'),
  })],
  ['WAWebStreamModel', () => ({
    Stream,
    StreamMode: enumOf('QR', 'MAIN', 'SYNCING', 'OFFLINE', 'CONFLICT', 'PROXYBLOCK', 'TOS_BLOCK', 'SMB_TOS_BLOCK', 'DEPRECATED_VERSION'),
    StreamInfo: enumOf('OFFLINE', 'OPENING', 'PAIRING', 'SYNCING', 'RESUMING', 'CONNECTING', 'NORMAL'),
  })],
  ['WAWebConnModel', () => ({ Conn })],
  ['WAWebCmd', () => ({ Cmd, CmdImpl: Emitter })],
  ['WAWebUserPrefsInfoStore', () => ({ waNoiseInfo: { get: async () => ({ staticKeyPair: pubKey(keys.noise) }) } })],
  ['WAWebSignalStoreApi', () => ({ waSignalStore: { getRegistrationInfo: async () => ({ identityKeyPair: pubKey(keys.identity) }) } })],
  ['WAWebUserPrefsMultiDevice', () => ({
    getADVSecretKey: actions.getADVSecretKey,
    ...(build.advRotates ? { advSecretEventEmitter } : {}),
  })],
  ...(build.qrRefresh === 'eventBus' ? [['WAWebBackendEventBus', () => ({ BackendEventBus: { triggerRefreshQR: actions.refreshQR } })]] : []),
  ['WAWebCompanionRegClientUtils', () => ({ DEVICE_PLATFORM: '1' })],
  ['WAWebPairingType', () => ({ PairingType: actions.PairingType })],
  ['WAWebAltDeviceLinkingApi', () => ({
    setPairingType: actions.setPairingType,
    initializeAltDeviceLinking: actions.initializeAltDeviceLinking,
    startAltLinkingFlow: actions.startAltLinkingFlow,
    initializeQRLinking: actions.initializeQRLinking,
  })],
  ['WAWebUserPrefsMeUser', () => ({
    getMaybeMePnUser: () => session.me?.pn,
    getMaybeMeLidUser: () => session.me?.lid,
  })],
  ['WAWebCollections', () => ({ Chat, Msg, Contact, Reactions, PollVote })],
  ['WAWebAddonReactionTableMode', () => ({ reactionTableMode: { bulkUpsert } })],
  ['WAWebMsgReply', () => ({ canReplyMsg: actions.canReplyMsg })],
  ['WAWebFindChatAction', () => ({ findOrCreateLatestChat: actions.findOrCreateLatestChat })],
  ['WAWebQueryExistsJob', () => ({ queryWidExists: actions.queryWidExists })],
  ...(build.lid ? [['WAWebApiContact', () => ({ getCurrentLid: actions.getCurrentLid, getPhoneNumber: actions.getPhoneNumber })]] : []),
  ['WAWebGetEphemeralFieldsMsgActionsUtils', () => ({ getEphemeralFields: actions.getEphemeralFields })],
  ['WAWebSendMsgChatAction', () => ({ addAndSendMsgToChat: actions.addAndSendMsgToChat })],
  ['WAWebChatLoadMessages', () => ({ loadEarlierMsgs: actions.loadEarlierMsgs })],
  ['WAWebUpdateUnreadChatAction', () => ({ sendSeen: actions.sendSeen, markUnread: actions.markChatUnread })],
  ...(build.receiptAcks ? [['WAWebHandleSimpleReceipt', () => ({
    // What the page itself does with a receipt of a message it does not
    // hold: nothing to update.
    handleChatSimpleReceipt: () => {},
    handleGroupSimpleReceipt: () => {},
    handleStatusSimpleReceipt: () => {},
  })]] : []),
  ['WAWebOfflineHandler', () => ({ OfflineMessageHandler: { getOfflineDeliveryProgress: offlineProgress } })],
];

// registerModules installs the loader globals, spreads the registrations
// over spanMs, then calls done.
export function registerModules(spanMs, done) {
  window.__d = define;
  window.require = require;
  const step = spanMs / modules.length;
  modules.forEach(([name, make], i) => {
    setTimeout(() => {
      define(name, [], (_g, _r, _a, _b, module) => { module.exports = make(); });
      if (i === modules.length - 1) done();
    }, i * step);
  });
}
