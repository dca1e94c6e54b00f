package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/webhook"
)

const webhookUse = `usage:
  waconsole webhook secret                 print a fresh whsec_ secret
  waconsole webhook add SESSION URL [--name N] [--events E,...] (--secret-file F | --secret-env NAME)
  waconsole webhook list SESSION [--json]
  waconsole webhook remove SESSION NAME [--yes]
  waconsole webhook test SESSION [NAME] [--json]
  waconsole webhook deliveries SESSION [--state dead,...] [--json]
  waconsole webhook retry SESSION DELIVERY`

// testTimeout covers the server's wait for a test's first attempt (20 s).
const testTimeout = 30 * time.Second

func cmdWebhook(args []string, stdout io.Writer) error {
	fs := newFlagSet("webhook", webhookUse)
	var f flags
	f.client(fs)
	f.json(fs)
	f.confirm(fs)
	name := fs.String("name", "", "the endpoint's name in its session (default hook1, hook2, ...)")
	events := fs.String("events", "", "comma-separated events to deliver: "+strings.Join(webhook.Events, ", ")+" (default all)")
	secretFile := fs.String("secret-file", "", "a file holding the endpoint's whsec_ secret, read at each delivery")
	secretEnv := fs.String("secret-env", "", "an environment variable of the server holding the whsec_ secret")
	states := fs.String("state", "", "only deliveries in these states ("+strings.Join(api.DeliveryStates, ",")+")")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 1 && pos[0] == "secret" {
		secret, err := webhook.NewSecret()
		if err == nil {
			fmt.Fprintln(stdout, secret)
		}
		return err
	}
	if len(pos) < 2 {
		return errors.New(webhookUse)
	}
	verb, id, rest := pos[0], pos[1], pos[2:]
	timeout := clientTimeout
	if verb == "test" {
		timeout = testTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c := f.api()
	switch {
	case verb == "add" && len(rest) == 1:
		file := *secretFile
		if file != "" {
			// The server reads it from its own working directory.
			if file, err = filepath.Abs(file); err != nil {
				return err
			}
		}
		w, err := c.AddWebhook(ctx, id, api.WebhookRequest{Name: *name, URL: rest[0], Events: webhook.ParseEvents(*events), SecretFile: file, SecretEnv: *secretEnv})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "webhook %s of %s added: %s\n", w.Name, id, w.URL)
		return nil
	case verb == "list" && len(rest) == 0:
		list, err := c.Webhooks(ctx, id)
		if err != nil || f.asJSON {
			return jsonOr(stdout, f.asJSON, map[string]any{"webhooks": list}, err)
		}
		for _, w := range list {
			evs := strings.Join(w.Events, ",")
			if evs == "" {
				evs = "all events"
			}
			secret := "file " + w.SecretFile
			if w.SecretEnv != "" {
				secret = "env " + w.SecretEnv
			}
			fmt.Fprintf(stdout, "%-12s  %s  %s  secret from %s\n", w.Name, w.URL, evs, secret)
			if !w.Disabled.IsZero() {
				fmt.Fprintf(stdout, "%-12s  disabled since %s: %s; add it again under its name to turn it back on\n",
					"", w.Disabled.Local().Format(time.DateTime), w.DisabledReason)
			}
		}
		return nil
	case verb == "remove" && len(rest) == 1:
		if !f.yes {
			if err := confirm(fmt.Sprintf("remove webhook %s of %s? its queued deliveries go dead", rest[0], id)); err != nil {
				return err
			}
		}
		if err := c.RemoveWebhook(ctx, id, rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "webhook %s of %s removed\n", rest[0], id)
		return nil
	case verb == "test" && len(rest) <= 1:
		return webhookTest(ctx, c, stdout, id, strings.Join(rest, ""), f.asJSON)
	case verb == "deliveries" && len(rest) == 0:
		var st []string
		if *states != "" {
			st = strings.Split(*states, ",")
		}
		ds, err := c.Deliveries(ctx, id, st...)
		if err != nil || f.asJSON {
			return jsonOr(stdout, f.asJSON, map[string]any{"deliveries": ds}, err)
		}
		for _, d := range ds {
			printDelivery(stdout, d)
		}
		return nil
	case verb == "retry" && len(rest) == 1:
		seq, err := strconv.ParseUint(rest[0], 10, 64)
		if err != nil {
			return fmt.Errorf("delivery %q is not a delivery number: see waconsole webhook deliveries %s", rest[0], id)
		}
		if _, err := c.RetryDelivery(ctx, id, seq); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "delivery %d queued again\n", seq)
		return nil
	}
	return errors.New(webhookUse)
}

// webhookTest sends a test event and says how each delivery went; it fails
// when one was not delivered.
func webhookTest(ctx context.Context, c *api.Client, stdout io.Writer, id, name string, asJSON bool) error {
	ds, err := c.TestWebhook(ctx, id, name)
	if err != nil {
		return err
	}
	if asJSON {
		if err := json.NewEncoder(stdout).Encode(map[string]any{"deliveries": ds}); err != nil {
			return err
		}
	}
	failed := 0
	for _, d := range ds {
		if !asJSON {
			printDelivery(stdout, d)
		}
		if d.State != "delivered" {
			failed++
		}
	}
	if failed > 0 {
		return exitError{code: 1, msg: fmt.Sprintf("%d of %d test deliveries failed; fix the endpoint or its secret, then: waconsole webhook deliveries %s", failed, len(ds), id)}
	}
	return nil
}

func printDelivery(w io.Writer, d api.Delivery) {
	status := "-"
	if d.LastStatus != 0 {
		status = strconv.Itoa(d.LastStatus)
	}
	fmt.Fprintf(w, "%6d  %-10s  %-12s  %-16s  %s  attempts %d  status %s  %s\n", d.Seq, d.State, d.Endpoint, d.Type, d.WebhookID, d.Attempts, status, oneLine(d.LastError, 60))
}

// jsonOr prints v as JSON when asked and there is no error.
func jsonOr(w io.Writer, asJSON bool, v any, err error) error {
	if err != nil || !asJSON {
		return err
	}
	return json.NewEncoder(w).Encode(v)
}
