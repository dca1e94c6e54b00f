package ui

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// selectMessage moves the chat's selection up from the newest to id.
func selectMessage(t *testing.T, m *Model, id string) {
	t.Helper()
	c := paneOf[*chatView](t, m)
	for range len(c.lines) {
		if mm, ok := c.selected(); ok && mm.ID == id {
			return
		}
		press(t, m, "up")
	}
	t.Fatalf("message %s cannot be selected", id)
}

// openRaw opens the raw view of the group's image message.
func openRaw(t *testing.T, m *Model) {
	t.Helper()
	openOps(t, m)
	selectMessage(t, m, "G03")
	press(t, m, "enter")
	if where(m) != "message G03 alpha" {
		t.Fatalf("enter opened %s, want the raw view of G03", where(m))
	}
}

func TestRawViewShowsFieldsRawAndWebhookData(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 80, Options{})
	openRaw(t, m)
	s := trimmed(screen(m))
	requireContains(t, s,
		"id            G03",
		"key           false_"+opsChat+"_G03_"+danaID,
		"  fromMe      false",
		"  chat        "+opsChat,
		"  participant "+danaID,
		"type          image",
		"time          2026-03-01T10:05:00Z (unix 1772359500)",
		"ack           1 server",
		"author        "+danaID+" (Dana Whitfield)",
		"mentions      "+samID,
		`  "caption": "Dock 4, pallets stacked",`, // the page's fields, indented
		"message.received data, as the webhooks carry it",
		`  "msgId": "G03",`,
		`  "unsupported": true`,
	)
	if strings.Index(s, "Raw, as the page reported it") > strings.Index(s, "message.received data") {
		t.Fatal("the raw fields are not before the webhook data")
	}

	// y and Y copy over OSC 52, and say so.
	msgs := press(t, m, "y")
	requireClipboard(t, msgs, "G03")
	requireContains(t, screen(m), "copied the message id G03")
	msgs = press(t, m, "Y")
	requireClipboard(t, msgs, paneOf[*rawView](t, m).json)
	if !strings.Contains(paneOf[*rawView](t, m).json, `"mimetype": "image/jpeg"`) {
		t.Fatalf("Y copies %s, not the page's fields", paneOf[*rawView](t, m).json)
	}
	press(t, m, "esc")
	if where(m) != "Ops on call alpha" {
		t.Fatalf("esc went to %s, not back to the chat", where(m))
	}
}

// A message without raw fields shows the message as read instead.
func TestRawViewWithoutRawFields(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	everyTypeFixture(f)
	m, _ := newTestModel(t, f, 120, 80, Options{ReadOnly: true})
	openOps(t, m)
	selectMessage(t, m, "G10")
	press(t, m, "enter")
	s := screen(m)
	requireContains(t, s, "The page reported no raw fields", `"name": "Lee Park"`, `"number": "44••••••••89"`)
	requireNotContains(t, s, "447700900789")
}

// requireClipboard finds the OSC 52 command that sets the clipboard to want.
func requireClipboard(t *testing.T, msgs []tea.Msg, want string) {
	t.Helper()
	set := tea.SetClipboard(want)()
	for _, msg := range msgs {
		if reflect.DeepEqual(msg, set) {
			return
		}
	}
	t.Fatalf("no clipboard command setting %q among %#v", want, msgs)
}

func TestGoldenRawView(t *testing.T) {
	goldenScreens(t, goldenSizes, func(t *testing.T, m *Model, f *fakeBackend) {
		everyTypeFixture(f)
		openRaw(t, m)
	})
}

func TestGoldenChatEveryType(t *testing.T) {
	goldenScreens(t, goldenSizes, func(t *testing.T, m *Model, f *fakeBackend) {
		everyTypeFixture(f)
		openOps(t, m)
	})
}
