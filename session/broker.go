package session

import (
	"container/list"
	"strconv"
	"sync"
	"sync/atomic"
)

// Bounds on what a subscriber that reads slowly, or not at all, may hold.
// Messages are the only updates that come in bursts of thousands without a
// key to fold them by, so only they are dropped at the first bound; the
// second bound is reached only by a subscriber that has stopped reading, and
// then its whole backlog gives way to one resync.
const (
	maxPendingMessages = 1024
	maxPending         = 1 << 16
)

// broker fans updates out to subscribers without ever blocking the actors.
// Each subscriber has its own backlog, which a goroutine of its own hands
// over at the subscriber's pace. In the backlog, a snapshot or job update
// replaces the one before it of the same session or job unless it carries
// something the operator must see (a new state, QR or link code; a new job
// state), a message update replaces the one of the same message, and when
// anything is dropped the subscriber gets an Update with Resync set.
type broker struct {
	mu      sync.Mutex
	subs    map[*subscriber]struct{}
	dropped atomic.Uint64
}

type subscriber struct {
	out    chan Update
	wake   chan struct{} // holds one token when the backlog may be non-empty
	done   chan struct{} // closed by cancel
	exited chan struct{} // closed when the pump has returned

	// Guarded by broker.mu.
	backlog  list.List                // of *pending, oldest first
	byKey    map[string]*list.Element // the last backlog entry of each key
	messages int                      // message updates in the backlog
	resync   *list.Element            // the queued resync, if any
}

type pending struct {
	key string // "" when the update never replaces another
	u   Update
}

func newBroker() *broker { return &broker{subs: map[*subscriber]struct{}{}} }

func (b *broker) subscribe() (<-chan Update, func()) {
	s := &subscriber{
		out:    make(chan Update),
		wake:   make(chan struct{}, 1),
		done:   make(chan struct{}),
		exited: make(chan struct{}),
		byKey:  map[string]*list.Element{},
	}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	go b.pump(s)
	var once sync.Once
	return s.out, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, s)
			b.mu.Unlock()
			close(s.done)
			<-s.exited
		})
	}
}

// publish queues u for every subscriber; it never waits for one.
func (b *broker) publish(u Update) {
	key, replaces := coalesceKey(u)
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		b.enqueue(s, key, replaces, u)
		select {
		case s.wake <- struct{}{}:
		default: // a token is already there
		}
	}
}

// droppedUpdates counts the updates never delivered, summed over subscribers.
func (b *broker) droppedUpdates() uint64 { return b.dropped.Load() }

func (b *broker) enqueue(s *subscriber, key string, replaces func(old Update) bool, u Update) {
	if key != "" {
		if e, ok := s.byKey[key]; ok && replaces(e.Value.(*pending).u) {
			e.Value.(*pending).u = u
			s.backlog.MoveToBack(e)
			return
		}
	}
	if u.Message != nil {
		if s.messages >= maxPendingMessages {
			b.dropped.Add(1)
			b.needResync(s)
			return
		}
		s.messages++
	}
	if s.backlog.Len() >= maxPending {
		lost := s.backlog.Len() + 1 // the backlog and u
		if s.resync != nil {
			lost-- // a resync is no update of the runtime
		}
		b.dropped.Add(uint64(lost))
		s.backlog.Init()
		clear(s.byKey)
		s.messages, s.resync = 0, nil
		b.needResync(s)
		return
	}
	e := s.backlog.PushBack(&pending{key: key, u: u})
	if key != "" {
		s.byKey[key] = e
	}
}

// needResync queues one resync after everything queued so far.
func (b *broker) needResync(s *subscriber) {
	if s.resync != nil {
		s.backlog.MoveToBack(s.resync)
		return
	}
	s.resync = s.backlog.PushBack(&pending{u: Update{Resync: true}})
}

// next takes the oldest update of s's backlog.
func (b *broker) next(s *subscriber) (Update, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := s.backlog.Front()
	if e == nil {
		return Update{}, false
	}
	s.backlog.Remove(e)
	p := e.Value.(*pending)
	if p.key != "" && s.byKey[p.key] == e {
		delete(s.byKey, p.key)
	}
	if p.u.Message != nil {
		s.messages--
	}
	if e == s.resync {
		s.resync = nil
	}
	return p.u, true
}

func (b *broker) pump(s *subscriber) {
	defer close(s.exited)
	defer close(s.out)
	for {
		u, ok := b.next(s)
		if !ok {
			select {
			case <-s.wake:
				continue
			case <-s.done:
				return
			}
		}
		select {
		case s.out <- u:
		case <-s.done:
			return
		}
	}
}

// coalesceKey names what u may replace in a backlog, and when it may.
func coalesceKey(u Update) (string, func(old Update) bool) {
	switch {
	case u.Snapshot != nil:
		return "s\x00" + u.Session, func(old Update) bool { return sameFace(*old.Snapshot, *u.Snapshot) }
	case u.Job != nil:
		return "j\x00" + u.Session + "\x00" + strconv.FormatUint(u.Job.Seq, 10), func(old Update) bool { return old.Job.State == u.Job.State }
	case u.Message != nil && u.Message.Key != "":
		return "m\x00" + u.Session + "\x00" + u.Message.Key, func(Update) bool { return true }
	}
	return "", nil
}

// sameFace reports whether two snapshots of a session show the operator the
// same state and pairing code, so the older one may be skipped.
func sameFace(a, b Snapshot) bool {
	return a.State == b.State && a.QR.Payload == b.QR.Payload && a.QR.Expired == b.QR.Expired && a.Code.Code == b.Code.Code
}
