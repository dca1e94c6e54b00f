package simweb

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// fastTimings keeps the whole lifecycle well under a second.
func fastTimings() Timings {
	t := DefaultTimings().Scale(0.01) // FirstRef 600ms, NextRef 200ms
	t.PairDelay, t.SyncDelay, t.AckDelay = 10*time.Millisecond, 10*time.Millisecond, 10*time.Millisecond
	return t
}

// startServer runs a server on a free port and closes it with the test.
func startServer(t *testing.T, opts Options) (*Server, *Client) {
	t.Helper()
	if opts.Logf == nil {
		opts.Logf = t.Logf
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, &Client{BaseURL: base}
}

// fakeDevice speaks the page's private protocol, so the server and the
// control API can be tested without a browser.
type fakeDevice struct {
	t                    *testing.T
	base                 string
	id                   string
	noise, identity, adv string
	token                string
	events               chan event
	stop                 context.CancelFunc
}

func newFakeDevice(t *testing.T, c *Client) *fakeDevice {
	key := func() string { return base64.StdEncoding.EncodeToString(randBytes(32)) }
	return &fakeDevice{t: t, base: strings.TrimSuffix(c.BaseURL, "/"), id: fmt.Sprintf("fake%x", randBytes(4)),
		noise: key(), identity: key(), adv: key()}
}

// connect opens the stream; it returns the HTTP status of the attempt.
func (f *fakeDevice) connect(synced bool) int {
	f.t.Helper()
	f.close()
	q := url.Values{"device": {f.id}, "noise": {f.noise}, "identity": {f.identity}, "adv": {f.adv}, "token": {f.token}}
	if synced {
		q.Set("synced", "1")
	}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.base+"/sim/stream?"+q.Encode(), nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		f.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		cancel()
		return res.StatusCode
	}
	f.stop, f.events = cancel, make(chan event, 1000)
	go func(ch chan event) {
		defer close(ch)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var ev event
				json.Unmarshal([]byte(data), &ev)
				ch <- ev
			}
		}
	}(f.events)
	f.t.Cleanup(f.close)
	return http.StatusOK
}

func (f *fakeDevice) close() {
	if f.stop != nil {
		f.stop()
		f.stop = nil
	}
}

// next returns the next event of type typ, skipping others.
func (f *fakeDevice) next(typ string) event {
	f.t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-f.events:
			if !ok {
				f.t.Fatalf("stream ended while waiting for %q", typ)
			}
			if ev.Type == typ {
				return ev
			}
		case <-timeout:
			f.t.Fatalf("no %q event within 5s", typ)
		}
	}
}

// ended waits for the server to end the stream.
func (f *fakeDevice) ended() {
	f.t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-f.events:
			if !ok {
				return
			}
		case <-timeout:
			f.t.Fatal("the stream did not end")
		}
	}
}

func (f *fakeDevice) payload(ref string) string {
	return strings.Join([]string{ref, f.noise, f.identity, f.adv, "1"}, ",")
}

// call makes a page -> server call and decodes the answer into out.
func (f *fakeDevice) call(op string, body map[string]any, out any) int {
	f.t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	body["device"], body["token"] = f.id, f.token
	b, _ := json.Marshal(body)
	res, err := http.Post(f.base+"/sim/device/"+op, "application/json", bytes.NewReader(b))
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	if out != nil {
		json.NewDecoder(res.Body).Decode(out)
	}
	return res.StatusCode
}

// pair connects the device, scans its QR with phone and waits for the sync.
func (f *fakeDevice) pair(c *Client, phone string) {
	f.t.Helper()
	f.connect(false)
	hello := f.next("hello")
	if err := c.Scan(context.Background(), f.payload(hello.Ref), phone); err != nil {
		f.t.Fatal(err)
	}
	f.token = f.next("paired").Token
	f.next("synced")
	if st := f.call("ready", nil, nil); st != http.StatusOK {
		f.t.Fatalf("ready: %d", st)
	}
	f.next("offline")
}

func deviceState(t *testing.T, c *Client, id string) Device {
	t.Helper()
	devs, err := c.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("device %s not in /sim/state", id)
	return Device{}
}
