// Package cli is waconsole's command line: one file per command, the
// flags they share, exit codes and plain-text output, and the wiring of
// the runtime that the console and serve own.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

const version = "0.1.0"

const usage = `waconsole: run and operate WhatsApp Web sessions from a terminal.

Usage:
  waconsole [flags]                      the console (sessions run in it)
  waconsole --demo                       the console against a local WhatsApp Web stand-in
  waconsole serve [flags]                the same sessions headless, for systemd or Docker;
                                         --listen: the API over TCP, --ssh-listen: the console over SSH
  waconsole status [--json]              the sessions table; exit 0 when every auto-start session is READY
  waconsole pair SESSION [--link-code PHONE] [--qr-style auto|half|sextant]
                                         pair a phone: draws the QR (or shows the link code) here
  waconsole session add|start|stop|restart|logout|delete|set|show|pause|resume ...
                                         set and add take --proxy URL, --user-agent UA, --chrome-flag F
  waconsole send --session S --to CHAT (--text T | --file F)
  waconsole outbox SESSION [--state dead,held] | outbox retry|discard SESSION JOB
  waconsole webhook secret|add|list|remove|test|deliveries|retry ...
                                         signed event deliveries to your endpoints
  waconsole inbox SESSION [--chat C] [--since D] [--json]
                                         the inbound messages a session captured
  waconsole search SESSION WORD... [--chat C] [--json]
                                         the captured messages holding every word, newest first
  waconsole drain SESSION [--chats all|ID,...] [--action deliver|read|skip] [--rate 2]
                                         the unread messages after downtime: list, then drain
                                         paced (--pause, --resume, --cancel)
  waconsole apikey create|list|revoke ...
                                         keys of the API over TCP (serve --listen)
  waconsole alerts [--all] [--session ID] [--json] [--check] | alerts ack ID
                                         open alerts (--all: history too); acknowledge one
  waconsole backup FILE                  a backup archive of the store and the logins, taken while it runs
  waconsole backup --verify FILE         check an archive: manifest, checksums, store
  waconsole restore FILE --data-dir DIR  restore an archive into an empty data dir
  waconsole doctor [SESSION] [--json]    which browser, version, flags and profile each session
                                         uses, and whether it starts; exit 1 when one does not
  waconsole sim --listen ADDR [--build NAME]
                                         the WhatsApp Web stand-in on its own (--list-builds)
  waconsole version

The commands that talk to a running waconsole reach one over TCP with --api URL
(or $WACONSOLE_API) and the key in $WACONSOLE_API_KEY or --api-key-file.

Run "waconsole COMMAND -h" for the flags of a command.
`

// Main runs waconsole with args (without the program name) and returns
// the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	err := run(args, stdout, stderr)
	var ex exitError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ex):
		if ex.msg != "" {
			fmt.Fprintln(stderr, "waconsole:", ex.msg)
		}
		return ex.code
	}
	fmt.Fprintln(stderr, "waconsole:", err)
	return 1
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
		case "webhook":
			return cmdWebhook(rest, stdout)
		case "inbox":
			return cmdInbox(rest, stdout)
		case "search":
			return cmdSearch(rest, stdout)
		case "drain":
			return cmdDrain(rest, stdout)
		case "backup":
			return cmdBackup(rest, stdout)
		case "restore":
			return cmdRestore(rest, stdout)
		case "doctor":
			return cmdDoctor(rest, stdout)
		case "apikey":
			return cmdAPIKey(rest, stdout)
		case "alerts":
			return cmdAlerts(rest, stdout)
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
