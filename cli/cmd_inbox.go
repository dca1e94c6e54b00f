package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/waconsole/waconsole/api"
)

const inboxUsage = `usage: waconsole inbox SESSION [--chat C] [--since D] [--limit N] [--json]
  the inbound messages the session captured and its filters kept, oldest first;
  D is a duration back such as 2h, or an RFC 3339 time such as 2026-11-30T08:00:00Z`

func cmdInbox(args []string, stdout io.Writer) error {
	fs := newFlagSet("inbox", inboxUsage)
	var f flags
	f.client(fs)
	f.json(fs)
	chat := fs.String("chat", "", "only this chat: a phone number or a chat id, under either of its ids")
	since := fs.String("since", "", "only messages received since then: a duration back (2h) or an RFC 3339 time")
	limit := fs.Int("limit", 100, "the newest this many (0: up to 10000)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New(inboxUsage)
	}
	if *limit < 0 {
		return fmt.Errorf("--limit %d is negative: give 0 or more", *limit)
	}
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	msgs, err := f.api().Inbox(ctx, pos[0], *chat, *since, *limit)
	if err != nil {
		return err
	}
	if f.asJSON {
		if msgs == nil {
			msgs = []api.InboundMessage{}
		}
		return json.NewEncoder(stdout).Encode(api.InboxList{Messages: msgs})
	}
	if len(msgs) == 0 {
		fmt.Fprintf(stdout, "no inbound messages of %s match\n", pos[0])
		return nil
	}
	for _, m := range msgs {
		fmt.Fprintf(stdout, "%s  %-28s  %s  %s\n", m.Received.Local().Format("2006-01-02 15:04:05"), printable(m.Chat), printable(m.ID), inboundText(m))
	}
	return nil
}

// inboundText is a message's text on one line, its kind marked when it is
// not plain text.
func inboundText(m api.InboundMessage) string {
	var marks []string
	if m.Type != "" && m.Type != "chat" {
		marks = append(marks, m.Type)
	}
	if m.Unsupported {
		marks = append(marks, "media not kept")
	}
	if m.Pending {
		marks = append(marks, "not decrypted yet")
	}
	text := oneLine(m.Body, 80)
	if len(marks) > 0 {
		text = "[" + strings.Join(marks, ", ") + "] " + text
	}
	return text
}

// inboxSummary is a session's inbox in one line: what it holds and what
// its filters skipped.
func inboxSummary(i api.Inbox) string {
	s := fmt.Sprintf("%d stored (%s)", i.Stored, byteSize(i.Bytes))
	reasons := make([]string, 0, len(i.Filtered))
	for r := range i.Filtered {
		reasons = append(reasons, r)
	}
	slices.Sort(reasons)
	for n, r := range reasons {
		sep := ", "
		if n == 0 {
			sep = "; filtered "
		}
		s += fmt.Sprintf("%s%s %d", sep, r, i.Filtered[r])
	}
	return s
}

func byteSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
