// Package ptyterm runs a command in a pseudo-terminal whose screen a
// terminal emulator keeps, as an operator's terminal would. Tests read the
// console's screens through it, locally and over SSH.
package ptyterm

import (
	"io"
	"os"
	"os/exec"
	"slices"
	"testing"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// Term is a command running in a pseudo-terminal of a fixed size.
type Term struct {
	Cmd *exec.Cmd
	TTY *os.File
	Emu *vt.SafeEmulator
	// Done closes when the command has exited; Drained when everything it
	// and its children wrote has reached Emu.
	Done, Drained chan struct{}
}

// Start runs cmd with TERM=xterm-256color added to its environment (the
// process's when it sets none) in a cols × rows terminal; the test's
// cleanup kills it if it still runs.
func Start(t testing.TB, cols, rows int, cmd *exec.Cmd) *Term {
	t.Helper()
	c := &Term{Cmd: cmd, Emu: vt.NewSafeEmulator(cols, rows), Done: make(chan struct{}), Drained: make(chan struct{})}
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	c.Cmd.Env = append(slices.Clip(env), "TERM=xterm-256color")
	tty, err := pty.StartWithSize(c.Cmd, &pty.Winsize{Rows: uint16(rows), Cols: uint16(cols)})
	if err != nil {
		t.Fatal(err)
	}
	c.TTY = tty
	go func() {
		_, _ = io.Copy(c.Emu, tty) // ends when the command and its children have closed the terminal
		close(c.Drained)
	}()
	go func() { _, _ = io.Copy(tty, c.Emu) }() // the terminal's answers to queries
	go func() {
		_ = c.Cmd.Wait()
		close(c.Done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.Done:
		default:
			c.Cmd.Process.Kill()
			<-c.Done
		}
		tty.Close()
	})
	return c
}
