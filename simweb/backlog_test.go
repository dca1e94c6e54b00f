package simweb

import (
	"errors"
	"net/http"
	"testing"
)

func TestBacklogArrivesAsHistoryAndMarkingReadIsShown(t *testing.T) {
	for _, b := range Builds() {
		t.Run(b.Name, func(t *testing.T) {
			_, c := startServer(t, Options{Timings: fastTimings(), Build: b.Name})
			const phone = "15550006666"
			dev := newFakeDevice(t, c)
			dev.pair(c, phone)
			if err := c.Backlog(bg, phone, 3, 60); !errors.Is(err, ErrStale) {
				t.Fatalf("backlog while the device is online: %v, want ErrStale", err)
			}
			dev.close()
			waitFor(t, func() bool { return deviceState(t, c, dev.id).State == stOpening })
			for _, bad := range [][2]int{{0, 1}, {1, 0}, {maxBacklogChats + 1, 1}, {1, maxBacklogPerChat + 1}, {maxBacklogChats, maxBacklogPerChat}} {
				if err := c.Backlog(bg, phone, bad[0], bad[1]); !errors.Is(err, ErrBadRequest) {
					t.Fatalf("backlog %v: %v, want ErrBadRequest", bad, err)
				}
			}
			if err := c.Backlog(bg, phone, 3, 60); err != nil {
				t.Fatal(err)
			}

			dev.connect(false)
			dev.next("hello")
			dev.next("synced")
			var snap struct {
				Chats    []chat
				Messages []message
			}
			dev.call("snapshot", nil, &snap)
			var backlog []chat
			for _, ch := range snap.Chats {
				if ch.Unread == 60 {
					backlog = append(backlog, ch)
				}
			}
			if len(backlog) != 3 {
				t.Fatalf("chats with 60 unread after the sync: %+v, want 3", snap.Chats)
			}
			// Not a new message: nothing waits for offline delivery.
			dev.call("ready", nil, nil)
			if ev := dev.next("offline"); ev.Total != 0 {
				t.Fatalf("offline total = %d, want 0: a backlog comes as history", ev.Total)
			}

			// The sync holds the newest page; the rest loads earlier, in order.
			first := backlog[0].ID
			var held []message
			for _, m := range snap.Messages {
				if m.Remote == first {
					held = append(held, m)
				}
			}
			if len(held) != historyPage || held[len(held)-1].Body != "backlog 1 #60" {
				t.Fatalf("synced %d messages of %s, the newest %q; want %d ending at #60", len(held), first, held[len(held)-1].Body, historyPage)
			}
			var page struct {
				Messages []message
				More     bool
			}
			dev.call("earlier", map[string]any{"chat": first, "before": held[0].ID, "t": held[0].T}, &page)
			if len(page.Messages) != 10 || page.More || page.Messages[0].Body != "backlog 1 #1" || page.Messages[9].Body != "backlog 1 #10" {
				t.Fatalf("earlier page: %d messages, more=%v", len(page.Messages), page.More)
			}

			// sendSeen's call sends receipts and zeroes the count; the
			// control API shows it.
			if st := dev.call("seen", map[string]any{"chat": first, "unread": 0, "receipts": true}, nil); st != http.StatusOK {
				t.Fatalf("seen: %d", st)
			}
			reads, err := c.Reads(bg, phone)
			if err != nil || len(reads) != 1 || reads[0].Chat != first || reads[0].Unread != 60 {
				t.Fatalf("reads = %+v %v, want %s with 60 unread", reads, err, first)
			}
			dev.call("snapshot", nil, &snap)
			still := 0
			for _, ch := range snap.Chats {
				switch {
				case ch.ID == first && ch.Unread != 0:
					t.Fatalf("%s still has %d unread after it was marked read", first, ch.Unread)
				case ch.Unread == 60:
					still++
				}
			}
			if still != 2 {
				t.Fatalf("%d chats still with 60 unread, want the other 2", still)
			}
			if _, err := c.Reads(bg, "15550000000"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("reads of an unknown phone: %v", err)
			}
		})
	}
}
