package api

import (
	"fmt"
	"time"

	"github.com/waconsole/waconsole/session"
)

// SettingsRequest changes a session; absent fields stay as they are.
type SettingsRequest struct {
	AutoStart  *bool            `json:"autoStart,omitempty"`
	PairMethod *string          `json:"pairMethod,omitempty"`
	PairPhone  *string          `json:"pairPhone,omitempty"`
	Pacing     *PacingRequest   `json:"pacing,omitempty"`
	Browser    *BrowserRequest  `json:"browser,omitempty"`
	Inbox      *InboxRequest    `json:"inbox,omitempty"`
	ReplyFirst *string          `json:"replyFirst,omitempty"` // a duration such as "24h"; "0s" turns it off
	Alerting   *AlertingRequest `json:"alerting,omitempty"`
}

// InboxRequest changes a session's inbound filters and retention; absent
// fields stay as they are. Retention is a duration such as "720h"; "0s"
// returns to the default.
type InboxRequest struct {
	KeepOwn      *bool   `json:"keepOwn,omitempty"`
	KeepStatus   *bool   `json:"keepStatus,omitempty"`
	KeepSystem   *bool   `json:"keepSystem,omitempty"`
	MentionsOnly *bool   `json:"mentionsOnly,omitempty"`
	Retention    *string `json:"retention,omitempty"`
}

func (r *InboxRequest) change() (*session.InboxChange, error) {
	if r == nil {
		return nil, nil
	}
	c := &session.InboxChange{KeepOwn: r.KeepOwn, KeepStatus: r.KeepStatus, KeepSystem: r.KeepSystem, MentionsOnly: r.MentionsOnly}
	if r.Retention != nil {
		d, err := time.ParseDuration(*r.Retention)
		if err != nil {
			return nil, fmt.Errorf("inbox retention %q is not a duration such as 720h, or 0s for the default", *r.Retention)
		}
		c.Retention = &d
	}
	return c, nil
}

// PacingRequest changes a session's send pacing. Absent fields keep their
// setting; "0s" is zero; the fields named in Defaults return to their
// defaults. Durations are Go durations such as "15s" or "1m30s".
type PacingRequest struct {
	MinGap    *string  `json:"minGap,omitempty"`
	JitterMin *string  `json:"jitterMin,omitempty"`
	Jitter    *string  `json:"jitter,omitempty"`
	ChatGap   *string  `json:"chatGap,omitempty"`
	BulkLimit *int     `json:"bulkLimit,omitempty"`
	Defaults  []string `json:"defaults,omitempty"` // minGap, jitterMin, jitter, chatGap, bulkLimit
}

func (r SettingsRequest) settings() (session.Settings, error) {
	s := session.Settings{AutoStart: r.AutoStart, PairMethod: r.PairMethod, PairPhone: r.PairPhone}
	if r.Browser != nil {
		s.Browser = &session.BrowserChange{Proxy: r.Browser.Proxy, UserAgent: r.Browser.UserAgent, Flags: r.Browser.Flags}
	}
	inbox, err := r.Inbox.change()
	if err != nil {
		return s, err
	}
	s.Inbox = inbox
	if r.ReplyFirst != nil {
		d, err := time.ParseDuration(*r.ReplyFirst)
		if err != nil {
			return s, fmt.Errorf("replyFirst %q is not a duration such as 24h, or 0s to turn it off", *r.ReplyFirst)
		}
		s.ReplyFirst = &d
	}
	if err := r.Alerting.change(&s); err != nil {
		return s, err
	}
	if r.Pacing == nil {
		return s, nil
	}
	p := session.PacingSettings{BulkLimit: r.Pacing.BulkLimit}
	for _, f := range []struct {
		name string
		in   *string
		out  **time.Duration
	}{{"minGap", r.Pacing.MinGap, &p.MinGap}, {"jitterMin", r.Pacing.JitterMin, &p.JitterMin}, {"jitter", r.Pacing.Jitter, &p.Jitter}, {"chatGap", r.Pacing.ChatGap, &p.ChatGap}} {
		if f.in == nil {
			continue
		}
		d, err := time.ParseDuration(*f.in)
		if err != nil {
			return s, fmt.Errorf("pacing %s %q is not a duration such as 15s, 1m30s or 0s", f.name, *f.in)
		}
		if d < 0 {
			return s, fmt.Errorf("pacing %s %q is negative: give 0s or more", f.name, *f.in)
		}
		*f.out = &d
	}
	for _, name := range r.Pacing.Defaults {
		switch name {
		case "minGap":
			s.PacingDefaults.MinGap = true
		case "jitterMin":
			s.PacingDefaults.JitterMin = true
		case "jitter":
			s.PacingDefaults.Jitter = true
		case "chatGap":
			s.PacingDefaults.ChatGap = true
		case "bulkLimit":
			s.PacingDefaults.BulkLimit = true
		default:
			return s, fmt.Errorf("pacing defaults: %q is not a pacing field: use minGap, jitterMin, jitter, chatGap or bulkLimit", name)
		}
	}
	s.Pacing = &p
	return s, nil
}

// browserSettings are the settings of a new session: absent fields are
// waconsole's own.
func (r *BrowserRequest) browserSettings() session.BrowserSettings {
	var b session.BrowserSettings
	if r == nil {
		return b
	}
	if r.Proxy != nil {
		b.Proxy = *r.Proxy
	}
	if r.UserAgent != nil {
		b.UserAgent = *r.UserAgent
	}
	if r.Flags != nil {
		b.Flags = *r.Flags
	}
	return b
}
