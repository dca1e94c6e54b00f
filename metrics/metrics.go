package metrics

import (
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/store"
)

// Options are what the metrics read.
type Options struct {
	Runtime session.Runtime
	Store   *store.DB
	// Dropped counts the updates the runtime's subscribers never received
	// (Manager.DroppedUpdates).
	Dropped func() uint64
	Log     *slog.Logger // reads that fail during a scrape; nil discards
	// AuthFailures counts the API over TCP's refused requests by reason
	// (api.KeyGuard.Failures); nil when the API is not served over TCP.
	AuthFailures func() map[string]uint64
}

// Metrics is the registry of one process, fed by the runtime's updates
// until Close.
type Metrics struct {
	o     Options
	reg   *prometheus.Registry
	feed  *feed
	close func()
	done  chan struct{}
}

// New registers the metrics and starts following the runtime's updates.
func New(o Options) *Metrics {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	latency := newLatency()
	m := &Metrics{o: o, reg: prometheus.NewRegistry(), feed: newFeed(latency), done: make(chan struct{})}
	m.reg.MustRegister(collector{m}, latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if o.AuthFailures != nil {
		m.reg.MustRegister(authCollector{o.AuthFailures})
	}
	updates, cancel := o.Runtime.Subscribe()
	m.close = cancel
	go func() {
		defer close(m.done)
		m.feed.run(updates)
	}()
	return m
}

// Close stops following the runtime.
func (m *Metrics) Close() {
	m.close()
	<-m.done
}

// Gatherer is the registry, for tests and other handlers.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Handler serves /metrics, /healthz and /readyz.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		// A store read failing must not hide every other metric; it is
		// logged and counted in waconsole_scrape_errors.
		ErrorHandling: promhttp.ContinueOnError,
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", m.readyz)
	return mux
}
