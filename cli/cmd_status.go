package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

func cmdStatus(args []string, stdout io.Writer) error {
	fs := newFlagSet("status", "waconsole status: the sessions table. Exit code 0 when every auto-start session is READY, 1 otherwise: usable as a health probe.")
	var f flags
	f.client(fs)
	f.json(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	list, err := f.api().List(ctx)
	if err != nil {
		return exitError{1, err.Error()}
	}
	healthy := true
	for _, s := range list {
		if s.AutoStart && s.State != string(session.Ready) {
			healthy = false
		}
	}
	if f.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"healthy": healthy, "sessions": list}); err != nil {
			return err
		}
	} else {
		printTable(stdout, list, isTerminal(stdout))
	}
	if !healthy {
		return exitError{code: 1}
	}
	return nil
}

// printTable writes the sessions as aligned columns, the state coloured
// only on a terminal.
func printTable(w io.Writer, list []api.Session, colour bool) {
	if len(list) == 0 {
		fmt.Fprintln(w, "no sessions: add one with `waconsole session add ID`")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tPHONE\tIN STATE\tQUEUE\tFAIL 5M\tINBOX\tAUTO\tLAST ERROR")
	for _, s := range list {
		state := string(s.State)
		if colour {
			// Padding first: escape codes would upset the column widths.
			state = termtext.StateStyle(session.State(s.State)).Render(fmt.Sprintf("%-12s", state))
		}
		phone := s.Account
		if phone == "" {
			phone = s.PairPhone
		}
		if phone != "" {
			phone = "+" + phone
		}
		auto := "no"
		if s.AutoStart {
			auto = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", s.ID, state, phone, termtext.Age(time.Since(s.Since)),
			s.Queue.Depth, s.Queue.Failures5m, inboxColumn(s.Inbox), auto, oneLine(s.LastError, 60))
	}
	tw.Flush()
}

// inboxColumn is a session's inbox in a table cell: messages stored, their
// size, and how many the filters skipped.
func inboxColumn(i api.Inbox) string {
	filtered := 0
	for _, n := range i.Filtered {
		filtered += n
	}
	return fmt.Sprintf("%d/%s/%d filtered", i.Stored, byteSize(i.Bytes), filtered)
}
