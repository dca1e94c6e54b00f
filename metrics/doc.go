// Package metrics exposes the sessions and the store to Prometheus on
// /metrics, with /healthz and /readyz for supervisors and load balancers.
// Gauges and most counters are read from the runtime and the store at each
// scrape; the few counts nothing keeps (disconnects, browser restarts, send
// failures by type, queue latency) are taken from the runtime's update feed.
package metrics
