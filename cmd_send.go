package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
)

func cmdSend(args []string, stdout io.Writer) error {
	fs := newFlagSet("send", "waconsole send --session S --to CHAT (--text T | --file F): queue messages in the session's outbox.\nIt returns once they are durable; the session sends them at its pace.")
	dir := dataDirFlag(fs)
	id := fs.String("session", "", "session to send from")
	to := fs.String("to", "", "chat: a phone number, <digits>@c.us, <id>@g.us or <digits>@lid")
	text := fs.String("text", "", "the message")
	file := fs.String("file", "", "a file with one message per line (- for standard input); blank lines are skipped")
	asJSON := fs.Bool("json", false, "print the queued jobs as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *id == "" || *to == "" || (*text == "") == (*file == "") {
		return errors.New("usage: waconsole send --session S --to CHAT (--text T | --file F)")
	}
	chat, _, err := session.ParseChatID(*to)
	if err != nil {
		return err
	}
	req := api.SendRequest{To: chat, Text: *text}
	if *file != "" {
		if req.Texts, err = readLines(*file); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	resp, err := api.NewClient(orDefault(*dir)).Send(ctx, *id, req)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(resp)
	}
	for _, j := range resp.Jobs {
		note := ""
		if j.State == string(session.JobHeld) {
			note = " (held: " + j.HoldReason + ")"
		}
		fmt.Fprintf(stdout, "queued job %d, message id %s, to %s%s\n", j.Seq, j.MsgID, j.ChatID, note)
	}
	return nil
}

// readLines reads one message per line, skipping blank lines.
func readLines(path string) ([]string, error) {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), session.MaxTextBytes+1)
	var lines []string
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			lines = append(lines, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w (a line is limited to %d bytes)", path, err, session.MaxTextBytes)
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s has no messages", path)
	}
	return lines, nil
}

func cmdOutbox(args []string, stdout io.Writer) error {
	const use = "usage: waconsole outbox SESSION [--state dead,held] [--json] | waconsole outbox retry|discard SESSION JOB [--yes]"
	fs := newFlagSet("outbox", use)
	dir := dataDirFlag(fs)
	states := fs.String("state", "", "only jobs in these states (queued,sending,sent,retrying,dead,held)")
	asJSON := fs.Bool("json", false, "print JSON")
	yes := fs.Bool("yes", false, "discard without asking")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	c := api.NewClient(orDefault(*dir))
	switch {
	case len(pos) == 3 && (pos[0] == "retry" || pos[0] == "discard"):
		seq, err := strconv.ParseUint(pos[2], 10, 64)
		if err != nil {
			return fmt.Errorf("job %q is not a job number", pos[2])
		}
		if pos[0] == "retry" {
			err = c.RetryJob(ctx, pos[1], seq)
		} else {
			if !*yes {
				if err := confirm(fmt.Sprintf("discard job %d of %s for good?", seq, pos[1])); err != nil {
					return err
				}
			}
			err = c.DiscardJob(ctx, pos[1], seq)
		}
		if err == nil {
			fmt.Fprintf(stdout, "job %d: %s done\n", seq, pos[0])
		}
		return err
	case len(pos) == 1:
		var st []string
		if *states != "" {
			for _, s := range strings.Split(*states, ",") {
				st = append(st, strings.TrimSpace(s))
			}
		}
		jobs, err := c.Jobs(ctx, pos[0], st...)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(map[string]any{"jobs": jobs})
		}
		for _, j := range jobs {
			fmt.Fprintf(stdout, "%6d  %-8s  %-26s  %s  attempts %d  %s%s\n", j.Seq, j.State, j.ChatID, j.MsgID, j.Attempts, oneLine(j.LastError, 50), oneLine(j.HoldReason, 50))
		}
		return nil
	}
	return errors.New(use)
}
