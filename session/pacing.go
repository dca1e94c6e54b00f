package session

import (
	"math/rand/v2"
	"time"
)

// The default pacing follows the community's rate guidance: one send per
// session every 15 s plus 5-15 s of jitter, one per chat every 30 s, and no
// identical text to more than 5 chats an hour without an operator's consent.
var defaultPacing = Pacing{
	MinGap:    15 * time.Second,
	JitterMin: 5 * time.Second,
	Jitter:    15 * time.Second,
	ChatGap:   30 * time.Second,
	BulkLimit: 5,
}

// effectivePacing fills the zero fields of p with the defaults.
func effectivePacing(p Pacing) Pacing {
	if p.MinGap <= 0 {
		p.MinGap = defaultPacing.MinGap
	}
	if p.Jitter <= 0 {
		p.Jitter = defaultPacing.Jitter
		if p.JitterMin <= 0 {
			p.JitterMin = defaultPacing.JitterMin
		}
	}
	if p.JitterMin > p.Jitter {
		p.JitterMin = p.Jitter
	}
	if p.ChatGap <= 0 {
		p.ChatGap = defaultPacing.ChatGap
	}
	if p.BulkLimit <= 0 {
		p.BulkLimit = defaultPacing.BulkLimit
	}
	return p
}

func validatePacing(p Pacing) error {
	for name, d := range map[string]time.Duration{"min gap": p.MinGap, "jitter": p.Jitter, "jitter min": p.JitterMin, "chat gap": p.ChatGap} {
		if d < 0 {
			return errorf(ErrInvalid, "pacing: %s %s is negative", name, d)
		}
	}
	if p.Jitter > 0 && p.JitterMin > p.Jitter {
		return errorf(ErrInvalid, "pacing: jitter min %s is above jitter max %s", p.JitterMin, p.Jitter)
	}
	if p.BulkLimit < 0 {
		return errorf(ErrInvalid, "pacing: bulk limit %d is negative", p.BulkLimit)
	}
	return nil
}

// nextGap is the wait after one send before the session's next: the minimum
// gap plus a random jitter in [JitterMin, Jitter].
func nextGap(p Pacing, r *rand.Rand) time.Duration {
	j := p.JitterMin
	if span := p.Jitter - p.JitterMin; span > 0 {
		j += time.Duration(r.Int64N(int64(span) + 1))
	}
	return p.MinGap + j
}

// backoff is the wait before retry number attempt (1-based) of a failed send:
// base doubling each time, capped, with ±20% jitter so that many failed jobs
// do not retry in lockstep.
func backoff(attempt int, base, limit time.Duration, r *rand.Rand) time.Duration {
	d := base
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	spread := int64(d) / 5
	if spread > 0 {
		d += time.Duration(r.Int64N(2*spread+1) - spread)
	}
	return d
}
