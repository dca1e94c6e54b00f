package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
)

const sessionUsage = `usage:
  waconsole session add ID [--link-code PHONE] [--autostart=false] [--start] [BROWSER]
  waconsole session start|stop|restart ID
  waconsole session logout|delete ID [--yes]
  waconsole session set ID [--autostart=BOOL] [--pair qr|link] [--phone PHONE]
                           [--min-gap D] [--jitter-min D] [--jitter D] [--chat-gap D] [--bulk-limit N]
                           (D is a duration such as 15s or 0s; D or N "default" returns to the default)
                           [--inbox-keep-own=BOOL] [--inbox-keep-status=BOOL] [--inbox-keep-system=BOOL]
                           [--inbox-mentions-only=BOOL] [--inbox-retention D]
                           (the inbox filters skip own, status and system messages unless kept;
                           retention defaults to 720h, "default" returns to it)
                           [--reply-first D|off]
                           (hold sends to chats that have not written within D, such as 24h)
                           [--alert-disconnected D] [--alert-send-failures N/D] [--alert-restarts N/D]
                           (alert thresholds, default 1m, 3/5m and 3/10m; "default" returns to it)
                           [BROWSER] [--chrome-flags-clear]
    BROWSER: [--proxy URL|none] [--user-agent UA|default] [--chrome-flag F]...
                           a proxy http://, https:// or socks5://, optionally user:password@;
                           extra Chromium flags replace the session's; applied at the next start
  waconsole session show ID
  waconsole session pause|resume ID      hold or release the session's outbox`

func cmdSession(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(sessionUsage)
	}
	verb, rest := args[0], args[1:]
	fs := newFlagSet("session "+verb, sessionUsage)
	var f flags
	f.client(fs)
	f.confirm(fs)
	link := fs.String("link-code", "", "add: pair by link code for this phone number")
	autostart := fs.Bool("autostart", true, "add, set: start the session whenever waconsole starts")
	start := fs.Bool("start", false, "add: start the browser now")
	pair := fs.String("pair", "", "set: pairing method, qr or link")
	phone := fs.String("phone", "", "set: phone number for link-code pairing")
	pacing := pacingFlags(fs)
	browser := browserFlags(fs)
	inbox := inboxFlags(fs)
	alerting := alertingFlags(fs)
	replyFirst := fs.String("reply-first", "", "set: hold sends to chats that have not written within this, such as 24h; off or 0s turns it off")
	pos, err := parseInterleaved(fs, rest)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New(sessionUsage)
	}
	id := pos[0]
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	c := f.api()
	set := func(name string) bool {
		found := false
		fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
		return found
	}

	var snap api.Session
	switch verb {
	case "add":
		req := api.AddRequest{ID: id, AutoStart: autostart, Start: *start}
		if *link != "" {
			req.PairMethod, req.PairPhone = session.PairLink, *link
		}
		if req.Browser, err = browser.request(set); err != nil {
			return err
		}
		if snap, err = c.Add(ctx, req); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %s (%s)\nbrowser    %s\n", snap.ID, snap.State, snap.Reason, browserText(snap.Browser))
		return nil
	case "start", "stop", "restart":
		snap, err = c.Action(ctx, id, verb)
	case "logout", "delete":
		if !f.yes {
			if err := confirm(fmt.Sprintf("%s session %s? This cannot be undone", verb, id)); err != nil {
				return err
			}
		}
		if verb == "delete" {
			if err := c.Delete(ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "deleted session %s\n", id)
			return nil
		}
		snap, err = c.Action(ctx, id, verb)
	case "set":
		p, err := pacing.request(set)
		if err != nil {
			return err
		}
		req := api.SettingsRequest{PairMethod: optional(*pair), PairPhone: optional(*phone), Pacing: p, Inbox: inbox.request(set)}
		if set("reply-first") {
			rf := *replyFirst
			if rf == "off" {
				rf = "0s"
			}
			req.ReplyFirst = &rf
		}
		if set("autostart") {
			req.AutoStart = autostart
		}
		if req.Browser, err = browser.request(set); err != nil {
			return err
		}
		if req.Alerting, err = alerting.request(set); err != nil {
			return err
		}
		if snap, err = c.Set(ctx, id, req); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %s (%s)\npacing     %s\npolicy     %s\ninbox      %s\nbrowser    %s\nalerting   %s\n", snap.ID, snap.State, snap.Reason, pacingText(snap), replyFirstText(snap.ReplyFirst), inboxSettingsText(snap.Inbox), browserText(snap.Browser), alertingText(snap))
		if req.Browser != nil && session.State(snap.State).Running() {
			fmt.Fprintf(stdout, "the browser runs with the old browser settings: restart the session to apply them (waconsole session restart %s)\n", id)
		}
		return nil
	case "pause", "resume":
		qs, err := c.QueueAction(ctx, id, verb)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "queue of %s: paused=%v depth=%d %s\n", id, qs.Paused, qs.Depth, qs.HoldReason)
		return nil
	case "show":
		return showSession(ctx, c, id, stdout)
	default:
		return fmt.Errorf("unknown session command %q\n%s", verb, sessionUsage)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s (%s)\n", snap.ID, snap.State, snap.Reason)
	return nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// pacingValues are the pacing flags of `session set`.
type pacingValues struct {
	minGap, jitterMin, jitter, chatGap, bulk *string
}

func pacingFlags(fs *flag.FlagSet) pacingValues {
	return pacingValues{
		minGap:    fs.String("min-gap", "", "set: minimum gap between two sends of the session (default 15s; 0s = none)"),
		jitterMin: fs.String("jitter-min", "", "set: least random extra wait after each send (default 5s)"),
		jitter:    fs.String("jitter", "", "set: most random extra wait after each send (default 15s)"),
		chatGap:   fs.String("chat-gap", "", "set: minimum gap between two sends to one chat (default 30s)"),
		bulk:      fs.String("bulk-limit", "", "set: identical text to more chats than this within an hour is held (default 5)"),
	}
}

// useDefault is the flag value that returns a pacing setting to its default.
const useDefault = "default"

func (p pacingValues) request(set func(string) bool) (*api.PacingRequest, error) {
	var r api.PacingRequest
	changed := false
	for _, f := range []struct {
		flag, field string
		in          *string
		out         **string
	}{{"min-gap", "minGap", p.minGap, &r.MinGap}, {"jitter-min", "jitterMin", p.jitterMin, &r.JitterMin}, {"jitter", "jitter", p.jitter, &r.Jitter}, {"chat-gap", "chatGap", p.chatGap, &r.ChatGap}} {
		switch {
		case !set(f.flag):
		case *f.in == useDefault:
			r.Defaults, changed = append(r.Defaults, f.field), true
		default:
			*f.out, changed = f.in, true
		}
	}
	switch {
	case !set("bulk-limit"):
	case *p.bulk == useDefault:
		r.Defaults, changed = append(r.Defaults, "bulkLimit"), true
	default:
		n, err := strconv.Atoi(*p.bulk)
		if err != nil {
			return nil, fmt.Errorf("--bulk-limit %q is not a whole number: give 0 or more, or %q", *p.bulk, useDefault)
		}
		r.BulkLimit, changed = &n, true
	}
	if !changed {
		return nil, nil
	}
	return &r, nil
}

// inboxValues are the inbox flags of `session set`.
type inboxValues struct {
	keepOwn, keepStatus, keepSystem, mentionsOnly *bool
	retention                                     *string
}

func inboxFlags(fs *flag.FlagSet) inboxValues {
	return inboxValues{
		keepOwn:      fs.Bool("inbox-keep-own", false, "set: capture the account's own messages unfiltered"),
		keepStatus:   fs.Bool("inbox-keep-status", false, "set: capture status@broadcast unfiltered"),
		keepSystem:   fs.Bool("inbox-keep-system", false, "set: capture system and notification messages unfiltered"),
		mentionsOnly: fs.Bool("inbox-mentions-only", false, "set: in groups keep only messages that mention the account"),
		retention:    fs.String("inbox-retention", "", "set: how long captured messages are kept (default 720h)"),
	}
}

// request is the change the inbox flags given ask for; nil when none is.
func (v inboxValues) request(set func(string) bool) *api.InboxRequest {
	var r api.InboxRequest
	changed := false
	for _, f := range []struct {
		flag string
		in   *bool
		out  **bool
	}{{"inbox-keep-own", v.keepOwn, &r.KeepOwn}, {"inbox-keep-status", v.keepStatus, &r.KeepStatus},
		{"inbox-keep-system", v.keepSystem, &r.KeepSystem}, {"inbox-mentions-only", v.mentionsOnly, &r.MentionsOnly}} {
		if set(f.flag) {
			*f.out, changed = f.in, true
		}
	}
	if set("inbox-retention") {
		ret := *v.retention
		if ret == useDefault {
			ret = "0s"
		}
		r.Retention, changed = &ret, true
	}
	if !changed {
		return nil
	}
	return &r
}

// inboxSettingsText is what the inbox filters keep and for how long.
func inboxSettingsText(i api.Inbox) string {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	return fmt.Sprintf("keeps own %s, status %s, system %s; mentions only %s; retention %s",
		yes(i.KeepOwn), yes(i.KeepStatus), yes(i.KeepSystem), yes(i.MentionsOnly), i.Retention)
}

// replyFirstText says what the reply-first policy holds.
func replyFirstText(d api.Duration) string {
	if d == 0 {
		return "reply-first off"
	}
	w := session.FormatWindow(time.Duration(d))
	return "reply-first " + w + ": a send to a chat that has not written in " + w + " is held"
}

// pacingText is the pacing in effect, marking what is a default.
func pacingText(s api.Session) string {
	def := func(set bool) string {
		if set {
			return ""
		}
		return " (default)"
	}
	p, set := s.Pacing, s.PacingSet
	return fmt.Sprintf("min gap %s%s, jitter %s%s to %s%s, chat gap %s%s, bulk limit %d%s",
		p.MinGap, def(set.MinGap != nil), p.JitterMin, def(set.JitterMin != nil), p.Jitter, def(set.Jitter != nil),
		p.ChatGap, def(set.ChatGap != nil), p.BulkLimit, def(set.BulkLimit != nil))
}

func showSession(ctx context.Context, c *api.Client, id string, w io.Writer) error {
	s, err := c.Get(ctx, id)
	if err != nil {
		return err
	}
	evs, err := c.Events(ctx, id, 20)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "session    %s\nstate      %s since %s (%s)\nreason     %s\naccount    %s\npairing    %s %s\nautostart  %v\nlast error %s\n",
		s.ID, s.State, s.Since.Format(time.RFC3339), time.Since(s.Since).Round(time.Second), s.Reason, s.Account, s.PairMethod, s.PairPhone, s.AutoStart, s.LastError)
	fmt.Fprintf(w, "queue      depth %d, held %d, dead %d, failures 5m %d, paused %v\npacing     %s\npolicy     %s\ninbox      %s\n           %s\nbrowser    %s\nalerting   %s\n\nevents:\n",
		s.Queue.Depth, s.Queue.Held, s.Queue.Dead, s.Queue.Failures5m, s.Queue.Paused, pacingText(s), replyFirstText(s.ReplyFirst), inboxSettingsText(s.Inbox), inboxSummary(s.Inbox), browserText(s.Browser), alertingText(s))
	for _, e := range evs {
		what := e.Detail
		switch {
		case e.Kind == "state":
			what = fmt.Sprintf("%s -> %s: %s", orDash(e.From), e.To, e.Reason)
		case what == "":
			what = e.Reason
		}
		fmt.Fprintf(w, "  %s  %-16s %s\n", e.Time.Format("2006-01-02 15:04:05"), e.Kind, what)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
