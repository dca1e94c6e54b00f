package session

import (
	"context"
	"slices"
)

// UnreadSnapshot takes a snapshot of a READY session's unread messages into
// its drain and returns the drain with its chats.
func (m *Manager) UnreadSnapshot(ctx context.Context, id string) (DrainInfo, error) {
	p, err := m.readyPage(id)
	if err != nil {
		return DrainInfo{}, err
	}
	chats, err := p.Unread(ctx)
	if err != nil {
		return DrainInfo{}, err
	}
	a, err := m.actor(id)
	if err != nil {
		return DrainInfo{}, err
	}
	var info DrainInfo
	err = a.do(func() error {
		n, err := a.drain.add(chats)
		if err != nil {
			return err
		}
		a.event("drain-snapshot", plural(n, "new unread message")+", taken by the operator")
		info = a.drain.info(true)
		a.publish()
		return nil
	})
	return info, err
}

// Drain returns a session's drain with its chats.
func (m *Manager) Drain(id string) (DrainInfo, error) {
	a, err := m.actor(id)
	if err != nil {
		return DrainInfo{}, err
	}
	var info DrainInfo
	err = a.do(func() error {
		info = a.drain.info(true)
		return nil
	})
	return info, err
}

// StartDrain sets the action of the chats req names (all when none) and
// runs the drain, paced at req.Rate.
func (m *Manager) StartDrain(id string, req DrainRequest) (DrainInfo, error) {
	if err := ValidateDrainRequest(req); err != nil {
		return DrainInfo{}, err
	}
	chats := make([]string, len(req.Chats))
	for i, c := range req.Chats {
		chats[i], _, _ = ParseChatID(c)
	}
	req.Chats = chats
	a, err := m.actor(id)
	if err != nil {
		return DrainInfo{}, err
	}
	var info DrainInfo
	err = a.do(func() error {
		if err := a.drain.start(req); err != nil {
			return err
		}
		info = a.drain.info(true)
		a.publish()
		return nil
	})
	return info, err
}

// ControlDrain pauses, resumes or cancels a session's drain.
func (m *Manager) ControlDrain(id string, op DrainOp) (DrainInfo, error) {
	if !slices.Contains([]DrainOp{DrainPause, DrainResume, DrainCancel}, op) {
		return DrainInfo{}, errorf(ErrInvalid, "drain operation %q is not one of pause, resume, cancel", op)
	}
	a, err := m.actor(id)
	if err != nil {
		return DrainInfo{}, err
	}
	var info DrainInfo
	err = a.do(func() error {
		if err := a.drain.control(op); err != nil {
			return err
		}
		info = a.drain.info(true)
		a.publish()
		return nil
	})
	return info, err
}

// ValidateDrainRequest checks a drain request the way the Manager does.
func ValidateDrainRequest(req DrainRequest) error {
	if !slices.Contains(DrainActions, req.Action) {
		return errorf(ErrInvalid, "drain action %q is not one of deliver, read, skip", req.Action)
	}
	if req.Rate < 0 || req.Rate > MaxDrainRate {
		return errorf(ErrInvalid, "drain rate %g is out of range: give more than 0 and at most %g messages a second", req.Rate, MaxDrainRate)
	}
	for _, c := range req.Chats {
		if _, _, err := ParseChatID(c); err != nil {
			return err
		}
	}
	return nil
}
