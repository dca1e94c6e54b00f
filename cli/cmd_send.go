package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
)

func cmdSend(args []string, stdout io.Writer) error {
	fs := newFlagSet("send", "waconsole send --session S --to CHAT (--text T | --file F) [--reply-to MSGID]: queue messages in the session's outbox.\nIt returns once they are durable; the session sends them at its pace.")
	var f flags
	f.client(fs)
	id := fs.String("session", "", "session to send from")
	to := fs.String("to", "", "chat: a phone number, <digits>@c.us, <id>@g.us or <digits>@lid")
	text := fs.String("text", "", "the message")
	file := fs.String("file", "", "a file with one message per line (- for standard input); blank lines are skipped")
	replyTo := fs.String("reply-to", "", "the id of the inbound message these answer (from waconsole inbox)")
	f.json(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *id == "" || *to == "" || (*text == "") == (*file == "") {
		return errors.New("usage: waconsole send --session S --to CHAT (--text T | --file F) [--reply-to MSGID]")
	}
	chat, _, err := session.ParseChatID(*to)
	if err != nil {
		return err
	}
	req := api.SendRequest{To: chat, Text: *text, ReplyTo: *replyTo}
	if *file != "" {
		if req.Texts, err = readLines(*file); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	resp, err := f.api().Send(ctx, *id, req)
	if err != nil {
		return err
	}
	if f.asJSON {
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
