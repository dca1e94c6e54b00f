package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/waconsole/waconsole/session"
)

// alerts exports the open alerts by kind and severity: every kind at its
// own severity, 0 where none is open, so that a rule sees a 0 fall to 1.
func (c collector) alerts(gauge func(d *prometheus.Desc, v float64, labels ...string), failed func(string, error)) {
	type key struct{ kind, severity string }
	open := map[key]int{}
	for _, k := range session.AlertKinds {
		open[key{string(k), string(k.Severity())}] = 0
	}
	list, err := c.m.o.Runtime.Alerts(session.AlertQuery{Open: true})
	if err != nil {
		failed("open alerts", err)
		return
	}
	for _, a := range list {
		open[key{string(a.Kind), string(a.Severity)}]++
	}
	for k, n := range open {
		gauge(descAlertsOpen, float64(n), k.kind, k.severity)
	}
}
