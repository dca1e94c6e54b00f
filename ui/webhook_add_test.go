package ui

import (
	"errors"
	"strings"
	"testing"
)

// The add dialog shows the service's reason and keeps what was typed; a
// good endpoint is added, flashed and listed.
func TestWebhookAddDialog(t *testing.T) {
	m, hooks := webhookModel(t, 120, 40, Options{})
	press(t, m, "w", "?")
	requireContains(t, screen(m), "add endpoint")
	press(t, m, "?", "n")
	if _, ok := m.dialog.(*webhookDialog); !ok {
		t.Fatalf("n on the webhook screen opened %T, want the add dialog", m.dialog)
	}
	requireContains(t, screen(m), "Add a webhook endpoint to delta", "URL (http:// or https://)", "Secret file", "secret environment variable")

	typeText(t, m, "crm")
	press(t, m, "enter")
	requireContains(t, screen(m), "no URL: give the endpoint's http://", "> crm")
	if m.dialog == nil {
		t.Fatal("a refused endpoint closed the dialog")
	}

	press(t, m, "tab")
	typeText(t, m, "https://crm.example.com/wa")
	press(t, m, "enter")
	requireContains(t, screen(m), "no secret: give --secret-file FILE or", "> crm", "> https://crm.example.com/wa")

	press(t, m, "tab", "tab")
	typeText(t, m, "/etc/waconsole/crm.secret")
	press(t, m, "tab")
	typeText(t, m, "WA_CRM_SECRET")
	press(t, m, "enter")
	requireContains(t, screen(m), "two secrets: give --secret-file or", "> /etc/waconsole/crm.secret", "> WA_CRM_SECRET")

	press(t, m, "shift+tab", "ctrl+u", "shift+tab")
	typeText(t, m, "message.received, outbox.dead")
	press(t, m, "enter")
	if m.dialog != nil {
		t.Fatalf("the dialog stayed open after a good endpoint:\n%s", screen(m))
	}
	hooks.requireCalls(t,
		"AddEndpoint delta {Name:crm URL: Events: SecretFile: SecretEnv:}",
		"AddEndpoint delta {Name:crm URL:https://crm.example.com/wa Events: SecretFile: SecretEnv:}",
		"AddEndpoint delta {Name:crm URL:https://crm.example.com/wa Events: SecretFile:/etc/waconsole/crm.secret SecretEnv:WA_CRM_SECRET}",
		"AddEndpoint delta {Name:crm URL:https://crm.example.com/wa Events:message.received, outbox.dead SecretFile: SecretEnv:WA_CRM_SECRET}")
	requireContains(t, screen(m), "delta: webhook crm added: https://crm.example.com/wa", "Endpoints (3)", "env WA_CRM_SECRET")

	// The service's refusal of its own brings the dialog back, values kept.
	hooks.fail = errors.New(`webhook "crm" of session "delta" already exists`)
	press(t, m, "n")
	typeText(t, m, "crm")
	press(t, m, "tab")
	typeText(t, m, "https://crm.example.com/other")
	press(t, m, "enter")
	requireContains(t, screen(m), `webhook "crm" of session "delta" already exists`, "> https://crm.example.com/other")

	press(t, m, "esc")
	if m.dialog != nil || where(m) != "webhooks delta" {
		t.Fatalf("esc left the dialog open or the screen (%q)", where(m))
	}
	requireContains(t, screen(m), "Endpoints (3)")
}

func TestWebhookAddReadOnly(t *testing.T) {
	m, hooks := webhookModel(t, 120, 40, Options{ReadOnly: true})
	press(t, m, "w")
	requireNotContains(t, screen(m), "add endpoint")
	press(t, m, "n")
	if m.dialog != nil {
		t.Fatal("n opened a dialog in read-only mode")
	}
	requireContains(t, screen(m), `read-only mode: "n" (add endpoint) is disabled`)
	press(t, m, "?")
	help := screen(m)
	requireNotContains(t, help[:strings.Index(help, "Commands (type : first)")], "add endpoint")
	hooks.requireCalls(t)
}
