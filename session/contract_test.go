package session_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

// The contract: the same calls, in the same order, against the fake and the
// real Manager on the stand-in, with the same results and the same error
// kinds. Each step checks what it must and notes what it saw; the notes of
// the two runs must then be equal, so the fake cannot drift from the
// Manager unnoticed.

type contract struct {
	t     *testing.T
	rt    session.Runtime
	ups   <-chan session.Update
	notes []string
}

func (c *contract) note(format string, args ...any) {
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// kind names the sentinel error err is, so that both runs note the same.
func kind(err error) string {
	for _, k := range []struct {
		name string
		err  error
	}{{"ErrUnknownSession", session.ErrUnknownSession}, {"ErrInvalid", session.ErrInvalid}, {"ErrExists", session.ErrExists},
		{"ErrNotReady", session.ErrNotReady}, {"ErrWrongState", session.ErrWrongState}, {"ErrNotFound", session.ErrNotFound}} {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	if err == nil {
		return "nil"
	}
	return "unclassified: " + err.Error()
}

// want checks that err is of the given kind (nil for none) and notes it.
func (c *contract) want(what string, err error, want error) {
	c.t.Helper()
	if (want == nil && err != nil) || (want != nil && !errors.Is(err, want)) {
		c.t.Errorf("%s: err = %v (%s), want %v", what, err, kind(err), want)
	}
	c.note("%s: %s", what, kind(err))
}

// eventually waits until ok holds; the Manager applies some changes on its
// actor's loop after the call returns.
func (c *contract) eventually(what string, ok func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			c.t.Fatalf("%s did not happen within 30s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// update waits for a published update of session id that satisfies ok.
func (c *contract) update(what, id string, ok func(session.Update) bool) {
	c.t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case u := <-c.ups:
			if u.Session == id && ok(u) {
				return
			}
		case <-timeout:
			c.t.Fatalf("no update %s of %s within 30s", what, id)
		}
	}
}

func (c *contract) get(id string) session.Snapshot {
	c.t.Helper()
	s, err := c.rt.Get(id)
	if err != nil {
		c.t.Fatalf("Get(%s): %v", id, err)
	}
	return s
}

func pacingText(p session.Pacing) string {
	return fmt.Sprintf("%s %s-%s %s %d", p.MinGap, p.JitterMin, p.Jitter, p.ChatGap, p.BulkLimit)
}

func setText(p session.PacingSettings) string { return "{" + p.String() + "}" }

func ptr[T any](v T) *T { return &v }

const chat = "12025550108"

var steps = []struct {
	name string
	run  func(c *contract)
}{
	{"add", func(c *contract) {
		s, err := c.rt.Add(session.AddRequest{ID: "c1"})
		c.want("add c1", err, nil)
		if s.ID != "c1" || s.State != session.Stopped || s.PairMethod != session.PairQR || !s.AutoStart {
			c.t.Errorf("added %+v, want c1 STOPPED by qr with auto-start", s)
		}
		if p := pacingText(s.Pacing); p != "15s 5s-15s 30s 5" || setText(s.PacingSet) != "{}" {
			c.t.Errorf("a new session paces %s set %s, want the defaults 15s 5s-15s 30s 5, nothing set", p, setText(s.PacingSet))
		}
		c.note("added %s %s %s auto=%v pacing %s set %s", s.ID, s.State, s.PairMethod, s.AutoStart, pacingText(s.Pacing), setText(s.PacingSet))
		s, err = c.rt.Add(session.AddRequest{ID: "c2", PairMethod: session.PairLink, PairPhone: "12025550166", AutoStart: ptr(false)})
		c.want("add c2", err, nil)
		if s.PairMethod != session.PairLink || s.PairPhone != "12025550166" || s.AutoStart {
			c.t.Errorf("added %+v, want c2 by link for 12025550166 without auto-start", s)
		}
		c.note("added %s %s %s %s auto=%v", s.ID, s.State, s.PairMethod, s.PairPhone, s.AutoStart)
	}},
	{"add refused", func(c *contract) {
		_, err := c.rt.Add(session.AddRequest{ID: "c1"})
		c.want("add c1 again", err, session.ErrExists)
		for _, req := range []session.AddRequest{
			{ID: "Bad Id"}, {ID: ""}, {ID: "c3", PairMethod: "pigeon"},
			{ID: "c3", PairMethod: session.PairLink}, {ID: "c3", PairMethod: session.PairLink, PairPhone: "+1 202"},
		} {
			_, err := c.rt.Add(req)
			c.want(fmt.Sprintf("add %+v", req), err, session.ErrInvalid)
		}
	}},
	{"list and get", func(c *contract) {
		var ids []string
		for _, s := range c.rt.List() {
			ids = append(ids, s.ID)
		}
		if !slices.Equal(ids, []string{"c1", "c2"}) {
			c.t.Errorf("List = %v, want c1, c2", ids)
		}
		c.note("list %v", ids)
		s := c.get("c2")
		c.note("get %s %s", s.ID, s.State)
	}},
	{"unknown session", func(c *contract) {
		ctx := context.Background()
		_, err := c.rt.Get("nope")
		c.want("Get", err, session.ErrUnknownSession)
		_, err = c.rt.History("nope", 5)
		c.want("History", err, session.ErrUnknownSession)
		for name, call := range map[string]func(string) error{
			"Start": c.rt.Start, "Stop": c.rt.Stop, "Restart": c.rt.Restart, "Logout": c.rt.Logout, "Delete": c.rt.Delete,
			"RefreshQR": c.rt.RefreshQR, "UseQR": c.rt.UseQR, "Pause": c.rt.Pause, "Resume": c.rt.Resume,
		} {
			c.want(name, call("nope"), session.ErrUnknownSession)
		}
		c.want("UseLinkCode", c.rt.UseLinkCode("nope", "12025550166"), session.ErrUnknownSession)
		_, err = c.rt.Set("nope", session.Settings{AutoStart: ptr(true)})
		c.want("Set", err, session.ErrUnknownSession)
		_, err = c.rt.Send(ctx, "nope", chat, "hi")
		c.want("Send", err, session.ErrUnknownSession)
		_, err = c.rt.SendMany(ctx, "nope", chat, "", []string{"hi"})
		c.want("SendMany", err, session.ErrUnknownSession)
		_, err = c.rt.Jobs("nope")
		c.want("Jobs", err, session.ErrUnknownSession)
		c.want("RetryJob", c.rt.RetryJob("nope", 1), session.ErrUnknownSession)
		c.want("DiscardJob", c.rt.DiscardJob("nope", 1), session.ErrUnknownSession)
		_, err = c.rt.QueueStats("nope")
		c.want("QueueStats", err, session.ErrUnknownSession)
		_, err = c.rt.Chats(ctx, "nope")
		c.want("Chats", err, session.ErrUnknownSession)
		_, err = c.rt.Messages(ctx, "nope", chat, "", 10)
		c.want("Messages", err, session.ErrUnknownSession)
		_, err = c.rt.Inbox("nope", session.InboxQuery{})
		c.want("Inbox", err, session.ErrUnknownSession)
		_, err = c.rt.Search("nope", session.SearchQuery{Text: "x"})
		c.want("Search", err, session.ErrUnknownSession)
		c.want("MarkRead", c.rt.MarkRead(ctx, "nope", chat), session.ErrUnknownSession)
		slices.Sort(c.notes) // the map's order is random
	}},
	{"history", func(c *contract) {
		evs, err := c.rt.History("c1", 10)
		c.want("history", err, nil)
		if len(evs) == 0 || evs[0].Kind != "created" || evs[0].To != string(session.Stopped) {
			c.t.Fatalf("history %+v, want it to open with created -> STOPPED", evs)
		}
		c.note("first event %s -> %s (%s)", evs[0].Kind, evs[0].To, evs[0].Reason)
	}},
	{"pacing zero", func(c *contract) {
		s, err := c.rt.Set("c1", session.Settings{Pacing: &session.PacingSettings{MinGap: ptr(time.Duration(0)), ChatGap: ptr(time.Duration(0))}})
		c.want("set min gap and chat gap 0s", err, nil)
		if p := pacingText(s.Pacing); p != "0s 5s-15s 0s 5" || setText(s.PacingSet) != "{minGap=0s chatGap=0s}" {
			c.t.Errorf("pacing %s set %s, want 0s 5s-15s 0s 5 with only the gaps set", p, setText(s.PacingSet))
		}
		qs, err := c.rt.QueueStats("c1")
		c.want("queue stats", err, nil)
		if qs.Pacing != s.Pacing {
			c.t.Errorf("the queue paces %s, the snapshot says %s", pacingText(qs.Pacing), pacingText(s.Pacing))
		}
		c.note("pacing %s set %s", pacingText(s.Pacing), setText(s.PacingSet))
		c.update("with the zero gap", "c1", func(u session.Update) bool {
			return u.Snapshot != nil && u.Snapshot.Pacing.MinGap == 0
		})
	}},
	{"pacing merge and defaults", func(c *contract) {
		s, err := c.rt.Set("c1", session.Settings{Pacing: &session.PacingSettings{Jitter: ptr(2 * time.Second)}, PacingDefaults: session.PacingDefaults{ChatGap: true}})
		c.want("set jitter 2s, chat gap default", err, nil)
		// Unset stays unset; the default jitter min gives way to the max.
		if p := pacingText(s.Pacing); p != "0s 2s-2s 30s 5" || setText(s.PacingSet) != "{minGap=0s jitter=2s}" {
			c.t.Errorf("pacing %s set %s, want 0s 2s-2s 30s 5 with min gap and jitter set", p, setText(s.PacingSet))
		}
		c.note("pacing %s set %s", pacingText(s.Pacing), setText(s.PacingSet))
	}},
	{"settings refused", func(c *contract) {
		for what, set := range map[string]session.Settings{
			"negative min gap":      {Pacing: &session.PacingSettings{MinGap: ptr(-time.Second)}},
			"jitter min above max":  {Pacing: &session.PacingSettings{JitterMin: ptr(3 * time.Second)}},
			"negative bulk limit":   {Pacing: &session.PacingSettings{BulkLimit: ptr(-1)}},
			"value and its default": {Pacing: &session.PacingSettings{Jitter: ptr(time.Second)}, PacingDefaults: session.PacingDefaults{Jitter: true}},
			"unknown method":        {PairMethod: ptr("pigeon")},
			"link without phone":    {PairMethod: ptr(session.PairLink)},
			"bad phone":             {PairPhone: ptr("call me")},
		} {
			_, err := c.rt.Set("c1", set)
			c.want(what, err, session.ErrInvalid)
		}
		slices.Sort(c.notes)
		s := c.get("c1")
		if p := pacingText(s.Pacing); p != "0s 2s-2s 30s 5" || s.PairMethod != session.PairQR || s.PairPhone != "" {
			c.t.Errorf("a refused change changed c1: pacing %s, %s %q", p, s.PairMethod, s.PairPhone)
		}
	}},
	{"settings", func(c *contract) {
		s, err := c.rt.Set("c2", session.Settings{AutoStart: ptr(true), PairMethod: ptr(session.PairQR)})
		c.want("set c2", err, nil)
		if !s.AutoStart || s.PairMethod != session.PairQR {
			c.t.Errorf("c2 %+v, want auto-start by qr", s)
		}
		c.note("c2 auto=%v %s", s.AutoStart, s.PairMethod)
		c.update("with auto-start", "c2", func(u session.Update) bool { return u.Snapshot != nil && u.Snapshot.AutoStart })
	}},
	{"alert thresholds and alerts", func(c *contract) {
		s, err := c.rt.Set("c1", session.Settings{Alerting: &session.AlertSettings{Disconnected: ptr(2 * time.Minute), SendFailures: ptr(5), SendWindow: ptr(10 * time.Minute)}})
		c.want("set alert thresholds", err, nil)
		s, err = c.rt.Set("c1", session.Settings{AlertingDefaults: session.AlertDefaults{SendFailures: true}})
		c.want("send failures back to the default", err, nil)
		if a := s.Alerting; a.Disconnected != 2*time.Minute || a.SendFailures != 3 || a.SendWindow != 5*time.Minute || a.Restarts != 3 || s.AlertingSet.SendFailures != nil {
			c.t.Errorf("thresholds %+v set %+v, want disconnected 2m and the defaults", a, s.AlertingSet)
		}
		c.note("thresholds %+v", s.Alerting)
		_, err = c.rt.Set("c1", session.Settings{Alerting: &session.AlertSettings{Restarts: ptr(0)}})
		c.want("a restart count of 0", err, session.ErrInvalid)
		list, err := c.rt.Alerts(session.AlertQuery{Session: "c1"})
		c.want("alerts of c1", err, nil)
		c.note("alerts of c1: %d", len(list))
		_, err = c.rt.Alerts(session.AlertQuery{Limit: -1})
		c.want("a negative limit", err, session.ErrInvalid)
		c.want("ack an unknown alert", c.rt.AckAlert(999), session.ErrNotFound)
	}},
	{"browser settings", func(c *contract) {
		_, err := c.rt.Add(session.AddRequest{ID: "c3", Browser: session.BrowserSettings{Flags: []string{"--headless"}}})
		c.want("add with a flag waconsole manages", err, session.ErrInvalid)
		for _, bad := range []struct {
			what   string
			change session.BrowserChange
		}{
			{"unsupported proxy scheme", session.BrowserChange{Proxy: ptr("ftp://ops:s3cret@10.0.0.1:21")}},
			{"control characters in the user agent", session.BrowserChange{UserAgent: ptr("UA\n1")}},
			{"a flag waconsole manages", session.BrowserChange{Flags: &[]string{"--user-data-dir=/tmp/x"}}},
		} {
			_, err := c.rt.Set("c2", session.Settings{Browser: &bad.change})
			c.want(bad.what, err, session.ErrInvalid)
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				c.t.Errorf("%s: the error shows the password: %v", bad.what, err)
			}
		}
		s, err := c.rt.Set("c2", session.Settings{Browser: &session.BrowserChange{
			Proxy: ptr("http://ops:s3cret@10.0.0.1:3128"), UserAgent: ptr("UA/1"), Flags: &[]string{"--lang=de"}}})
		c.want("set c2 browser", err, nil)
		if s.Browser.Proxy != "http://ops:***@10.0.0.1:3128" || s.Browser.UserAgent != "UA/1" || strings.Join(s.Browser.Flags, " ") != "--lang=de" {
			c.t.Errorf("c2 browser %+v, want the proxy masked, the user agent and the flag", s.Browser)
		}
		c.note("c2 browser %s", session.BrowserText(s.Browser))
		evs, err := c.rt.History("c2", 1)
		if err != nil || len(evs) != 1 || evs[0].Kind != "browser-settings" || strings.Contains(evs[0].Detail, "s3cret") {
			c.t.Errorf("the last event of c2: %+v %v, want browser-settings without the password", evs, err)
		} else {
			c.note("event %s %s", evs[0].Kind, evs[0].Detail)
		}
		s, err = c.rt.Set("c2", session.Settings{Browser: &session.BrowserChange{UserAgent: ptr(""), Flags: &[]string{}}})
		c.want("clear c2 user agent and flags", err, nil)
		c.note("c2 browser %s", session.BrowserText(s.Browser))
	}},
	{"doctor", func(c *contract) {
		_, _, err := c.rt.Doctor(context.Background(), "nope")
		c.want("doctor nope", err, session.ErrUnknownSession)
		info, checks, err := c.rt.Doctor(context.Background(), "c1")
		c.want("doctor c1", err, nil)
		if err != nil {
			return
		}
		if info.Binary == "" || info.Version == "" || len(info.SearchOrder) == 0 || info.DataDir == "" {
			c.t.Errorf("doctor info %+v lacks the browser or the data dir", info)
		}
		var got []session.BrowserCheck
		for ch := range checks {
			got = append(got, ch)
		}
		if len(got) != 1 || got[0].Session != "c1" || !got[0].OK || got[0].Took <= 0 ||
			!slices.ContainsFunc(got[0].Flags, func(f string) bool { return strings.HasPrefix(f, "--user-data-dir=") }) {
			c.t.Fatalf("doctor c1 checked %+v, want c1 starting, with its flags", got)
		}
		c.note("doctor c1: %d check, ok %v", len(got), got[0].OK)
	}},
	{"send", func(c *contract) {
		ctx := context.Background()
		jobs, err := c.rt.SendMany(ctx, "c1", chat, "", []string{"one", "two"})
		c.want("send two", err, nil)
		j, err := c.rt.Send(ctx, "c1", chat+"@c.us", "three")
		c.want("send one", err, nil)
		jobs = append(jobs, j)
		for i, j := range jobs {
			if j.Seq != uint64(i+1) || j.Session != "c1" || j.ChatID != chat+"@c.us" || j.State != session.JobQueued ||
				len(j.MsgID) != len(session.NewMessageID()) || !strings.HasPrefix(j.MsgID, "3EB0") || j.Created.IsZero() {
				c.t.Errorf("job %d: %+v, want seq %d queued for %s@c.us with a 3EB0 message id", i, j, i+1, chat)
			}
			c.note("job %d %s %s %q", j.Seq, j.State, j.ChatID, j.Body)
		}
		c.update("counting 3 queued jobs", "c1", func(u session.Update) bool { return u.Snapshot != nil && u.Snapshot.Queue.Depth == 3 })
	}},
	{"send refused", func(c *contract) {
		ctx := context.Background()
		_, err := c.rt.Send(ctx, "c1", "bob", "hi")
		c.want("bad chat", err, session.ErrInvalid)
		_, err = c.rt.Send(ctx, "c1", chat, " \n")
		c.want("blank text", err, session.ErrInvalid)
		_, err = c.rt.SendMany(ctx, "c1", chat, "", nil)
		c.want("no text", err, session.ErrInvalid)
		_, err = c.rt.SendMany(ctx, "c1", chat, "", []string{"fine", ""})
		c.want("one blank of two", err, session.ErrInvalid)
		_, err = c.rt.SendMany(ctx, "c1", chat, "3A00000000000000NONE", []string{"a reply"})
		c.want("reply to a message never received", err, session.ErrInvalid)
		if jobs, _ := c.rt.Jobs("c1"); len(jobs) != 3 {
			c.t.Errorf("%d jobs after refused sends, want the 3 from before", len(jobs))
		}
	}},
	{"jobs and queue", func(c *contract) {
		all, err := c.rt.Jobs("c1")
		c.want("jobs", err, nil)
		queued, _ := c.rt.Jobs("c1", session.JobQueued)
		sent, _ := c.rt.Jobs("c1", session.JobSent, session.JobDead)
		if len(all) != 3 || len(queued) != 3 || len(sent) != 0 {
			c.t.Errorf("jobs: %d in all, %d queued, %d sent or dead; want 3, 3, 0", len(all), len(queued), len(sent))
		}
		c.note("jobs %d queued %d sent %d", len(all), len(queued), len(sent))
		qs, err := c.rt.QueueStats("c1")
		c.want("queue stats", err, nil)
		if qs.Depth != 3 || qs.States[string(session.JobQueued)] != 3 || qs.Paused || qs.SentTotal != 0 {
			c.t.Errorf("queue %+v, want depth 3, 3 queued, not paused", qs)
		}
		c.note("queue depth %d states %v paused %v", qs.Depth, qs.States, qs.Paused)
	}},
	{"retry and discard", func(c *contract) {
		c.want("retry a queued job", c.rt.RetryJob("c1", 1), session.ErrWrongState)
		c.want("discard a queued job", c.rt.DiscardJob("c1", 1), session.ErrWrongState)
		c.want("retry no job", c.rt.RetryJob("c1", 99), session.ErrNotFound)
		c.want("discard no job", c.rt.DiscardJob("c1", 99), session.ErrNotFound)
		// A bulk limit of 0 holds a text for any new chat until approved.
		_, err := c.rt.Set("c1", session.Settings{Pacing: &session.PacingSettings{BulkLimit: ptr(0)}})
		c.want("bulk limit 0", err, nil)
		ctx := context.Background()
		held, err := c.rt.Send(ctx, "c1", "12025550109", "promo")
		c.want("send promo", err, nil)
		other, err := c.rt.Send(ctx, "c1", "12025550110", "promo")
		c.want("send promo again", err, nil)
		if held.State != session.JobHeld || other.State != session.JobHeld || held.HoldReason == "" {
			c.t.Fatalf("jobs %+v and %+v, want both held with a reason", held, other)
		}
		c.note("held %d %s, %d %s", held.Seq, held.State, other.Seq, other.State)
		c.want("approve", c.rt.RetryJob("c1", held.Seq), nil)
		c.want("discard", c.rt.DiscardJob("c1", other.Seq), nil)
		c.eventually("the approved job queued, the other gone", func() bool {
			q, _ := c.rt.Jobs("c1", session.JobQueued)
			h, _ := c.rt.Jobs("c1", session.JobHeld)
			return len(q) == 4 && len(h) == 0
		})
		all, _ := c.rt.Jobs("c1")
		c.note("after approve and discard: %d jobs", len(all))
		_, err = c.rt.Set("c1", session.Settings{PacingDefaults: session.PacingDefaults{BulkLimit: true}})
		c.want("bulk limit default", err, nil)
	}},
	{"reply-first", func(c *contract) {
		_, err := c.rt.Set("c1", session.Settings{ReplyFirst: ptr(30 * time.Second)})
		c.want("reply-first of 30s", err, session.ErrInvalid)
		s, err := c.rt.Set("c1", session.Settings{ReplyFirst: ptr(24 * time.Hour)})
		c.want("reply-first 24h", err, nil)
		if s.ReplyFirst != 24*time.Hour {
			c.t.Errorf("reply-first after set %s, want 24h", s.ReplyFirst)
		}
		ctx := context.Background()
		held, err := c.rt.Send(ctx, "c1", "12025550111", "hello there")
		c.want("send to a chat that never wrote", err, nil)
		if want := "reply-first: 12025550111@c.us has not written in 24h: approve to send"; held.State != session.JobHeld || held.HoldReason != want {
			c.t.Fatalf("job %+v, want held with %q", held, want)
		}
		c.note("held %d %s %q", held.Seq, held.State, held.HoldReason)
		c.want("approve", c.rt.RetryJob("c1", held.Seq), nil)
		c.eventually("the approved job queued", func() bool {
			q, _ := c.rt.Jobs("c1", session.JobQueued)
			return slices.ContainsFunc(q, func(j session.Job) bool { return j.Seq == held.Seq })
		})
		s, err = c.rt.Set("c1", session.Settings{ReplyFirst: ptr(time.Duration(0))})
		c.want("reply-first off", err, nil)
		c.note("reply-first %s", s.ReplyFirst)
	}},
	{"pause and resume", func(c *contract) {
		c.want("pause", c.rt.Pause("c1"), nil)
		c.want("pause again", c.rt.Pause("c1"), nil)
		qs, _ := c.rt.QueueStats("c1")
		if !qs.Paused || qs.HoldReason != "paused by the operator" {
			c.t.Errorf("queue after pause: paused %v (%q)", qs.Paused, qs.HoldReason)
		}
		c.note("paused %v %q", qs.Paused, qs.HoldReason)
		c.update("paused", "c1", func(u session.Update) bool { return u.Snapshot != nil && u.Snapshot.Queue.Paused })
		c.want("resume", c.rt.Resume("c1"), nil)
		qs, _ = c.rt.QueueStats("c1")
		if qs.Paused || qs.HoldReason != "" {
			c.t.Errorf("queue after resume: paused %v (%q)", qs.Paused, qs.HoldReason)
		}
		c.note("paused %v %q", qs.Paused, qs.HoldReason)
		evs, _ := c.rt.History("c1", 2)
		var kinds []string
		for _, e := range evs {
			kinds = append(kinds, e.Kind)
		}
		if !slices.Equal(kinds, []string{"queue-paused", "queue-resumed"}) {
			c.t.Errorf("last events %v, want queue-paused, queue-resumed", kinds)
		}
		c.note("events %v", kinds)
	}},
	{"inbox", func(c *contract) {
		s := c.get("c1")
		if i := s.Inbox; i.Retention != session.DefaultInboxRetention || i.KeepOwn || i.MentionsOnly || i.Stored != 0 || len(i.Filtered) != 0 {
			c.t.Errorf("a new session's inbox %+v, want every filter on, 720h, nothing stored", i)
		}
		msgs, err := c.rt.Inbox("c1", session.InboxQuery{Chat: chat + "@c.us"})
		c.want("inbox of a new session", err, nil)
		if len(msgs) != 0 {
			c.t.Errorf("a new session's inbox holds %d messages", len(msgs))
		}
		_, err = c.rt.Inbox("c1", session.InboxQuery{Limit: -1})
		c.want("inbox with a negative limit", err, session.ErrInvalid)
		_, err = c.rt.Set("c1", session.Settings{Inbox: &session.InboxChange{Retention: ptr(time.Second)}})
		c.want("inbox retention of 1s", err, session.ErrInvalid)
		s, err = c.rt.Set("c1", session.Settings{Inbox: &session.InboxChange{KeepOwn: ptr(true), MentionsOnly: ptr(true), Retention: ptr(time.Hour)}})
		c.want("inbox settings", err, nil)
		if i := s.Inbox; !i.KeepOwn || !i.MentionsOnly || i.KeepStatus || i.Retention != time.Hour {
			c.t.Errorf("inbox after set %+v, want own kept, mentions only, 1h", i)
		}
		s, err = c.rt.Set("c1", session.Settings{Inbox: &session.InboxChange{KeepOwn: ptr(false), MentionsOnly: ptr(false), Retention: ptr(time.Duration(0))}})
		c.want("inbox back to the defaults", err, nil)
		c.note("inbox %v %v %s", s.Inbox.KeepOwn, s.Inbox.MentionsOnly, s.Inbox.Retention)
	}},
	{"search", func(c *contract) {
		hits, err := c.rt.Search("c1", session.SearchQuery{Text: "order 1234"})
		c.want("search of a new session", err, nil)
		if len(hits) != 0 {
			c.t.Errorf("a new session's search found %d", len(hits))
		}
		_, err = c.rt.Search("c1", session.SearchQuery{Text: "  "})
		c.want("search for nothing", err, session.ErrInvalid)
		for _, limit := range []int{-1, session.MaxSearchLimit + 1} {
			_, err = c.rt.Search("c1", session.SearchQuery{Text: "x", Limit: limit})
			c.want(fmt.Sprintf("search with limit %d", limit), err, session.ErrInvalid)
		}
		_, err = c.rt.Search("c1", session.SearchQuery{Text: "x", Chat: "not a chat"})
		c.want("search of a bad chat id", err, session.ErrInvalid)
	}},
	{"not ready, not showing a code", func(c *contract) {
		ctx := context.Background()
		_, err := c.rt.Chats(ctx, "c1")
		c.want("chats of a stopped session", err, session.ErrNotReady)
		_, err = c.rt.Messages(ctx, "c1", chat, "", 10)
		c.want("messages of a stopped session", err, session.ErrNotReady)
		c.want("mark read in a stopped session", c.rt.MarkRead(ctx, "c1", chat), session.ErrNotReady)
		c.want("refresh the QR of a stopped session", c.rt.RefreshQR("c1"), session.ErrWrongState)
		c.want("link code for a bad phone", c.rt.UseLinkCode("c1", "12"), session.ErrInvalid)
	}},
	{"drain without a snapshot", func(c *contract) {
		ctx := context.Background()
		_, err := c.rt.UnreadSnapshot(ctx, "c1")
		c.want("unread snapshot of a stopped session", err, session.ErrNotReady)
		d, err := c.rt.Drain("c1")
		c.want("drain before any snapshot", err, nil)
		if d.State != "" || d.Total != 0 || len(d.Chats) != 0 {
			c.t.Errorf("drain before any snapshot %+v, want none", d)
		}
		_, err = c.rt.StartDrain("c1", session.DrainRequest{Action: session.DrainDeliver})
		c.want("start a drain without a snapshot", err, session.ErrInvalid)
		_, err = c.rt.StartDrain("c1", session.DrainRequest{Action: "flood"})
		c.want("start a drain with a bad action", err, session.ErrInvalid)
		_, err = c.rt.StartDrain("c1", session.DrainRequest{Action: session.DrainRead, Rate: session.MaxDrainRate + 1})
		c.want("start a drain too fast", err, session.ErrInvalid)
		_, err = c.rt.ControlDrain("c1", session.DrainPause)
		c.want("pause no drain", err, session.ErrInvalid)
		_, err = c.rt.ControlDrain("c1", "explode")
		c.want("a drain operation that does not exist", err, session.ErrInvalid)
		_, err = c.rt.UnreadSnapshot(ctx, "nope")
		c.want("unread snapshot of an unknown session", err, session.ErrUnknownSession)
		_, err = c.rt.Drain("nope")
		c.want("drain of an unknown session", err, session.ErrUnknownSession)
		_, err = c.rt.StartDrain("nope", session.DrainRequest{Action: session.DrainSkip})
		c.want("start the drain of an unknown session", err, session.ErrUnknownSession)
		_, err = c.rt.ControlDrain("nope", session.DrainCancel)
		c.want("cancel the drain of an unknown session", err, session.ErrUnknownSession)
	}},
	{"start and stop", func(c *contract) {
		c.want("start", c.rt.Start("c1"), nil)
		c.update("running", "c1", func(u session.Update) bool { return u.Snapshot != nil && u.Snapshot.State.Running() })
		c.want("start again", c.rt.Start("c1"), nil)
		c.want("stop", c.rt.Stop("c1"), nil)
		c.eventually("c1 STOPPED", func() bool { return c.get("c1").State == session.Stopped })
		c.note("after stop %s", c.get("c1").State)
	}},
	{"delete", func(c *contract) {
		c.want("delete c2", c.rt.Delete("c2"), nil)
		c.update("removing c2", "c2", func(u session.Update) bool { return u.Removed })
		_, err := c.rt.Get("c2")
		c.want("get c2", err, session.ErrUnknownSession)
		c.want("delete c2 again", c.rt.Delete("c2"), session.ErrUnknownSession)
		if n := len(c.rt.List()); n != 1 {
			c.t.Errorf("%d sessions after the delete, want 1", n)
		}
	}},
	{"backup", func(c *contract) {
		var buf bytes.Buffer
		n, err := c.rt.Backup(&buf)
		c.want("backup", err, nil)
		if n <= 0 || n != int64(buf.Len()) {
			c.t.Errorf("backup wrote %d bytes, said %d", buf.Len(), n)
		}
	}},
}

// run plays the steps against rt and returns the notes of each.
func run(t *testing.T, rt session.Runtime) [][]string {
	ups, stop := rt.Subscribe()
	t.Cleanup(stop)
	notes := make([][]string, len(steps))
	for i, s := range steps {
		ok := t.Run(s.name, func(t *testing.T) {
			c := &contract{t: t, rt: rt, ups: ups}
			s.run(c)
			notes[i] = c.notes
		})
		if !ok {
			t.FailNow() // later steps build on this one
		}
	}
	return notes
}

func TestRuntimeContract(t *testing.T) {
	var fake, manager [][]string
	t.Run("fake", func(t *testing.T) { fake = run(t, sessiontest.New()) })
	t.Run("manager", func(t *testing.T) { manager = run(t, session.NewStandInManager(t)) })
	if t.Failed() {
		return
	}
	for i, s := range steps {
		if !slices.Equal(fake[i], manager[i]) {
			t.Errorf("step %q differs:\nfake:    %q\nmanager: %q", s.name, fake[i], manager[i])
		}
	}
}
