// Command waconsole runs WhatsApp Web sessions in headless Chromium and is
// the terminal console to operate them: pair phones, watch state, send
// through a paced outbox. See the README.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/waconsole/waconsole/session"
)

const version = "0.1.0"

const usage = `waconsole: run and operate WhatsApp Web sessions from a terminal.

Usage:
  waconsole [flags]                      the console (sessions run in it)
  waconsole --demo                       the console against a local WhatsApp Web stand-in
  waconsole serve [flags]                the same sessions headless, for systemd or Docker
  waconsole status [--json]              the sessions table; exit 0 when every auto-start session is READY
  waconsole pair SESSION [--link-code PHONE]
                                         pair a phone: draws the QR (or shows the link code) here
  waconsole session add|start|stop|restart|logout|delete|set|show|pause|resume ...
  waconsole send --session S --to CHAT (--text T | --file F)
  waconsole outbox SESSION [--state dead,held] | outbox retry|discard SESSION JOB
  waconsole backup FILE                  copy the store while it runs
  waconsole sim --listen ADDR            the WhatsApp Web stand-in on its own
  waconsole version

Run "waconsole COMMAND -h" for the flags of a command.
`

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	var ex exitError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return
	case errors.As(err, &ex):
		if ex.msg != "" {
			fmt.Fprintln(os.Stderr, "waconsole:", ex.msg)
		}
		os.Exit(ex.code)
	}
	fmt.Fprintln(os.Stderr, "waconsole:", err)
	os.Exit(1)
}

// exitError ends the program with a given code, printing msg when not empty.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, rest := args[0], args[1:]
		switch cmd {
		case "serve":
			return cmdServe(rest, stderr)
		case "sim":
			return cmdSim(rest, stdout, stderr)
		case "status":
			return cmdStatus(rest, stdout)
		case "pair":
			return cmdPair(rest, stdout)
		case "session":
			return cmdSession(rest, stdout)
		case "send":
			return cmdSend(rest, stdout)
		case "outbox":
			return cmdOutbox(rest, stdout)
		case "backup":
			return cmdBackup(rest, stdout)
		case "version":
			fmt.Fprintln(stdout, "waconsole", version)
			return nil
		case "help":
			fmt.Fprint(stdout, usage)
			return nil
		}
		return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
	}
	return cmdConsole(args, stderr)
}

// commonFlags are the flags every command that runs sessions takes.
type commonFlags struct {
	dataDir string
	waURL   string
	chrome  string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.dataDir, "data-dir", "", "state directory (default $XDG_STATE_HOME/waconsole or ~/.local/state/waconsole)")
	fs.StringVar(&c.waURL, "wa-url", session.DefaultWAURL, "WhatsApp Web URL the sessions open")
	fs.StringVar(&c.chrome, "chrome", "", "Chromium or Chrome executable (default: chromium, google-chrome, ... on PATH)")
}

// dataDirFlag registers only --data-dir, for the API clients.
func dataDirFlag(fs *flag.FlagSet) *string {
	return fs.String("data-dir", "", "state directory of the waconsole to talk to (default $XDG_STATE_HOME/waconsole or ~/.local/state/waconsole)")
}

func orDefault(dir string) string {
	if dir == "" {
		return defaultDataDir()
	}
	return dir
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nFlags:\n", help)
		fs.PrintDefaults()
	}
	return fs
}

// parseInterleaved parses flags that may come before or after positional
// arguments, as operators type them: "pair demo --link-code 1555…".
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
