package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/waconsole/waconsole/simweb"
)

// backlogAfterDowntime stops a READY session, leaves chats×perChat unread
// messages as history for its device, and starts it again.
func (e *testEnv) backlogAfterDowntime(id, phone string, chats, perChat int) {
	e.t.Helper()
	if err := e.m.Stop(id); err != nil {
		e.t.Fatal(err)
	}
	e.waitState(id, Stopped, 30*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The stand-in hears of the closed page when its stream ends.
	for {
		err := e.phone.Backlog(ctx, phone, chats, perChat)
		if err == nil {
			break
		}
		if !errors.Is(err, simweb.ErrStale) || ctx.Err() != nil {
			e.t.Fatalf("backlog: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *testEnv) page(id string) Page {
	e.t.Helper()
	p, err := e.m.readyPage(id)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// unreadUntil takes snapshots until one holds want messages in all.
func unreadUntil(t *testing.T, p Page, want int) []UnreadChat {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		chats, err := p.Unread(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range chats {
			n += len(c.Messages)
		}
		if n == want {
			return chats
		}
		if time.Now().After(deadline) {
			t.Fatalf("the unread snapshot holds %d messages, want %d", n, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestUnreadSnapshotAndMarkRead(t *testing.T) { eachBuild(t, testUnreadSnapshotAndMarkRead) }

func testUnreadSnapshotAndMarkRead(t *testing.T, e *testEnv) {
	const phone, chats, perChat = "15551230077", 3, 700
	e.pairQR("s1", phone)
	e.backlogAfterDowntime("s1", phone, chats, perChat)
	// Messages that wait for offline delivery arrive as new ones; they are
	// unread as well.
	if err := e.phone.Inbound(context.Background(), phone, "15550100050", "meanwhile", 3); err != nil {
		t.Fatal(err)
	}
	if err := e.m.Start("s1"); err != nil {
		t.Fatal(err)
	}
	e.waitState("s1", Ready, 60*time.Second)
	p := e.page("s1")
	// Over one batch: one chat is split between two calls.
	got := unreadUntil(t, p, chats*perChat+3)
	if len(got) != chats+1 {
		t.Fatalf("%d chats with unread messages, want %d", len(got), chats+1)
	}
	var backlog []UnreadChat
	for _, c := range got {
		if c.Unread != len(c.Messages) {
			t.Errorf("chat %s: unread %d but %d messages", c.ID, c.Unread, len(c.Messages))
		}
		if strings.HasPrefix(c.Messages[0].Body, "meanwhile") {
			continue
		}
		backlog = append(backlog, c)
		prefix := strings.TrimSuffix(c.Messages[0].Body, "#1")
		for i, m := range c.Messages {
			if m.Body != fmt.Sprintf("%s#%d", prefix, i+1) || m.FromMe || m.Chat != c.ID || m.ID == "" {
				t.Fatalf("chat %s message %d is %+v, want %s#%d", c.ID, i, m, prefix, i+1)
			}
			if i > 0 && m.Time.Before(c.Messages[i-1].Time) {
				t.Fatalf("chat %s: message %d is older than the one before", c.ID, i)
			}
		}
	}
	if len(backlog) != chats {
		t.Fatalf("%d backlog chats in the snapshot, want %d", len(backlog), chats)
	}

	// A chat marked unread counts its newest message, as WhatsApp Web shows it.
	markUnread := `(async () => { const c = require('WAWebCollections').Chat.getModelsArray().find((c) => c.formattedTitle === 'Alice Martin');
	  await require('WAWebCmd').Cmd.markChatUnread(c, true); return c.unreadCount; })()`
	if n, err := chromedp.Run(p.(*chromePage).ctx, chromedp.Evaluate[int](markUnread, chromedp.EvalAwaitPromise)); err != nil || n != -1 {
		t.Fatalf("marking Alice's chat unread in the page: %d %v", n, err)
	}
	var alice *UnreadChat
	for _, c := range unreadUntil(t, p, chats*perChat+3+1) {
		if c.Name == "Alice Martin" {
			alice = &c
		}
	}
	if alice == nil || alice.Unread != -1 || len(alice.Messages) != 1 || alice.Messages[0].Body != "Great, thanks 🙏" {
		t.Fatalf("the chat marked unread in the snapshot: %+v, want its newest message", alice)
	}
	read := backlog[0].ID
	if err := p.MarkRead(context.Background(), read); err != nil {
		t.Fatal(err)
	}
	marks, err := e.phone.Reads(context.Background(), phone)
	if err != nil || len(marks) != 1 || marks[0].Chat != read || marks[0].Unread != perChat {
		t.Fatalf("chats marked read at the phone: %+v %v, want %s with %d unread", marks, err, read, perChat)
	}
	for _, c := range unreadUntil(t, p, (chats-1)*perChat+3+1) {
		if c.ID == read {
			t.Fatalf("%s is still unread after MarkRead", read)
		}
	}
	if err := p.MarkRead(context.Background(), "not a chat"); err == nil {
		t.Fatal("MarkRead of an invalid chat id succeeded")
	}
}

// TestUnreadSnapshotOf10000Messages is the drain's figure: 10,000 unread
// messages across 500 chats, every one paged back to on the current build
// (which holds only each chat's newest message), stored in the drain and
// answered with its chats, in under 3 s.
func TestUnreadSnapshotOf10000Messages(t *testing.T) {
	e := newEnv(t)
	const phone, chats, perChat = "15551230078", 500, 20
	e.pairQR("s1", phone)
	e.backlogAfterDowntime("s1", phone, chats, perChat)
	if err := e.m.Start("s1"); err != nil {
		t.Fatal(err)
	}
	e.waitState("s1", Ready, 60*time.Second)
	start := time.Now()
	d, err := e.m.UnreadSnapshot(context.Background(), "s1")
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range d.Chats {
		if c.Count != perChat {
			t.Fatalf("chat %s: %d unread messages in the snapshot, want %d", c.ID, c.Count, perChat)
		}
	}
	t.Logf("unread snapshot: %d messages across %d chats in %s", d.Total, len(d.Chats), took.Round(time.Millisecond))
	if d.Total != chats*perChat || len(d.Chats) != chats {
		t.Fatalf("snapshot holds %d messages across %d chats, want %d across %d", d.Total, len(d.Chats), chats*perChat, chats)
	}
	if took > 3*time.Second {
		t.Fatalf("the unread snapshot took %s, want under 3s", took)
	}
}
