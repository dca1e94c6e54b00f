// Package ui is the console's Bubble Tea program: one root model (Model)
// with plain child structs for the screens (sessions table, pairing,
// detail, chats, chat, queue), k9s grammar (':' commands, '/' filter, '?'
// help, esc back, breadcrumbs, a flash line that clears itself).
//
// Rules that keep it responsive and predictable:
//   - Update never does I/O: every session.Runtime call runs in a tea.Cmd that
//     captures values (never the model) and returns a typed message.
//   - Keys are routed quit, then an open dialog, then a focused input, then
//     the global keys, then the screen on display; only keymap bindings
//     match keys, so help always tells the truth.
//   - The live feed is coalesced (updates.go): one redraw per ~33 ms batch,
//     whatever the burst.
//   - Every style and the one state colour function live in styles.go;
//     styled text is measured and cut with x/ansi, never len().
//   - The layout is recomputed from the size on every render, and what does
//     not fit is said, not clipped silently.
package ui
