package main

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/waconsole/waconsole/simweb"
)

// The showcase chat and the raw view of each of its messages, as the
// console draws them from the stand-in through the real driver. Regenerate
// with go test -run TestGoldenShowcase . -update.
func TestGoldenShowcase(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			chat, raws := showcaseScreens(t, sz[0], sz[1])
			t.Run("chat", func(t *testing.T) { golden.RequireEqual(t, chat) })
			t.Run("raw", func(t *testing.T) { golden.RequireEqual(t, raws) })
		})
	}
}

// showcaseScreens pairs the demo's session, opens the showcase group and
// returns its screen, then the raw view of every message, newest first,
// each normalised by showcaseNormaliser.
func showcaseScreens(t *testing.T, cols, rows int) (chat, raws string) {
	t.Helper()
	dir := t.TempDir()
	addr := freeAddr(t)
	phone := &simweb.Client{BaseURL: "http://" + addr + "/"}
	const number = "15553330009"
	// The build before LID: members keep their numbers, which a new
	// account's LIDs would not.
	t.Setenv("TZ", "UTC")
	c := startSized(t, cols, rows, "--demo", "--demo-autopair=false", "--sim-build", "2026-05", "--data-dir", dir, "--sim-addr", addr)
	scanFromScreen(t, c, "of 6", phone, number)
	c.waitScreen(t, 30*time.Second, "READY after the scan", c.has("Paired with +"+number))
	msgs, err := phone.Messages(context.Background(), number, simweb.ShowcaseGroup)
	if err != nil {
		t.Fatal(err)
	}
	norm := showcaseNormaliser(addr, msgs)
	t.Cleanup(func() {
		// Quit cleanly: the browser must be gone before the data dir is removed.
		c.TTY.Write([]byte("q"))
		select {
		case <-c.Done:
		case <-time.After(15 * time.Second):
			t.Error("the console did not quit on q")
		}
		waitFor(t, 5*time.Second, "Chromium to exit with the console", func() bool { return browsers(dir) == 0 })
	})

	c.TTY.Write([]byte("\x1b"))
	c.waitScreen(t, 10*time.Second, "the session list", c.has("Sessions (1)"))
	c.TTY.Write([]byte("c"))
	c.waitScreen(t, 20*time.Second, "the showcase among the chats", c.has("Showcase"))
	c.TTY.Write([]byte("/Showcase\r"))
	c.waitScreen(t, 10*time.Second, "the chats filtered", c.has("/Showcase"))
	c.TTY.Write([]byte("\r"))
	last := msgs[len(msgs)-1]
	// The newest message is a subject change, the last thing seeded.
	chat = norm(c.waitScreen(t, 20*time.Second, "the showcase chat", c.has("changed the subject: Showcase")))

	var b strings.Builder
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if m.ID != last.ID {
			c.TTY.Write([]byte("k"))
		}
		c.TTY.Write([]byte("\r"))
		s := c.waitScreen(t, 10*time.Second, "the raw view of "+m.ID, c.has("> message "+m.ID))
		fmt.Fprintf(&b, "──── %s %s ────\n%s\n", norm(m.ID), cmp.Or(m.Type, "chat"), norm(s))
		c.TTY.Write([]byte("\x1b"))
		c.waitScreen(t, 10*time.Second, "the chat again", func(s string) bool { return !strings.Contains(s, "> message ") })
	}
	return chat, b.String()
}

// showcaseNormaliser replaces what changes from run to run: the stand-in's
// port, the showcase's message ids (random) by their place in the chat
// padded to the same width, the ids of the changes made to them, and every clock time and date (the showcase is
// seeded relative to now); trailing spaces go.
func showcaseNormaliser(addr string, msgs []simweb.PhoneMessage) func(string) string {
	var pairs []string
	for i, m := range msgs {
		pairs = append(pairs, m.ID, fmt.Sprintf("3ASHOWCASE%010d", i+1))
	}
	ids := strings.NewReplacer(pairs...)
	port := addr[strings.LastIndex(addr, ":")+1:]
	volatile := []struct {
		re   *regexp.Regexp
		with string
	}{
		// The ids of what changed a message (an edit's own key).
		{regexp.MustCompile(`\b3A[0-9A-F]{18}\b`), "3ACHANGE000000000000"},
		{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`), "YYYY-MM-DDThh:mm:ssZ"},
		{regexp.MustCompile(`\b1\d{12}\b`), "1UNIXMILLISX"},
		{regexp.MustCompile(`\b1\d{9}\b`), "1UNIXSECSX"},
		{regexp.MustCompile(`\b\d\d:\d\d\b`), "hh:mm"},
		{regexp.MustCompile(`\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2} \d{4}\b`), "Day, Mon DD YYYY"},
	}
	return func(s string) string {
		s = ids.Replace(ansi.Strip(s))
		s = strings.ReplaceAll(s, "127.0.0.1:"+port, "127.0.0.1:PORT_")
		for _, v := range volatile {
			s = v.re.ReplaceAllString(s, v.with)
		}
		// A replacement of another width moves the padding after it.
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
		return strings.Join(lines, "\n")
	}
}
