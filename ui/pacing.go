package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/keymap"
	"github.com/waconsole/waconsole/session"
)

// pacingDialog edits how fast a session sends.
type pacingDialog struct {
	b    session.Runtime
	id   string
	base session.Pacing
	form
	errs [5]string
}

var pacingLabels = [5]string{
	"Min gap (between two sends of the session, e.g. 15s)",
	"Jitter min (least random extra wait after a send, e.g. 5s)",
	"Jitter max (most random extra wait after a send, e.g. 15s)",
	"Chat gap (between two sends to one chat, e.g. 30s)",
	"Bulk limit (chats one text may go to per hour without approval)",
}

func newPacingDialog(b session.Runtime, id string, p session.Pacing, w int) *pacingDialog {
	d := &pacingDialog{b: b, id: id, base: p, form: form{inputs: make([]textinput.Model, len(pacingLabels))}}
	values := [5]string{p.MinGap.String(), p.JitterMin.String(), p.Jitter.String(), p.ChatGap.String(), strconv.Itoa(p.BulkLimit)}
	for i := range d.inputs {
		d.inputs[i] = newInput("> ", "", dialogWidth(w)-6)
		d.inputs[i].SetValue(values[i])
	}
	d.inputs[0].Focus()
	return d
}

func (d *pacingDialog) update(msg tea.Msg, km *keymap.KeyMap) (tea.Cmd, bool) {
	cmd, k := d.route(msg, km)
	switch k {
	case formSubmit:
		return d.submit()
	case formCancel:
		return nil, true
	}
	return cmd, false
}

// submit parses every field; the first bad one gets the focus and its
// reason, and keeps its text.
func (d *pacingDialog) submit() (tea.Cmd, bool) {
	d.errs = [5]string{}
	p := d.base
	durations := []*time.Duration{&p.MinGap, &p.JitterMin, &p.Jitter, &p.ChatGap}
	for i, dst := range durations {
		v, err := time.ParseDuration(strings.TrimSpace(d.inputs[i].Value()))
		switch {
		case err != nil:
			d.errs[i] = fmt.Sprintf("%q is not a duration: write it like 15s, 1m30s or 500ms", d.inputs[i].Value())
		case v < 0:
			d.errs[i] = "it must not be negative"
		}
		*dst = v
	}
	n, err := strconv.Atoi(strings.TrimSpace(d.inputs[4].Value()))
	if err != nil || n < 0 {
		d.errs[4] = fmt.Sprintf("%q is not a count: write a whole number, 0 or more", d.inputs[4].Value())
	}
	if d.errs[1] == "" && d.errs[2] == "" && p.JitterMin > p.Jitter {
		d.errs[1] = "the least jitter must not be above the most"
	}
	p.BulkLimit = n
	for i, e := range d.errs {
		if e != "" {
			return d.setFocus(i), false
		}
	}
	b, id, set := d.b, d.id, changedPacing(d.base, p)
	return act(func() error {
		_, err := b.Set(id, session.Settings{Pacing: &set})
		return err
	}, id+": pacing set to "+pacingText(p), "could not set the pacing of "+id), true
}

func (d *pacingDialog) view(w int) string {
	inner := dialogWidth(w) - styles.Dialog.GetHorizontalFrameSize()
	fields := make([]string, len(d.inputs))
	for i := range d.inputs {
		fields[i] = fieldView(pacingLabels[i], d.inputs[i], d.errs[i], inner)
	}
	return frame(w, "Pacing of "+d.id, strings.Join(fields, "\n"), "tab next · enter apply · esc cancel")
}

// changedPacing sets only what the operator changed in the form: a value
// left as shown stays a default if it was one.
func changedPacing(base, p session.Pacing) session.PacingSettings {
	var set session.PacingSettings
	for _, f := range []struct {
		was, now time.Duration
		dst      **time.Duration
	}{{base.MinGap, p.MinGap, &set.MinGap}, {base.JitterMin, p.JitterMin, &set.JitterMin}, {base.Jitter, p.Jitter, &set.Jitter}, {base.ChatGap, p.ChatGap, &set.ChatGap}} {
		if f.now != f.was {
			*f.dst = &f.now
		}
	}
	if p.BulkLimit != base.BulkLimit {
		set.BulkLimit = &p.BulkLimit
	}
	return set
}
