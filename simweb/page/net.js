// The page's identity and its private channel to the server, the stand-in
// for WhatsApp's websocket: an EventSource for pushes, POSTs for calls.
import { encodeB64, hex } from './kit.js';

const ls = window.localStorage;

function keep(key, make) {
  let v = ls.getItem(key);
  if (v === null) { v = make(); ls.setItem(key, v); }
  return v;
}

const randomKey = () => encodeB64(crypto.getRandomValues(new Uint8Array(32)));

// One device id and one set of public keys per browser profile, like the
// keys WhatsApp Web keeps in its IndexedDB.
const deviceId = keep('sim-device', () => hex(8).toLowerCase());
export const keys = {
  noise: keep('sim-noise-pub', randomKey),
  identity: keep('sim-identity-pub', randomKey),
  adv: keep('sim-adv-secret', randomKey),
};

// auth is the login the page keeps across reloads.
export const auth = {
  get token() { return ls.getItem('sim-token') || ''; },
  save(token, phone) {
    ls.setItem('sim-token', token);
    ls.setItem('sim-phone', phone);
    ls.setItem('last-wid-md', JSON.stringify(phone + ':1@c.us'));
    ls.removeItem('old-logout-cred');
  },
  clear(reason) {
    ls.removeItem('sim-token');
    ls.removeItem('sim-phone');
    ls.removeItem('last-wid-md');
    ls.setItem('old-logout-cred', JSON.stringify({ reason, t: Date.now() }));
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
