package session

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

func TestEffectivePacingDefaults(t *testing.T) {
	p := EffectivePacing(PacingSettings{})
	if p != defaultPacing {
		t.Fatalf("defaults = %+v, want %+v", p, defaultPacing)
	}
	custom := EffectivePacing(PacingSettings{MinGap: ptr(time.Second), JitterMin: ptr(time.Duration(0)), Jitter: ptr(2 * time.Second), ChatGap: ptr(3 * time.Second), BulkLimit: ptr(2)})
	if custom != (Pacing{MinGap: time.Second, Jitter: 2 * time.Second, ChatGap: 3 * time.Second, BulkLimit: 2}) {
		t.Fatalf("custom pacing changed: %+v", custom)
	}
	zero := EffectivePacing(PacingSettings{MinGap: ptr(time.Duration(0)), ChatGap: ptr(time.Duration(0)), BulkLimit: ptr(0)})
	if zero.MinGap != 0 || zero.ChatGap != 0 || zero.BulkLimit != 0 || zero.Jitter != defaultPacing.Jitter {
		t.Fatalf("set zeros became %+v: only unset fields take the defaults", zero)
	}
}

// A default gives way to a set value it would contradict.
func TestEffectivePacingDefaultsYield(t *testing.T) {
	low := EffectivePacing(PacingSettings{Jitter: ptr(2 * time.Second)})
	if low.JitterMin != 2*time.Second || low.Jitter != 2*time.Second {
		t.Errorf("jitter max 2s alone gives %s-%s, want 2s-2s", low.JitterMin, low.Jitter)
	}
	high := EffectivePacing(PacingSettings{JitterMin: ptr(time.Minute)})
	if high.JitterMin != time.Minute || high.Jitter != time.Minute {
		t.Errorf("jitter min 1m alone gives %s-%s, want 1m-1m", high.JitterMin, high.Jitter)
	}
}

func TestChangePacing(t *testing.T) {
	cur := PacingSettings{MinGap: ptr(time.Second), ChatGap: ptr(time.Minute)}
	got, err := ChangePacing(cur, &PacingSettings{MinGap: ptr(time.Duration(0)), BulkLimit: ptr(3)}, PacingDefaults{ChatGap: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.MinGap == nil || *got.MinGap != 0 || got.BulkLimit == nil || *got.BulkLimit != 3 || got.ChatGap != nil || got.Jitter != nil || got.JitterMin != nil {
		t.Fatalf("changed to %+v, want min gap 0, bulk limit 3, the rest unset", got)
	}
	if *cur.MinGap != time.Second || cur.ChatGap == nil {
		t.Fatalf("the current settings were changed in place: %+v", cur)
	}
	if _, err := ChangePacing(cur, &PacingSettings{MinGap: ptr(time.Second)}, PacingDefaults{MinGap: true}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a value and its default at once: err = %v, want ErrInvalid", err)
	}
	// Checked on the result: a max below a min set before is refused.
	if _, err := ChangePacing(PacingSettings{JitterMin: ptr(10 * time.Second)}, &PacingSettings{Jitter: ptr(time.Second)}, PacingDefaults{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("jitter max below the set min: err = %v, want ErrInvalid", err)
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
	zero := time.Duration(0)
	for _, ok := range []PacingSettings{{MinGap: ptr(time.Second)}, {MinGap: &zero, JitterMin: &zero, Jitter: &zero, ChatGap: &zero, BulkLimit: ptr(0)}, {}} {
		if err := validatePacing(ok); err != nil {
			t.Errorf("validatePacing(%+v): %v", ok, err)
		}
	}
	for _, bad := range []PacingSettings{{MinGap: ptr(time.Duration(-1))}, {Jitter: ptr(time.Second), JitterMin: ptr(2 * time.Second)}, {BulkLimit: ptr(-1)}, {ChatGap: ptr(-time.Second)}} {
		if err := validatePacing(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("validatePacing(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
}

// What the operator set survives a restart as set, zero included; the rest
// stays unset and takes the defaults.
func TestPacingSettingsSurviveARestart(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Add(AddRequest{ID: "keep"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.Set("keep", Settings{Pacing: &PacingSettings{MinGap: ptr(time.Duration(0)), BulkLimit: ptr(2)}}); err != nil {
		t.Fatal(err)
	}
	e.close()
	e.open(t)
	s, err := e.m.Get("keep")
	if err != nil {
		t.Fatal(err)
	}
	want := defaultPacing
	want.MinGap, want.BulkLimit = 0, 2
	if s.Pacing != want {
		t.Errorf("after a restart the pacing in effect is %+v, want %+v", s.Pacing, want)
	}
	if p := s.PacingSet; p.MinGap == nil || *p.MinGap != 0 || p.BulkLimit == nil || *p.BulkLimit != 2 || p.JitterMin != nil || p.Jitter != nil || p.ChatGap != nil {
		t.Errorf("after a restart the settings are %+v, want only min gap 0s and bulk limit 2", p)
	}
}
