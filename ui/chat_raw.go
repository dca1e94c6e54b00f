package ui

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

// rawView shows one message's fields as the page reported them, and the
// data the webhooks carry for it, for a developer debugging a bot; y and Y
// copy its id and its JSON over OSC 52, which also works over SSH.
type rawView struct {
	id   string // the session
	msg  session.Message
	json string // the page's fields as JSON: what Y copies
	text string // what the view shows: numbers masked read-only
	vp   viewport.Model
}

// ackNames are WhatsApp's names of the ack values.
var ackNames = map[session.Ack]string{session.AckError: "error", session.AckPending: "pending", session.AckServer: "server",
	session.AckDevice: "device", session.AckRead: "read", session.AckPlayed: "played"}

func newRawView(m *Model, c *chatView, mm session.Message) *rawView {
	r := &rawView{id: c.id, msg: mm, vp: viewport.New()}
	var raw any = mm.Raw
	rawTitle := "Raw, as the page reported it"
	if mm.Raw == nil {
		raw, rawTitle = mm, "The page reported no raw fields; the message as the console read it"
	}
	r.json = indentJSON(raw)
	hook := indentJSON(session.ReceivedData(c.id, mm))
	content := r.fields(c.people) + "\n\n" + styles.Heading.Render(rawTitle) + "\n" + r.json + "\n\n" +
		styles.Heading.Render("message.received data, as the webhooks carry it") + "\n" + hook
	if c.readOnly {
		content, r.json = maskNumbers(content), maskNumbers(r.json)
	}
	r.text = content
	r.resize(m.width, m.bodyHeight())
	return r
}

// indentJSON is v as indented JSON, or why it cannot be.
func indentJSON(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return "cannot be shown as JSON: " + err.Error()
	}
	return string(b)
}

// fields lists what a developer looks for first: the id and the parts of
// its key, type, times, ack, author, what it quotes and mentions.
func (r *rawView) fields(p people) string {
	mm := r.msg
	field := func(k, v string) string { return styles.Label.Render(cell(k, 14)) + v }
	// A key is <fromMe>_<chat>_<id>[_<participant>].
	parts := strings.SplitN(mm.Key, "_", 4)
	for len(parts) < 4 {
		parts = append(parts, "")
	}
	at := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return fmt.Sprintf("%s (unix %d)", t.UTC().Format(time.RFC3339), t.Unix())
	}
	quoted := "-"
	if mm.Quoted != nil {
		quoted = mm.Quoted.ID
	}
	author := "-"
	if mm.Author != "" {
		author = mm.Author + " (" + p.author(mm) + ")"
	}
	flags := joinNonEmpty(", ", when(mm.New, "new (arrived live)"), when(mm.Media, "media"), when(mm.Notice, "notice"),
		when(mm.Revoked, "deleted for everyone"))
	return strings.Join([]string{
		field("id", mm.ID),
		field("key", mm.Key),
		field("  fromMe", parts[0]),
		field("  chat", parts[1]),
		field("  id", parts[2]),
		field("  participant", cmp.Or(parts[3], "-")),
		field("type", cmp.Or(mm.Type, "-")),
		field("subtype", cmp.Or(mm.Subtype, "-")),
		field("time", at(mm.Time)),
		field("edited", at(mm.Edited)),
		field("ack", fmt.Sprintf("%d %s", mm.Ack, ackNames[mm.Ack])),
		field("author", author),
		field("quoted id", quoted),
		field("mentions", cmp.Or(strings.Join(mm.Mentions, ", "), "-")),
		field("flags", cmp.Or(flags, "-")),
	}, "\n")
}

// when is s if b holds.
func when(b bool, s string) string {
	if b {
		return s
	}
	return ""
}

func (r *rawView) crumb() string     { return "message " + r.msg.ID }
func (r *rawView) sessionID() string { return r.id }

func (r *rawView) shortKeys(m *Model) []key.Binding {
	return []key.Binding{m.km.Raw.CopyID, m.km.Raw.CopyJSON, m.km.Nav.Up, m.km.Nav.Down}
}

func (r *rawView) allKeys(m *Model) []key.Binding { return m.km.Raw.Bindings() }

func (r *rawView) resize(w, h int) {
	r.vp.SetWidth(w)
	r.vp.SetHeight(max(h-1, 1))
	r.vp.SetContent(wrap(r.text, w))
}

func (r *rawView) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	n := m.km.Nav
	switch {
	case key.Matches(msg, m.km.Raw.CopyID):
		return tea.Batch(tea.SetClipboard(r.msg.ID), m.setFlash(info("copied the message id %s to the clipboard", r.msg.ID))), true
	case key.Matches(msg, m.km.Raw.CopyJSON):
		return tea.Batch(tea.SetClipboard(r.json), m.setFlash(info("copied the message's JSON (%d bytes) to the clipboard", len(r.json)))), true
	case key.Matches(msg, n.Up):
		r.vp.ScrollUp(1)
	case key.Matches(msg, n.Down):
		r.vp.ScrollDown(1)
	case key.Matches(msg, n.PageUp):
		r.vp.PageUp()
	case key.Matches(msg, n.PageDown):
		r.vp.PageDown()
	case key.Matches(msg, n.Top):
		r.vp.GotoTop()
	case key.Matches(msg, n.Bottom):
		r.vp.GotoBottom()
	default:
		return nil, false
	}
	return nil, true
}

func (r *rawView) view(m *Model, w, h int) string {
	title := styles.Heading.Render("Message "+r.msg.ID) + styles.Subtle.Render(fmt.Sprintf(" · %d%% · y copies the id, Y the JSON", int(r.vp.ScrollPercent()*100)))
	return trunc(title, w) + "\n" + fit(r.vp.View(), w, max(h-1, 1))
}
