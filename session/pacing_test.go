package session

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestEffectivePacingDefaults(t *testing.T) {
	p := effectivePacing(Pacing{})
	if p != defaultPacing {
		t.Fatalf("defaults = %+v, want %+v", p, defaultPacing)
	}
	custom := effectivePacing(Pacing{MinGap: time.Second, Jitter: 2 * time.Second, ChatGap: 3 * time.Second, BulkLimit: 2})
	if custom.MinGap != time.Second || custom.Jitter != 2*time.Second || custom.JitterMin != 0 || custom.ChatGap != 3*time.Second || custom.BulkLimit != 2 {
		t.Fatalf("custom pacing changed: %+v", custom)
	}
}

func TestNextGapStaysInRange(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	p := defaultPacing
	lo, hi := p.MinGap+p.JitterMin, p.MinGap+p.Jitter
	sawLow, sawHigh := false, false
	for range 10000 {
		g := nextGap(p, r)
		if g < lo || g > hi {
			t.Fatalf("gap %s outside [%s, %s]", g, lo, hi)
		}
		sawLow = sawLow || g < lo+time.Second
		sawHigh = sawHigh || g > hi-time.Second
	}
	if !sawLow || !sawHigh {
		t.Fatalf("jitter does not spread over its range (low %v, high %v)", sawLow, sawHigh)
	}
}

func TestBackoffDoublesAndCaps(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	base, limit := 30*time.Second, 30*time.Minute
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 30 * time.Minute, 30 * time.Minute}
	for i, w := range want {
		for range 200 {
			got := backoff(i+1, base, limit, r)
			if got < w*8/10 || got > w*12/10 {
				t.Fatalf("backoff(%d) = %s, want %s ± 20%%", i+1, got, w)
			}
		}
	}
}

func TestValidatePacing(t *testing.T) {
	if err := validatePacing(Pacing{MinGap: time.Second}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []Pacing{{MinGap: -1}, {Jitter: time.Second, JitterMin: 2 * time.Second}, {BulkLimit: -1}, {ChatGap: -time.Second}} {
		if err := validatePacing(bad); err == nil {
			t.Errorf("validatePacing(%+v) accepted", bad)
		}
	}
}

func TestBulkGuardHoldsTheSixthChat(t *testing.T) {
	g := newBulkGuard(func() int { return 5 })
	now := time.Now()
	var jobs []Job
	for i := range 8 {
		jobs = append(jobs, Job{ChatID: string(rune('a'+i)) + "@c.us", Body: "Same promo text"})
	}
	g.check(jobs, now)
	for i, j := range jobs {
		held := j.State == JobHeld
		if held != (i >= 5) {
			t.Errorf("job %d held=%v (%s)", i, held, j.HoldReason)
		}
	}
	// The same chat again is not a new recipient; other texts are not held;
	// an hour later the count starts again.
	again := []Job{{ChatID: "a@c.us", Body: "Same promo text"}, {ChatID: "z@c.us", Body: "Another text"}}
	g.check(again, now.Add(time.Minute))
	if again[0].State == JobHeld || again[1].State == JobHeld {
		t.Fatalf("held without cause: %+v", again)
	}
	later := []Job{{ChatID: "y@c.us", Body: "Same promo text"}}
	g.check(later, now.Add(2*time.Hour))
	if later[0].State == JobHeld {
		t.Fatal("held although the earlier sends are over an hour old")
	}
}
