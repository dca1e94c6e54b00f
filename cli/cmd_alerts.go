package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/termtext"
)

const alertsUsage = `usage:
  waconsole alerts [--all] [--session ID] [--json] [--check]
                     the open alerts, newest first (--all: resolved ones too);
                     --check exits 1 while a critical alert is open
  waconsole alerts ack ID
                     acknowledge an alert: it stays open until its cause goes away`

func cmdAlerts(args []string, stdout io.Writer) error {
	fs := newFlagSet("alerts", alertsUsage)
	var f flags
	f.client(fs)
	f.json(fs)
	all := fs.Bool("all", false, "resolved alerts too (the newest 1000 are kept)")
	sessionID := fs.String("session", "", "this session's alerts only")
	check := fs.Bool("check", false, "exit 1 while a critical alert is open")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	c := f.api()
	switch {
	case len(pos) == 2 && pos[0] == "ack":
		id, err := strconv.ParseUint(pos[1], 10, 64)
		if err != nil || id == 0 {
			return fmt.Errorf("alert %q is not an alert number: see `waconsole alerts`", pos[1])
		}
		if err := c.AckAlert(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "alert %d acknowledged\n", id)
		return nil
	case len(pos) != 0:
		return errors.New(alertsUsage)
	}
	list, err := c.Alerts(ctx, *sessionID, !*all, 0)
	if err != nil {
		return exitError{1, err.Error()}
	}
	if f.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(api.AlertList{Alerts: list}); err != nil {
			return err
		}
	} else {
		printAlerts(stdout, list, *all)
	}
	for _, a := range list {
		if *check && a.Severity == "critical" && a.Resolved.IsZero() {
			return exitError{code: 1}
		}
	}
	return nil
}

// printAlerts writes the alerts as aligned columns.
func printAlerts(w io.Writer, list []api.Alert, all bool) {
	if len(list) == 0 {
		if all {
			fmt.Fprintln(w, "no alerts")
		} else {
			fmt.Fprintln(w, "no open alerts (--all shows the resolved ones)")
		}
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tKIND\tSESSION\tRAISED\tACKED\tRESOLVED\tREASON")
	ago := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return termtext.Age(time.Since(t)) + " ago"
	}
	for _, a := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Severity, a.Kind, orDash(a.Session), ago(a.Raised), ago(a.Acked), ago(a.Resolved), oneLine(a.Reason, 100))
	}
	tw.Flush()
}
