package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// command is one ':' command. The parser, the completion and the help page
// all read the table below, so help lists exactly what the parser accepts.
type command struct {
	name    string
	aliases []string
	args    string // what follows the name, as help shows it
	help    string
	run     func(m *Model, args []string) tea.Cmd // args[0] is the word typed
}

var commands = []command{
	{name: "sessions", aliases: []string{"s", "session"}, help: "the sessions table",
		run: func(m *Model, _ []string) tea.Cmd { m.home(); m.showHelp = false; return nil }},
	{name: "chats", aliases: []string{"c", "chat"}, args: "[ID]", help: "the chats of a session",
		run: forSession("chats", (*Model).openChats)},
	{name: "queue", aliases: []string{"u", "outbox"}, args: "[ID]", help: "the queue of a session",
		run: forSession("queue", (*Model).openQueue)},
	{name: "drain", aliases: []string{"d", "unread"}, args: "[ID]", help: "the unread drain of a session", run: forSession("drain", (*Model).openDrain)},
	{name: "webhooks", aliases: []string{"w", "webhook"}, args: "[ID]", help: "the webhooks of a session and their deliveries",
		run: forSession("webhooks", (*Model).openWebhooks)},
	{name: "events", aliases: []string{"e"}, args: "[ID]", help: "the event log of a session, or of all sessions",
		run: func(m *Model, args []string) tea.Cmd {
			if len(args) > 1 {
				if _, ok := m.sessions[args[1]]; !ok {
					return m.setFlash(warn("no session %q: :events without an ID shows all sessions", args[1]))
				}
				return m.openEvents(args[1])
			}
			return m.openEvents(m.current())
		}},
	{name: "search", aliases: []string{"find"}, args: "TEXT", help: "the stored messages of the session on display that hold TEXT",
		run: (*Model).searchCommand},
	{name: "add", aliases: []string{"a"}, args: "ID [PHONE]", help: "a new session; a phone pairs it with a link code",
		run: func(m *Model, args []string) tea.Cmd { return m.addCommand(args[1:]) }},
	{name: "alerts", aliases: []string{"al", "alert"}, help: "the open alerts of every session; h there shows the history",
		run: func(m *Model, _ []string) tea.Cmd { return m.openAlerts() }},
	{name: "help", aliases: []string{"h"}, help: "this page",
		run: func(m *Model, _ []string) tea.Cmd { m.showHelp = true; return nil }},
	{name: "quit", aliases: []string{"q", "q!", "exit"}, help: "leave the console",
		run: func(m *Model, _ []string) tea.Cmd { return m.quit() }},
}

// forSession runs a command that opens a screen of the session it names,
// or of the one on display, or of the one under the table's cursor.
func forSession(name string, open func(m *Model, id string) tea.Cmd) func(*Model, []string) tea.Cmd {
	return func(m *Model, args []string) tea.Cmd {
		if id, ok := m.commandTarget(args); ok {
			return open(m, id)
		}
		return m.setFlash(warn("which session? type :%s ID", name))
	}
}

// lookupCommand finds the command a word names, in any case.
func lookupCommand(word string) (command, bool) {
	word = strings.ToLower(word)
	for _, c := range commands {
		if c.name == word || slices.Contains(c.aliases, word) {
			return c, true
		}
	}
	return command{}, false
}

// commandWords are what the completion offers: names first, so a prefix
// completes to the full name.
func commandWords() []string {
	var names, aliases []string
	for _, c := range commands {
		names = append(names, c.name)
		aliases = append(aliases, c.aliases...)
	}
	return append(names, aliases...)
}

// commandUsage is the short list an unknown command is answered with.
func commandUsage() string {
	parts := make([]string, len(commands))
	for i, c := range commands {
		parts[i] = c.usage()
	}
	return strings.Join(parts, "  ")
}

// usage is the command as typed, with its arguments.
func (c command) usage() string { return strings.TrimSpace(":" + c.name + " " + c.args) }

// also lists the aliases.
func (c command) also() string {
	if len(c.aliases) == 0 {
		return ""
	}
	return ":" + strings.Join(c.aliases, " :")
}

// commandList is the help page's table of commands: usage, aliases, what
// each does, one a line.
func commandList() string {
	uw, aw := 0, 0
	for _, c := range commands {
		uw, aw = max(uw, len(c.usage())), max(aw, len(c.also()))
	}
	lines := make([]string, len(commands))
	for i, c := range commands {
		lines[i] = fmt.Sprintf("%-*s  %-*s  %s", uw, c.usage(), aw, c.also(), c.help)
	}
	return strings.Join(lines, "\n")
}

// commandHelp is the commands and their aliases as one paragraph, for a
// short terminal.
func commandHelp() string {
	parts := make([]string, len(commands))
	for i, c := range commands {
		parts[i] = c.usage() + " (" + c.also() + ")"
	}
	return strings.Join(parts, "  ")
}
