// waconsole bridge: injected into every document of a WhatsApp Web tab.
// It reads the page through window.require('WAWeb…') modules only, and
// reports to Go through the one CDP binding named below, as JSON arrays of
// events, batched when many arrive at once.
(() => {
  'use strict';
  const BINDING = '__waconsole';
  if (window.__wac) return; // already injected in this document
  if (window.top !== window) return; // WhatsApp Web's own frames are not the page

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
      if (!adv) return ''; // linking by code: the page shows no QR code
      const platform = need('WAWebCompanionRegClientUtils').DEVICE_PLATFORM;
      return [ref, b64(noise.staticKeyPair.pubKey), b64(reg.identityKeyPair.pubKey), adv, platform].join(',');
    } catch (e) {
      const el = document.querySelector('[data-ref]');
      if (el && el.getAttribute('data-ref')) return el.getAttribute('data-ref');
      throw e;
    }
  };
  let lastQR = '';
  // reportQR reports the payload when it changed: a new ref, or a new ADV
  // secret under the same ref.
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
  const mediaTypes = ['image', 'video', 'audio', 'ptt', 'document', 'sticker'];
  // The types whose fields the bridge reads; any other is reported by its
  // type alone.
  const knownTypes = ['chat', ...mediaTypes, 'location', 'vcard', 'multi_vcard', 'revoked', 'poll_creation', 'ciphertext',
    'gp2', 'notification', 'notification_template', 'e2e_notification', 'broadcast_notification', 'call_log'];
  // A media message's body is its thumbnail; what it says is its caption.
  const hasMedia = (m) => !!(m.mediaKey && m.directPath);
  // notice tells system notifications (group changes, security codes) from
  // what people wrote.
  const notice = (m) => !!m.isNotification || m.type === 'notification';
  const num = (v) => (typeof v === 'number' && isFinite(v) ? v : Number(v) || 0);
  // vcardName and vcardNumber read a contact card as WhatsApp writes it.
  const vcardName = (v) => ((/^FN:(.*)$/m.exec(str(v)) || [])[1] || '').trim();
  const vcardNumber = (v) => ((/waid=(\d+)/.exec(str(v)) || [])[1] || '');
  // textOf is what a message says, for a reader and for search: the text,
  // a caption, a pin's name, the contacts' names, a poll's question.
  const textOf = (m) => {
    const type = str(m.type) || 'chat';
    switch (type) {
      case 'chat': return str(m.body);
      case 'location': return str(m.loc).split('\n')[0];
      case 'vcard': return str(m.vcardFormattedName) || vcardName(m.body);
      case 'multi_vcard': return (m.vcardList || []).map((c) => str(c.displayName) || vcardName(c.vcard)).join(', ');
      case 'poll_creation': return str(m.pollName);
      case 'revoked': case 'ciphertext': return '';
    }
    if (mediaTypes.includes(type)) return str(m.caption);
    return knownTypes.includes(type) ? str(m.body) : '';
  };
  // nameOf is what the account calls a user: its address-book name, else
  // the name the user gave itself, else nothing.
  const nameOf = (wid) => {
    const cols = mod('WAWebCollections');
    if (!wid || (wid.server !== 'c.us' && wid.server !== 'lid') || !cols || !cols.Contact) return '';
    const c = cols.Contact.get(wid) || (twin(wid) && cols.Contact.get(twin(wid)));
    return c ? str(c.name || c.pushname) : '';
  };
  const fileOf = (m) => ({
    mimetype: str(m.mimetype), size: num(m.size), duration: Math.round(num(m.duration)), filename: str(m.filename),
    pages: num(m.pageCount), width: num(m.width), height: num(m.height),
  });
  const locationOf = (m) => {
    const [name, address] = str(m.loc).split('\n');
    return {lat: num(m.lat), lng: num(m.lng), name: name || '', address: address || ''};
  };
  const contactsOf = (m) => (m.type === 'vcard'
    ? [{name: textOf(m), number: vcardNumber(m.body)}]
    : (m.vcardList || []).map((c) => ({name: str(c.displayName) || vcardName(c.vcard), number: vcardNumber(c.vcard)})));
  const quotedOf = (m) => {
    if (!m.quotedStanzaID) return null;
    const q = m.quotedMsg || {};
    // The quote names its author by phone number even where the account
    // knows them by LID: nameOf looks under both.
    const author = m.quotedParticipant;
    const wid = author && typeof author === 'object' ? author : null;
    return {id: str(m.quotedStanzaID), author: str(author), authorName: nameOf(wid), type: str(q.type), body: textOf(q)};
  };
  // reactionsOf reads the reactions the page keeps apart from the message
  // (its Reactions collection, by the message's key).
  const reactionsOf = (m) => {
    const cols = mod('WAWebCollections');
    const model = cols && cols.Reactions && cols.Reactions.get(str(m.id));
    if (!model || !model.reactions) return [];
    const mine = me();
    const out = [];
    for (const agg of model.reactions.getModelsArray()) {
      for (const s of agg.senders.getModelsArray()) {
        const sender = str(s.senderUserJid);
        out.push({emoji: str(s.reactionText), sender, fromMe: !!mine && sender === mine, t: num(s.timestamp)});
      }
    }
    return out;
  };
  // pollOf counts the votes the page holds for a poll, one per sender.
  const pollOf = (m) => {
    const cols = mod('WAWebCollections');
    const options = (m.pollOptions || []).map((o) => ({name: str(o.name), votes: 0, localId: o.localId}));
    const votes = cols && cols.PollVote ? cols.PollVote.getModelsArray().filter((v) => str(v.parentMsgKey) === str(m.id)) : [];
    for (const v of votes) {
      for (const id of v.selectedOptionLocalIds || []) {
        const o = options.find((x) => x.localId === id);
        if (o) o.votes++;
      }
    }
    return {name: str(m.pollName), options: options.map(({name, votes}) => ({name, votes})), multiple: m.pollSelectableOptionsCount !== 1};
  };
  // Fields that let anyone download a message's media, or are binary:
  // they never leave the page.
  const secretFields = new Set(['mediaKey', 'directPath', 'filehash', 'encFilehash', 'mediaKeyTimestamp', 'deprecatedMms3Url',
    'staticUrl', 'mediaData', 'thumbnail', 'thumbnailDirectPath', 'thumbnailSha256', 'thumbnailEncSha256', 'scanLengths',
    'scansSidecar', 'streamingSidecar', 'waveform', 'interactiveAnnotations', 'mediaHandle', 'encryptedKey']);
  // jsonSafe copies what the page reports into plain JSON: ids as their
  // strings, models as they serialize, no binary, nothing too deep.
  const jsonSafe = (v, depth) => {
    if (v == null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'number') return isFinite(v) ? v : undefined;
    if (typeof v === 'bigint') return String(v);
    if (typeof v !== 'object' || depth > 5 || v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return undefined;
    if (typeof v._serialized === 'string') return v._serialized;
    if (typeof v.serialize === 'function') return jsonSafe(v.serialize(), depth + 1);
    if (Array.isArray(v)) return v.map((e) => jsonSafe(e, depth + 1)).filter((e) => e !== undefined);
    if (typeof v.toString === 'function' && v.toString !== Object.prototype.toString) return String(v);
    const out = {};
    for (const [k, e] of Object.entries(v)) {
      if (secretFields.has(k)) continue;
      const safe = jsonSafe(e, depth + 1);
      if (safe !== undefined) out[k] = safe;
    }
    return out;
  };
  const rawOf = (m) => {
    const raw = jsonSafe(typeof m.serialize === 'function' ? m.serialize() : m.attributes || {}, 0) || {};
    // A media message's or a pin's body is a thumbnail.
    if (mediaTypes.includes(m.type) || m.type === 'location') delete raw.body;
    raw.id = str(m.id);
    return raw;
  };
  // msgOut is a message as Go reads it; withRaw adds the page's own fields.
  const msgOut = (m, withRaw = true) => {
    const type = str(m.type);
    const known = knownTypes.includes(type || 'chat');
    const fromMe = !!(m.id && m.id.fromMe);
    const out = {
      id: str(m.id && m.id.id),
      key: str(m.id),
      chat: str(m.id && m.id.remote),
      fromMe,
      author: str(m.author),
      body: textOf(m),
      t: m.t || 0,
      ack: typeof m.ack === 'number' ? m.ack : 0,
      new: !!m.isNewMsg,
      type,
      media: hasMedia(m),
      notice: notice(m),
      mentions: Array.isArray(m.mentionedJidList) ? m.mentionedJidList.map(str) : [],
      authorName: fromMe ? '' : nameOf(m.author || m.from),
      subtype: str(m.subtype),
      edited: num(m.latestEditSenderTimestampMs),
      revoked: type === 'revoked',
    };
    if (known) {
      if (mediaTypes.includes(type)) out.file = fileOf(m);
      if (type === 'location') out.location = locationOf(m);
      if (type === 'vcard' || type === 'multi_vcard') out.contacts = contactsOf(m);
      if (type === 'poll_creation') out.poll = pollOf(m);
      out.quoted = quotedOf(m);
      out.reactions = reactionsOf(m);
    }
    if (withRaw) out.raw = rawOf(m);
    return out;
  };
  // reportReceipt turns a receipt of our own messages into acks.
  const reportReceipt = (r) => {
    if (!r || typeof r.ack !== 'number' || !Array.isArray(r.externalIds)) return;
    for (const id of r.externalIds) {
      emit({t: 'ack', msg: {id: str(id), key: '', chat: str(r.from), fromMe: true, author: '', body: '', t: 0, ack: r.ack, new: false}});
    }
  };
  // A chat's mute is a model of its own in most builds.
  const muted = (c) => {
    if (c.mute && typeof c.mute.isMuted === 'boolean') return c.mute.isMuted;
    const exp = num(c.muteExpiration);
    return exp === -1 || exp * 1000 > Date.now();
  };
  const chatOut = (c) => ({
    id: str(c.id),
    name: str(c.formattedTitle || c.name || (c.contact && c.contact.name) || (c.id && c.id.user)),
    unread: c.unreadCount || 0,
    t: c.t || 0,
    group: !!(c.groupMetadata || c.isGroup),
    participants: c.groupMetadata && c.groupMetadata.participants ? c.groupMetadata.participants.length || 0 : 0,
    muted: muted(c),
    archived: !!c.archive,
    // Marked unread: WhatsApp Web keeps unreadCount at -1.
    markedUnread: c.unreadCount < 0 || !!c.markedUnread,
  });
  // changed reports a message that changed (edited, deleted, reacted to,
  // voted on) once the page is done changing it in this turn.
  const changes = new Map();
  const changed = (m) => {
    if (!m || !m.id) return;
    if (!changes.size) {
      setTimeout(() => {
        const all = [...changes.values()];
        changes.clear();
        for (const c of all) emit({t: 'change', msg: {...msgOut(c), new: false}});
      }, 0);
    }
    changes.set(str(m.id), m);
  };
  const changedKey = (key) => {
    const cols = mod('WAWebCollections');
    if (cols && key) changed(cols.Msg.get(key));
  };

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
    if (!attached.has('adv')) {
      // Builds that rotate the ADV secret announce it here; a QR code drawn
      // from the old one no longer pairs.
      const MD = mod('WAWebUserPrefsMultiDevice');
      if (!MD) return false;
      const em = MD.advSecretEventEmitter;
      if (em && typeof em.on === 'function') em.on('change', () => reportQR().catch((e) => fail('qr', e)));
      attached.add('adv');
    }
    if (!attached.has('msgs')) {
      const cols = mod('WAWebCollections');
      if (!cols || !cols.Msg) return false;
      cols.Msg.on('add', (m) => {
        if (!m || !m.isNewMsg) return;
        // An encrypted placeholder is reported as it comes, to be captured
        // at once, and again in its final form once it is decrypted.
        if (m.type === 'ciphertext') m.once('change:type', (d) => emit({t: 'msg', msg: msgOut(d)}));
        emit({t: 'msg', msg: msgOut(m)});
      });
      cols.Msg.on('change:ack', (m) => emit({t: 'ack', msg: msgOut(m)}));
      // An edit changes the text or caption; a decrypted placeholder is
      // reported once it has its final type.
      const edited = (m) => { if (m.type !== 'ciphertext') changed(m); };
      cols.Msg.on('change:body', edited);
      cols.Msg.on('change:caption', edited);
      cols.Msg.on('change:type', (m) => { if (m.type === 'revoked') changed(m); });
      if (cols.PollVote) {
        cols.PollVote.on('add', (v) => changedKey(v.parentMsgKey));
        cols.PollVote.on('change:selectedOptionLocalIds', (v) => changedKey(v.parentMsgKey));
      }
      attached.add('msgs');
    }
    return true;
  };
  // hookReceipts wraps the receipt handlers of builds that keep few
  // messages in memory: the acks of the others reach only them (wa-js wraps
  // the same ones). It looks until the page has synced, when every module
  // is registered; older builds have none.
  const hookReceipts = () => whenModule('WAWebHandleSimpleReceipt', (R) => {
    for (const name of ['handleChatSimpleReceipt', 'handleGroupSimpleReceipt']) {
      const orig = R[name];
      if (typeof orig !== 'function') continue;
      R[name] = function (...args) {
        const res = orig.apply(this, args);
        try {
          reportReceipt(args[0]);
        } catch (e) {
          fail('receipt', e);
        }
        return res;
      };
    }
  });
  // hookReactions wraps the reaction table's writes, as whatsapp-web.js
  // does: reactions live apart from messages and fire no message event.
  const hookReactions = () => whenModule('WAWebAddonReactionTableMode', (R) => {
    const table = R.reactionTableMode;
    if (!table || typeof table.bulkUpsert !== 'function') return;
    const orig = table.bulkUpsert;
    table.bulkUpsert = function (...args) {
      const res = orig.apply(this, args);
      Promise.resolve(res).then(() => {
        for (const r of args[0] || []) changedKey(r && r.reactionParentKey);
      }).catch((e) => fail('reaction', e));
      return res;
    };
  });
  // whenModule installs a hook once module name is registered; it looks
  // until the page has synced, when every module is.
  const whenModule = (name, install) => {
    const M = mod(name);
    if (M) return install(M);
    const S = mod('WAWebSocketModel');
    if (!(S && S.Socket.hasSynced)) setTimeout(() => whenModule(name, install), 250);
  };
  const waitPage = () => {
    if (window.Debug && window.Debug.VERSION && typeof window.require === 'function') {
      try {
        if (attach()) {
          hookReceipts();
          return hookReactions();
        }
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
  // twin is a contact's other id: its LID for a phone-number id and back,
  // where the page knows it (builds after the LID migration).
  const twin = (wid) => {
    const C = mod('WAWebApiContact');
    if (!C || !wid || (wid.server !== 'c.us' && wid.server !== 'lid')) return null;
    try {
      return (wid.server === 'lid' ? C.getPhoneNumber(wid) : C.getCurrentLid(wid)) || null;
    } catch (e) {
      return null;
    }
  };
  // findChat resolves a chat id as wa-js does: the chat the page holds under
  // the id or its twin; else the number's own wid from queryWidExists, then
  // findOrCreateLatestChat, whose answer may be a plain object under the
  // LID: the model is read again by that id.
  const findChat = async (chatId) => {
    let wid;
    try {
      wid = need('WAWebWidFactory').createWid(chatId);
    } catch (e) {
      throw permanent('invalid chat id ' + chatId + ': ' + (e && e.message));
    }
    const {Chat} = need('WAWebCollections');
    const held = (w) => (w && Chat.get(w)) || (twin(w) && Chat.get(twin(w)));
    if (held(wid)) return held(wid);
    if (wid.server === 'c.us') {
      const exists = await need('WAWebQueryExistsJob').queryWidExists(wid);
      if (!exists) throw permanent(chatId + ' is not on WhatsApp');
      if (exists.wid) wid = exists.wid;
      if (held(wid)) return held(wid);
    }
    let res;
    try {
      res = await need('WAWebFindChatAction').findOrCreateLatestChat(wid, 'createChat');
    } catch (e) {
      const why = str(e && e.message ? e.message : e);
      if (/No LID/i.test(why)) throw new Error('WhatsApp Web has no LID for ' + chatId + ' yet (' + why + '); the send is tried again later');
      throw e;
    }
    const chat = res && res.chat && Chat.get(res.chat.id);
    if (!chat) throw new Error('WhatsApp Web opened no chat for ' + chatId);
    return chat;
  };
  // The account's own ids: the phone-number one and, once known, the LID.
  const mine = () => {
    const u = need('WAWebUserPrefsMeUser');
    return {pn: u.getMaybeMePnUser && u.getMaybeMePnUser(), lid: u.getMaybeMeLidUser && u.getMaybeMeLidUser()};
  };
  // outKey is the key WhatsApp Web gives a message this account sends to
  // chat, as genOutgoingMsgData builds it: from our LID in a LID chat or a
  // group that addresses members by LID, with ourselves as the participant
  // in a group.
  const outKey = (chat, msgId) => {
    const {pn, lid} = mine();
    const lidGroup = !!(chat.groupMetadata && chat.groupMetadata.isLidAddressingMode);
    const from = ((chat.id.server === 'lid' || lidGroup) && lid) || pn;
    const participant = chat.id.server === 'g.us' ? from : undefined;
    const MsgKey = need('WAWebMsgKey');
    return {from, key: new MsgKey({from, to: chat.id, id: msgId, participant, selfDir: 'out'})};
  };
  // sentKeys are the keys an earlier send of msgId to chatId may be stored
  // under: in the chat or its twin, with each of our ids as the sender.
  const sentKeys = (chatId, msgId) => {
    let to;
    try {
      to = need('WAWebWidFactory').createWid(chatId);
    } catch (e) {
      return [];
    }
    const MsgKey = need('WAWebMsgKey');
    const {pn, lid} = mine();
    const keys = new Set();
    for (const remote of [to, twin(to)]) {
      for (const from of [pn, lid]) {
        if (!remote || !from) continue;
        const participant = remote.server === 'g.us' ? from : undefined;
        keys.add(str(new MsgKey({from, to: remote, id: msgId, participant, selfDir: 'out'})));
      }
    }
    return [...keys];
  };
  // heldOut finds a message this account sent with the raw id msgId among
  // those the page holds, in any chat.
  const heldOut = (msgId) => need('WAWebCollections').Msg.getModelsArray()
    .find((m) => m.id && m.id.fromMe && str(m.id.id) === msgId);
  // settled waits for the page to finish sending a message it holds.
  const settled = async (m) => {
    try {
      await until(() => m.ack !== 0, 15000);
    } catch (e) {
      const err = new Error('message ' + str(m.id && m.id.id) + ' is still waiting for WhatsApp to accept it; the page sends it by itself');
      err.inflight = true;
      throw err;
    }
    if (m.ack < 0) throw new Error('WhatsApp refused message ' + str(m.id && m.id.id));
    return m;
  };
  // refreshQR asks for fresh QR codes the first way the build offers:
  // Cmd.refreshQR went away in 2026; the page's own button always works.
  const refreshPaths = [
    () => mod('WAWebCmd').Cmd.refreshQR(),
    () => mod('WAWebBackendEventBus').BackendEventBus.triggerRefreshQR(),
    () => mod('WAWebLaunchSocketUtils').refreshQR(),
    () => document.querySelector('[data-ref] button').click(),
  ];
  const refreshQR = () => {
    for (const path of refreshPaths) {
      try {
        path();
        return;
      } catch (e) {
        // not in this build: the next path
      }
    }
    throw new Error('this WhatsApp Web build offers none of the known ways to refresh the QR code: reload the page (restart the session)');
  };
  // --- the unread backlog ----------------------------------------------------
  // A chat marked unread (unreadCount -1) has at least its newest message
  // unread.
  const unreadWanted = (c) => (c.unreadCount < 0 ? 1 : c.unreadCount || 0);
  const inboundOf = (c) => c.msgs.getModelsArray().filter((m) => !(m.id && m.id.fromMe) && !notice(m));
  // unreadOf pages a chat back to its first unread message and answers its
  // unread messages, oldest first.
  const unreadOf = async (c) => {
    const loader = mod('WAWebChatLoadMessages');
    while (loader && inboundOf(c).length < unreadWanted(c)) {
      const st = c.msgs.msgLoadState;
      if (st && st.noEarlierMsgs) break;
      const got = await loader.loadEarlierMsgs({chat: c});
      if (!got || !got.length) break;
    }
    return inboundOf(c).slice(-unreadWanted(c));
  };
  // quotable is the message quote (a key or a raw id) names in chat: from
  // the page, else from the server by key; null when neither has it.
  const quotable = async (chat, quote) => {
    const {Msg} = need('WAWebCollections');
    const raw = quote.includes('_') ? quote.split('_')[2] : quote;
    let q = Msg.get(quote) || chat.msgs.getModelsArray().find((m) => str(m.id && m.id.id) === raw);
    if (!q && quote.includes('_')) {
      const res = await Msg.getMessagesById([quote]);
      q = res && res.messages && res.messages[0];
    }
    return q || null;
  };
  // quoteInfo is what a reply to quote carries (msgContextInfo), as
  // whatsapp-web.js builds it for quotedMessageId: the message from the
  // page, else from the server, if it may be replied to.
  const quoteInfo = async (chat, quote) => {
    if (!quote) return {};
    const q = await quotable(chat, quote);
    if (!q || typeof q.msgContextInfo !== 'function') return {};
    const R = mod('WAWebMsgReply');
    if (R && R.canReplyMsg && !R.canReplyMsg(q.unsafe ? q.unsafe() : q)) return {};
    return q.msgContextInfo(chat);
  };
  const unreadLoads = 128; // chats paged back at once, each one query to the server
  let byCode = false; // the page was set up to link by code
  const anchorPages = 3; // pages loaded looking for a missing anchor
  const api = {
    snapshot() {
      attach();
      reportState();
      return reportQR().then(() => true);
    },
    async linkCode(phone) {
      const {Socket} = need('WAWebSocketModel');
      if (Socket.state === 'UNPAIRED_IDLE') {
        refreshQR();
        await until(() => Socket.state === 'UNPAIRED', 10000);
      }
      const api = need('WAWebAltDeviceLinkingApi');
      api.setPairingType('ALT_DEVICE_LINKING');
      byCode = true;
      await api.initializeAltDeviceLinking();
      const code = str(await api.startAltLinkingFlow(phone, true));
      emit({t: 'code', code});
      return code;
    },
    async refreshQR() {
      lastQR = '';
      if (byCode) {
        // As resetLinkDeviceState({linkDeviceMethod: QR_CODE}) does.
        const api = need('WAWebAltDeviceLinkingApi');
        api.setPairingType('QR_CODE');
        if (api.initializeQRLinking) await api.initializeQRLinking();
        byCode = false;
      }
      refreshQR();
      await reportQR();
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
      // older is what the page holds before the anchor, or null while the
      // anchor is not among what it holds. Notifications come too (the
      // chat shows who joined and left), flagged as notices.
      const older = () => {
        const all = chat.msgs.getModelsArray();
        if (!before) return all;
        const i = all.findIndex((m) => str(m.id && m.id.id) === before);
        return i < 0 ? null : all.slice(0, i);
      };
      let list = older();
      // A missing anchor is looked for a few pages back, never through the
      // whole history.
      for (let misses = 0; loader && (list === null || list.length < limit); ) {
        if (list === null && ++misses > anchorPages) break;
        const got = await loader.loadEarlierMsgs({chat});
        if (!got || !got.length) break;
        list = older();
      }
      if (list === null) throw new Error('message ' + before + ' is not in the history of ' + chatId + ' the page holds: page from the newest messages again');
      return list.slice(-limit).map((m) => msgOut(m));
    },
    // unread answers one batch of the unread backlog: chats in id order
    // from afterChat (skipping skip messages of that one), each with its
    // unread messages oldest first, at most budget messages in all, and
    // where the next batch starts (null after the last).
    async unread(afterChat, skip, budget) {
      const chats = need('WAWebCollections').Chat.getModelsArray()
        .filter((c) => unreadWanted(c) > 0 && str(c.id) >= afterChat)
        .sort((a, b) => (str(a.id) < str(b.id) ? -1 : 1));
      const out = [];
      let left = Math.max(1, budget);
      for (let i = 0; i < chats.length; i += unreadLoads) {
        const group = chats.slice(i, i + unreadLoads);
        const lists = await Promise.all(group.map(unreadOf));
        for (let j = 0; j < group.length; j++) {
          const c = group[j];
          const from = str(c.id) === afterChat ? skip : 0;
          const msgs = lists[j].slice(from, from + left);
          out.push({...chatOut(c), msgs: msgs.map((m) => msgOut(m, false))});
          left -= msgs.length;
          if (from + msgs.length < lists[j].length) return {chats: out, next: {chat: str(c.id), skip: from + msgs.length}};
          if (left === 0) {
            const after = chats[i + j + 1];
            return {chats: out, next: after ? {chat: str(after.id), skip: 0} : null};
          }
        }
      }
      return {chats: out, next: null};
    },
    // markRead sends the chat's read receipts as WhatsApp Web does when it
    // is opened: sendSeen works only while the presence is available.
    async markRead(chatId) {
      const chat = await findChat(chatId);
      const {Stream} = need('WAWebStreamModel');
      const seen = need('WAWebUpdateUnreadChatAction');
      Stream.markAvailable();
      try {
        await seen.sendSeen({chat, threadId: undefined});
      } finally {
        Stream.markUnavailable();
      }
      if (chat.unreadCount !== 0) throw new Error('WhatsApp Web did not mark ' + chatId + ' read (still ' + chat.unreadCount + ' unread)');
      return true;
    },
    // send sends a text; quote, when set, is the key (or raw id) of the
    // message it replies to, quoted as WhatsApp Web quotes it. A message
    // the page no longer holds or does not let be quoted is not quoted:
    // the answer then has no quoted.
    async send(chatId, msgId, body, quote) {
      const chat = await findChat(chatId);
      const {from, key} = outKey(chat, msgId);
      const {Msg} = need('WAWebCollections');
      // A message the page already holds is never added again: sent, it is
      // the answer; unacknowledged, the page is sending it and we wait.
      const held = Msg.get(key) || heldOut(msgId);
      if (held && held.ack >= 0) return msgOut(await settled(held));
      if (held) {
        // The server refused the earlier copy: it goes again as new.
        const other = need('WAWebCollections').Chat.get(held.id.remote);
        if (other) other.msgs.remove(held);
        Msg.remove(held);
      }
      const msg = {
        id: key, ack: 0, body, from, to: chat.id, local: true, self: 'out',
        t: Math.floor(Date.now() / 1000), isNewMsg: true, type: 'chat',
        ...(await quoteInfo(chat, quote)),
      };
      // A chat with disappearing messages on gets them in this message too.
      const eph = mod('WAWebGetEphemeralFieldsMsgActionsUtils');
      if (eph && eph.getEphemeralFields) Object.assign(msg, eph.getEphemeralFields(chat));
      // Some builds answer [added, result], newer ones a promise of it.
      const [added, result] = await need('WAWebSendMsgChatAction').addAndSendMsgToChat(chat, msg);
      const model = await added;
      const res = await result;
      const code = str(res && (res.messageSendResult || res));
      if (code !== 'OK' && code !== 'success') throw new Error('send result ' + code);
      return msgOut(model || Msg.get(key));
    },
    // message answers the message a reply to msgId would quote, or null.
    async message(chatId, msgId) {
      const q = await quotable(await findChat(chatId), msgId);
      return q ? msgOut(q) : null;
    },
    async find(chatId, msgId) {
      const held = heldOut(msgId);
      if (held && held.ack >= 0) return msgOut(await settled(held));
      // Not on the page (a reload, a crash): ask the server by the keys the
      // send would have used.
      const keys = sentKeys(chatId, msgId);
      const res = keys.length ? await need('WAWebCollections').Msg.getMessagesById(keys) : null;
      const found = res && res.messages && res.messages.find((m) => m && m.ack >= 1);
      return found ? msgOut(found) : null;
    },
  };

  // Go calls window.__wac.call(name, ...args); it never rejects, so that Go
  // can tell a permanent failure, and a message still in flight at the
  // page, from a transient one.
  window.__wac = {
    async call(name, ...args) {
      try {
        return {ok: await api[name](...args)};
      } catch (e) {
        return {err: String((e && e.message) || e), permanent: !!(e && e.permanent), inflight: !!(e && e.inflight)};
      }
    },
  };

  waitPage();
})();
