package webhook

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	ok := Config{Session: "s1", URL: "https://hooks.example.com/wa", SecretEnv: "WA_SECRET"}
	w, err := ok.Validate()
	if err != nil || w.URL != ok.URL || w.SecretEnv != "WA_SECRET" || w.Events != nil {
		t.Fatalf("valid config = %+v, %v", w, err)
	}
	evs := ok
	evs.Events = []string{"outbox.dead", "message.received", "outbox.dead"}
	if w, err := evs.Validate(); err != nil || !slices.Equal(w.Events, []string{"message.received", "outbox.dead"}) {
		t.Errorf("events = %v, %v; want sorted without repeats", w.Events, err)
	}
	for _, tc := range []struct {
		change func(*Config)
		want   string
	}{
		{func(c *Config) { c.URL = "" }, "no URL"},
		{func(c *Config) { c.URL = "ftp://example.com/x" }, "scheme must be http or https"},
		{func(c *Config) { c.URL = "https:///path" }, "has no host"},
		{func(c *Config) { c.URL = "https://user:pw@example.com/" }, "user or password"},
		{func(c *Config) { c.Events = []string{"message.recieved"} }, `unknown event "message.recieved"`},
		{func(c *Config) { c.SecretEnv = "" }, "no secret"},
		{func(c *Config) { c.SecretFile = "/run/s" }, "not both"},
		{func(c *Config) { c.SecretEnv, c.SecretFile = "", "secret.txt" }, "absolute path"},
		{func(c *Config) { c.SecretEnv = "1BAD" }, "environment variable name"},
		{func(c *Config) { c.Name = "no spaces" }, `name "no spaces"`},
	} {
		c := ok
		tc.change(&c)
		_, err := c.Validate()
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want ErrInvalid saying %q", c, err, tc.want)
		}
	}
}

func TestParseEvents(t *testing.T) {
	if got := ParseEvents(" message.ack, ,outbox.sent "); !slices.Equal(got, []string{"message.ack", "outbox.sent"}) {
		t.Errorf("ParseEvents = %q", got)
	}
}

// Whatever the operator types, Validate answers without panicking, and what
// it accepts is what the worker can use.
func FuzzConfigValidate(f *testing.F) {
	f.Add("https://example.com/h", "message.received,outbox.dead", "", "WA_SECRET", "crm")
	f.Add("http://127.0.0.1:8080", "", "/run/secret", "", "")
	f.Add("https://[::1]:99999/x#f", "session.state", "rel/path", "X", "a b")
	f.Fuzz(func(t *testing.T, rawURL, events, file, env, name string) {
		w, err := Config{Session: "s1", Name: name, URL: rawURL, Events: ParseEvents(events), SecretFile: file, SecretEnv: env}.Validate()
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		u, perr := url.Parse(w.URL)
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			t.Fatalf("accepted URL %q", w.URL)
		}
		for _, e := range w.Events {
			if !slices.Contains(Events, e) {
				t.Fatalf("accepted event %q", e)
			}
		}
		if (w.SecretFile == "") == (w.SecretEnv == "") {
			t.Fatalf("accepted secret sources file %q env %q", w.SecretFile, w.SecretEnv)
		}
	})
}
