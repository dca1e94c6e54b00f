package keymap

import (
	"testing"

	"charm.land/bubbles/v2/key"
)

type press string

func (p press) String() string { return string(p) }

func groups(k KeyMap) [][]key.Binding {
	return [][]key.Binding{
		k.Global.Bindings(), k.Nav.Bindings(), k.Table.Bindings(), {k.Detail.Pair, k.Detail.Webhooks, k.Detail.Events}, k.Pairing.Bindings(),
		k.Chats.Bindings(), k.Chat.Bindings(), k.Raw.Bindings(), k.Queue.Bindings(), k.Drain.Bindings(), k.Webhook.Bindings(), k.Alerts.Bindings(),
		{k.Dialog.Submit, k.Dialog.Cancel, k.Dialog.Next, k.Dialog.Prev, k.Dialog.Toggle, k.Dialog.Yes, k.Dialog.No},
	}
}

func TestEveryBindingHasKeysAndHelp(t *testing.T) {
	for _, g := range groups(Default()) {
		for _, b := range g {
			if len(b.Keys()) == 0 || b.Help().Key == "" || b.Help().Desc == "" || !b.Enabled() {
				t.Fatalf("binding %+v lacks keys or help", b.Help())
			}
		}
	}
}

func TestReadOnlyDisablesDestructiveBindings(t *testing.T) {
	k := Default()
	k.SetReadOnly(true)
	for _, b := range []key.Binding{k.Table.Delete, k.Table.Logout, k.Table.Stop, k.Table.Restart, k.Pairing.Restart, k.Queue.Discard, k.Drain.Read, k.Chat.Compose, k.Chat.Reply, k.Chat.MarkRead, k.Webhook.Add, k.Webhook.Remove} {
		if b.Enabled() || key.Matches(press(b.Keys()[0]), b) {
			t.Fatalf("%q still works in read-only mode", b.Help().Desc)
		}
	}
	for _, b := range []key.Binding{k.Table.Open, k.Table.Add, k.Table.Start, k.Table.Chats, k.Global.Quit, k.Queue.Retry, k.Chat.Send, k.Pairing.FreshQR, k.Table.Drain, k.Drain.Deliver, k.Drain.Skip, k.Webhook.Test, k.Webhook.Retry, k.Alerts.Ack, k.Global.Alerts, k.Chat.Raw, k.Raw.CopyID, k.Raw.CopyJSON} {
		if !b.Enabled() {
			t.Fatalf("%q is disabled in read-only mode but destroys nothing", b.Help().Desc)
		}
	}
	if b, ok := Blocked(press("D"), k.Table.Bindings()...); !ok || b.Help().Desc != "delete" {
		t.Fatalf("Blocked(D) = %+v, %v", b.Help(), ok)
	}
	if _, ok := Blocked(press("c"), k.Table.Bindings()...); ok {
		t.Fatal("Blocked reports an enabled binding")
	}
	k.SetReadOnly(false)
	if !k.Table.Delete.Enabled() {
		t.Fatal("SetReadOnly(false) did not enable delete again")
	}
}

func TestNoKeyServesTwoBindingsOfAGroup(t *testing.T) {
	k := Default()
	// The pairing view shows r as "fresh QR" or "restart" by state, never both.
	for name, g := range map[string][]key.Binding{
		"table": k.Table.Bindings(), "queue": k.Queue.Bindings(), "chats": k.Chats.Bindings(),
		"global": k.Global.Bindings(), "nav": k.Nav.Bindings(), "drain": append(k.Drain.Bindings(), k.Nav.Bindings()...),
		"detail":  append(k.Table.Bindings(), k.Detail.Pair, k.Detail.Webhooks, k.Detail.Events),
		"webhook": append(append(k.Webhook.Bindings(), k.Nav.Bindings()...), k.Global.Bindings()...),
		"alerts":  append(append(k.Alerts.Bindings(), k.Nav.Bindings()...), k.Global.Bindings()...),
		// Send and Newline apply only while composing, the rest only while not.
		"chat": append(append([]key.Binding{k.Chat.Compose, k.Chat.Reply, k.Chat.Raw, k.Chat.MarkRead, k.Chat.Unread, k.Chat.Latest},
			k.Nav.Bindings()...), k.Global.Bindings()...),
		"compose": {k.Chat.Send, k.Chat.Newline, k.Global.Back, k.Global.ForceQuit},
		"raw":     append(append(k.Raw.Bindings(), k.Nav.Bindings()...), k.Global.Bindings()...),
	} {
		seen := map[string]string{}
		for _, b := range g {
			for _, key := range b.Keys() {
				if other, dup := seen[key]; dup {
					t.Fatalf("%s: %q is bound to both %q and %q", name, key, other, b.Help().Desc)
				}
				seen[key] = b.Help().Desc
			}
		}
	}
}
