package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/keymap"
)

// form is a dialog's column of text inputs, one of them in focus.
type form struct {
	focus  int
	inputs []textinput.Model
}

func (f *form) setFocus(i int) tea.Cmd {
	f.focus = min(max(i, 0), len(f.inputs)-1)
	for i := range f.inputs {
		f.inputs[i].Blur()
	}
	return f.inputs[f.focus].Focus()
}

// formKey is what route made of a message.
type formKey int

const (
	formTyped  formKey = iota // moved the focus or went to the field in focus
	formSubmit                // enter
	formCancel                // esc
)

// route handles what every form does alike: esc and enter are the
// dialog's to act on, tab and shift+tab move the focus, and anything else
// goes to the field in focus.
func (f *form) route(msg tea.Msg, km *keymap.KeyMap) (tea.Cmd, formKey) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, km.Dialog.Cancel):
			return nil, formCancel
		case key.Matches(k, km.Dialog.Submit):
			return nil, formSubmit
		case key.Matches(k, km.Dialog.Next):
			return f.setFocus(f.focus + 1), formTyped
		case key.Matches(k, km.Dialog.Prev):
			return f.setFocus(f.focus - 1), formTyped
		}
	}
	var cmd tea.Cmd
	f.inputs[f.focus], cmd = f.inputs[f.focus].Update(msg)
	return cmd, formTyped
}
