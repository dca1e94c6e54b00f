package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/termtext"
)

// Webhooks is what the webhook screen needs of the webhook service; the
// console is handed it in Options, so ui knows neither the service nor the
// store.
type Webhooks interface {
	WebhookEndpoints(session string) ([]WebhookEndpoint, error)
	// AddEndpoint validates and stores an endpoint as the webhook service
	// does for the CLI and the API; its error says what to correct.
	AddEndpoint(session string, e NewEndpoint) (WebhookEndpoint, error)
	// WebhookDeliveries returns the session's newest n deliveries, newest first.
	WebhookDeliveries(session string, n int) ([]WebhookDelivery, error)
	// TestEndpoint sends a test event to the endpoint and returns the
	// delivery once its first attempt is over.
	TestEndpoint(ctx context.Context, session, name string) (WebhookDelivery, error)
	RetryWebhookDelivery(session string, seq uint64) error
	RemoveWebhook(session, name string) error
}

// WebhookEndpoint is one endpoint of a session. Secret says where the
// signing secret comes from, never the secret itself.
type WebhookEndpoint struct {
	Name   string
	URL    string
	Events []string // empty: every event
	Secret string   // "file PATH" or "env NAME"
	// Disabled says why nothing is sent to it (it answered 410 Gone); empty
	// while enabled.
	Disabled string
}

// NewEndpoint is an endpoint as the operator typed it in the console.
type NewEndpoint struct {
	Name       string // empty: the service picks hook1, hook2, ...
	URL        string
	Events     string // comma-separated; empty: every event
	SecretFile string // exactly one of SecretFile and SecretEnv
	SecretEnv  string
}

// WebhookDelivery is one event on its way to one endpoint.
type WebhookDelivery struct {
	Seq         uint64
	Endpoint    string
	Type        string
	State       string // pending, delivering, delivered, dead
	Attempts    int
	LastStatus  int // HTTP status of the last attempt; 0 if none came back
	LastError   string
	Created     time.Time
	NextAttempt time.Time
}

// webhookDeliveries is how many of the newest deliveries the screen shows.
const webhookDeliveries = 50

// webhooksView is one session's webhook endpoints and recent deliveries,
// polled every second; tab moves the focus between the two lists.
type webhooksView struct {
	id         string
	endpoints  []WebhookEndpoint
	deliveries []WebhookDelivery
	onDeliver  bool // the deliveries list has the focus
	epCur      cursor
	dCur       cursor
	polled
}

type webhooksMsg struct {
	id         string
	endpoints  []WebhookEndpoint
	deliveries []WebhookDelivery
	err        error
}

func (m *Model) openWebhooks(id string) tea.Cmd {
	if m.opts.Webhooks == nil {
		return m.setFlash(warn("webhooks are not available in this console: use waconsole webhook list %s", id))
	}
	v := &webhooksView{id: id}
	m.push(v)
	return v.refresh(m.opts.Webhooks)
}

func (v *webhooksView) crumb() string     { return "webhooks" }
func (v *webhooksView) sessionID() string { return v.id }

func (v *webhooksView) shortKeys(m *Model) []key.Binding {
	k := m.km.Webhook
	if v.onDeliver {
		return []key.Binding{k.Switch, k.Retry}
	}
	return []key.Binding{k.Switch, k.Add, k.Test, k.Remove}
}

func (v *webhooksView) allKeys(m *Model) []key.Binding { return m.km.Webhook.Bindings() }

func (v *webhooksView) poll(m *Model) tea.Cmd { return v.refresh(m.opts.Webhooks) }

func (v *webhooksView) receive(_ *Model, msg tea.Msg) (tea.Cmd, bool) {
	r, ok := msg.(webhooksMsg)
	if !ok {
		return nil, false
	}
	return v.loaded(r), true
}

// refresh fetches both lists unless a fetch is still in flight.
func (v *webhooksView) refresh(w Webhooks) tea.Cmd {
	if !v.begin() {
		return nil
	}
	id := v.id
	return func() tea.Msg {
		eps, err := w.WebhookEndpoints(id)
		if err != nil {
			return webhooksMsg{id: id, err: err}
		}
		ds, err := w.WebhookDeliveries(id, webhookDeliveries)
		return webhooksMsg{id: id, endpoints: eps, deliveries: ds, err: err}
	}
}

// loaded reports a new error once, not every second.
func (v *webhooksView) loaded(msg webhooksMsg) tea.Cmd {
	if msg.id != v.id {
		return nil
	}
	cmd, ok := v.settle(msg.err, "could not read the webhooks of %s", v.id)
	if ok {
		v.endpoints, v.deliveries = msg.endpoints, msg.deliveries
	}
	return cmd
}

// webhookRows splits the body's lines between the two tables: the
// endpoints take what they need up to a third, the deliveries the rest.
func webhookRows(h, endpoints int) (int, int) {
	const head = 4 // title, endpoints heading, blank, deliveries heading
	avail := max(h-head, 4)
	ep := min(max(endpoints, 1)+1, max(avail/3, 2))
	return ep, max(avail-ep, 2)
}

func (v *webhooksView) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k, w, id := m.km.Webhook, m.opts.Webhooks, v.id
	epRows, dRows := webhookRows(m.bodyHeight(), len(v.endpoints))
	if key.Matches(msg, k.Switch) {
		v.onDeliver = !v.onDeliver
		return nil, true
	}
	if v.onDeliver {
		if v.dCur.move(msg, m.km.Nav, len(v.deliveries), dRows-1) {
			return nil, true
		}
	} else if v.epCur.move(msg, m.km.Nav, len(v.endpoints), epRows-1) {
		return nil, true
	}
	switch {
	case key.Matches(msg, k.Add):
		return m.openWebhookAdd(id), true
	case key.Matches(msg, k.Test, k.Remove) && v.onDeliver,
		key.Matches(msg, k.Retry) && !v.onDeliver:
		return m.setFlash(warn("tab moves between the endpoints and the deliveries")), true
	case key.Matches(msg, k.Test, k.Remove) && len(v.endpoints) == 0:
		return m.setFlash(warn("no endpoint: add one with waconsole webhook add %s URL --secret-env NAME", id)), true
	case key.Matches(msg, k.Retry) && len(v.deliveries) == 0:
		return m.setFlash(warn("no delivery to retry")), true
	case key.Matches(msg, k.Test):
		return testEndpoint(w, id, v.endpoints[min(v.epCur.idx, len(v.endpoints)-1)].Name), true
	case key.Matches(msg, k.Remove):
		ep := v.endpoints[min(v.epCur.idx, len(v.endpoints)-1)]
		m.dialog = newConfirm("Remove webhook "+ep.Name+"?",
			"Events stop going to "+ep.URL+"; its queued deliveries go dead at their next attempt.",
			act(func() error { return w.RemoveWebhook(id, ep.Name) }, fmt.Sprintf("%s: webhook %s removed", id, ep.Name),
				"could not remove webhook "+ep.Name))
		return nil, true
	case key.Matches(msg, k.Retry):
		d := v.deliveries[min(v.dCur.idx, len(v.deliveries)-1)]
		if d.State != "dead" {
			return m.setFlash(warn("delivery %d is %s: only a dead delivery is retried", d.Seq, d.State)), true
		}
		return act(func() error { return w.RetryWebhookDelivery(id, d.Seq) }, fmt.Sprintf("%s: delivery %d queued again", id, d.Seq),
			fmt.Sprintf("could not retry delivery %d", d.Seq)), true
	}
	return nil, false
}

// testEndpoint sends a test event and says how its first attempt went.
func testEndpoint(w Webhooks, id, name string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := pageCtx()
		defer cancel()
		d, err := w.TestEndpoint(ctx, id, name)
		switch {
		case err != nil:
			return failed(err, "could not test webhook %s", name)
		case d.State == "delivered":
			return info("webhook %s: test delivered (HTTP %d)", name, d.LastStatus)
		}
		return warn("webhook %s: test %s: %s", name, d.State, deliveryOutcome(d))
	}
}

// deliveryOutcome is the last status and error of a delivery.
func deliveryOutcome(d WebhookDelivery) string {
	if d.Attempts == 0 {
		return "not tried yet"
	}
	status := "no answer"
	if d.LastStatus != 0 {
		status = "HTTP " + strconv.Itoa(d.LastStatus)
	}
	return joinNonEmpty(": ", status, d.LastError)
}

func (v *webhooksView) view(m *Model, w, h int) string {
	title := styles.Heading.Render("Webhooks of " + v.id)
	if !v.ready {
		msg := "Loading…"
		if v.err != nil {
			msg = styles.Error.Render("Could not read the webhooks: " + v.err.Error())
		}
		return title + "\n\n" + wrap(msg, w)
	}
	if v.err != nil {
		title += "  " + styles.Error.Render("stale: "+v.err.Error())
	}
	epRows, dRows := webhookRows(h, len(v.endpoints))
	focus := func(c cursor, on bool) cursor {
		if !on {
			c.idx = -1
		}
		return c
	}
	lines := []string{title, styles.Heading.Render(fmt.Sprintf("Endpoints (%d)", len(v.endpoints)))}
	if len(v.endpoints) == 0 {
		lines = append(lines, styles.Hint.Render(trunc("none: add one with waconsole webhook add "+v.id+" URL --secret-env NAME", w)))
	} else {
		rows := make([][]string, len(v.endpoints))
		for i, e := range v.endpoints {
			events := strings.Join(e.Events, ",")
			if events == "" {
				events = "all"
			}
			url := e.URL
			if e.Disabled != "" {
				url = styles.Error.Render("disabled") + " " + url
			}
			rows[i] = []string{e.Name, url, events, e.Secret}
		}
		// The URL takes what the others leave: about half at any width.
		cols := []column{{"NAME", 10}, {"URL", 0}, {"EVENTS", min(max(w/4, 20), 34)}, {"SECRET", min(max(w*2/7, 22), 40)}}
		v.epCur.clamp(len(rows), epRows-1)
		lines = append(lines, renderTable(cols, rows, focus(v.epCur, !v.onDeliver), w, epRows))
	}
	lines = append(lines, "", styles.Heading.Render(fmt.Sprintf("Recent deliveries (%d)", len(v.deliveries))))
	if len(v.deliveries) == 0 {
		lines = append(lines, styles.Hint.Render("none yet: t sends a test event"))
		return strings.Join(lines, "\n")
	}
	now := m.now()
	rows := make([][]string, len(v.deliveries))
	for i, d := range v.deliveries {
		state := d.State
		if d.State == "dead" {
			state = styles.Error.Render(state)
		}
		rows[i] = []string{strconv.FormatUint(d.Seq, 10), d.Endpoint, d.Type, state, strconv.Itoa(d.Attempts),
			termtext.Age(now.Sub(d.Created)), deliveryOutcome(d)}
	}
	cols := []column{{"SEQ", 5}, {"ENDPOINT", 10}, {"EVENT", 16}, {"STATE", 10}, {"TRIES", 5}, {"AGE", 6}, {"LAST STATUS / ERROR", 0}}
	v.dCur.clamp(len(rows), dRows-1)
	lines = append(lines, renderTable(cols, rows, focus(v.dCur, v.onDeliver), w, dRows))
	return strings.Join(lines, "\n")
}
