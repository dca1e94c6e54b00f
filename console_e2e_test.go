package main

import (
	"context"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/waconsole/waconsole/internal/ptyterm"
	"github.com/waconsole/waconsole/internal/qrscan"
	"github.com/waconsole/waconsole/simweb"
)

// console is the console binary running in a pseudo-terminal, its screen
// kept by a terminal emulator, as an operator's terminal would.
type console struct{ *ptyterm.Term }

func startConsole(t *testing.T, args ...string) *console {
	t.Helper()
	return startSized(t, 120, 40, args...)
}

// startSized runs the binary in a pseudo-terminal of cols × rows.
func startSized(t *testing.T, cols, rows int, args ...string) *console {
	t.Helper()
	return startInTerminal(t, cols, rows, exec.Command(binPath, args...))
}

// startInTerminal runs cmd in a pseudo-terminal of cols × rows.
func startInTerminal(t *testing.T, cols, rows int, cmd *exec.Cmd) *console {
	t.Helper()
	return &console{ptyterm.Start(t, cols, rows, cmd)}
}

func (c *console) screen() string { return c.Emu.Render() }

// waitScreen returns the first screen for which ok holds.
func (c *console) waitScreen(t *testing.T, timeout time.Duration, what string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := c.screen()
		if ok(ansi.Strip(s)) {
			return s
		}
		select {
		case <-c.Done:
			t.Fatalf("the console exited while waiting for %s; last screen:\n%s", what, ansi.Strip(s))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not show within %s; screen:\n%s", what, timeout, ansi.Strip(s))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// exitScreen waits for the console to exit and returns its last screen,
// once everything it wrote has reached the screen: the exit can come
// before its last words do.
func (c *console) exitScreen(t *testing.T, timeout time.Duration, running string) string {
	t.Helper()
	for _, ch := range []chan struct{}{c.Done, c.Drained} {
		select {
		case <-ch:
		case <-time.After(timeout):
			t.Fatalf("%s; screen:\n%s", running, ansi.Strip(c.screen()))
		}
	}
	return ansi.Strip(c.screen())
}

func (c *console) has(text string) func(string) bool {
	return func(s string) bool { return strings.Contains(s, text) }
}

// scanFromScreen decodes the QR on c's screen once it shows marker, and
// hands it to the phone until one is not stale.
func scanFromScreen(t *testing.T, c *console, marker string, phone *simweb.Client, number string) string {
	t.Helper()
	var stale string
	for attempt := 0; ; attempt++ {
		if attempt > 50 {
			t.Fatal("no QR code on the screen could be scanned")
		}
		screen := c.waitScreen(t, 30*time.Second, "a QR code", c.has(marker))
		payload, err := qrscan.FromScreen(screen)
		if err != nil || payload == stale {
			// Caught mid-redraw, or the ref has not rotated yet: look again.
			time.Sleep(200 * time.Millisecond)
			continue
		}
		if len(payload) < 200 || !strings.HasPrefix(payload, "2@") {
			t.Fatalf("decoded payload %q is not a WhatsApp QR payload", payload)
		}
		err = phone.Scan(context.Background(), payload, number)
		if err == nil {
			return ansi.Strip(screen)
		}
		if !errors.Is(err, simweb.ErrStale) {
			t.Fatalf("scanning the decoded payload: %v", err)
		}
		stale = payload
	}
}

func TestConsolePairsInATerminalAndLeavesNoBrowser(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	args := []string{"--demo", "--demo-autopair=false", "--data-dir", dir, "--sim-addr", addr}
	phone := &simweb.Client{BaseURL: "http://" + addr + "/"}
	const number = "15553330001"

	c := startConsole(t, args...)
	// The QR the console draws is what a phone scans: decode the cells on
	// the screen and hand exactly that to the phone.
	scanFromScreen(t, c, "of 6", phone, number)
	c.waitScreen(t, 30*time.Second, "READY after the scan, with no key pressed", c.has("Paired with +"+number))

	// Killed outright, the console must not leave its browser behind.
	c.Cmd.Process.Signal(syscall.SIGKILL)
	<-c.Done
	waitFor(t, 5*time.Second, "Chromium to die with the killed console", func() bool { return browsers(dir) == 0 })

	// Started again, the session comes back READY without pairing.
	c = startConsole(t, args...)
	c.waitScreen(t, 30*time.Second, "the session READY again", func(s string) bool {
		return strings.Contains(s, "READY") && strings.Contains(s, "+"+number)
	})
	if strings.Contains(ansi.Strip(c.screen()), "of 6") {
		t.Fatal("the restarted console shows a QR code")
	}
	c.TTY.Write([]byte("q"))
	select {
	case <-c.Done:
	case <-time.After(15 * time.Second):
		t.Fatal("the console did not quit on q")
	}
	if code := c.Cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("the console exited %d on q", code)
	}
	if n := browsers(dir); n != 0 {
		t.Fatalf("%d Chromium processes after quitting", n)
	}
}

func TestConsoleRefusesASecondInstance(t *testing.T) {
	url, _ := startSim(t, 0.05)
	dir := t.TempDir()
	srv := startServe(t, dir, url)
	c := startConsole(t, "--data-dir", dir, "--wa-url", url)
	s := c.exitScreen(t, 5*time.Second, "a second console on a held data dir kept running")
	if c.Cmd.ProcessState.ExitCode() == 0 || !strings.Contains(s, "in use") || !strings.Contains(s, strconv.Itoa(srv.cmd.Process.Pid)) {
		t.Fatalf("exit %d, screen:\n%s", c.Cmd.ProcessState.ExitCode(), s)
	}
}

func TestDemoRefusesAnUnknownSimBuild(t *testing.T) {
	c := startConsole(t, "--demo", "--sim-build", "1999-01", "--data-dir", t.TempDir(), "--sim-addr", freeAddr(t))
	s := c.exitScreen(t, 10*time.Second, "the demo kept running with a build the stand-in does not play")
	if c.Cmd.ProcessState.ExitCode() == 0 || !strings.Contains(s, `"1999-01"`) || !strings.Contains(s, "--list-builds") {
		t.Fatalf("exit %d, screen:\n%s", c.Cmd.ProcessState.ExitCode(), s)
	}
}
