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

// EffectivePacing fills the unset fields of s with the defaults. A default
// yields to a set value it would contradict: jitter set to 2s with no
// jitter min makes the jitter min 2s, not 5s.
func EffectivePacing(s PacingSettings) Pacing {
	p := defaultPacing
	for _, f := range []struct {
		v   *time.Duration
		dst *time.Duration
	}{{s.MinGap, &p.MinGap}, {s.JitterMin, &p.JitterMin}, {s.Jitter, &p.Jitter}, {s.ChatGap, &p.ChatGap}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if s.BulkLimit != nil {
		p.BulkLimit = *s.BulkLimit
	}
	if s.JitterMin == nil && p.JitterMin > p.Jitter {
		p.JitterMin = p.Jitter
	}
	if s.Jitter == nil && p.Jitter < p.JitterMin {
		p.Jitter = p.JitterMin
	}
	return p
}

// validatePacing refuses what the operator may not set: negative values and
// a jitter min above the jitter max, both set. Zero is a valid setting.
func validatePacing(s PacingSettings) error {
	for _, f := range []struct {
		name string
		v    *time.Duration
	}{{"min gap", s.MinGap}, {"jitter min", s.JitterMin}, {"jitter max", s.Jitter}, {"chat gap", s.ChatGap}} {
		if f.v != nil && *f.v < 0 {
			return errorf(ErrInvalid, "pacing: %s %s is negative: give 0s or more", f.name, *f.v)
		}
	}
	if s.JitterMin != nil && s.Jitter != nil && *s.JitterMin > *s.Jitter {
		return errorf(ErrInvalid, "pacing: jitter min %s is above jitter max %s: lower the min or raise the max", *s.JitterMin, *s.Jitter)
	}
	if s.BulkLimit != nil && *s.BulkLimit < 0 {
		return errorf(ErrInvalid, "pacing: bulk limit %d is negative: give 0 or more", *s.BulkLimit)
	}
	return nil
}

// ChangePacing applies a change to the operator's settings: fields set in
// c replace those of cur, fields named in d return to their defaults. The
// result shares no pointer with cur or c.
func ChangePacing(cur PacingSettings, c *PacingSettings, d PacingDefaults) (PacingSettings, error) {
	out := PacingSettings{MinGap: clone(cur.MinGap), JitterMin: clone(cur.JitterMin), Jitter: clone(cur.Jitter),
		ChatGap: clone(cur.ChatGap), BulkLimit: clone(cur.BulkLimit)}
	if c != nil {
		for _, f := range []struct {
			name string
			v    *time.Duration
			def  bool
			dst  **time.Duration
		}{{"min gap", c.MinGap, d.MinGap, &out.MinGap}, {"jitter min", c.JitterMin, d.JitterMin, &out.JitterMin},
			{"jitter max", c.Jitter, d.Jitter, &out.Jitter}, {"chat gap", c.ChatGap, d.ChatGap, &out.ChatGap}} {
			if f.v != nil && f.def {
				return cur, errorf(ErrInvalid, "pacing: %s is both given and returned to its default: do one", f.name)
			}
			if f.v != nil {
				*f.dst = clone(f.v)
			}
		}
		if c.BulkLimit != nil && d.BulkLimit {
			return cur, errorf(ErrInvalid, "pacing: bulk limit is both given and returned to its default: do one")
		}
		if c.BulkLimit != nil {
			out.BulkLimit = clone(c.BulkLimit)
		}
	}
	for _, f := range []struct {
		def bool
		dst **time.Duration
	}{{d.MinGap, &out.MinGap}, {d.JitterMin, &out.JitterMin}, {d.Jitter, &out.Jitter}, {d.ChatGap, &out.ChatGap}} {
		if f.def {
			*f.dst = nil
		}
	}
	if d.BulkLimit {
		out.BulkLimit = nil
	}
	if err := validatePacing(out); err != nil {
		return cur, err
	}
	return out, nil
}

func clone[T any](v *T) *T {
	if v == nil {
		return nil
	}
	c := *v
	return &c
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
