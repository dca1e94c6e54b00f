package session

import (
	"time"

	"github.com/waconsole/waconsole/store"
)

// AlertThresholds say when a session's alerts are raised: every value in
// effect.
type AlertThresholds struct {
	Disconnected  time.Duration `json:"disconnected"`  // DISCONNECTED this long
	SendFailures  int           `json:"sendFailures"`  // failed send attempts ...
	SendWindow    time.Duration `json:"sendWindow"`    // ... within this window
	Restarts      int           `json:"restarts"`      // browser restarts ...
	RestartWindow time.Duration `json:"restartWindow"` // ... within this window
}

// defaultAlerting holds for every threshold a session did not set.
var defaultAlerting = AlertThresholds{
	Disconnected: time.Minute, SendFailures: 3, SendWindow: 5 * time.Minute, Restarts: 3, RestartWindow: 10 * time.Minute,
}

// AlertSettings are the thresholds the operator set: a nil field takes the
// default.
type AlertSettings = store.AlertThresholds

// AlertDefaults names thresholds to return to their defaults; a count and
// its window go together.
type AlertDefaults struct {
	Disconnected, SendFailures, Restarts bool
}

// EffectiveAlerting fills the unset thresholds of s with the defaults.
func EffectiveAlerting(s AlertSettings) AlertThresholds {
	t := defaultAlerting
	set := func(dst *time.Duration, v *time.Duration) {
		if v != nil {
			*dst = *v
		}
	}
	set(&t.Disconnected, s.Disconnected)
	set(&t.SendWindow, s.SendWindow)
	set(&t.RestartWindow, s.RestartWindow)
	if s.SendFailures != nil {
		t.SendFailures = *s.SendFailures
	}
	if s.Restarts != nil {
		t.Restarts = *s.Restarts
	}
	return t
}

// ChangeAlerting applies a change to the operator's thresholds: fields set
// in c replace those of cur, those named in d return to their defaults.
func ChangeAlerting(cur AlertSettings, c *AlertSettings, d AlertDefaults) (AlertSettings, error) {
	out := AlertSettings{Disconnected: clone(cur.Disconnected), SendFailures: clone(cur.SendFailures), SendWindow: clone(cur.SendWindow),
		Restarts: clone(cur.Restarts), RestartWindow: clone(cur.RestartWindow)}
	if c != nil {
		if (c.Disconnected != nil && d.Disconnected) || ((c.SendFailures != nil || c.SendWindow != nil) && d.SendFailures) ||
			((c.Restarts != nil || c.RestartWindow != nil) && d.Restarts) {
			return cur, errorf(ErrInvalid, "alert thresholds: one is both given and returned to its default: do one")
		}
		for _, f := range []struct {
			v   *time.Duration
			dst **time.Duration
		}{{c.Disconnected, &out.Disconnected}, {c.SendWindow, &out.SendWindow}, {c.RestartWindow, &out.RestartWindow}} {
			if f.v != nil {
				*f.dst = clone(f.v)
			}
		}
		if c.SendFailures != nil {
			out.SendFailures = clone(c.SendFailures)
		}
		if c.Restarts != nil {
			out.Restarts = clone(c.Restarts)
		}
	}
	if d.Disconnected {
		out.Disconnected = nil
	}
	if d.SendFailures {
		out.SendFailures, out.SendWindow = nil, nil
	}
	if d.Restarts {
		out.Restarts, out.RestartWindow = nil, nil
	}
	for _, v := range []*time.Duration{out.Disconnected, out.SendWindow, out.RestartWindow} {
		if v != nil && *v <= 0 {
			return cur, errorf(ErrInvalid, "alert thresholds: a duration of %s is not possible: give one above zero, such as 2m", *v)
		}
	}
	for _, n := range []*int{out.SendFailures, out.Restarts} {
		if n != nil && (*n < 1 || *n > 1000) {
			return cur, errorf(ErrInvalid, "alert thresholds: a count of %d is not possible: give 1 to 1000", *n)
		}
	}
	return out, nil
}

// loadAlerting reads the session's thresholds into its snapshot; damaged
// ones fall back to the defaults, said in LastError.
func (a *actor) loadAlerting() {
	set, err := a.m.cfg.Store.GetAlertThresholds(a.id)
	if err != nil {
		a.snap.LastError = "reading the alert thresholds (the defaults hold): " + err.Error()
	}
	a.snap.AlertingSet, a.snap.Alerting = set, EffectiveAlerting(set)
}
