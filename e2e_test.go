package main

// End-to-end tests: they build the waconsole binary and run it as an
// operator does, against the WhatsApp Web stand-in, with real Chromium.

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
	wacli "github.com/waconsole/waconsole/cli"
	"github.com/waconsole/waconsole/internal/procs"
	"github.com/waconsole/waconsole/simweb"
)

var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "waconsole-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "waconsole")
	if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building waconsole: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer collects a process's output while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// proc is a waconsole process started by a test.
type proc struct {
	cmd    *exec.Cmd
	stdout syncBuffer
	stderr syncBuffer
	done   chan struct{}
	code   int
}

// start runs the binary; the test's end kills it if it still runs.
func start(t *testing.T, args ...string) *proc {
	t.Helper()
	return startEnv(t, nil, args...)
}

// startEnv is start with variables added to (or replacing) the environment.
func startEnv(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(binPath, args...), done: make(chan struct{})}
	if env != nil {
		p.cmd.Env = append(os.Environ(), env...)
	}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = p.cmd.Wait()
		p.code = p.cmd.ProcessState.ExitCode()
		close(p.done)
	}()
	t.Cleanup(func() {
		// A clean stop closes the browsers, which otherwise may still write
		// to their profiles while the test's temporary dir is removed.
		p.signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(wacli.StopTimeout + 2*time.Second):
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait returns the exit code, failing the test after timeout.
func (p *proc) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.code
	case <-time.After(timeout):
		t.Fatalf("%v still runs after %s\nstdout:\n%s\nstderr:\n%s", p.cmd.Args, timeout, p.stdout.String(), p.stderr.String())
		return -1
	}
}

func (p *proc) signal(sig syscall.Signal) { _ = p.cmd.Process.Signal(sig) }

// cli runs one client command to its end.
func cli(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	p := start(t, args...)
	code = p.wait(t, 60*time.Second)
	return p.stdout.String(), p.stderr.String(), code
}

func waitFor(t *testing.T, timeout time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// browsers counts the processes that use a browser profile under dir.
func browsers(dir string) int { return countProcs(dir, false) }

// mainBrowsers counts only the browsers' main processes (Chromium's helpers
// have a --type).
func mainBrowsers(dir string) int { return countProcs(dir, true) }

func countProcs(dir string, mainOnly bool) int {
	n := 0
	for _, p := range procs.WithArgPrefix("--user-data-dir=" + dir) {
		if !mainOnly || !p.HasArgPrefix("--type=") {
			n++
		}
	}
	return n
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startSim runs the stand-in in the test with fast clocks.
func startSim(t *testing.T, scale float64) (url string, phone *simweb.Client) {
	t.Helper()
	sim, err := simweb.New(simweb.Options{Timings: simweb.DefaultTimings().Scale(scale)})
	if err != nil {
		t.Fatal(err)
	}
	url, err = sim.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return url, &simweb.Client{BaseURL: url}
}

// startServe runs `waconsole serve`, with any flags added, and waits until
// its API answers.
func startServe(t *testing.T, dir, waURL string, flags ...string) *proc {
	t.Helper()
	p := start(t, append([]string{"serve", "--data-dir", dir, "--wa-url", waURL}, flags...)...)
	c := api.NewClient(dir)
	waitFor(t, 20*time.Second, "serve answering on its socket", func() bool {
		select {
		case <-p.done:
			t.Fatalf("serve exited with %d:\n%s", p.code, p.stderr.String())
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := c.Info(ctx)
		return err == nil
	})
	return p
}

// lastQR cuts the most recent QR code out of `waconsole pair` output.
func lastQR(out string) string {
	const marker = "Scan with WhatsApp"
	end := strings.LastIndex(out, marker)
	if end < 0 {
		return ""
	}
	begin := strings.LastIndex(out[:end], marker)
	if begin < 0 {
		begin = 0
	}
	return out[begin:end]
}
