package ui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/keymap"
)

// The fields of the webhook dialog, in focus order.
const (
	hookName = iota
	hookURL
	hookEvents
	hookFile
	hookEnv
	hookFields
)

var (
	hookLabels = [hookFields]string{
		"Name (optional; default hook1, hook2, …)",
		"URL (http:// or https://)",
		"Events (comma-separated; empty: all)",
		"Secret file (absolute path) …",
		"… or secret environment variable",
	}
	hookPlaceholders = [hookFields]string{"e.g. crm", "e.g. https://crm.example.com/wa", "e.g. message.received,outbox.dead",
		"e.g. /etc/waconsole/crm.secret", "e.g. WA_WEBHOOK_SECRET"}
)

// webhookDialog adds an endpoint to a session. The webhook service checks
// it, so the console applies the same rules as the CLI and the API; its
// reason shows in the dialog with everything typed kept.
type webhookDialog struct {
	w  Webhooks
	id string
	form
	err string
}

// webhookAddedMsg answers an add; on error the dialog comes back as it was.
type webhookAddedMsg struct {
	ep  WebhookEndpoint
	err error
	dlg *webhookDialog
}

func (m *Model) openWebhookAdd(id string) tea.Cmd {
	d := &webhookDialog{w: m.opts.Webhooks, id: id, form: form{inputs: make([]textinput.Model, hookFields)}}
	for i := range d.inputs {
		d.inputs[i] = newInput("> ", hookPlaceholders[i], dialogWidth(m.width)-6)
	}
	m.dialog = d
	return d.setFocus(hookName)
}

func (d *webhookDialog) update(msg tea.Msg, km *keymap.KeyMap) (tea.Cmd, bool) {
	cmd, k := d.route(msg, km)
	switch k {
	case formSubmit:
		return d.submit(), true
	case formCancel:
		return nil, true
	}
	return cmd, false
}

// submit hands the values to the service, off the Update loop.
func (d *webhookDialog) submit() tea.Cmd {
	v := func(f int) string { return strings.TrimSpace(d.inputs[f].Value()) }
	e := NewEndpoint{Name: v(hookName), URL: v(hookURL), Events: v(hookEvents), SecretFile: v(hookFile), SecretEnv: v(hookEnv)}
	w, id := d.w, d.id
	return func() tea.Msg {
		ep, err := w.AddEndpoint(id, e)
		return webhookAddedMsg{ep: ep, err: err, dlg: d}
	}
}

func (d *webhookDialog) view(w int) string {
	inner := dialogWidth(w) - styles.Dialog.GetHorizontalFrameSize()
	parts := make([]string, 0, hookFields+1)
	for i, in := range d.inputs {
		parts = append(parts, fieldView(hookLabels[i], in, "", inner))
	}
	if d.err != "" {
		parts = append(parts, styles.FieldError.Render(wrap(d.err, inner)))
	}
	return frame(w, "Add a webhook endpoint to "+d.id, strings.Join(parts, "\n"), "tab next field · enter add · esc cancel")
}

// webhookAdded says what was added and shows it, or brings the dialog back
// with the service's reason.
func (m *Model) webhookAdded(msg webhookAddedMsg) tea.Cmd {
	id := msg.dlg.id
	if msg.err != nil {
		msg.dlg.err = msg.err.Error()
		m.dialog = msg.dlg
		return nil
	}
	flash := m.setFlash(info("%s: webhook %s added: %s", id, msg.ep.Name, msg.ep.URL))
	if v, ok := m.top().(*webhooksView); ok && v.id == id {
		return tea.Batch(flash, v.refresh(m.opts.Webhooks))
	}
	return flash
}
