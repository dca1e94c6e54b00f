// The DOM mirror of the models, with the hooks DOM scrapers look for: the
// [data-ref] box around the QR canvas, the reload button, #pane-side.
import { linkingByCode, refreshQR } from './actions.js';
import { build } from './build.js';
import { advSecretEventEmitter, keys } from './net.js';
import { isLeaving } from './socket.js';
import { Chat, Conn, Msg, Socket } from './store.js';

const app = document.getElementById('app');
let queued = false;

function el(tag, attrs = {}, children = []) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k === 'onclick') e.onclick = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

// Renders are coalesced so that a burst of messages costs one redraw.
function schedule() {
  if (queued) return;
  queued = true;
  setTimeout(render, 30);
}

function render() {
  queued = false;
  const st = Socket.state;
  const unpaired = (st === 'UNPAIRED' || st === 'UNPAIRED_IDLE') && !isLeaving();
  if (unpaired && build.advRotates && linkingByCode()) return renderLinking();
  if (unpaired && Conn.ref) return renderQR(st === 'UNPAIRED_IDLE');
  if (st === 'CONFLICT') return renderConflict();
  if (Socket.hasSynced) return renderChats(st === 'CONNECTED' ? '' : 'Computer not connected. Reconnecting…');
  const text = { PAIRING: 'Logging in…', CONNECTED: 'Loading your chats…' }[st] || 'Loading…';
  app.replaceChildren(el('div', { class: 'loading', text }));
}

function renderQR(idle) {
  const payload = [Conn.ref, keys.noise, keys.identity, keys.adv, '1'].join(',');
  let box = app.querySelector('[data-testid="link-device-qr-code"]');
  if (!box) {
    box = el('div', { 'data-testid': 'link-device-qr-code' }, [
      el('canvas', { 'aria-label': 'Scan this QR code to link a device!', role: 'img' }),
    ]);
    app.replaceChildren(el('div', { class: 'landing' }, [
      el('h1', { text: 'Log into WhatsApp Web' }),
      el('ol', {}, [
        el('li', { text: 'Open WhatsApp on your phone' }),
        el('li', { text: 'Tap Menu or Settings and select Linked devices' }),
        el('li', { text: 'Tap Link a device and point your phone at this screen' }),
      ]),
      box,
    ]));
  }
  if (box.dataset.ref !== payload) {
    box.dataset.ref = payload;
    draw(box.querySelector('canvas'), payload, box);
  }
  const button = box.querySelector('button');
  if (idle && !button) box.append(el('button', { text: 'Click to reload QR code', onclick: () => refreshQR() }));
  if (!idle && button) button.remove();
}

// renderLinking is the link-code screen: no QR code while linking by code.
function renderLinking() {
  app.replaceChildren(el('div', { class: 'landing' }, [
    el('h1', { text: 'Enter code on phone' }),
    el('p', { text: 'Link with phone number instead of a QR code.' }),
  ]));
}

function draw(canvas, payload, box) {
  const img = new Image();
  img.onload = () => {
    if (box.dataset.ref !== payload) return;
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    canvas.getContext('2d').drawImage(img, 0, 0);
  };
  img.src = '/sim/qr.png?d=' + encodeURIComponent(payload);
}

function renderConflict() {
  app.replaceChildren(el('div', { class: 'conflict' }, [
    el('p', { text: 'WhatsApp is open in another window. Click “Use here” to use WhatsApp in this window.' }),
    el('div', { role: 'button', tabindex: '0', text: 'Use here', onclick: () => Socket.takeover() }),
  ]));
}

function renderChats(banner) {
  const rows = Chat.getModelsArray().sort((a, b) => (b.t || 0) - (a.t || 0)).map((c) => {
    const last = c.msgs.last();
    return el('div', { role: 'row', class: 'chat', 'data-id': String(c.id) }, [
      el('span', { class: 'name', text: c.formattedTitle }),
      el('span', { class: 'last', text: last ? last.body : '' }),
      el('span', { class: 'unread', text: c.unreadCount > 0 ? String(c.unreadCount) : '' }),
    ]);
  });
  app.replaceChildren(el('div', { class: 'app two', tabindex: '-1' }, [
    banner ? el('div', { class: 'banner', text: banner }) : '',
    el('input', { 'aria-label': 'Search or start a new chat', 'data-testid': 'chat-list-search' }),
    el('div', { id: 'pane-side', 'aria-label': 'Chat list', role: 'grid' }, rows),
  ]));
}

export function startMirror() {
  Socket.on('change:state', schedule);
  Socket.on('change:hasSynced', schedule);
  Conn.on('change:ref', schedule);
  advSecretEventEmitter.on('change', schedule);
  Chat.on('add', schedule);
  Chat.on('change', schedule);
  Msg.on('add', schedule);
  render();
}
