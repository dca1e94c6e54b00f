package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/termtext"
)

// drainPoll is how often the CLI reads a running drain's progress.
const drainPoll = 500 * time.Millisecond

func cmdDrain(args []string, stdout io.Writer) error {
	const use = "usage: waconsole drain SESSION [--chats all|ID,...] [--action deliver|read|skip] [--rate 2] [--yes] [--json] | waconsole drain SESSION --pause|--resume|--cancel"
	fs := newFlagSet("drain", use)
	var f flags
	f.client(fs)
	f.json(fs)
	f.confirm(fs)
	chats := fs.String("chats", "all", "the chats to drain: all, or chat ids separated by commas")
	action := fs.String("action", "", "deliver (to the webhooks), read (sends read receipts) or skip; without it the unread chats are listed")
	rate := fs.Float64("rate", 0, "messages a second (default 2, or the rate of the drain already running)")
	pause := fs.Bool("pause", false, "pause the running drain")
	resume := fs.Bool("resume", false, "resume the paused drain")
	cancelDrain := fs.Bool("cancel", false, "cancel the drain; what is left stays listed")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New(use)
	}
	id := pos[0]
	c := f.api()
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	for op, on := range map[string]bool{"pause": *pause, "resume": *resume, "cancel": *cancelDrain} {
		if on {
			d, err := c.DrainAction(ctx, id, op)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, drainLine(d))
			return nil
		}
	}

	d, err := drainSnapshot(ctx, c, id, stdout)
	if err != nil {
		return err
	}
	if *action == "" {
		if f.asJSON {
			return json.NewEncoder(stdout).Encode(d)
		}
		printDrainChats(stdout, d, time.Now())
		return nil
	}
	req := api.DrainRequest{Action: *action, Rate: *rate}
	if *chats != "all" {
		for _, ch := range strings.Split(*chats, ",") {
			if ch = strings.TrimSpace(ch); ch != "" {
				req.Chats = append(req.Chats, ch)
			}
		}
	}
	if *action == "read" && !f.yes {
		if err := confirm(fmt.Sprintf("mark %s of %s read? This sends read receipts to the senders.", chatCount(req.Chats), id)); err != nil {
			return err
		}
	}
	if d, err = c.StartDrain(ctx, id, req); err != nil {
		return err
	}
	return followDrain(c, id, d, stdout)
}

// drainSnapshot takes a fresh snapshot; a session that is not READY shows
// the drain it has, if any.
func drainSnapshot(ctx context.Context, c *api.Client, id string, stdout io.Writer) (api.Drain, error) {
	d, err := c.DrainAction(ctx, id, "snapshot")
	var ae *api.Error
	if err == nil || !errors.As(err, &ae) || ae.Code != api.CodeNotReady {
		return d, err
	}
	if d, err = c.Drain(ctx, id); err != nil {
		return d, err
	}
	if d.Total == 0 {
		return d, fmt.Errorf("session %s is not READY, so its unread messages cannot be listed: start it (waconsole session start %s) and run this again", id, id)
	}
	fmt.Fprintf(stdout, "session %s is not READY: showing the snapshot of %s\n", id, d.Snapshot.Local().Format(time.DateTime))
	return d, nil
}

// followDrain shows the drain's progress until it ends: a bar redrawn in
// place on a terminal, a line per change otherwise. Interrupting leaves
// the drain running in the server.
func followDrain(c *api.Client, id string, d api.Drain, stdout io.Writer) error {
	tty := isTerminal(stdout)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	defer signal.Stop(stop)
	tick := time.NewTicker(drainPoll)
	defer tick.Stop()
	last := ""
	for {
		line := drainLine(d)
		if tty {
			fmt.Fprintf(stdout, "\r%s\x1b[K", line)
		} else if line != last {
			fmt.Fprintln(stdout, line)
		}
		last = line
		switch d.State {
		case "done", "cancelled":
			if tty {
				fmt.Fprintln(stdout)
			}
			if d.State == "cancelled" {
				return exitError{code: 1, msg: fmt.Sprintf("the drain of %s was cancelled with %d messages left: run waconsole drain %s again to pick them up", id, d.Chosen-d.Done, id)}
			}
			return nil
		}
		select {
		case <-stop:
			if tty {
				fmt.Fprintln(stdout)
			}
			fmt.Fprintf(stdout, "the drain goes on in the server: waconsole drain %s --pause to pause it, --cancel to stop it\n", id)
			return nil
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
		next, err := c.Drain(ctx, id)
		cancel()
		if err != nil {
			return err
		}
		d = next
	}
}

// drainBarWidth is the bar's width in cells.
const drainBarWidth = 24

// drainLine is one line of progress: bar, counts, rate and ETA.
func drainLine(d api.Drain) string {
	total := max(d.Chosen, 1)
	filled := drainBarWidth * d.Done / total
	bar := strings.Repeat("█", filled) + strings.Repeat("░", drainBarWidth-filled)
	s := fmt.Sprintf("%s %s %d/%d  delivered %d  read %d  skipped %d", d.State, bar, d.Done, d.Chosen, d.Delivered, d.Read, d.Skipped)
	if d.Already > 0 {
		s += fmt.Sprintf("  handed on before %d", d.Already)
	}
	if d.Speed > 0 {
		s += fmt.Sprintf("  %.1f/s", d.Speed)
	}
	if d.ETA > 0 {
		s += "  ETA " + time.Duration(d.ETA).String()
	}
	if d.LastError != "" {
		s += "  last error: " + oneLine(d.LastError, 60)
	}
	return s
}

// printDrainChats lists the drain's chats, oldest unread first.
func printDrainChats(w io.Writer, d api.Drain, now time.Time) {
	if len(d.Chats) == 0 {
		fmt.Fprintln(w, "no unread messages")
		return
	}
	chats := slices.Clone(d.Chats)
	slices.SortStableFunc(chats, func(a, b api.DrainChat) int { return a.Oldest.Compare(b.Oldest) })
	fmt.Fprintf(w, "%-28s  %-20s  %5s  %5s  %-8s  %-7s  %s\n", "CHAT", "NAME", "COUNT", "LEFT", "OLDEST", "ACTION", "PREVIEW")
	for _, c := range chats {
		fmt.Fprintf(w, "%-28s  %-20s  %5d  %5d  %-8s  %-7s  %s\n", printable(c.ID), oneLine(c.Name, 20), c.Count, c.Left,
			termtext.Age(now.Sub(c.Oldest)), c.Action, oneLine(c.Preview, 40))
	}
	fmt.Fprintf(w, "%d messages in %d chats; drain them with --action deliver|read|skip\n", d.Total, len(d.Chats))
}

func chatCount(chats []string) string {
	if len(chats) == 0 {
		return "every chat"
	}
	if len(chats) == 1 {
		return chats[0]
	}
	return fmt.Sprintf("%d chats", len(chats))
}
