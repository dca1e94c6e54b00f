package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/simweb"
	"github.com/waconsole/waconsole/store"
)

// jobsInStore reads the outbox straight from the file of a dead server.
func jobsInStore(t *testing.T, dir, id string) []store.Job {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, "waconsole.db"), store.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Fatalf("the store is damaged after a kill: %v", err)
	}
	jobs, err := db.Jobs(id)
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

// TestKilledWhileSendingNeitherLosesNorDuplicates queues 300 messages, kills
// the server with SIGKILL at random moments while it sends them through
// Chromium to a separate stand-in process, restarts it each time, and then
// checks WhatsApp's own log: every message arrived exactly once.
func TestKilledWhileSendingNeitherLosesNorDuplicates(t *testing.T) {
	addr := freeAddr(t)
	start(t, "sim", "--listen", addr, "--time-scale", "0.05", "--build", simweb.CurrentBuild)
	url := "http://" + addr + "/"
	phone := &simweb.Client{BaseURL: url}
	waitFor(t, 10*time.Second, "the stand-in process", func() bool {
		resp, err := http.Get(url + "sim/state")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
	const id, number = "bulk", "15554440001"
	dir := t.TempDir()
	srv := startServe(t, dir, url)
	cli(t, "session", "add", id, "--data-dir", dir)
	if out, errOut, code := cli(t, "session", "set", id, "--min-gap", "20ms", "--jitter-min", "0s", "--jitter", "20ms", "--chat-gap", "40ms", "--data-dir", dir); code != 0 {
		t.Fatalf("session set: %s %s", out, errOut)
	}
	pairByCLI(t, dir, id, number, phone)
	// The stand-in answers each accepted send late: kills land between
	// "WhatsApp has it" and "we know it" often.
	if err := phone.Faults(context.Background(), simweb.Faults{Phone: number, SendDelayMs: 80}); err != nil {
		t.Fatal(err)
	}

	want := map[string]bool{}
	for chat := range 10 {
		var lines []string
		for i := range 30 {
			body := fmt.Sprintf("crash test message %d for chat %d", i, chat)
			lines = append(lines, body)
			want[body] = true
		}
		file := filepath.Join(t.TempDir(), "messages.txt")
		if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		to := fmt.Sprintf("1555888%04d", chat)
		if out, errOut, code := cli(t, "send", "--session", id, "--to", to, "--file", file, "--data-dir", dir); code != 0 || strings.Count(out, "queued job") != 30 {
			t.Fatalf("send --file: exit %d\n%s\n%s", code, out, errOut)
		}
	}

	kills, midSend := 0, 0
	lastWindow := map[string]bool{}
	for kills < 10 || midSend < 3 {
		if kills == 40 {
			t.Fatalf("after 40 kills only %d landed between delivery and sent", midSend)
		}
		// Most kills land while the session sends; every third one while it
		// still starts.
		if kills%3 != 2 {
			deadline := time.Now().Add(30 * time.Second)
			for st, _ := status(t, dir); st.Sessions[0].State != string(session.Ready); st, _ = status(t, dir) {
				if time.Now().After(deadline) {
					t.Fatalf("not READY 30 s after restart %d: %+v\nserve log:\n%s", kills, st.Sessions[0], srv.stderr.String())
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		time.Sleep(time.Duration(100+rand.IntN(700)) * time.Millisecond)
		srv.signal(syscall.SIGKILL)
		srv.wait(t, 5*time.Second)
		kills++
		jobs := jobsInStore(t, dir, id)
		delivered, err := phone.Sent(context.Background(), number)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, m := range delivered {
			got[m.ID] = true
		}
		pending, window, inWindow := 0, false, map[string]bool{}
		for _, j := range jobs {
			// The dangerous moment: WhatsApp has the message, the outbox
			// still says "sending" (and did not at the previous kill).
			if j.State == store.JobSending && got[j.MsgID] {
				inWindow[j.MsgID] = true
				window = window || !lastWindow[j.MsgID]
			}
			if j.State != store.JobSent {
				pending++
			}
		}
		lastWindow = inWindow
		if window {
			midSend++
		}
		if pending == 0 {
			t.Fatalf("everything was sent after %d kills (%d mid-send): slow the sends down", kills, midSend)
		}
		srv = startServe(t, dir, url)
	}
	t.Logf("%d kills, %d of them after WhatsApp took a message and before the outbox marked it sent", kills, midSend)
	if err := phone.Faults(context.Background(), simweb.Faults{Phone: number}); err != nil {
		t.Fatal(err)
	}

	waitFor(t, 120*time.Second, "every job sent", func() bool {
		out, _, _ := cli(t, "outbox", id, "--state", "queued,sending,retrying,dead,held", "--json", "--data-dir", dir)
		var res api.JobList
		return json.Unmarshal([]byte(out), &res) == nil && len(res.Jobs) == 0
	})
	out, _, _ := cli(t, "outbox", id, "--state", "sent", "--json", "--data-dir", dir)
	var res api.JobList
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Jobs) != 300 {
		t.Fatalf("%d jobs sent (%v), want 300", len(res.Jobs), err)
	}

	sent, err := phone.Sent(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, m := range sent {
		seen[m.ID]++
		if seen[m.ID] == 2 {
			t.Errorf("message %s (%q) reached WhatsApp twice", m.ID, m.Body)
		}
		delete(want, m.Body)
	}
	if len(sent) != 300 || len(want) != 0 {
		t.Fatalf("WhatsApp got %d messages, %d of the 300 missing", len(sent), len(want))
	}
	for _, j := range res.Jobs {
		if seen[j.MsgID] != 1 {
			t.Errorf("job %d's message %s reached WhatsApp %d times", j.Seq, j.MsgID, seen[j.MsgID])
		}
	}
	srv.signal(syscall.SIGTERM)
	if code := srv.wait(t, 12*time.Second); code != 0 {
		t.Fatalf("serve exited %d", code)
	}
	if n := browsers(dir); n != 0 {
		t.Fatalf("%d Chromium processes left", n)
	}
}
