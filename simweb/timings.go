package simweb

import "time"

// Timings sets how fast the stand-in moves; DefaultTimings follows WhatsApp.
type Timings struct {
	LoadDelay   time.Duration // page load until window.Debug.VERSION is set
	ModuleDelay time.Duration // modules register progressively over this span after VERSION
	FirstRef    time.Duration // first QR ref lifetime
	NextRef     time.Duration // each later ref
	Refs        int           // refs per batch, then Socket.state = UNPAIRED_IDLE
	PairDelay   time.Duration // PAIRING -> CONNECTED after a scan or link
	SyncDelay   time.Duration // CONNECTED -> hasSynced = true
	LinkCodeTTL time.Duration // a link code is valid this long
	AckDelay    time.Duration // gap between ack steps SERVER -> DEVICE -> READ
}

// DefaultTimings returns WhatsApp's QR timings (60 s, then 5 × 20 s) and
// short page and pairing delays.
func DefaultTimings() Timings {
	return Timings{
		LoadDelay:   time.Second,
		ModuleDelay: 400 * time.Millisecond,
		FirstRef:    60 * time.Second,
		NextRef:     20 * time.Second,
		Refs:        6,
		PairDelay:   time.Second,
		SyncDelay:   1500 * time.Millisecond,
		LinkCodeTTL: 180 * time.Second,
		AckDelay:    time.Second,
	}
}

// Scale multiplies every duration by f (Refs stays), so tests can run the
// whole lifecycle in seconds.
func (t Timings) Scale(f float64) Timings {
	s := func(d time.Duration) time.Duration { return time.Duration(float64(d) * f) }
	t.LoadDelay, t.ModuleDelay = s(t.LoadDelay), s(t.ModuleDelay)
	t.FirstRef, t.NextRef = s(t.FirstRef), s(t.NextRef)
	t.PairDelay, t.SyncDelay = s(t.PairDelay), s(t.SyncDelay)
	t.LinkCodeTTL, t.AckDelay = s(t.LinkCodeTTL), s(t.AckDelay)
	return t
}

// withDefaults fills the zero fields, so Options{} works.
func (t Timings) withDefaults() Timings {
	d := DefaultTimings()
	if t == (Timings{}) {
		return d
	}
	if t.Refs <= 0 {
		t.Refs = d.Refs
	}
	if t.FirstRef <= 0 {
		t.FirstRef = d.FirstRef
	}
	if t.NextRef <= 0 {
		t.NextRef = d.NextRef
	}
	if t.LinkCodeTTL <= 0 {
		t.LinkCodeTTL = d.LinkCodeTTL
	}
	return t
}
