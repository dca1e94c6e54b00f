package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/keymap"
	"github.com/waconsole/waconsole/session"
)

// The fields of the add dialog, in focus order.
const (
	addID = iota
	addMethod
	addPhone
)

// addDialog creates a session: id, then QR or link code, then the phone
// for a link code. A bad value is explained under its field and kept.
type addDialog struct {
	b         session.Runtime
	focus     int
	id, phone textinput.Model
	link      bool
	errs      [3]string
}

// addedMsg answers an add; on error the dialog (nil for :add) comes back
// as it was.
type addedMsg struct {
	snap session.Snapshot
	err  error
	dlg  *addDialog
}

func (m *Model) openAdd() tea.Cmd {
	w := dialogWidth(m.width) - 6
	d := &addDialog{
		b:     m.b,
		id:    newInput("> ", "e.g. sales-1", w),
		phone: newInput("+", "12025550108", w),
	}
	m.dialog = d
	return d.id.Focus()
}

func (d *addDialog) update(msg tea.Msg, km *keymap.KeyMap) (tea.Cmd, bool) {
	k, isKey := msg.(tea.KeyPressMsg)
	switch {
	case isKey && key.Matches(k, km.Dialog.Cancel):
		return nil, true
	case isKey && key.Matches(k, km.Dialog.Next):
		return d.setFocus(d.focus + 1), false
	case isKey && key.Matches(k, km.Dialog.Prev):
		return d.setFocus(d.focus - 1), false
	case isKey && key.Matches(k, km.Dialog.Submit):
		return d.submit()
	case isKey && d.focus == addMethod:
		switch {
		case key.Matches(k, km.Dialog.Toggle):
			d.link = !d.link
		case k.Text == "q":
			d.link = false
		case k.Text == "l":
			d.link = true
		}
		return nil, false
	}
	var cmd tea.Cmd
	if d.focus == addPhone {
		d.phone, cmd = d.phone.Update(msg)
	} else {
		d.id, cmd = d.id.Update(msg)
	}
	return cmd, false
}

// setFocus moves between the fields; the phone exists only for link codes.
func (d *addDialog) setFocus(f int) tea.Cmd {
	last := addMethod
	if d.link {
		last = addPhone
	}
	d.focus = min(max(f, addID), last)
	d.id.Blur()
	d.phone.Blur()
	switch d.focus {
	case addID:
		return d.id.Focus()
	case addPhone:
		return d.phone.Focus()
	}
	return nil
}

// submit validates the field in focus and moves on, or adds the session
// once every field is good.
func (d *addDialog) submit() (tea.Cmd, bool) {
	d.errs = [3]string{}
	if err := session.ValidateID(d.id.Value()); err != nil {
		d.errs[addID] = err.Error()
		return d.setFocus(addID), false
	}
	if d.focus == addID || (d.focus == addMethod && d.link) {
		return d.setFocus(d.focus + 1), false
	}
	req := session.AddRequest{ID: d.id.Value(), PairMethod: session.PairQR, Start: true}
	if d.link {
		if err := session.ValidatePhone(d.phone.Value()); err != nil {
			d.errs[addPhone] = err.Error()
			return d.setFocus(addPhone), false
		}
		req.PairMethod, req.PairPhone = session.PairLink, d.phone.Value()
	}
	b := d.b
	return func() tea.Msg {
		snap, err := b.Add(req)
		return addedMsg{snap: snap, err: err, dlg: d}
	}, true
}

func (d *addDialog) view(w int) string {
	inner := dialogWidth(w) - styles.Dialog.GetHorizontalFrameSize()
	qr, link := "( ) QR code", "( ) link code"
	if d.link {
		link = "(•) link code"
	} else {
		qr = "(•) QR code"
	}
	method := styles.Label.Render("Pair with") + "\n" + qr + "   " + link
	if d.focus == addMethod {
		method = styles.Label.Render("Pair with") + "\n" + styles.Key.Render(qr+"   "+link)
	}
	body := fieldView("Session id", d.id, d.errs[addID], inner) + "\n\n" + method
	if d.link {
		body += "\n\n" + fieldView("Phone (international, digits only)", d.phone, d.errs[addPhone], inner)
	}
	return frame(w, "Add a session", body, "tab next · ←/→ choose method · enter ok · esc cancel")
}

// added opens the pairing view of a new session, or brings the dialog back
// with the backend's reason.
func (m *Model) added(msg addedMsg) tea.Cmd {
	if msg.err != nil {
		if msg.dlg != nil { // from the dialog: bring it back with the reason
			msg.dlg.errs[addID] = msg.err.Error()
			msg.dlg.setFocus(addID)
			m.dialog = msg.dlg
		}
		return m.setFlash(failed(msg.err, "could not add the session"))
	}
	if _, seen := m.sessions[msg.snap.ID]; !seen {
		m.sessions[msg.snap.ID] = msg.snap // the feed may already hold a newer one
	}
	m.table.selected = msg.snap.ID
	m.home()
	return tea.Batch(m.openPairing(msg.snap.ID), m.setFlash(info("added %s: starting the browser", msg.snap.ID)))
}
