// Package keymap holds every key binding of the console and its help text.
// The ui package routes keys only through these bindings, so what the help
// shows is exactly what works.
package keymap

import (
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
)

// KeyMap is every binding of the console, grouped by where it applies.
type KeyMap struct {
	Global  Global
	Nav     Nav
	Table   Table
	Detail  Detail
	Pairing Pairing
	Chats   Chats
	Chat    Chat
	Raw     Raw
	Queue   Queue
	Drain   Drain
	Webhook Webhook
	Alerts  Alerts
	Dialog  Dialog
}

// Global bindings work on every screen unless a dialog or an input has focus
// (ForceQuit works always).
type Global struct {
	ForceQuit key.Binding
	Quit      key.Binding
	Help      key.Binding
	Command   key.Binding
	Filter    key.Binding
	Back      key.Binding
	Alerts    key.Binding // the alerts screen, from any screen
}

// Nav moves the cursor of any list.
type Nav struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
}

// Table acts on the session under the cursor (or the open session).
type Table struct {
	Open    key.Binding
	Add     key.Binding
	Start   key.Binding
	Stop    key.Binding
	Restart key.Binding
	Logout  key.Binding
	Delete  key.Binding
	Chats   key.Binding
	Queue   key.Binding
	Drain   key.Binding
}

// Detail is the session detail view.
type Detail struct {
	Pair     key.Binding
	Webhooks key.Binding
	Events   key.Binding
}

// Pairing is the pairing view; which bindings apply depends on the state.
type Pairing struct {
	FreshQR  key.Binding // QR expired: ask for a fresh one
	LinkCode key.Binding // pair with a link code instead
	UseQR    key.Binding // back to the QR code
	Start    key.Binding // stopped or logged out: start pairing
	Restart  key.Binding // conflict, failed, disconnected: restart the browser
}

// Chats is the chat list of a session.
type Chats struct {
	Open   key.Binding
	Reload key.Binding
}

// Chat is one open chat: a selected message, and the compose box.
type Chat struct {
	Compose key.Binding
	Send    key.Binding
	// Newline is alt+enter everywhere; shift+enter only where the terminal
	// reports it (keyboard enhancements).
	Newline  key.Binding
	Reply    key.Binding
	Raw      key.Binding
	MarkRead key.Binding // sends read receipts: asked once per session, disabled read-only
	Unread   key.Binding
	Latest   key.Binding
}

// Raw is the raw view of one message.
type Raw struct {
	CopyID   key.Binding
	CopyJSON key.Binding
}

// Queue is the outbox view of a session.
type Queue struct {
	Edit    key.Binding
	Pause   key.Binding
	Inspect key.Binding
	Retry   key.Binding
	Discard key.Binding
}

// Drain is the unread drain of a session: pick chats, then an action.
type Drain struct {
	Pick     key.Binding
	All      key.Binding
	Deliver  key.Binding
	Read     key.Binding // sends read receipts: confirmed, disabled read-only
	Skip     key.Binding
	Pause    key.Binding
	Cancel   key.Binding
	Snapshot key.Binding
}

// Webhook is the webhook screen of a session: its endpoints and their
// deliveries, one list focused at a time.
type Webhook struct {
	Switch key.Binding // between the endpoints and the deliveries
	Add    key.Binding // sends the session's events elsewhere: disabled read-only
	Test   key.Binding
	Retry  key.Binding
	Remove key.Binding
}

// Alerts is the alerts screen. Acknowledging only says someone is on it,
// so read-only mode keeps it.
type Alerts struct {
	Ack     key.Binding
	History key.Binding // between the open alerts and every alert
	Open    key.Binding // the alert's session
}

// Dialog applies inside dialogs and prompts.
type Dialog struct {
	Submit key.Binding
	Cancel key.Binding
	Next   key.Binding
	Prev   key.Binding
	Toggle key.Binding
	Yes    key.Binding
	No     key.Binding
}

func bind(help string, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// Default returns the console's bindings.
func Default() KeyMap {
	return KeyMap{
		Global: Global{
			ForceQuit: bind("ctrl+c", "quit", "ctrl+c"),
			Quit:      bind("q", "quit", "q"),
			Help:      bind("?", "help", "?"),
			Command:   bind(":", "command", ":"),
			Filter:    bind("/", "filter", "/"),
			Back:      bind("esc", "back", "esc"),
			Alerts:    bind("!", "alerts", "!"),
		},
		Nav: Nav{
			Up:       bind("↑/k", "up", "up", "k"),
			Down:     bind("↓/j", "down", "down", "j"),
			PageUp:   bind("pgup", "page up", "pgup"),
			PageDown: bind("pgdn", "page down", "pgdown"),
			Top:      bind("home", "top", "home"),
			Bottom:   bind("end", "bottom", "end"),
		},
		Table: Table{
			Open:    bind("enter", "open", "enter"),
			Add:     bind("n", "add", "n"),
			Start:   bind("s", "start", "s"),
			Stop:    bind("x", "stop", "x"),
			Restart: bind("r", "restart", "r"),
			Logout:  bind("L", "logout", "L"),
			Delete:  bind("D", "delete", "D"),
			Chats:   bind("c", "chats", "c"),
			Queue:   bind("u", "queue", "u"),
			Drain:   bind("d", "unread drain", "d"),
		},
		Detail: Detail{
			Pair:     bind("p", "pairing view", "p"),
			Webhooks: bind("w", "webhooks", "w"),
			Events:   bind("E", "events", "E"),
		},
		Pairing: Pairing{
			FreshQR:  bind("r", "fresh QR", "r"),
			LinkCode: bind("l", "use link code", "l"),
			UseQR:    bind("g", "use QR code", "g"),
			Start:    bind("s", "start pairing", "s"),
			Restart:  bind("r", "restart", "r"),
		},
		Chats: Chats{
			Open:   bind("enter", "open chat", "enter"),
			Reload: bind("r", "reload", "r"),
		},
		Chat: Chat{
			Compose:  bind("i/tab", "compose", "i", "tab"),
			Send:     bind("enter", "send", "enter"),
			Newline:  bind("alt+enter", "new line", "alt+enter", "shift+enter"),
			Reply:    bind("r", "reply", "r"),
			Raw:      bind("enter", "raw message", "enter"),
			MarkRead: bind("R", "mark read on the phone", "R"),
			Unread:   bind("u", "first unread", "u"),
			Latest:   bind("G", "newest", "G"),
		},
		Raw: Raw{
			CopyID:   bind("y", "copy id", "y"),
			CopyJSON: bind("Y", "copy JSON", "Y"),
		},
		Queue: Queue{
			Edit:    bind("e", "edit pacing", "e"),
			Pause:   bind("p", "pause/resume", "p"),
			Inspect: bind("enter", "inspect job", "enter"),
			Retry:   bind("R", "retry/approve", "R"),
			Discard: bind("X", "discard", "X"),
		},
		Drain: Drain{
			Pick:     bind("space", "pick chat", "space"),
			All:      bind("a", "pick all/none", "a"),
			Deliver:  bind("v", "deliver to webhooks", "v"),
			Read:     bind("m", "mark read", "m"),
			Skip:     bind("S", "skip", "S"),
			Pause:    bind("p", "pause/resume", "p"),
			Cancel:   bind("X", "cancel drain", "X"),
			Snapshot: bind("r", "new snapshot", "r"),
		},
		Webhook: Webhook{
			Switch: bind("tab", "endpoints/deliveries", "tab"),
			Add:    bind("n", "add endpoint", "n"),
			Test:   bind("t", "test endpoint", "t"),
			Retry:  bind("R", "retry delivery", "R"),
			Remove: bind("X", "remove endpoint", "X"),
		},
		Alerts: Alerts{
			Ack:     bind("a", "acknowledge", "a"),
			History: bind("h", "history", "h"),
			Open:    bind("enter", "open", "enter"),
		},
		Dialog: Dialog{
			Submit: bind("enter", "ok", "enter"),
			Cancel: bind("esc", "cancel", "esc"),
			Next:   bind("tab", "next field", "tab", "down"),
			Prev:   bind("shift+tab", "previous field", "shift+tab", "up"),
			Toggle: bind("←/→", "choose", "left", "right", "space"),
			Yes:    bind("y", "yes", "y"),
			No:     bind("n", "no", "n"),
		},
	}
}

// destructive lists the bindings that take a session offline, lose
// something, message a chat or send its events somewhere new: read-only
// mode disables exactly these.
func (k *KeyMap) destructive() []*key.Binding {
	return []*key.Binding{&k.Table.Stop, &k.Table.Restart, &k.Table.Logout, &k.Table.Delete, &k.Pairing.Restart, &k.Queue.Discard, &k.Drain.Read, &k.Chat.Compose, &k.Chat.Reply, &k.Chat.MarkRead, &k.Webhook.Add, &k.Webhook.Remove}
}

// ReadOnlyActions names, once each, what read-only mode disables, as the
// help shows the keys.
func (k *KeyMap) ReadOnlyActions() []string {
	var names []string
	for _, b := range k.destructive() {
		if d := b.Help().Desc; !slices.Contains(names, d) {
			names = append(names, d)
		}
	}
	return names
}

// SetReadOnly disables (or enables again) the destructive bindings: a
// disabled binding neither matches a key nor shows in help.
func (k *KeyMap) SetReadOnly(ro bool) {
	for _, b := range k.destructive() {
		b.SetEnabled(!ro)
	}
}

// Blocked returns the disabled binding among bs that the key would have
// triggered, so the caller can explain why nothing happened.
func Blocked(msg fmt.Stringer, bs ...key.Binding) (key.Binding, bool) {
	s := msg.String()
	for _, b := range bs {
		if b.Enabled() {
			continue
		}
		for _, k := range b.Keys() {
			if k == s {
				return b, true
			}
		}
	}
	return key.Binding{}, false
}

// Bindings lists the group in the order help shows it.
func (g Global) Bindings() []key.Binding {
	return []key.Binding{g.Help, g.Command, g.Filter, g.Back, g.Alerts, g.Quit, g.ForceQuit}
}

// Bindings lists the group in the order help shows it.
func (n Nav) Bindings() []key.Binding {
	return []key.Binding{n.Up, n.Down, n.PageUp, n.PageDown, n.Top, n.Bottom}
}

// Bindings lists the group in the order help shows it.
func (t Table) Bindings() []key.Binding {
	return []key.Binding{t.Open, t.Add, t.Start, t.Stop, t.Restart, t.Logout, t.Delete, t.Chats, t.Queue, t.Drain}
}

// Bindings lists the group in the order help shows it.
func (p Pairing) Bindings() []key.Binding {
	return []key.Binding{p.FreshQR, p.LinkCode, p.UseQR, p.Start, p.Restart}
}

// Bindings lists the group in the order help shows it.
func (c Chats) Bindings() []key.Binding { return []key.Binding{c.Open, c.Reload} }

// Bindings lists the group in the order help shows it.
func (c Chat) Bindings() []key.Binding {
	return []key.Binding{c.Compose, c.Send, c.Newline, c.Reply, c.Raw, c.MarkRead, c.Unread, c.Latest}
}

// Bindings lists the group in the order help shows it.
func (r Raw) Bindings() []key.Binding { return []key.Binding{r.CopyID, r.CopyJSON} }

// Bindings lists the group in the order help shows it.
func (q Queue) Bindings() []key.Binding {
	return []key.Binding{q.Inspect, q.Edit, q.Pause, q.Retry, q.Discard}
}

// Bindings lists the group in the order help shows it.
func (d Drain) Bindings() []key.Binding {
	return []key.Binding{d.Pick, d.All, d.Deliver, d.Read, d.Skip, d.Pause, d.Cancel, d.Snapshot}
}

func (w Webhook) Bindings() []key.Binding {
	return []key.Binding{w.Switch, w.Add, w.Test, w.Retry, w.Remove}
}

// Bindings lists the group in the order help shows it.
func (a Alerts) Bindings() []key.Binding { return []key.Binding{a.Ack, a.History, a.Open} }
