// Boot: like WhatsApp Web, window.Debug.VERSION appears once the bundle has
// loaded, the modules register over the next moments, then the socket opens.
import { build } from './build.js';
import { startMirror } from './dom.js';
import { registerModules } from './modules.js';
import { connect } from './socket.js';

const cfg = document.documentElement.dataset;
startMirror();
setTimeout(() => {
  window.Debug = { VERSION: build.version };
  registerModules(Number(cfg.moduleMs), connect);
}, Number(cfg.loadMs));
