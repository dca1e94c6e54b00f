package session

import (
	"crypto/sha256"
	"fmt"
	"sync"
	"time"
)

// bulkWindow is how far back identical texts are counted.
const bulkWindow = time.Hour

// bulkGuard holds identical texts sent to too many distinct chats: identical
// bulk messages are the first trigger of bans. It is used by enqueuers, off
// the actor's loop, so it has its own lock.
type bulkGuard struct {
	mu    sync.Mutex
	seen  map[[32]byte]map[string]time.Time // text -> chat -> last enqueue
	limit func() int
}

func newBulkGuard(limit func() int) *bulkGuard {
	return &bulkGuard{seen: map[[32]byte]map[string]time.Time{}, limit: limit}
}

// note remembers an enqueue without judging it (used when loading history).
func (g *bulkGuard) note(body, chat string, at time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.add(sha256.Sum256([]byte(body)), chat, at)
}

func (g *bulkGuard) add(h [32]byte, chat string, at time.Time) {
	chats := g.seen[h]
	if chats == nil {
		chats = map[string]time.Time{}
		g.seen[h] = chats
	}
	if at.After(chats[chat]) {
		chats[chat] = at
	}
}

// check records jobs and marks as held those whose text already went to
// BulkLimit other chats within the hour.
func (g *bulkGuard) check(jobs []Job, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	limit := g.limit()
	for i := range jobs {
		h := sha256.Sum256([]byte(jobs[i].Body))
		chats := g.seen[h]
		for c, t := range chats {
			if now.Sub(t) > bulkWindow {
				delete(chats, c)
			}
		}
		if _, known := chats[jobs[i].ChatID]; !known && len(chats) >= limit {
			jobs[i].State = JobHeld
			jobs[i].HoldReason = fmt.Sprintf("identical text already queued for %d other chats within an hour (limit %d): approve to send", len(chats), limit)
		}
		g.add(h, jobs[i].ChatID, now)
	}
}
