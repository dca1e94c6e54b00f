// The build this page plays (simweb/builds.go): which behaviours of
// WhatsApp Web's history it has. Every build is at or after
// 2.3000.1042401057, where MsgKey has no _serialized.
export const build = JSON.parse(document.documentElement.dataset.build);
