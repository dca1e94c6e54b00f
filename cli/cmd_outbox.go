package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

func cmdOutbox(args []string, stdout io.Writer) error {
	const use = "usage: waconsole outbox SESSION [--state dead,held] [--json] | waconsole outbox retry|discard SESSION JOB [--yes]"
	fs := newFlagSet("outbox", use)
	var f flags
	f.client(fs)
	f.json(fs)
	f.confirm(fs)
	states := fs.String("state", "", "only jobs in these states (queued,sending,sent,retrying,dead,held)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	c := f.api()
	switch {
	case len(pos) == 3 && (pos[0] == "retry" || pos[0] == "discard"):
		seq, err := strconv.ParseUint(pos[2], 10, 64)
		if err != nil {
			return fmt.Errorf("job %q is not a job number", pos[2])
		}
		if pos[0] == "retry" {
			err = c.RetryJob(ctx, pos[1], seq)
		} else {
			if !f.yes {
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
		if f.asJSON {
			return json.NewEncoder(stdout).Encode(map[string]any{"jobs": jobs})
		}
		for _, j := range jobs {
			reply := ""
			if j.ReplyTo != "" {
				reply = "  reply to " + j.ReplyTo
			}
			fmt.Fprintf(stdout, "%6d  %-8s  %-26s  %s  attempts %d  %s%s%s\n", j.Seq, j.State, j.ChatID, j.MsgID, j.Attempts, oneLine(j.LastError, 50), oneLine(j.HoldReason, 50), reply)
		}
		return nil
	}
	return errors.New(use)
}
