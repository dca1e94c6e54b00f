package sshconsole

import (
	"context"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
)

// Two operators at once, each with their own size, which follows their
// terminal: both reach the sessions table; one stops a session, and the log
// says who; leaving ends only that console and its subscription, never a
// session.
func TestSSHConsoleShowsTheSessionsTableToEachOperator(t *testing.T) {
	fake := readyFake()
	ops, dev := newTestKey(t, "ops@laptop"), newTestKey(t, "dev@desk")
	s, _, log := startServer(t, fake, ops.line, "# the developers watch only", "read-only "+dev.line)

	a := dial(t, s, ops, 120, 40)
	b := dial(t, s, dev, 80, 24)
	a.waitScreen(t, "the sessions table at 120x40", "shop", "READY", "1 session")
	b.waitScreen(t, "the read-only sessions table at 80x24", "shop", "READY", "[READ-ONLY]")
	if n := strings.Count(a.screen(), "\n") + 1; n != 40 {
		t.Fatalf("the 120x40 console drew %d rows", n)
	}
	waitFor(t, "a subscription per console", func() bool { return fake.Subscribers() == 2 })
	if log.count("user=ops", "remote=127.0.0.1", ops.fingerprint, `msg="ssh connected"`, "mode=read-write") != 1 ||
		log.count(dev.fingerprint, `msg="ssh connected"`, "mode=read-only") != 1 {
		t.Fatalf("the connections were not logged with their keys and modes:\n%s", log)
	}

	// At 80 columns the help line is cut short; the resized console draws
	// it whole.
	if strings.Contains(b.screen(), "q quit") {
		t.Fatalf("the 80x24 console drew a help line of 120 columns:\n%s", b.screen())
	}
	b.resize(t, 120, 30)
	b.waitScreen(t, "the console redrawn at 120x30", "? help • q quit")

	a.press(t, "x")
	a.waitScreen(t, "the session stopped", "STOPPED")
	b.waitScreen(t, "the stop on the other console", "STOPPED")
	if log.count(ops.fingerprint, "action=stop target=shop") != 1 {
		t.Fatalf("the stop was not logged with who took it:\n%s", log)
	}

	a.press(t, "q")
	a.waitExit(t, "after q")
	waitFor(t, "the quit console's subscription to end", func() bool { return fake.Subscribers() == 1 })
	b.waitScreen(t, "the other console still live", "shop")

	// A dropped connection, not a quit, ends the console's subscription too.
	b.Cmd.Process.Kill()
	waitFor(t, "the dropped console's subscription to end", func() bool { return fake.Subscribers() == 0 })
	waitFor(t, "both disconnections logged", func() bool { return log.count(`msg="ssh disconnected"`, "after=") == 2 })
	if st, _ := fake.Get("shop"); st.State != session.Stopped || slices.Contains(fake.Calls(), "Delete shop") {
		t.Fatalf("shop is %s after the consoles left; calls %v", st.State, fake.Calls())
	}
}

// A read-only key presses stop and delete on a READY session: nothing
// happens, and the flash line says why.
func TestSSHReadOnlyKeyCannotStopOrDelete(t *testing.T) {
	fake := readyFake()
	dev := newTestKey(t, "dev@desk")
	s, _, log := startServer(t, fake, "read-only "+dev.line)

	c := dial(t, s, dev, 100, 30)
	c.waitScreen(t, "the sessions table", "shop", "READY", "[READ-ONLY]")
	c.press(t, "x")
	c.waitScreen(t, "why stop does nothing", `read-only mode: "x" (stop) is disabled`)
	c.press(t, "D")
	c.waitScreen(t, "why delete does nothing", `read-only mode: "D" (delete) is disabled`)
	if screen := c.screen(); strings.Contains(screen, "Delete shop?") {
		t.Fatalf("a read-only console asks to delete:\n%s", screen)
	}
	for _, call := range fake.Calls() {
		if strings.HasPrefix(call, "Stop") || strings.HasPrefix(call, "Delete") {
			t.Fatalf("a read-only console called %s", call)
		}
	}
	if st, _ := fake.Get("shop"); st.State != session.Ready {
		t.Fatalf("shop is %s after a read-only console pressed stop and delete", st.State)
	}
	if log.count("action=stop target=shop")+log.count("action=delete target=shop") != 0 {
		t.Fatalf("an action was logged that was not taken:\n%s", log)
	}
}

// A key not in the file is refused, with only public keys offered; added to
// the file while the server runs, it gets in without a restart.
func TestSSHRefusesAnUnknownKeyUntilTheFileAdmitsIt(t *testing.T) {
	fake := readyFake()
	ops, stranger := newTestKey(t, "ops@laptop"), newTestKey(t, "stranger")
	s, keys, log := startServer(t, fake, ops.line)

	out, err := exec.Command("ssh", sshArgs(s, stranger, "-T")...).CombinedOutput()
	if code := exitCode(err); code != 255 || !strings.Contains(string(out), "Permission denied (publickey)") {
		t.Fatalf("an unknown key: exit %d, output %q", code, out)
	}
	waitFor(t, "the refusal in the log", func() bool { return log.count("ssh login refused", stranger.fingerprint) == 1 })

	writeKeys(t, keys, ops.line, stranger.line, "")
	c := dial(t, s, stranger, 80, 24)
	c.waitScreen(t, "the sessions table for the newly admitted key", "shop", "READY")
	if log.count("ssh authorized keys read again", `keys="2 keys`) != 1 {
		t.Fatalf("the changed file was not logged:\n%s", log)
	}
}

// A client offering several keys, none authorized, is logged once with
// all of them; one whose later key is accepted is not logged as refused.
func TestSSHLogsARefusedLoginOnceWithTheKeysOffered(t *testing.T) {
	ops, stranger, other := newTestKey(t, "ops@laptop"), newTestKey(t, "stranger"), newTestKey(t, "other")
	s, _, log := startServer(t, readyFake(), ops.line)

	out, err := exec.Command("ssh", sshArgs(s, stranger, "-i", other.file, "-T")...).CombinedOutput()
	if code := exitCode(err); code != 255 {
		t.Fatalf("two unknown keys: exit %d, output %q", code, out)
	}
	waitFor(t, "the refusal in the log", func() bool {
		return log.count("ssh login refused", stranger.fingerprint, other.fingerprint) == 1
	})

	out, err = exec.Command("ssh", sshArgs(s, stranger, "-i", ops.file, "-T")...).CombinedOutput()
	if code := exitCode(err); code != 1 || !strings.Contains(string(out), "needs a terminal") {
		t.Fatalf("an unknown key then an authorized one: exit %d, output %q", code, out)
	}
	if n := log.count("ssh login refused"); n != 1 {
		t.Fatalf("%d refusals logged, want only the first connection's:\n%s", n, log)
	}
	if log.count("ssh key refused") != 0 {
		t.Fatalf("each refused key was logged above debug level:\n%s", log)
	}
}

// Without a terminal there is no console: one line says how to connect.
func TestSSHRefusesASessionWithoutATerminal(t *testing.T) {
	ops := newTestKey(t, "ops@laptop")
	s, _, _ := startServer(t, readyFake(), ops.line)
	out, err := exec.Command("ssh", sshArgs(s, ops, "-T")...).CombinedOutput()
	if code := exitCode(err); code != 1 || strings.TrimSpace(string(out)) != "waconsole: the console needs a terminal: connect with ssh -t" {
		t.Fatalf("ssh -T: exit %d, output %q", code, out)
	}
}

// A command is refused, even with a terminal: the server offers only the
// console.
func TestSSHRefusesACommand(t *testing.T) {
	ops := newTestKey(t, "ops@laptop")
	s, _, log := startServer(t, readyFake(), ops.line)
	// Bounded: a console started by mistake would never end on its own.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ssh", append(sshArgs(s, ops, "-tt"), "ls")...).CombinedOutput()
	if code := exitCode(err); code != 1 || strings.TrimSpace(string(out)) != "waconsole: this server offers the console only: connect without a command" {
		t.Fatalf("ssh -tt with a command: exit %d, output %q", code, out)
	}
	if log.count("ssh connected") != 0 {
		t.Fatalf("a refused command was logged as a console:\n%s", log)
	}
}

func exitCode(err error) int {
	if e, ok := err.(*exec.ExitError); ok {
		return e.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
