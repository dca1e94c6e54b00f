package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/store"
)

// allStates lists every session state, so each is exported, 0 where none.
var allStates = []session.State{
	session.Stopped, session.Starting, session.QR, session.LinkCode, session.Syncing, session.Ready,
	session.Disconnected, session.Conflict, session.LoggedOut, session.Blocked, session.Failed,
}

var deliveryStates = []store.DeliveryState{store.DeliveryPending, store.DeliveryDelivering, store.DeliveryDelivered, store.DeliveryDead}

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(name, help, labels, nil)
}

var (
	descSessions       = desc("waconsole_sessions", "Sessions in each state.", "state")
	descSessionState   = desc("waconsole_session_state", "1 for the state a session is in, 0 for the others.", "session", "state")
	descConnected      = desc("waconsole_sessions_connected", "Sessions READY: connected to WhatsApp.")
	descInboundStored  = desc("waconsole_inbound_messages_stored", "Inbound messages captured and kept in the store.", "session")
	descInboundBytes   = desc("waconsole_inbound_stored_bytes", "Approximate bytes the captured inbound messages take in the store.", "session")
	descSent           = desc("waconsole_messages_sent_total", "Messages the outbox sent.", "session")
	descQueueDepth     = desc("waconsole_queue_depth", "Messages waiting in the outbox or being sent (queued, retrying, sending).", "session")
	descQueueHeld      = desc("waconsole_queue_held", "Messages held for an operator.", "session")
	descQueueDead      = desc("waconsole_queue_dead", "Messages the outbox gave up on.", "session")
	descSendFailures   = desc("waconsole_send_failures_total", "Send attempts that failed, by type: rejected, browser_gone, send_error.", "session", "type")
	descDeliveries     = desc("waconsole_webhook_deliveries", "Webhook deliveries in the store by state; dead ones failed for good.", "session", "state")
	descHookFailures   = desc("waconsole_webhook_failures_total", "Webhook delivery attempts that failed, the last attempt of a dead delivery included.", "session")
	descDisconnects    = desc("waconsole_session_disconnects_total", "Times a session went DISCONNECTED.", "session")
	descRestarts       = desc("waconsole_browser_restarts_total", "Times a session's browser was started again after it failed.", "session")
	descStarts         = desc("waconsole_process_starts_total", "Processes that ran the sessions of this store, counted across restarts.")
	descUncleanStarts  = desc("waconsole_process_unclean_starts_total", "Starts that followed a process that did not stop cleanly (killed or crashed).")
	descDrops          = desc("waconsole_update_drops_total", "Updates a slow subscriber (console, API stream) never received.")
	descStoreSize      = desc("waconsole_store_size_bytes", "Size of the store file.")
	descAlertsOpen     = desc("waconsole_alerts_open", "Alerts open, by kind and severity (waconsole alerts lists them).", "kind", "severity")
	descScrapeFailures = desc("waconsole_scrape_errors", "Reads that failed during this scrape; see the process log.")
)

// collector reads the runtime and the store on each scrape.
type collector struct {
	m *Metrics
}

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descSessions, descSessionState, descConnected, descInboundStored, descInboundBytes, descSent,
		descQueueDepth, descQueueHeld, descQueueDead, descSendFailures, descDeliveries, descHookFailures, descDisconnects, descRestarts,
		descStarts, descUncleanStarts, descDrops, descStoreSize, descAlertsOpen, descScrapeFailures} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	o, f := c.m.o, c.m.feed
	errs := 0
	failed := func(what string, err error) {
		errs++
		o.Log.Error("metrics: a read failed", "what", what, "err", err, "err_type", "store")
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}

	list := o.Runtime.List()
	byState := map[session.State]int{}
	for _, s := range list {
		byState[s.State]++
	}
	for _, st := range allStates {
		gauge(descSessions, float64(byState[st]), string(st))
	}
	gauge(descConnected, float64(byState[session.Ready]))

	deliveries, derr := o.Store.DeliveryCounts()
	if derr != nil {
		failed("webhook deliveries", derr)
	}
	for _, s := range list {
		for _, st := range allStates {
			gauge(descSessionState, float64(bool2int(s.State == st)), s.ID, string(st))
		}
		if in, err := o.Store.InboundStats(s.ID); err != nil {
			failed("inbound stats of "+s.ID, err)
		} else {
			gauge(descInboundStored, float64(in.Stored), s.ID)
			gauge(descInboundBytes, float64(in.Bytes), s.ID)
		}
		if qs, err := o.Runtime.QueueStats(s.ID); err != nil {
			failed("queue of "+s.ID, err)
		} else {
			counter(descSent, float64(qs.SentTotal), s.ID)
			gauge(descQueueDepth, float64(qs.Depth), s.ID)
			gauge(descQueueHeld, float64(qs.States[string(session.JobHeld)]), s.ID)
			gauge(descQueueDead, float64(qs.States[string(session.JobDead)]), s.ID)
		}
		if derr == nil {
			for _, st := range deliveryStates {
				gauge(descDeliveries, float64(deliveries[s.ID][st]), s.ID, string(st))
			}
		}
		n := f.counts(s.ID)
		counter(descDisconnects, float64(n.disconnects), s.ID)
		counter(descRestarts, float64(n.restarts), s.ID)
		counter(descHookFailures, float64(n.hookFails), s.ID)
		for _, t := range failTypes {
			counter(descSendFailures, float64(n.failures[t]), s.ID, t)
		}
	}

	if p, err := o.Store.ProcessCounts(); err != nil {
		failed("process starts", err)
	} else {
		counter(descStarts, float64(p.Starts))
		counter(descUncleanStarts, float64(p.Unclean))
	}
	counter(descDrops, float64(o.Dropped()))
	if size, err := o.Store.Size(); err != nil {
		failed("store size", err)
	} else {
		gauge(descStoreSize, float64(size))
	}
	c.alerts(gauge, failed)
	gauge(descScrapeFailures, float64(errs))
}

func bool2int(b bool) int {
	if b {
		return 1
	}
	return 0
}
