package session

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/waconsole/waconsole/store"
)

// drainSpeedWindow is how far back the measured speed looks.
const drainSpeedWindow = 30 * time.Second

// drainRetry is how long a failed mark-read waits before it is tried again.
const drainRetry = 5 * time.Second

// previewLen bounds a chat's preview.
const previewLen = 60

// drainer is a session's unread drain, owned by the actor's loop. Items
// are the store's, in drain order; the store is written before memory.
type drainer struct {
	a         *actor
	st        store.Drain
	items     []store.DrainItem
	marking   bool // a mark-read call is in flight
	taking    bool // a snapshot is being taken
	finished  []time.Time
	lastError string
	// downSince is when the session stopped being READY, for the
	// snapshot after downtime.
	downSince time.Time
}

// load reads the drain; one left running by a process that stopped goes on.
func (d *drainer) load() {
	var err error
	if d.st, err = d.a.m.cfg.Store.GetDrain(d.a.id); err == nil {
		d.items, err = d.a.m.cfg.Store.DrainItems(d.a.id)
	}
	if err != nil {
		d.lastError = "reading the drain: " + err.Error()
		d.a.log.Error("reading the drain failed", "err", err, "err_type", errTypeStore)
	}
	if d.st.State == DrainRunning {
		d.a.due.drain = time.Now()
	}
}

// stateChanged notes downtime and, back READY after more than DrainAfter,
// takes a snapshot of the unread messages for the operator.
func (d *drainer) stateChanged(from, to State) {
	switch {
	case from == Ready && to != Ready:
		d.downSince = time.Now()
	case to == Ready && from != Ready:
		down := d.downSince
		d.downSince = time.Time{}
		if !down.IsZero() && time.Since(down) > d.a.m.cfg.Timing.DrainAfter {
			d.takeAsync(time.Since(down))
		}
		if d.st.State == DrainRunning {
			d.a.due.drain = time.Now() // a mark-read may have waited for READY
		}
	}
}

// takeAsync snapshots the page's unread messages without holding the loop.
func (d *drainer) takeAsync(down time.Duration) {
	if d.taking || d.a.page == nil {
		return
	}
	d.taking = true
	p := d.a.page
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		chats, err := p.Unread(ctx)
		d.a.post(func() {
			d.taking = false
			if err != nil {
				d.lastError = "snapshot of the unread messages: " + err.Error()
				d.a.log.Warn("unread snapshot failed", "err", err, "err_type", ErrType(err))
				d.a.publish()
				return
			}
			if n, err := d.add(chats); err == nil && n > 0 {
				d.a.event("drain-snapshot", plural(n, "unread message")+" after "+down.Round(time.Second).String()+" down")
				d.a.log.Info("unread snapshot taken", "messages", n, "down", down.Round(time.Second))
			}
			d.a.publish()
		})
	}()
}

// add stores a snapshot's messages in the drain and reloads it.
func (d *drainer) add(chats []UnreadChat) (int, error) {
	var items []store.DrainItem
	if len(chats) == 0 && len(d.items) == 0 {
		return 0, nil // nothing unread, and no drain to show it in
	}
	for _, c := range chats {
		for _, m := range c.Messages {
			items = append(items, store.DrainItem{Chat: c.ID, ChatName: c.Name, ID: m.ID, Key: m.Key,
				Author: m.Author, Body: m.Body, Time: m.Time, Type: m.Type, Media: m.Media, Mentions: m.Mentions})
		}
	}
	n, err := d.a.m.cfg.Store.AddDrainItems(d.a.id, items)
	if err != nil {
		d.lastError = "storing the snapshot: " + err.Error()
		return 0, err
	}
	d.lastError = ""
	d.reload()
	return n, nil
}

func (d *drainer) reload() {
	st, err := d.a.m.cfg.Store.GetDrain(d.a.id)
	if err == nil {
		var items []store.DrainItem
		if items, err = d.a.m.cfg.Store.DrainItems(d.a.id); err == nil {
			d.st, d.items = st, items
		}
	}
	if err != nil {
		d.lastError = "reading the drain: " + err.Error()
	}
}

// start sets the action of the chosen chats and runs the drain.
func (d *drainer) start(req DrainRequest) error {
	if len(d.items) == 0 {
		return errorf(ErrInvalid, "session %s has no unread snapshot to drain: take one first (waconsole drain takes one when the session is READY)", d.a.id)
	}
	for _, c := range req.Chats {
		if !slices.ContainsFunc(d.items, func(it store.DrainItem) bool { return it.Chat == c }) {
			return errorf(ErrInvalid, "chat %s has no unread messages in the snapshot of session %s: pick one of those the drain lists", c, d.a.id)
		}
	}
	if _, err := d.a.m.cfg.Store.SetDrainAction(d.a.id, req.Chats, req.Action); err != nil {
		return err
	}
	rate := req.Rate
	if rate == 0 {
		rate = d.st.Rate
	}
	if rate == 0 {
		rate = DefaultDrainRate
	}
	_, err := d.a.m.cfg.Store.UpdateDrain(d.a.id, func(st *store.Drain) error {
		if st.State != DrainRunning && st.State != DrainPaused {
			st.Started = time.Now()
			st.State = DrainRunning
		}
		st.Rate = rate
		return nil
	})
	if err != nil {
		return err
	}
	d.reload()
	if d.st.State == DrainRunning {
		d.a.due.drain = time.Now()
	}
	d.a.event("drain-started", req.Action+" "+chatsText(req.Chats)+" at "+rateText(rate))
	d.a.log.Info("drain started", "action", req.Action, "chats", chatsText(req.Chats), "rate", rate)
	return nil
}

// control pauses, resumes or cancels the drain.
func (d *drainer) control(op DrainOp) error {
	var to DrainState
	switch {
	case op == DrainPause && d.st.State == DrainRunning:
		to = DrainPaused
	case op == DrainResume && d.st.State == DrainPaused:
		to = DrainRunning
	case op == DrainCancel && (d.st.State == DrainRunning || d.st.State == DrainPaused || d.st.State == DrainWaiting):
		to = DrainCancelled
	default:
		return errorf(ErrInvalid, "the drain of session %s is %s: it cannot %s now", d.a.id, stateText(d.st.State), op)
	}
	if _, err := d.a.m.cfg.Store.UpdateDrain(d.a.id, func(st *store.Drain) error { st.State = to; return nil }); err != nil {
		return err
	}
	d.st.State = to
	d.a.due.drain = time.Time{}
	if to == DrainRunning {
		d.a.due.drain = time.Now()
	}
	d.a.event("drain-"+string(to), "")
	msg := "drain " + string(to)
	if to == DrainRunning {
		msg = "drain resumed"
	}
	d.a.log.Info(msg)
	return nil
}

// next is the index of the first chosen item not done, or -1.
func (d *drainer) next() int {
	return slices.IndexFunc(d.items, func(it store.DrainItem) bool { return !it.Done && it.Action != "" })
}

// step hands on the next chosen message (a chat's worth for mark-read, a
// run of skips at once) and arms the timer for the one after, at the rate.
func (d *drainer) step() {
	if d.st.State != DrainRunning || d.marking {
		return
	}
	i := d.next()
	if i < 0 {
		d.finish()
		return
	}
	it := d.items[i]
	switch it.Action {
	case DrainSkip:
		var idx []int
		for j := i; j < len(d.items) && len(idx) < 1000; j++ {
			if !d.items[j].Done && d.items[j].Action == DrainSkip {
				idx = append(idx, j)
			}
		}
		d.handOn(idx, outSkipped)
		d.a.due.drain = time.Now()
	case DrainDeliver:
		d.handOn([]int{i}, outDelivered)
		d.a.due.drain = time.Now().Add(d.gap(1))
	case DrainRead:
		d.markRead(it.Chat)
	}
	d.a.publish()
}

// gap is how long n messages take at the drain's rate.
func (d *drainer) gap(n int) time.Duration {
	return time.Duration(float64(n) / d.st.Rate * float64(time.Second))
}

// markRead marks a chat read through the page, then hands its chosen
// messages on; it waits for READY.
func (d *drainer) markRead(chat string) {
	if d.a.page == nil || d.a.snap.State != Ready {
		d.a.due.drain = time.Time{} // stateChanged wakes it on READY
		return
	}
	var idx []int
	for j, it := range d.items {
		if !it.Done && it.Action == DrainRead && it.Chat == chat {
			idx = append(idx, j)
		}
	}
	d.marking = true
	p := d.a.page
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		err := p.MarkRead(ctx, chat)
		d.a.post(func() {
			d.marking = false
			if err != nil {
				d.lastError = "marking " + chat + " read: " + err.Error()
				d.a.log.Warn("marking a chat read failed", "chat", chat, "err", err, "err_type", ErrType(err))
				d.a.due.drain = time.Now().Add(drainRetry)
				d.a.publish()
				return
			}
			d.handOn(idx, outRead)
			d.a.due.drain = time.Now().Add(d.gap(len(idx)))
			d.a.publish()
		})
	}()
}

// handOn captures the items through the inbound path and records them
// done in one transaction; delivering, the capture hands each on to the
// webhooks unless the live path did already.
func (d *drainer) handOn(idx []int, outcome string) {
	seqs := make([]uint64, len(idx))
	msgs := make([]store.Inbound, len(idx))
	for k, i := range idx {
		it := d.items[i]
		seqs[k] = it.Seq
		msgs[k] = captured(Message{ID: it.ID, Key: it.Key, Chat: it.Chat, Author: it.Author, Body: it.Body, Time: it.Time,
			Type: it.Type, Media: it.Media, Mentions: it.Mentions}, d.a.inbox, d.a.me)
	}
	outs, err := d.a.m.cfg.Store.CaptureDrained(d.a.id, seqs, msgs, outcome, outcome == outDelivered)
	if err != nil {
		d.lastError = err.Error()
		d.a.log.Error("drain capture failed", "err", err, "err_type", errTypeStore)
		d.a.due.drain = time.Now().Add(drainRetry)
		return
	}
	d.lastError = ""
	now := time.Now()
	for k, i := range idx {
		d.items[i].Done, d.items[i].Outcome = true, outs[k]
		d.finished = append(d.finished, now)
	}
	d.a.refreshInbox()
}

// finish ends a drain whose chosen messages are all handed on.
func (d *drainer) finish() {
	d.a.due.drain = time.Time{}
	if _, err := d.a.m.cfg.Store.UpdateDrain(d.a.id, func(st *store.Drain) error { st.State = DrainDone; return nil }); err != nil {
		d.lastError = err.Error()
		return
	}
	d.st.State = DrainDone
	info := d.info(false)
	d.a.event("drain-done", fmt.Sprintf("%d delivered, %d marked read, %d skipped, %d handed on before", info.Delivered, info.Read, info.Skipped, info.Already))
	d.a.log.Info("drain finished", "delivered", info.Delivered, "read", info.Read, "skipped", info.Skipped, "already", info.Already)
	d.a.publish()
}

// info is the drain as the faces show it; with chats, per chat too.
func (d *drainer) info(chats bool) DrainInfo {
	in := DrainInfo{State: d.st.State, Snapshot: d.st.Snapshot, Rate: d.st.Rate, Total: len(d.items), LastError: d.lastError}
	byChat := map[string]int{}
	for _, it := range d.items {
		if it.Action != "" {
			in.Chosen++
		}
		if it.Done {
			in.Done++
			switch it.Outcome {
			case outDelivered:
				in.Delivered++
			case outRead:
				in.Read++
			case outSkipped:
				in.Skipped++
			case outAlready:
				in.Already++
			}
		}
		if !chats {
			continue
		}
		i, ok := byChat[it.Chat]
		if !ok {
			i = len(in.Chats)
			byChat[it.Chat] = i
			in.Chats = append(in.Chats, DrainChat{ID: it.Chat, Name: it.ChatName, Oldest: it.Time, Preview: preview(it.Body)})
		}
		c := &in.Chats[i]
		c.Count++
		if !it.Done {
			c.Left++
		}
		if it.Action != "" {
			c.Action = it.Action
		}
	}
	now := time.Now()
	d.finished = slices.DeleteFunc(d.finished, func(t time.Time) bool { return now.Sub(t) > drainSpeedWindow })
	if n := len(d.finished); n > 1 {
		if span := now.Sub(d.finished[0]); span > 0 {
			in.Speed = float64(n) / max(span.Seconds(), 1)
		}
	}
	speed := in.Speed
	if speed == 0 {
		speed = in.Rate
	}
	if left := in.Left(); left > 0 && speed > 0 && d.st.State == DrainRunning {
		in.ETA = time.Duration(float64(left) / speed * float64(time.Second)).Round(time.Second)
	}
	return in
}

func preview(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > previewLen {
		return string(r[:previewLen-1]) + "…"
	}
	return s
}

func chatsText(chats []string) string {
	if len(chats) == 0 {
		return "every chat"
	}
	return plural(len(chats), "chat")
}

func rateText(r float64) string { return strconv.FormatFloat(r, 'g', 3, 64) + "/s" }

// plural is "1 message", "2 messages".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

func stateText(s DrainState) string {
	if s == "" {
		return "not started (no snapshot yet)"
	}
	return string(s)
}
