package sessiontest

import (
	"context"
	"fmt"
	"slices"

	"github.com/waconsole/waconsole/session"
)

// UnreadSnapshot returns the drain planted in DrainsOf, as a snapshot the
// page gave, waiting for the operator unless it runs; the session must be
// READY.
func (f *Fake) UnreadSnapshot(ctx context.Context, id string) (session.DrainInfo, error) {
	var out session.DrainInfo
	err := f.with("UnreadSnapshot", id, func(s session.Snapshot) error {
		if err := ready(s); err != nil {
			return err
		}
		d := f.DrainsOf[id]
		if d.Total == 0 {
			out = d // nothing unread and no drain: as the Manager, nothing is stored
			return nil
		}
		if d.State == "" || d.State == session.DrainDone || d.State == session.DrainCancelled {
			d.State = session.DrainWaiting
		}
		d.Snapshot = f.now()
		f.setDrain(id, d)
		out = d
		return nil
	})
	return out, err
}

func (f *Fake) Drain(id string) (session.DrainInfo, error) {
	var out session.DrainInfo
	err := f.with("Drain", id, func(session.Snapshot) error { out = f.DrainsOf[id]; return nil })
	return out, err
}

// StartDrain sets the action on the chats and hands every chosen message
// on at once: the fake does not pace, and a drain with nothing left is done.
func (f *Fake) StartDrain(id string, req session.DrainRequest) (session.DrainInfo, error) {
	if err := session.ValidateDrainRequest(req); err != nil {
		f.mu.Lock()
		f.call("StartDrain", id, req.Action)
		f.mu.Unlock()
		return session.DrainInfo{}, err
	}
	var out session.DrainInfo
	err := f.with("StartDrain", id, func(session.Snapshot) error {
		d := f.DrainsOf[id]
		if d.Total == 0 {
			return fmt.Errorf("session %s has no unread snapshot to drain: take one first: %w", id, session.ErrInvalid)
		}
		for _, c := range req.Chats {
			if !slices.ContainsFunc(d.Chats, func(dc session.DrainChat) bool { return dc.ID == c }) {
				return fmt.Errorf("chat %s has no unread messages in the snapshot of session %s: %w", c, id, session.ErrInvalid)
			}
		}
		d.Chats = slices.Clone(d.Chats)
		for i, c := range d.Chats {
			if c.Left == 0 || (len(req.Chats) > 0 && !slices.Contains(req.Chats, c.ID)) {
				continue
			}
			d.Chats[i].Action, d.Chats[i].Left = req.Action, 0
			d.Chosen += c.Left
			d.Done += c.Left
			switch req.Action {
			case session.DrainDeliver:
				d.Delivered += c.Left
			case session.DrainRead:
				d.Read += c.Left
			case session.DrainSkip:
				d.Skipped += c.Left
			}
		}
		d.State = session.DrainDone
		d.Rate = req.Rate
		if d.Rate == 0 {
			d.Rate = session.DefaultDrainRate
		}
		f.setDrain(id, d)
		out = d
		return nil
	}, req.Action)
	return out, err
}

func (f *Fake) ControlDrain(id string, op session.DrainOp) (session.DrainInfo, error) {
	var out session.DrainInfo
	err := f.with("ControlDrain", id, func(session.Snapshot) error {
		d := f.DrainsOf[id]
		switch {
		case op == session.DrainPause && d.State == session.DrainRunning:
			d.State = session.DrainPaused
		case op == session.DrainResume && d.State == session.DrainPaused:
			d.State = session.DrainRunning
		case op == session.DrainCancel && slices.Contains([]session.DrainState{session.DrainRunning, session.DrainPaused, session.DrainWaiting}, d.State):
			d.State = session.DrainCancelled
		case !slices.Contains([]session.DrainOp{session.DrainPause, session.DrainResume, session.DrainCancel}, op):
			return fmt.Errorf("drain operation %q is not one of pause, resume, cancel: %w", op, session.ErrInvalid)
		default:
			return fmt.Errorf("the drain of session %s is %s: it cannot %s now: %w", id, d.State, op, session.ErrInvalid)
		}
		f.setDrain(id, d)
		out = d
		return nil
	}, op)
	return out, err
}

// setDrain keeps d and publishes the session with its progress; f.mu must
// be held.
func (f *Fake) setDrain(id string, d session.DrainInfo) {
	f.DrainsOf[id] = d
	s := f.Snapshots[id]
	s.Drain = d
	s.Drain.Chats = nil
	f.publish(session.Update{Session: id, Snapshot: &s})
}
