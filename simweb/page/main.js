// Boot: like WhatsApp Web, window.Debug.VERSION appears once the bundle has
// loaded, the modules register over the next moments, then the socket opens.
import { startMirror } from './dom.js';
import { registerModules } from './modules.js';
import { connect } from './socket.js';

// A build at or after 2.3000.1042401057, where MsgKey has no _serialized.
const VERSION = '2.3000.1042630512';

const cfg = document.documentElement.dataset;
startMirror();
setTimeout(() => {
  window.Debug = { VERSION };
  registerModules(Number(cfg.moduleMs), connect);
}, Number(cfg.loadMs));
