package session

import "sync"

// subscriberBuffer is how many updates a slow subscriber may fall behind
// before updates to it are dropped; snapshots supersede each other, so a
// dropped one is repaired by the next.
const subscriberBuffer = 4096

// broker fans updates out to subscribers without ever blocking the actors.
type broker struct {
	mu   sync.Mutex
	subs map[chan Update]struct{}
}

func newBroker() *broker { return &broker{subs: map[chan Update]struct{}{}} }

func (b *broker) subscribe() (<-chan Update, func()) {
	ch := make(chan Update, subscriberBuffer)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, ch)
			b.mu.Unlock()
			close(ch)
		})
	}
}

func (b *broker) publish(u Update) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- u:
		default: // dropped: the subscriber is behind
		}
	}
}
