package main

import (
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/simweb"
)

func TestConsoleDrawsASextantQRAt80x24(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	phone := &simweb.Client{BaseURL: "http://" + addr + "/"}
	const number = "15553330002"
	c := startSized(t, 80, 24, "--demo", "--demo-autopair=false", "--data-dir", dir, "--sim-addr", addr)
	screen := scanFromScreen(t, c, "of 6", phone, number)
	for _, want := range []string{"Sextant characters:", "Press l to pair with a link code", "sessions > demo > pairing"} {
		if !strings.Contains(strings.Join(strings.Fields(screen), " "), want) {
			t.Fatalf("the 80x24 pairing screen lacks %q:\n%s", want, screen)
		}
	}
	c.waitScreen(t, 30*time.Second, "READY after the scan", c.has("Paired with +"+number))
	// Quit cleanly: the browser must be gone before the data dir is removed.
	c.TTY.Write([]byte("q"))
	select {
	case <-c.Done:
	case <-time.After(15 * time.Second):
		t.Fatal("the console did not quit on q")
	}
	waitFor(t, 5*time.Second, "Chromium to exit with the console", func() bool { return browsers(dir) == 0 })
}

func TestPairDrawsASextantQRAt80x24(t *testing.T) {
	url, sim := startSim(t, 0.05)
	dir := t.TempDir()
	startServe(t, dir, url)
	if out, errOut, code := cli(t, "session", "add", "ops", "--data-dir", dir); code != 0 {
		t.Fatalf("session add: %d %s %s", code, out, errOut)
	}
	const number = "15552220002"
	c := startSized(t, 80, 24, "pair", "ops", "--data-dir", dir)
	screen := scanFromScreen(t, c, "Scan with WhatsApp", sim, number)
	if !strings.Contains(screen, "Sextant characters:") {
		t.Fatalf("pair at 80x24 does not say what the sextants need:\n%s", screen)
	}
	c.waitScreen(t, 30*time.Second, "pair to report READY", c.has("READY: session ops is paired with +"+number))
	select {
	case <-c.Done:
	case <-time.After(15 * time.Second):
		t.Fatal("pair did not exit once READY")
	}
	if code := c.Cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("pair exited %d", code)
	}
}
