package store

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The crash child is this test binary re-executed with these set.
const (
	crashEnvDB  = "WACONSOLE_STORE_CRASH_DB"
	crashEnvRun = "WACONSOLE_STORE_CRASH_RUN"
)

const crashWriters = 8

// crashChild enqueues from several goroutines until killed, printing one
// line per acknowledged call: "<msgid>=<seq> ...". Writer g enqueues
// 1+g%3 jobs per call, msgids "<run>-<g>-<i>-<k>".
func crashChild(path, run string) {
	db, err := Open(path, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var mu sync.Mutex
	for g := range crashWriters {
		go func() {
			for i := 0; ; i++ {
				jobs := make([]Job, 1+g%3)
				for k := range jobs {
					jobs[k] = Job{Session: "crash", ChatID: "c@c.us", Body: "x", MsgID: fmt.Sprintf("%s-%d-%d-%d", run, g, i, k)}
				}
				got, err := db.Enqueue(jobs...)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(3)
				}
				var line strings.Builder
				for _, j := range got {
					fmt.Fprintf(&line, "%s=%d ", j.MsgID, j.Seq)
				}
				mu.Lock()
				fmt.Println(line.String()) // one write: the line arrives whole or not at all
				mu.Unlock()
			}
		}()
	}
	time.Sleep(30 * time.Second) // killed long before; never outlive a dead parent by much
	os.Exit(4)
}

// TestCrashKeepsAcknowledgedJobs SIGKILLs an enqueuing child at random
// moments and checks that every job it was told was stored is there, that
// the file passes bbolt's check, and that no call was half-committed.
func TestCrashKeepsAcknowledgedJobs(t *testing.T) {
	path := tempPath(t)
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(Session{ID: "crash"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	acked := make(map[string]uint64)
	for run := range 5 {
		lines := runCrashChild(t, path, strconv.Itoa(run), time.Duration(20+rand.IntN(300))*time.Millisecond)
		for _, line := range lines {
			for _, field := range strings.Fields(line) {
				msgID, seq, ok := strings.Cut(field, "=")
				n, err := strconv.ParseUint(seq, 10, 64)
				if !ok || err != nil {
					t.Fatalf("bad ack line %q", line)
				}
				acked[msgID] = n
			}
		}
		verifyAfterCrash(t, path, acked)
		t.Logf("run %d: %d calls acknowledged, %d jobs acknowledged so far", run, len(lines), len(acked))
	}
}

// runCrashChild starts the child, lets it work for about d after its first
// acknowledgement, kills it and returns its complete output lines.
func runCrashChild(t *testing.T, path, run string, d time.Duration) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), crashEnvDB+"="+path, crashEnvRun+"="+run)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	first := make(chan struct{})
	done := make(chan []string, 1)
	go func() {
		var lines []string
		r := bufio.NewReader(stdout)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				break // EOF: a line cut short by the kill was never acknowledged
			}
			if len(lines) == 0 {
				close(first)
			}
			lines = append(lines, line)
		}
		done <- lines
	}()
	select {
	case <-first:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the child acknowledged nothing in 10s; stderr: %s", stderr.String())
	}
	time.Sleep(d)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	lines := <-done
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the child ended on its own (%v); stderr: %s", err, stderr.String())
	}
	return lines
}

func verifyAfterCrash(t *testing.T, path string, acked map[string]uint64) {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Fatalf("check after kill: %v", err)
	}
	for msgID, seq := range acked {
		j, err := db.JobByMsgID("crash", msgID)
		if err != nil {
			t.Fatalf("acknowledged job %s lost: %v", msgID, err)
		}
		if j.Seq != seq {
			t.Fatalf("job %s has seq %d, was acknowledged as %d", msgID, j.Seq, seq)
		}
	}
	// Each call commits whole: every stored job's siblings are stored too.
	jobs, err := db.Jobs("crash")
	if err != nil {
		t.Fatal(err)
	}
	stored := make(map[string]bool, len(jobs))
	for _, j := range jobs {
		stored[j.MsgID] = true
	}
	for _, j := range jobs {
		var run, g, i, k int
		if _, err := fmt.Sscanf(j.MsgID, "%d-%d-%d-%d", &run, &g, &i, &k); err != nil {
			t.Fatalf("unexpected msgid %q", j.MsgID)
		}
		for sib := range 1 + g%3 {
			if !stored[fmt.Sprintf("%d-%d-%d-%d", run, g, i, sib)] {
				t.Fatalf("call %d-%d-%d committed in part: job %d missing", run, g, i, sib)
			}
		}
	}
}
