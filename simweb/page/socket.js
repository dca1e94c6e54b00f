// The connection: follows the server's pushes and drives Socket, Stream and
// Conn through WhatsApp Web's states.
import { linkingByCode, resendQueued } from './actions.js';
import { build } from './build.js';
import { createWid } from './kit.js';
import { auth, openStream, post, rotateAdv } from './net.js';
import { Cmd, Conn, Socket, Stream, addMsg, byRawId, content, keyOf, person, react, session, upsertChat, vote } from './store.js';

let es = null;          // the open EventSource
let retry = null;       // the timer of the next reconnect
let conflicted = false; // CONFLICT: wait for takeover()
let leaving = false;    // logging out: the page is about to navigate
let synced = false;     // chats loaded once in this page's life
let waiters = [];       // sends waiting for the connection
const offline = { total: 0, done: 0 };

// What Socket.stream, Stream.info and Stream.mode show in each state.
function looks(state) {
  switch (state) {
    case 'UNPAIRED':
    case 'UNPAIRED_IDLE': return ['DISCONNECTED', 'NORMAL', 'QR'];
    case 'PAIRING': return ['SYNCING', 'PAIRING', 'SYNCING'];
    case 'CONNECTED': return synced ? ['CONNECTED', 'NORMAL', 'MAIN'] : ['CONNECTED', 'SYNCING', 'SYNCING'];
    case 'CONFLICT': return ['DISCONNECTED', 'OFFLINE', 'CONFLICT'];
    default: return ['DISCONNECTED', Stream.info, Stream.mode];
  }
}

// setState sets the stream fields first, so that change:state listeners
// see a consistent picture.
function setState(state, info) {
  const [stream, streamInfo, mode] = looks(state);
  Socket.stream = stream;
  Stream.info = info || streamInfo;
  Stream.displayInfo = Stream.info;
  Stream.mode = mode;
  Socket.state = state;
  if (state === 'CONNECTED') {
    for (const w of waiters) w.resolve();
    waiters = [];
  }
}

export function online() {
  if (Socket.state === 'CONNECTED' && es) return Promise.resolve();
  return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
}

export function connect() {
  if (es || leaving || conflicted) return;
  es = openStream(synced);
  es.onmessage = (e) => handle(JSON.parse(e.data));
  es.onerror = () => {
    close();
    if (leaving || conflicted) return;
    if (Socket.state !== 'OPENING' || Stream.info !== 'CONNECTING') setState('OPENING', 'OFFLINE');
    retry = setTimeout(() => { Stream.info = Stream.displayInfo = 'CONNECTING'; connect(); }, 1000);
  };
}

function close() {
  clearTimeout(retry);
  if (es) es.close();
  es = null;
}

function handle(ev) {
  switch (ev.type) {
    case 'hello': return hello(ev);
    case 'ref':
      Conn.ref = ev.ref;
      if (ev.state) setState(ev.state);
      return;
    case 'state': return setState(ev.state);
    case 'paired':
      auth.save(ev.token, ev.phone);
      login(ev.phone, ev.lid);
      return setState('CONNECTED');
    case 'synced': return sync();
    case 'msg':
      upsertChat(ev.chat, false);
      addMsg(ev.msg, true);
      if (ev.offline) progress(offline.done + 1);
      return;
    case 'decrypt': {
      // The real content replaces the placeholder; the type changes last,
      // as WhatsApp Web's does.
      const m = byRawId.get(ev.msg.id);
      if (m && m.type === 'ciphertext') {
        const { type, ...rest } = content(ev.msg);
        m.set(rest);
        m.type = type;
      }
      return;
    }
    case 'ack': {
      const m = byRawId.get(ev.id);
      if (m) {
        if (ev.ack > m.ack) m.ack = ev.ack;
      } else if (build.receiptAcks) {
        // Not in memory: only the receipt handlers hear of it, through
        // the module, so that wrapping its exports sees the call.
        const remote = createWid(ev.remote);
        const R = window.require('WAWebHandleSimpleReceipt');
        const data = { externalIds: [ev.id], ack: ev.ack, from: remote };
        if (remote.isGroup()) R.handleGroupSimpleReceipt(data);
        else R.handleChatSimpleReceipt(data);
      }
      return;
    }
    case 'chat': return void upsertChat(ev.chat);
    case 'contact': return person(ev.contact);
    case 'edit': {
      // The edit points at itself first; the new text changes last.
      const m = byRawId.get(ev.msg.id);
      if (!m) return;
      const { body, caption, latestEditMsgKey, latestEditSenderTimestampMs } = content(ev.msg);
      m.set({ latestEditMsgKey, latestEditSenderTimestampMs });
      if (m.type === 'chat') m.body = body;
      else m.caption = caption;
      return;
    }
    case 'revoke': {
      // Deleted for everyone: the content goes, the type changes last.
      const m = byRawId.get(ev.msg.id);
      if (!m) return;
      const { type, ...rest } = content(ev.msg);
      const gone = {};
      for (const k of Object.keys(m.attributes)) {
        if (!['id', 't', 'ack', 'from', 'to', 'author', 'isNewMsg', 'self', 'local', 'type'].includes(k)) gone[k] = undefined;
      }
      m.set({ ...gone, ...rest });
      m.type = type;
      return;
    }
    case 'react': return void react(keyOf(ev.msg), [ev.reaction]).catch((e) => console.error(e));
    case 'vote': return vote(keyOf(ev.msg), ev.vote);
    case 'offline':
      offline.total = ev.total;
      return progress(0);
    case 'logout': return logout('unlinked');
    case 'companion_reg_refresh': return void rotateAdv(linkingByCode());
    case 'conflict':
      close();
      conflicted = true;
      return setState('CONFLICT');
  }
}

function hello(ev) {
  if (ev.loggedOut) return logout('revoked');
  if (ev.state !== 'CONNECTED') {
    session.me = null;
    Conn.ref = ev.ref;
    return setState(ev.state);
  }
  login(ev.phone, ev.lid);
  if (!synced) return setState('CONNECTED', 'RESUMING');
  setState('CONNECTED');
  post('ready').catch(() => {});
  resendQueued();
}

function login(phone, lid) {
  session.me = { pn: createWid(phone + '@c.us'), lid: createWid(lid + '@lid') };
  Conn.wid = session.me.pn;
  Conn.platform = 'android';
}

// sync loads the chats and their latest messages, then says hasSynced.
async function sync() {
  let snap;
  try {
    snap = await post('snapshot');
  } catch {
    return; // the connection went away; the next hello syncs again
  }
  for (const p of snap.contacts || []) person(p);
  for (const c of snap.chats) upsertChat(c);
  for (const m of newestEach(snap.messages)) addMsg(m, false);
  synced = true;
  setState('CONNECTED');
  Socket.hasSynced = true;
  Cmd.isMainLoaded = true;
  Cmd.trigger('main_loaded');
  post('ready').catch(() => {});
  resendQueued();
}

// newestEach is what a synced page holds: everything in older builds, the
// newest message of each chat in builds that load the rest when asked.
function newestEach(msgs) {
  if (!build.receiptAcks) return msgs;
  const last = new Map();
  for (const m of msgs) last.set(m.remote, m);
  return [...last.values()];
}

function progress(done) {
  offline.done = done;
  Cmd.trigger('offline_progress_update');
  Cmd.trigger('offline_progress_update_from_bridge');
}

export function offlineProgress() {
  return offline.total === 0 ? 100 : Math.floor((100 * offline.done) / offline.total);
}

// logout is what WhatsApp Web does when the phone unlinks it or the user
// logs out: tell the listeners, forget the login, navigate to post_logout.
export function logout(reason) {
  if (leaving) return;
  leaving = true;
  close();
  for (const w of waiters) w.reject(new Error('logged out'));
  waiters = [];
  Cmd.trigger('logout');
  Cmd.trigger('logout_from_bridge');
  auth.clear(reason).then(() => window.location.assign('/?post_logout=1'));
}

Socket.logout = async () => {
  await post('logout').catch(() => {});
  logout('user_initiated');
};

Socket.takeover = () => {
  if (!conflicted) return;
  conflicted = false;
  connect();
};

Socket.reconnect = () => {
  close();
  conflicted = false;
  connect();
};

export function isLeaving() { return leaving; }
