package sshconsole

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/ui"
)

// connRuntime is the runtime as one SSH connection's console sees it: it
// logs each destructive action and each send taken through it, refuses
// sends to a read-only connection (whose console already disables them),
// and ends the console's subscriptions when the connection closes, since a
// program ended by a dropped connection never quits itself.
type connRuntime struct {
	session.Runtime
	audit    func(action, target string, err error, attrs ...any)
	readOnly bool

	mu      sync.Mutex
	closed  bool
	next    int
	cancels map[int]func()
}

func newConnRuntime(rt session.Runtime, readOnly bool, audit func(action, target string, err error, attrs ...any)) *connRuntime {
	return &connRuntime{Runtime: rt, audit: audit, readOnly: readOnly, cancels: map[int]func(){}}
}

// Subscribe after close (the console's first command can run after the
// connection dropped) returns a closed feed rather than one nobody ends.
func (c *connRuntime) Subscribe() (<-chan session.Update, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		ch := make(chan session.Update)
		close(ch)
		return ch, func() {}
	}
	ch, cancel := c.Runtime.Subscribe()
	n := c.next
	c.next++
	c.cancels[n] = cancel
	return ch, func() {
		cancel()
		c.mu.Lock()
		delete(c.cancels, n)
		c.mu.Unlock()
	}
}

// close ends every subscription still open, and any made later.
func (c *connRuntime) close() {
	c.mu.Lock()
	cancels := c.cancels
	c.cancels = map[int]func(){}
	c.closed = true
	c.mu.Unlock()
	for _, cancel := range cancels {
		cancel()
	}
}

func (c *connRuntime) logged(action, id string, err error) error {
	c.audit(action, id, err)
	return err
}

func (c *connRuntime) Stop(id string) error    { return c.logged("stop", id, c.Runtime.Stop(id)) }
func (c *connRuntime) Restart(id string) error { return c.logged("restart", id, c.Runtime.Restart(id)) }
func (c *connRuntime) Logout(id string) error  { return c.logged("logout", id, c.Runtime.Logout(id)) }
func (c *connRuntime) Delete(id string) error  { return c.logged("delete", id, c.Runtime.Delete(id)) }

func (c *connRuntime) DiscardJob(id string, seq uint64) error {
	return c.logged("discard a queued message of", id, c.Runtime.DiscardJob(id, seq))
}

func (c *connRuntime) MarkRead(ctx context.Context, id, chatID string) error {
	err := c.Runtime.MarkRead(ctx, id, chatID)
	c.audit("mark read a chat of", id, err, "chat", chatID)
	return err
}

func (c *connRuntime) AckAlert(alertID uint64) error {
	return c.logged("acknowledge alert", strconv.FormatUint(alertID, 10), c.Runtime.AckAlert(alertID))
}

// errReadOnlySend is what a read-only connection gets for a send.
var errReadOnlySend = errors.New("this SSH console is read-only: messages cannot be sent from it; connect with a read-write key to send")

// Send and SendMany log the chat (the log masks its number) and the jobs'
// sequence numbers, never the text.
func (c *connRuntime) Send(ctx context.Context, id, chatID, body string) (session.Job, error) {
	if c.readOnly {
		return session.Job{}, c.logged("send a message from", id, errReadOnlySend)
	}
	job, err := c.Runtime.Send(ctx, id, chatID, body)
	c.audit("send a message from", id, err, "chat", chatID, "job", job.Seq)
	return job, err
}

func (c *connRuntime) SendMany(ctx context.Context, id, chatID, replyTo string, bodies []string) ([]session.Job, error) {
	if c.readOnly {
		return nil, c.logged("send a message from", id, errReadOnlySend)
	}
	jobs, err := c.Runtime.SendMany(ctx, id, chatID, replyTo, bodies)
	seqs := make([]uint64, len(jobs))
	for i, j := range jobs {
		seqs[i] = j.Seq
	}
	c.audit("send a message from", id, err, "chat", chatID, "jobs", seqs)
	return jobs, err
}

func (c *connRuntime) StartDrain(id string, req session.DrainRequest) (session.DrainInfo, error) {
	info, err := c.Runtime.StartDrain(id, req)
	if req.Action == session.DrainRead {
		c.audit("mark read the unread messages of", id, err)
	}
	return info, err
}

// connWebhooks logs the webhook changes made from one connection. The
// endpoint's URL is left out of the log: it may carry a token.
type connWebhooks struct {
	ui.Webhooks
	audit func(action, target string, err error, attrs ...any)
}

func (c connWebhooks) AddEndpoint(id string, e ui.NewEndpoint) (ui.WebhookEndpoint, error) {
	ep, err := c.Webhooks.AddEndpoint(id, e)
	name := e.Name
	if err == nil {
		name = ep.Name // the service names an endpoint left unnamed
	}
	c.audit("add webhook endpoint "+name+" to", id, err)
	return ep, err
}

func (c connWebhooks) RemoveWebhook(id, name string) error {
	err := c.Webhooks.RemoveWebhook(id, name)
	c.audit("remove webhook endpoint "+name+" of", id, err)
	return err
}
