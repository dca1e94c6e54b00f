// waconsole bridge: injected into every document of a WhatsApp Web tab.
// It reads the page through window.require('WAWeb…') modules only, and
// reports to Go through the one CDP binding named below, as JSON arrays of
// events, batched when many arrive at once.
(() => {
  'use strict';
  const BINDING = '__waconsole';
  if (window.__wac) return; // already injected in this document

  // --- reporting -----------------------------------------------------------
  const queue = [];
  let flushing = false;
  const flush = () => {
    flushing = false;
    while (queue.length) {
      const batch = queue.splice(0, 500);
      try {
        window[BINDING](JSON.stringify(batch));
      } catch (e) {
        // The binding is missing only while the tab is being torn down.
        return;
      }
    }
  };
  const emit = (ev) => {
    queue.push(ev);
    if (!flushing) {
      flushing = true;
      setTimeout(flush, 0);
    }
  };
  const fail = (where, e) => emit({t: 'error', reason: where + ': ' + (e && e.message ? e.message : String(e))});

  // --- modules -------------------------------------------------------------
  // A module that is not registered yet means "not yet", never an error: the
  // bundle registers modules progressively on a cold load.
  const mod = (name) => {
    try {
      const dbg = window.require('__debug');
      if (dbg && dbg.modulesMap && !dbg.modulesMap[name]) return null;
    } catch (e) {
      // no __debug in this build: fall through to require itself
    }
    try {
      return window.require(name);
    } catch (e) {
      return null;
    }
  };
  const need = (name) => {
    const m = mod(name);
    if (!m) throw new Error('module ' + name + ' is not available');
    return m;
  };
  const str = (v) => (v == null ? '' : String(v)); // ids: toString(), never _serialized

  // --- state ---------------------------------------------------------------
  const me = () => {
    const u = mod('WAWebUserPrefsMeUser');
    if (!u) return '';
    try {
      return str((u.getMaybeMePnUser && u.getMaybeMePnUser()) || (u.getMaybeMeLidUser && u.getMaybeMeLidUser()));
    } catch (e) {
      return '';
    }
  };
  const reportState = () => {
    const {Socket} = need('WAWebSocketModel');
    emit({t: 'state', state: str(Socket.state), stream: str(Socket.stream), synced: !!Socket.hasSynced, me: me()});
  };

  const b64 = (bytes) => {
    const B = mod('WABase64');
    if (B && B.encodeB64) return B.encodeB64(bytes);
    return btoa(String.fromCharCode(...new Uint8Array(bytes)));
  };
  // The QR payload is ref,noiseKey,identityKey,advSecret,platform, built from
  // the same stores WhatsApp Web builds it from; the DOM data-ref is the fallback.
  const qrPayload = async (ref) => {
    try {
      const noise = await need('WAWebUserPrefsInfoStore').waNoiseInfo.get();
      const reg = await need('WAWebSignalStoreApi').waSignalStore.getRegistrationInfo();
      const adv = need('WAWebUserPrefsMultiDevice').getADVSecretKey();
      const platform = need('WAWebCompanionRegClientUtils').DEVICE_PLATFORM;
      return [ref, b64(noise.staticKeyPair.pubKey), b64(reg.identityKeyPair.pubKey), adv, platform].join(',');
    } catch (e) {
      const el = document.querySelector('[data-ref]');
      if (el && el.getAttribute('data-ref')) return el.getAttribute('data-ref');
      throw e;
    }
  };
  let lastQR = '';
  const reportQR = async () => {
    const {Conn} = need('WAWebConnModel');
    const {Socket} = need('WAWebSocketModel');
    if (!Conn.ref || !/^UNPAIRED/.test(str(Socket.state))) return;
    const qr = await qrPayload(Conn.ref);
    if (qr && qr !== lastQR) {
      lastQR = qr;
      emit({t: 'qr', qr});
    }
  };

  // --- messages ------------------------------------------------------------
  const msgOut = (m) => ({
    id: str(m.id && m.id.id),
    key: str(m.id),
    chat: str(m.id && m.id.remote),
    fromMe: !!(m.id && m.id.fromMe),
    author: str(m.author),
    body: str(m.body),
    t: m.t || 0,
    ack: typeof m.ack === 'number' ? m.ack : 0,
    new: !!m.isNewMsg,
  });
  const chatOut = (c) => ({
    id: str(c.id),
    name: str(c.formattedTitle || c.name || (c.contact && c.contact.name) || (c.id && c.id.user)),
    unread: c.unreadCount || 0,
    t: c.t || 0,
    group: !!(c.groupMetadata || c.isGroup),
  });

  // --- listeners, attached once per document --------------------------------
  const attached = new Set();
  const attach = () => {
    if (!attached.has('socket')) {
      const S = mod('WAWebSocketModel');
      const C = mod('WAWebConnModel');
      const Cmd = mod('WAWebCmd');
      if (!S || !C || !Cmd) return false;
      S.Socket.on('change:state', () => { reportState(); reportQR().catch((e) => fail('qr', e)); });
      S.Socket.on('change:stream', reportState);
      S.Socket.on('change:hasSynced', reportState);
      C.Conn.on('change:ref', () => reportQR().catch((e) => fail('qr', e)));
      const onLogout = (reason) => emit({t: 'logout', reason: str(reason) || 'logout'});
      Cmd.Cmd.on('logout', onLogout);
      Cmd.Cmd.on('logout_from_bridge', onLogout);
      attached.add('socket');
      emit({t: 'boot', version: str(window.Debug && window.Debug.VERSION)});
      reportState();
      reportQR().catch((e) => fail('qr', e));
    }
    if (!attached.has('msgs')) {
      const cols = mod('WAWebCollections');
      if (!cols || !cols.Msg) return false;
      cols.Msg.on('add', (m) => { if (m && m.isNewMsg) emit({t: 'msg', msg: msgOut(m)}); });
      cols.Msg.on('change:ack', (m) => emit({t: 'ack', msg: msgOut(m)}));
      attached.add('msgs');
    }
    return true;
  };
  const waitPage = () => {
    if (window.Debug && window.Debug.VERSION && typeof window.require === 'function') {
      try {
        if (attach()) return;
      } catch (e) {
        fail('attach', e);
      }
    }
    setTimeout(waitPage, 100);
  };

  // --- calls from Go ---------------------------------------------------------
  const until = (pred, ms) => new Promise((resolve, reject) => {
    const end = Date.now() + ms;
    const tick = () => {
      if (pred()) return resolve();
      if (Date.now() > end) return reject(new Error('timed out'));
      setTimeout(tick, 50);
    };
    tick();
  });
  const permanent = (msg) => {
    const e = new Error(msg);
    e.permanent = true;
    return e;
  };
  const findChat = async (chatId) => {
    let wid;
    try {
      wid = need('WAWebWidFactory').createWid(chatId);
    } catch (e) {
      throw permanent('invalid chat id ' + chatId + ': ' + (e && e.message));
    }
    const {Chat} = need('WAWebCollections');
    const chat = Chat.get(wid);
    if (chat) return chat;
    if (wid.server === 'c.us') {
      const exists = await need('WAWebQueryExistsJob').queryWidExists(wid);
      if (!exists) throw permanent(chatId + ' is not on WhatsApp');
    }
    return (await need('WAWebFindChatAction').findOrCreateLatestChat(wid)).chat;
  };
  const api = {
    snapshot() {
      attach();
      reportState();
      return reportQR().then(() => true);
    },
    async linkCode(phone) {
      const {Socket} = need('WAWebSocketModel');
      if (Socket.state === 'UNPAIRED_IDLE') {
        need('WAWebCmd').Cmd.refreshQR();
        await until(() => Socket.state === 'UNPAIRED', 10000);
      }
      const api = need('WAWebAltDeviceLinkingApi');
      api.setPairingType('ALT_DEVICE_LINKING');
      await api.initializeAltDeviceLinking();
      const code = str(await api.startAltLinkingFlow(phone, true));
      emit({t: 'code', code});
      return code;
    },
    refreshQR() {
      lastQR = '';
      need('WAWebCmd').Cmd.refreshQR();
      return true;
    },
    logout() {
      need('WAWebSocketModel').Socket.logout();
      return true;
    },
    takeover() {
      need('WAWebSocketModel').Socket.takeover();
      return true;
    },
    chats() {
      return need('WAWebCollections').Chat.getModelsArray().map(chatOut);
    },
    async messages(chatId, before, limit) {
      const chat = await findChat(chatId);
      const loader = mod('WAWebChatLoadMessages');
      const older = () => {
        const all = chat.msgs.getModelsArray().filter((m) => m.type !== 'notification');
        if (!before) return all;
        const i = all.findIndex((m) => str(m.id && m.id.id) === before);
        return i < 0 ? [] : all.slice(0, i);
      };
      let list = older();
      while (list.length < limit && loader) {
        const got = await loader.loadEarlierMsgs({chat});
        if (!got || !got.length) break;
        list = older();
      }
      return list.slice(-limit).map(msgOut);
    },
    async send(chatId, msgId, body) {
      const chat = await findChat(chatId);
      const MsgKey = need('WAWebMsgKey');
      const mine = need('WAWebUserPrefsMeUser');
      const lid = chat.id.server === 'lid';
      const from = (lid && mine.getMaybeMeLidUser && mine.getMaybeMeLidUser()) || mine.getMaybeMePnUser();
      const participant = chat.id.server === 'g.us' ? from : undefined;
      const key = new MsgKey({from, to: chat.id, id: msgId, participant, selfDir: 'out', fromMe: true});
      const msg = {
        id: key, ack: 0, body, from, to: chat.id, local: true, self: 'out',
        t: Math.floor(Date.now() / 1000), isNewMsg: true, type: 'chat',
      };
      const [added, result] = need('WAWebSendMsgChatAction').addAndSendMsgToChat(chat, msg);
      const model = await added;
      const res = await result;
      const code = str(res && (res.messageSendResult || res));
      if (code !== 'OK' && code !== 'success') throw new Error('send result ' + code);
      return msgOut(model || need('WAWebCollections').Msg.get(str(key)));
    },
    async find(chatId, msgId) {
      const {Msg} = need('WAWebCollections');
      const local = Msg.getModelsArray().find((m) => m.id && m.id.fromMe && str(m.id.id) === msgId);
      if (local && local.ack >= 1) return msgOut(local);
      const base = 'true_' + chatId + '_' + msgId;
      const keys = chatId.endsWith('@g.us') ? [base, base + '_' + me()] : [base];
      const res = await Msg.getMessagesById(keys);
      const found = res && res.messages && res.messages.find((m) => m && m.ack >= 1);
      return found ? msgOut(found) : null;
    },
  };

  // Go calls window.__wac.call(name, ...args); it never rejects, so that Go
  // can tell a permanent failure from a transient one.
  window.__wac = {
    async call(name, ...args) {
      try {
        return {ok: await api[name](...args)};
      } catch (e) {
        return {err: String((e && e.message) || e), permanent: !!(e && e.permanent)};
      }
    },
  };

  waitPage();
})();
