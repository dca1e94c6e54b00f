package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
)

// `session set --min-gap 0s` is a setting, not "the default": the API shows
// a zero gap, the sender sends back to back, and what was not set stays a
// default.
func TestSessionSetZeroGapThroughTheAPI(t *testing.T) {
	url, sim := startSim(t, 0.05)
	dir := t.TempDir()
	startServe(t, dir, url)
	cli(t, "session", "add", "zero", "--data-dir", dir)
	pairByCLI(t, dir, "zero", "15552220009", sim)

	out, errOut, code := cli(t, "session", "set", "zero", "--min-gap", "0s", "--jitter-min", "0s", "--jitter", "0s", "--chat-gap", "0s", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "pacing     min gap 0s, jitter 0s to 0s, chat gap 0s, bulk limit 5 (default)") {
		t.Fatalf("session set: exit %d, printed %q %q; want the pacing in effect", code, out, errOut)
	}
	for _, bad := range []struct{ args, says []string }{
		{[]string{"--min-gap", "-1s"}, []string{"minGap", "negative"}},
		{[]string{"--jitter-min", "5s", "--jitter", "1s"}, []string{"jitter min 5s is above jitter max 1s"}},
		{[]string{"--bulk-limit", "many"}, []string{"--bulk-limit", "whole number"}},
	} {
		_, errOut, code := cli(t, append(append([]string{"session", "set", "zero"}, bad.args...), "--data-dir", dir)...)
		for _, s := range bad.says {
			if code == 0 || !strings.Contains(errOut, s) {
				t.Errorf("session set %v: exit %d, said %q; want a refusal saying %q", bad.args, code, errOut, s)
			}
		}
	}

	c := api.NewClient(dir)
	ctx := context.Background()
	qs, err := c.Queue(ctx, "zero")
	if err != nil {
		t.Fatal(err)
	}
	if qs.Pacing.MinGap != 0 || qs.Pacing.Jitter != 0 || qs.Pacing.ChatGap != 0 || qs.Pacing.BulkLimit != 5 {
		t.Fatalf("GET /v1/sessions/zero/queue paces %+v, want zero gaps and the default bulk limit", qs.Pacing)
	}
	snap, err := c.Get(ctx, "zero")
	if err != nil {
		t.Fatal(err)
	}
	if set := snap.PacingSet; set.MinGap == nil || *set.MinGap != 0 || set.BulkLimit != nil {
		t.Fatalf("pacing set %+v: want min gap set to 0s and the bulk limit unset", set)
	}

	const to = "15557770009"
	texts := []string{"one", "two", "three", "four"}
	if _, err := c.Send(ctx, "zero", api.SendRequest{To: to, Texts: texts}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "every message sent", func() bool {
		jobs, err := c.Jobs(ctx, "zero", "sent")
		return err == nil && len(jobs) == len(texts)
	})
	sent, err := sim.Sent(ctx, "15552220009")
	if err != nil || len(sent) != len(texts) {
		t.Fatalf("WhatsApp got %d messages (%v), want %d", len(sent), err, len(texts))
	}
	// The default pacing would space four sends by 20s or more each.
	if span := sent[len(sent)-1].Time.Sub(sent[0].Time); span >= 15*time.Second {
		t.Errorf("four sends took %s with a zero gap: the sender waited as if for the default", span)
	}
}
