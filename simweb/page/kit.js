// Backbone-like pieces that WhatsApp Web's models are made of: events,
// models with change events, collections, wids and message keys.
import { build } from './build.js';

export class Emitter {
  constructor() { this._handlers = new Map(); }
  on(name, cb, ctx) {
    if (!this._handlers.has(name)) this._handlers.set(name, []);
    this._handlers.get(name).push({ cb, ctx, orig: cb });
    return this;
  }
  once(name, cb, ctx) {
    const wrap = (...args) => { this.off(name, cb); cb.apply(ctx, args); };
    this.on(name, wrap, ctx);
    this._handlers.get(name).at(-1).orig = cb;
    return this;
  }
  off(name, cb) {
    if (name === undefined) this._handlers.clear();
    else if (cb === undefined) this._handlers.delete(name);
    else if (this._handlers.has(name)) {
      this._handlers.set(name, this._handlers.get(name).filter((h) => h.orig !== cb));
    }
    return this;
  }
  trigger(name, ...args) {
    for (const h of [...(this._handlers.get(name) || [])]) {
      try { h.cb.apply(h.ctx, args); } catch (e) { console.error(e); }
    }
    return this;
  }
  // Aliases some callers use.
  addListener(name, cb) { return this.on(name, cb); }
  removeListener(name, cb) { return this.off(name, cb); }
  emit(name, ...args) { return this.trigger(name, ...args); }
}

// Model keeps attributes behind accessors, so assigning one fires
// change:<name> (model, value) on the model and on its collections.
export class Model extends Emitter {
  constructor(attrs = {}) {
    super();
    this.attributes = {};
    this.collections = new Set();
    Object.assign(this.attributes, attrs);
  }
  static props(...names) {
    for (const n of names) {
      Object.defineProperty(this.prototype, n, {
        get() { return this.attributes[n]; },
        set(v) { this.set(n, v); },
        configurable: true,
      });
    }
  }
  get(name) { return this.attributes[name]; }
  set(name, value) {
    if (typeof name === 'object') {
      for (const [k, v] of Object.entries(name)) this.set(k, v);
      return this;
    }
    if (this.attributes[name] === value) return this;
    this.attributes[name] = value;
    this.trigger('change:' + name, this, value);
    this.trigger('change', this);
    return this;
  }
  trigger(name, ...args) {
    super.trigger(name, ...args);
    for (const c of this.collections) c.trigger(name, ...args);
    return this;
  }
  serialize() {
    const out = {};
    for (const [k, v] of Object.entries(this.attributes)) {
      if (v instanceof Collection) continue;
      out[k] = plain(v);
    }
    return out;
  }
}

// plain turns ids and models into JSON-friendly objects.
function plain(v) {
  if (v instanceof Wid) return { server: v.server, user: v.user, _serialized: v._serialized };
  if (v instanceof MsgKey) {
    return { fromMe: v.fromMe, remote: plain(v.remote), id: v.id, participant: plain(v.participant) };
  }
  if (v instanceof Model) return v.serialize();
  return v;
}

// Collection holds models by String(id): a Wid's _serialized or a MsgKey's
// toString(). Models are kept sorted by sortKey when one is given.
export class Collection extends Emitter {
  constructor(sortKey) {
    super();
    this.models = [];
    this._byId = new Map();
    this._sortKey = sortKey;
  }
  get length() { return this.models.length; }
  get(id) { return id == null ? undefined : this._byId.get(String(id)); }
  has(id) { return this.get(id) !== undefined; }
  add(model) {
    const old = this.get(model.id);
    if (old) return old;
    const k = this._sortKey;
    // After the last model whose key is not greater: binary search, as a
    // page of older messages lands in front of thousands.
    let at = this.models.length;
    if (k && at > 0 && k(this.models[at - 1]) > k(model)) {
      const key = k(model);
      let lo = 0;
      while (lo < at) {
        const mid = (lo + at) >> 1;
        if (k(this.models[mid]) > key) at = mid;
        else lo = mid + 1;
      }
    }
    this.models.splice(at, 0, model);
    this._byId.set(String(model.id), model);
    model.collections.add(this);
    this.trigger('add', model, this);
    return model;
  }
  remove(model) {
    const m = this.get(model.id ?? model);
    if (!m) return undefined;
    this.models.splice(this.models.indexOf(m), 1);
    this._byId.delete(String(m.id));
    m.collections.delete(this);
    this.trigger('remove', m, this);
    return m;
  }
  getModelsArray() { return this.models.slice(); }
  toArray() { return this.models.slice(); }
  at(i) { return this.models.at(i); }
  last() { return this.models.at(-1); }
  forEach(f) { this.models.forEach(f); }
  filter(f) { return this.models.filter(f); }
  map(f) { return this.models.map(f); }
  serialize() { return this.models.map((m) => m.serialize()); }
}

// Wid is a WhatsApp id like 15550100001@c.us, 1203…@g.us or 1234@lid.
class Wid {
  constructor(user, server) {
    this.server = server;
    this.user = user;
    this._serialized = user + '@' + server;
  }
  toString() { return this._serialized; }
  toJid() { return this._serialized; }
  equals(other) { return other != null && String(other) === this._serialized; }
  isUser() { return this.server === 'c.us' || this.server === 'lid'; }
  isLid() { return this.server === 'lid'; }
  isGroup() { return this.server === 'g.us'; }
  isBroadcast() { return this.server === 'broadcast'; }
  isNewsletter() { return this.server === 'newsletter'; }
}

const widUser = {
  'c.us': /^\d{5,20}(:\d+)?$/,
  lid: /^\d{5,20}(:\d+)?$/,
  'g.us': /^\d{5,30}(-\d{5,20})?$/,
  broadcast: /^(status|\d+)$/,
  newsletter: /^\d+$/,
};

// createWid parses an id and throws on anything malformed, like WAWebWidFactory.
export function createWid(id) {
  if (id instanceof Wid) return id;
  if (id && typeof id === 'object' && typeof id._serialized === 'string') id = id._serialized;
  if (typeof id !== 'string') throw new Error('createWid: invalid wid ' + String(id));
  const at = id.lastIndexOf('@');
  let user = id.slice(0, at);
  let server = id.slice(at + 1);
  if (server === 's.whatsapp.net') server = 'c.us';
  const re = widUser[server];
  if (at <= 0 || !re || !re.test(user)) throw new Error('createWid: invalid wid ' + id);
  if (server === 'c.us' || server === 'lid') user = user.replace(/:\d+$/, '');
  return new Wid(user, server);
}

// MsgKey identifies a message. Like WhatsApp Web ≥ 2.3000.1042401057 it
// keeps its string form in a minified field and has no _serialized. It takes
// {from, to, id, participant, selfDir} or {fromMe, remote, id, participant};
// strict builds refuse a mix of both, as WhatsApp Web does.
export class MsgKey {
  constructor({ from, to, id, participant, selfDir, fromMe, remote }) {
    const dirForm = selfDir !== undefined || from !== undefined || to !== undefined;
    const remoteForm = fromMe !== undefined || remote !== undefined;
    if (build.strictMsgKey && dirForm === remoteForm) throw new Error('MsgKey error: unclear which constructor to use');
    if (selfDir !== undefined) fromMe = selfDir === 'out';
    if (typeof id !== 'string' || id === '') throw new Error('MsgKey: id is required');
    this.fromMe = !!fromMe;
    this.remote = createWid(remote ?? (this.fromMe ? to : from));
    this.id = id;
    this.participant = participant ? createWid(participant) : undefined;
    this.$1 = `${this.fromMe}_${this.remote}_${id}` + (this.participant ? `_${this.participant}` : '');
  }
  toString() { return this.$1; }
  equals(other) { return other != null && String(other) === this.$1; }
  static async newId() { return '3EB0' + hex(9); }
  static fromString(s) {
    const [fromMe, remote, id, participant] = String(s).split('_');
    return new MsgKey({ fromMe: fromMe === 'true', remote, id, participant });
  }
}

export function hex(n) {
  const b = crypto.getRandomValues(new Uint8Array(n));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
}

export function encodeB64(bytes) {
  const u8 = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return btoa(String.fromCharCode(...u8));
}

export function decodeB64(s) {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}
