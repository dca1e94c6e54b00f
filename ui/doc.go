// Package ui is the console's Bubble Tea program: one root model (Model)
// that keeps a stack of screens (sessions table, pairing, detail, chats,
// chat, queue), k9s grammar (':' commands, '/' filter, '?' help, esc back,
// breadcrumbs, a flash line that clears itself).
//
// Adding a screen: write one file with a type that implements pane
// (pane.go: crumb, session, keys, update, view) and whichever optional
// interfaces it needs (poller, filterable, feeder, receiver, resizer,
// typist, fullScreen), and an open function that builds it and calls
// m.push. Then register it with one line: a row in the ':' command table
// (command_table.go), or a key of the screen it is opened from; its keys
// go in keymap. The root model needs no change.
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
