package api

import (
	"fmt"
	"time"

	"github.com/waconsole/waconsole/session"
)

// SettingsRequest changes a session; absent fields stay as they are.
// Durations are Go durations such as "15s" or "1m30s".
type SettingsRequest struct {
	AutoStart  *bool          `json:"autoStart,omitempty"`
	PairMethod *string        `json:"pairMethod,omitempty"`
	PairPhone  *string        `json:"pairPhone,omitempty"`
	Pacing     *PacingRequest `json:"pacing,omitempty"`
}

// PacingRequest changes a session's send pacing; absent fields keep their
// value, "0s" restores the default.
type PacingRequest struct {
	MinGap    *string `json:"minGap,omitempty"`
	JitterMin *string `json:"jitterMin,omitempty"`
	Jitter    *string `json:"jitter,omitempty"`
	ChatGap   *string `json:"chatGap,omitempty"`
	BulkLimit *int    `json:"bulkLimit,omitempty"`
}

func (r SettingsRequest) settings(current session.Pacing) (session.Settings, error) {
	s := session.Settings{AutoStart: r.AutoStart, PairMethod: r.PairMethod, PairPhone: r.PairPhone}
	if r.Pacing == nil {
		return s, nil
	}
	p := current
	for _, f := range []struct {
		name string
		in   *string
		out  *time.Duration
	}{{"minGap", r.Pacing.MinGap, &p.MinGap}, {"jitterMin", r.Pacing.JitterMin, &p.JitterMin}, {"jitter", r.Pacing.Jitter, &p.Jitter}, {"chatGap", r.Pacing.ChatGap, &p.ChatGap}} {
		if f.in == nil {
			continue
		}
		d, err := time.ParseDuration(*f.in)
		if err != nil || d < 0 {
			return s, fmt.Errorf("pacing %s %q is not a duration such as 15s or 1m30s", f.name, *f.in)
		}
		*f.out = d
	}
	// current holds the effective values, defaults filled in: a jitter set
	// below the jitter min the operator did not give takes the min down with
	// it (as the defaults do), rather than failing for a value never set.
	if r.Pacing.Jitter != nil && r.Pacing.JitterMin == nil && p.Jitter > 0 && p.JitterMin > p.Jitter {
		p.JitterMin = p.Jitter
	}
	if r.Pacing.BulkLimit != nil {
		p.BulkLimit = *r.Pacing.BulkLimit
	}
	s.Pacing = &p
	return s, nil
}
