package cli

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/waconsole/waconsole/api"
)

// alertingValues are the alert threshold flags of `session set`.
type alertingValues struct {
	disconnected, sendFailures, restarts *string
}

func alertingFlags(fs *flag.FlagSet) alertingValues {
	return alertingValues{
		disconnected: fs.String("alert-disconnected", "", "set: DISCONNECTED this long raises an alert (default 1m)"),
		sendFailures: fs.String("alert-send-failures", "", "set: N/D, this many failed send attempts within D raise an alert (default 3/5m)"),
		restarts:     fs.String("alert-restarts", "", "set: N/D, this many browser failures within D raise an alert (default 3/10m)"),
	}
}

// request is the change the alert flags given ask for; nil when none is.
func (v alertingValues) request(set func(string) bool) (*api.AlertingRequest, error) {
	var r api.AlertingRequest
	changed := false
	if set("alert-disconnected") {
		if *v.disconnected == useDefault {
			r.Defaults = append(r.Defaults, "disconnected")
		} else {
			r.Disconnected = v.disconnected
		}
		changed = true
	}
	for _, f := range []struct {
		flag, field string
		in          *string
		n           **int
		window      **string
	}{{"alert-send-failures", "sendFailures", v.sendFailures, &r.SendFailures, &r.SendWindow}, {"alert-restarts", "restarts", v.restarts, &r.Restarts, &r.RestartWindow}} {
		if !set(f.flag) {
			continue
		}
		changed = true
		if *f.in == useDefault {
			r.Defaults = append(r.Defaults, f.field)
			continue
		}
		count, window, ok := strings.Cut(*f.in, "/")
		n, err := strconv.Atoi(count)
		if !ok || err != nil || window == "" {
			return nil, fmt.Errorf("--%s %q is not a count and a window such as 3/5m, or %q", f.flag, *f.in, useDefault)
		}
		*f.n, *f.window = &n, &window
	}
	if !changed {
		return nil, nil
	}
	return &r, nil
}

// alertingText is the alert thresholds in effect, marking what is a default.
func alertingText(s api.Session) string {
	def := func(set bool) string {
		if set {
			return ""
		}
		return " (default)"
	}
	a, set := s.Alerting, s.AlertingSet
	return fmt.Sprintf("alert when disconnected %s%s, %d send failures in %s%s, %d browser restarts in %s%s",
		a.Disconnected, def(set.Disconnected != nil), a.SendFailures, a.SendWindow, def(set.SendFailures != nil || set.SendWindow != nil),
		a.Restarts, a.RestartWindow, def(set.Restarts != nil || set.RestartWindow != nil))
}
