package metrics

import "github.com/prometheus/client_golang/prometheus"

var descAuthFailures = desc("waconsole_api_auth_failures_total",
	"Requests to the API over TCP refused by the key check, by reason: missing, invalid (wrong or revoked), forbidden, rate_limited.", "reason")

// authReasons are exported even at 0, so rate() sees the first failure.
var authReasons = []string{"missing", "invalid", "forbidden", "rate_limited"}

// authCollector reads the key check's failure counts at each scrape.
type authCollector struct{ failures func() map[string]uint64 }

func (c authCollector) Describe(ch chan<- *prometheus.Desc) { ch <- descAuthFailures }

func (c authCollector) Collect(ch chan<- prometheus.Metric) {
	counts := c.failures()
	for _, r := range authReasons {
		ch <- prometheus.MustNewConstMetric(descAuthFailures, prometheus.CounterValue, float64(counts[r]), r)
	}
}
