// The page's identity and its private channel to the server, the stand-in
// for WhatsApp's websocket: an EventSource for pushes, POSTs for calls.
import { Emitter, encodeB64, hex } from './kit.js';

// Like WhatsApp Web, the login lives in IndexedDB ("wawc"): a transaction is
// written through to disk when it completes, so a killed browser keeps it.
// localStorage only mirrors the hints other tools read.
const ls = window.localStorage;

function openDB() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('wawc', 2);
    req.onupgradeneeded = () => {
      for (const name of ['user', 'outbox']) {
        if (!req.result.objectStoreNames.contains(name)) req.result.createObjectStore(name);
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

const db = await openDB();
const user = await new Promise((resolve, reject) => {
  const all = {};
  const req = db.transaction('user').objectStore('user').openCursor();
  req.onsuccess = () => {
    const c = req.result;
    if (!c) return resolve(all);
    all[c.key] = c.value;
    c.continue();
  };
  req.onerror = () => reject(req.error);
});

// write stores changes; the promise settles when they are on disk.
function write(changes) {
  const tx = db.transaction('user', 'readwrite', { durability: 'strict' });
  const st = tx.objectStore('user');
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) { delete user[k]; st.delete(k); } else { user[k] = v; st.put(v, k); }
  }
  return new Promise((resolve) => { tx.oncomplete = tx.onabort = tx.onerror = () => resolve(); });
}

// outbox is the page's own queue of messages the server has not accepted
// yet, by serialized key; a killed browser keeps it.
export const outbox = {
  all() {
    return new Promise((resolve, reject) => {
      const req = db.transaction('outbox').objectStore('outbox').getAll();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  },
  put(key, entry) { return done(db.transaction('outbox', 'readwrite', { durability: 'strict' }), (st) => st.put(entry, key)); },
  del(key) { return done(db.transaction('outbox', 'readwrite', { durability: 'strict' }), (st) => st.delete(key)); },
};

function done(tx, f) {
  f(tx.objectStore('outbox'));
  return new Promise((resolve) => { tx.oncomplete = tx.onabort = tx.onerror = () => resolve(); });
}

function keep(key, make) {
  if (!(key in user)) write({ [key]: make() });
  return user[key];
}

const randomKey = () => encodeB64(crypto.getRandomValues(new Uint8Array(32)));

// One device id and one set of public keys per browser profile.
const deviceId = keep('sim-device', () => hex(8).toLowerCase());
export const keys = {
  noise: keep('sim-noise-pub', randomKey),
  identity: keep('sim-identity-pub', randomKey),
  adv: keep('sim-adv-secret', randomKey),
};

// rotateAdv makes a new ADV secret, keeps it, tells the server (and
// whether the page now links by code, when no QR code can pair), then
// announces it the way WhatsApp Web does, without a new ref.
export const advSecretEventEmitter = new Emitter();
export async function rotateAdv(byCode) {
  keys.adv = randomKey();
  await write({ 'sim-adv-secret': keys.adv });
  await post('adv', { adv: keys.adv, byCode }).catch(() => {});
  advSecretEventEmitter.trigger('change');
}

// auth is the login the page keeps across reloads.
export const auth = {
  get token() { return user['sim-token'] || ''; },
  save(token, phone) {
    ls.setItem('last-wid-md', JSON.stringify(phone + ':1@c.us'));
    ls.removeItem('old-logout-cred');
    return write({ 'sim-token': token, 'sim-phone': phone });
  },
  clear(reason) {
    ls.removeItem('last-wid-md');
    ls.setItem('old-logout-cred', JSON.stringify({ reason, t: Date.now() }));
    return write({ 'sim-token': null, 'sim-phone': null });
  },
};

// post calls the server; a refused or failed call throws.
export async function post(op, body = {}) {
  const res = await fetch('/sim/device/' + op, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ device: deviceId, token: auth.token, ...body }),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

export function openStream(synced) {
  const q = new URLSearchParams({ device: deviceId, ...keys, token: auth.token, synced: synced ? '1' : '' });
  return new EventSource('/sim/stream?' + q);
}
