package webhook

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/waconsole/waconsole/store"
)

// ErrInvalid marks configuration the operator must correct.
var ErrInvalid = errors.New("invalid webhook configuration")

// Events are the event types an endpoint can choose; none chosen means all.
var Events = []string{"message.received", "message.ack", "session.state", "outbox.sent", "outbox.dead", "alert.raised", "alert.resolved"}

// TestEvent is what `webhook test` sends; it goes to the endpoints tested
// whatever events they chose.
const TestEvent = "webhook.test"

// Config is an endpoint as the operator gives it.
type Config struct {
	Session    string
	Name       string // empty: the first free of hook1, hook2, ...
	URL        string
	Events     []string
	SecretFile string // an absolute path the server reads
	SecretEnv  string // a variable of the server's environment
}

var (
	namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	envPattern  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)
)

// Validate checks c and returns the endpoint to store. Every error wraps
// ErrInvalid and says what to change.
func (c Config) Validate() (store.Webhook, error) {
	bad := func(format string, args ...any) (store.Webhook, error) {
		return store.Webhook{}, fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	if c.Name != "" && !namePattern.MatchString(c.Name) {
		return bad("name %q: use up to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", c.Name)
	}
	if err := checkURL(c.URL); err != nil {
		return bad("%v", err)
	}
	events, err := checkEvents(c.Events)
	if err != nil {
		return bad("%v", err)
	}
	switch {
	case c.SecretFile == "" && c.SecretEnv == "":
		return bad("no secret: give --secret-file FILE or --secret-env NAME (make one with: waconsole webhook secret)")
	case c.SecretFile != "" && c.SecretEnv != "":
		return bad("two secrets: give --secret-file or --secret-env, not both")
	case c.SecretFile != "" && (!filepath.IsAbs(c.SecretFile) || strings.ContainsRune(c.SecretFile, 0)):
		return bad("secret file %q: give an absolute path, the server reads it from its own directory", c.SecretFile)
	case c.SecretEnv != "" && !envPattern.MatchString(c.SecretEnv):
		return bad("secret variable %q: an environment variable name is letters, digits and '_', not starting with a digit", c.SecretEnv)
	}
	return store.Webhook{Session: c.Session, Name: c.Name, URL: c.URL, Events: events, SecretFile: c.SecretFile, SecretEnv: c.SecretEnv}, nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		return errors.New("no URL: give the endpoint's http:// or https:// URL")
	case err != nil:
		return fmt.Errorf("URL %q does not parse: %v", raw, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("URL %q: the scheme must be http or https", raw)
	case u.Hostname() == "":
		return fmt.Errorf("URL %q has no host", raw)
	case u.User != nil:
		return fmt.Errorf("URL %q carries a user or password: the store would keep it; receivers verify the signature instead", raw)
	case u.Fragment != "" || strings.ContainsAny(raw, " \t\r\n"):
		return fmt.Errorf("URL %q has a fragment or white space", raw)
	}
	return nil
}

// checkEvents returns the chosen events sorted, without repeats.
func checkEvents(events []string) ([]string, error) {
	var out []string
	for _, e := range events {
		if !slices.Contains(Events, e) {
			return nil, fmt.Errorf("unknown event %q: choose from %s (none: all of them)", e, strings.Join(Events, ", "))
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return out, nil
}

// ParseEvents splits a comma-separated list such as the --events flag's.
func ParseEvents(s string) []string {
	var out []string
	for _, e := range strings.Split(s, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}
