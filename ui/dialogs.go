package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/keymap"
	"github.com/waconsole/waconsole/session"
)

// dialog is a modal: while open it gets every key (but ctrl+c) and paste.
// done closes it; cmd then runs.
type dialog interface {
	update(msg tea.Msg, km *keymap.KeyMap) (cmd tea.Cmd, done bool)
	view(w int) string
}

func (m *Model) dialogMsg(msg tea.Msg) tea.Cmd {
	cmd, done := m.dialog.update(msg, &m.km)
	if done {
		m.dialog = nil
	}
	return cmd
}

// dialogWidth is the outer width of dialogs in a terminal w wide.
func dialogWidth(w int) int { return min(w-4, 72) }

// frame draws a dialog box with its title, body and key hints.
func frame(w int, title, body, hints string) string {
	inner := dialogWidth(w) - styles.Dialog.GetHorizontalFrameSize()
	parts := []string{styles.DialogTitle.Render(title), "", wrap(body, inner)}
	if hints != "" {
		parts = append(parts, "", styles.Hint.Render(wrap(hints, inner)))
	}
	return styles.Dialog.Width(dialogWidth(w)).Render(strings.Join(parts, "\n"))
}

// fieldView draws one labelled input with its error under it.
func fieldView(label string, in textinput.Model, err string, inner int) string {
	s := styles.Label.Render(label) + "\n" + in.View()
	if err != "" {
		s += "\n" + styles.FieldError.Render(wrap(err, inner))
	}
	return s
}

// confirmDialog asks before a destructive action; only y runs it.
type confirmDialog struct {
	title, body string
	yes         tea.Cmd
}

func newConfirm(title, body string, yes tea.Cmd) *confirmDialog {
	return &confirmDialog{title: title, body: body, yes: yes}
}

func (d *confirmDialog) update(msg tea.Msg, km *keymap.KeyMap) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	switch {
	case !ok:
		return nil, false
	case key.Matches(k, km.Dialog.Yes):
		return d.yes, true
	case key.Matches(k, km.Dialog.No, km.Dialog.Cancel):
		return nil, true
	}
	return nil, false
}

func (d *confirmDialog) view(w int) string {
	return frame(w, d.title, d.body, "y confirm · n/esc cancel")
}

// phoneDialog asks for the phone a link code is for.
type phoneDialog struct {
	b     session.Runtime
	id    string
	input textinput.Model
	err   string
}

func newPhoneDialog(b session.Runtime, id, current string, w int) *phoneDialog {
	in := newInput("+", "12025550108", dialogWidth(w)-6)
	in.SetValue(current)
	in.Focus()
	return &phoneDialog{b: b, id: id, input: in}
}

func (d *phoneDialog) update(msg tea.Msg, km *keymap.KeyMap) (tea.Cmd, bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, km.Dialog.Cancel):
			return nil, true
		case key.Matches(k, km.Dialog.Submit):
			ph := d.input.Value()
			if err := session.ValidatePhone(ph); err != nil {
				d.err = err.Error()
				return nil, false
			}
			b, id := d.b, d.id
			return act(func() error { return b.UseLinkCode(id, ph) },
				id+": requesting a link code for +"+ph, "could not switch "+id+" to a link code"), true
		}
	}
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	return cmd, false
}

func (d *phoneDialog) view(w int) string {
	inner := dialogWidth(w) - styles.Dialog.GetHorizontalFrameSize()
	body := "WhatsApp sends an 8-character code for this phone number; you type it on the phone.\n\n" +
		fieldView("Phone (international, digits only)", d.input, d.err, inner)
	return frame(w, "Pair "+d.id+" with a link code", body, "enter request code · esc cancel")
}

// textDialog shows read-only text, such as a job's details.
type textDialog struct{ title, body string }

func (d *textDialog) update(msg tea.Msg, km *keymap.KeyMap) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	return nil, ok && key.Matches(k, km.Dialog.Cancel, km.Dialog.Submit, km.Global.Quit)
}

func (d *textDialog) view(w int) string { return frame(w, d.title, d.body, "esc/enter close") }
