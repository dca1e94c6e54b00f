package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/waconsole/waconsole/store"
)

// Manager runs every session of one data dir, one actor each.
type Manager struct {
	cfg    Config
	broker *broker
	alerts *alerter

	mu     sync.Mutex
	actors map[string]*actor
	closed bool

	backupMu sync.Mutex // one backup at a time: each stages its files in the data dir

	hookEvents hookEvents // webhook failures held back from the session logs

	now func() time.Time // the reply-first clock; tests move it past a window
}

// NewManager loads the sessions of the store. Nothing starts until
// StartAuto or Start.
func NewManager(cfg Config) (*Manager, error) {
	if cfg.Store == nil || cfg.Driver == nil {
		return nil, errors.New("session manager: a store and a driver are required")
	}
	if cfg.WAURL == "" {
		cfg.WAURL = DefaultWAURL
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	cfg.Timing = cfg.Timing.withDefaults()
	m := &Manager{cfg: cfg, broker: newBroker(), actors: map[string]*actor{}, now: time.Now}
	cfg.Store.SetHooks(storeHooks())
	var err error
	if m.alerts, err = newAlerter(m); err != nil {
		return nil, err
	}
	sessions, err := cfg.Store.ListSessions()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	for _, s := range sessions {
		m.actors[s.ID] = newActor(m, s)
	}
	m.mu.Unlock()
	go m.alerts.run()
	return m, nil
}

// StartAuto starts the auto-start sessions, a few seconds apart so that many
// browsers do not start (and reconnect) at once. Sessions that need an
// operator (LOGGED_OUT, BLOCKED, FAILED) stay down. It returns at once.
func (m *Manager) StartAuto(ctx context.Context) {
	var ids []string
	for _, s := range m.List() {
		switch {
		case !s.AutoStart:
		case s.State == LoggedOut || s.State == Blocked || s.State == Failed:
			m.cfg.Log.Warn("session not auto-started", "session", s.ID, "state", s.State, "reason", s.Reason)
		default:
			ids = append(ids, s.ID)
		}
	}
	go func() {
		for i, id := range ids {
			if i > 0 {
				select {
				case <-time.After(m.cfg.Timing.StartStagger):
				case <-ctx.Done():
					return
				}
			}
			if err := m.Start(id); err != nil && !errors.Is(err, ErrUnknownSession) {
				m.cfg.Log.Error("auto-start failed", "session", id, "err", err, "err_type", ErrType(err))
			}
		}
	}()
}

// Close stops every session (each browser closed, every process gone) and
// waits for them, at most until ctx ends.
func (m *Manager) Close(ctx context.Context) error {
	m.alerts.close()
	m.mu.Lock()
	m.closed = true
	actors := make([]*actor, 0, len(m.actors))
	for _, a := range m.actors {
		actors = append(actors, a)
	}
	m.mu.Unlock()
	var wg sync.WaitGroup
	for _, a := range actors {
		wg.Go(func() { a.shutdown("the console is shutting down") })
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("stopping sessions: %w", ctx.Err())
	}
}

// Subscribe returns every update from now on; call the func to stop.
func (m *Manager) Subscribe() (<-chan Update, func()) { return m.broker.subscribe() }

// DroppedUpdates counts, summed over subscribers, the updates a subscriber
// never received because it fell too far behind; each such subscriber was
// sent a Resync instead.
func (m *Manager) DroppedUpdates() uint64 { return m.broker.droppedUpdates() }

// List returns a snapshot of every session, sorted by id.
func (m *Manager) List() []Snapshot {
	actors := m.actorList()
	out := make([]Snapshot, 0, len(actors))
	for _, a := range actors {
		out = append(out, a.snapshot())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// actorList returns every session's actor, in no order.
func (m *Manager) actorList() []*actor {
	m.mu.Lock()
	defer m.mu.Unlock()
	actors := make([]*actor, 0, len(m.actors))
	for _, a := range m.actors {
		actors = append(actors, a)
	}
	return actors
}

// Get returns one session's snapshot.
func (m *Manager) Get(id string) (Snapshot, error) {
	a, err := m.actor(id)
	if err != nil {
		return Snapshot{}, err
	}
	return a.snapshot(), nil
}

// History returns the last n events of a session, oldest first.
func (m *Manager) History(id string, n int) ([]Event, error) {
	if _, err := m.actor(id); err != nil {
		return nil, err
	}
	return m.cfg.Store.LastEvents(id, n)
}

func (m *Manager) actor(id string) (*actor, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.actors[id]
	if !ok {
		return nil, errorf(ErrUnknownSession, "no session %q: list them with `waconsole status`", id)
	}
	return a, nil
}

// Add creates a session and, when asked, starts it.
func (m *Manager) Add(req AddRequest) (Snapshot, error) {
	if err := ValidateID(req.ID); err != nil {
		return Snapshot{}, err
	}
	switch req.PairMethod {
	case "":
		req.PairMethod = PairQR
	case PairQR:
	case PairLink:
		if err := ValidatePhone(req.PairPhone); err != nil {
			return Snapshot{}, err
		}
	default:
		return Snapshot{}, errorf(ErrInvalid, "pairing method %q is not known: use %q or %q", req.PairMethod, PairQR, PairLink)
	}
	if err := ValidateBrowser(req.Browser); err != nil {
		return Snapshot{}, err
	}
	autoStart := req.AutoStart == nil || *req.AutoStart
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return Snapshot{}, errors.New("the manager is shutting down")
	}
	if _, ok := m.actors[req.ID]; ok {
		m.mu.Unlock()
		return Snapshot{}, errorf(ErrExists, "session %q exists already: pick another id", req.ID)
	}
	now := time.Now()
	s := store.Session{ID: req.ID, PairMethod: req.PairMethod, PairPhone: req.PairPhone, AutoStart: autoStart,
		Created: now, State: string(Stopped), StateSince: now, Reason: "created", Browser: req.Browser}
	if err := m.cfg.Store.CreateSession(s); err != nil {
		m.mu.Unlock()
		return Snapshot{}, err
	}
	a := newActor(m, s)
	m.actors[req.ID] = a
	m.mu.Unlock()
	a.record(Event{Kind: "created", To: string(Stopped), Reason: "pairing by " + req.PairMethod})
	if req.Start {
		if err := a.start(); err != nil {
			return a.snapshot(), err
		}
	}
	return a.snapshot(), nil
}

// Start launches a session's browser.
func (m *Manager) Start(id string) error { return m.with(id, (*actor).start) }

// Stop closes a session's browser; it stays stopped until started again.
func (m *Manager) Stop(id string) error {
	return m.with(id, func(a *actor) error { return a.stop("stopped by the operator") })
}

// Restart closes and relaunches a session's browser (it also takes over
// after a CONFLICT).
func (m *Manager) Restart(id string) error {
	return m.with(id, (*actor).restart)
}

// Logout unlinks the session's browser from the phone and deletes its
// profile; the session needs pairing again.
func (m *Manager) Logout(id string) error { return m.with(id, (*actor).logout) }

// RefreshQR asks for a fresh batch of QR codes after they expired.
func (m *Manager) RefreshQR(id string) error { return m.with(id, (*actor).refreshQR) }

// UseLinkCode switches a session to pairing with a link code for phone.
func (m *Manager) UseLinkCode(id, phone string) error {
	if err := ValidatePhone(phone); err != nil {
		return err
	}
	return m.with(id, func(a *actor) error { return a.useLinkCode(phone) })
}

// UseQR switches a session back to pairing by QR code.
func (m *Manager) UseQR(id string) error { return m.with(id, (*actor).useQR) }

// Set changes a session's settings.
func (m *Manager) Set(id string, s Settings) (Snapshot, error) {
	a, err := m.actor(id)
	if err != nil {
		return Snapshot{}, err
	}
	if err := a.set(s); err != nil {
		return a.snapshot(), err
	}
	return a.snapshot(), nil
}

// Delete stops a session and removes it, its history, its outbox and its
// browser profile.
func (m *Manager) Delete(id string) error {
	a, err := m.actor(id)
	if err != nil {
		return err
	}
	a.shutdown("deleted by the operator")
	m.mu.Lock()
	delete(m.actors, id)
	m.mu.Unlock()
	m.alerts.forget(id)
	if err := m.cfg.Store.DeleteSession(id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := os.RemoveAll(m.profileDir(id)); err != nil {
		return fmt.Errorf("session %s deleted, but its browser profile was not: %w", id, err)
	}
	m.broker.publish(Update{Session: id, Removed: true})
	m.cfg.Log.Info("session deleted", "session", id)
	return nil
}

func (m *Manager) with(id string, f func(*actor) error) error {
	a, err := m.actor(id)
	if err != nil {
		return err
	}
	return f(a)
}

func (m *Manager) profileDir(id string) string {
	return filepath.Join(m.cfg.DataDir, "profiles", id)
}
