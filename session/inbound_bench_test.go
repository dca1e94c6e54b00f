package session

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	bolt "go.etcd.io/bbolt"

	"github.com/waconsole/waconsole/simweb"
)

// ingestBatch is how many events the bridge puts in one binding call.
const ingestBatch = 500

// reportScript makes the page report n inbound messages through the
// binding, ingestBatch to a call as the bridge flushes them; ids start with
// prefix and end in their number.
func reportScript(prefix string, n int) string {
	return fmt.Sprintf(`(() => {
  const body = %q;
  for (let i = 0; i < %d; i += %d) {
    const batch = [];
    for (let j = i; j < Math.min(i + %d, %d); j++) {
      batch.push({t: 'msg', msg: {id: %q + j, key: 'false_15558880300@c.us_%s' + j, chat: '15558880300@c.us', fromMe: false,
        author: '', body, t: 1764500000, ack: 0, new: true, type: 'chat', media: false, notice: false, mentions: []}});
    }
    window[%q](JSON.stringify(batch));
  }
})()`, strings.Repeat("m", 60), n, ingestBatch, ingestBatch, n, prefix, prefix, bindingName)
}

// BenchmarkInboundIngest measures, in messages a second and in the same
// run, inbound ingest (page event to durable store to the feed) against
// its two raw limits: the CDP binding carrying the same batches with
// nothing done with them, and bbolt writing the same messages in the same
// batches, fsynced.
//
//	go test ./session -run '^$' -bench=InboundIngest -benchtime=20000x
func BenchmarkInboundIngest(b *testing.B) {
	// The stand-in's own clocks: the QR code must not rotate the page
	// away mid-run.
	driver, url := benchSetup(b, simweb.DefaultTimings())
	n := b.N
	binding := perSecond(n, rawBinding(b, driver, url, n))
	bbolt := perSecond(n, rawBolt(b, n))
	var ingest float64
	var shown int
	untilFirstQR(b, driver, url, func(m *Manager) {
		took, seen := ingestOnFeed(b, m, n)
		ingest, shown = perSecond(n, took), seen
	})
	b.ReportMetric(ingest, "ingest-msgs/s")
	b.ReportMetric(binding, "cdp-binding-msgs/s")
	b.ReportMetric(bbolt, "bbolt-batch-msgs/s")
	b.ReportMetric(ingest/binding, "x-of-binding")
	b.ReportMetric(ingest/bbolt, "x-of-bbolt")
	// The rest reached the subscriber as a resync: it fell behind the burst.
	b.ReportMetric(float64(shown)/float64(n), "share-on-feed")
}

func perSecond(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

// rawBinding times n messages through the binding of a bare page, counted
// by the batch as they arrive, nothing decoded.
func rawBinding(b *testing.B, d *ChromeDriver, url string, n int) time.Duration {
	profile := filepath.Join(b.TempDir(), "bare")
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), d.allocatorOptions(d.flags(profile, BrowserSettings{}, proxyConfig{}))...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer func() {
		cancel()
		killProfileProcesses(profile)
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, runtime.AddBinding, runtime.AddBindingParams{Name: bindingName}); err != nil {
		b.Fatal(err)
	}
	calls := chromedp.Events(ctx, runtime.BindingCalled)
	want := (n + ingestBatch - 1) / ingestBatch
	began := time.Now()
	go func() { _ = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](reportScript("R", n))) }()
	got := 0
	for ev, err := range calls {
		if err != nil {
			b.Fatal(err)
		}
		if ev.Name == bindingName {
			if got++; got == want {
				break
			}
		}
	}
	return time.Since(began)
}

// rawBolt times n messages written to a bare bbolt file in batches of
// ingestBatch, one fsynced transaction each: no wait for company.
func rawBolt(b *testing.B, n int) time.Duration {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	v, _ := json.Marshal(InboundMessage{ID: "3A00000000000000000", Chat: "15558880300@c.us", Body: strings.Repeat("m", 60), Time: time.Now(), Received: time.Now()})
	began := time.Now()
	for i := 0; i < n; i += ingestBatch {
		err := db.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("inbound"))
			if err != nil {
				return err
			}
			for j := i; j < min(i+ingestBatch, n); j++ {
				if err := bk.Put(fmt.Appendf(nil, "%016d", j), v); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(began)
}

// ingestOnFeed times n messages from the session's page to the feed,
// through the store. A subscriber that falls behind a burst gets a resync
// for the messages dropped from its backlog, as the console does; the
// snapshot published after each commit, which counts what is stored,
// ends the run.
func ingestOnFeed(b *testing.B, m *Manager, n int) (time.Duration, int) {
	a, err := m.actor("bench")
	if err != nil {
		b.Fatal(err)
	}
	var p *chromePage
	_ = a.do(func() error { p, _ = a.page.(*chromePage); return nil })
	if p == nil {
		b.Fatal("the session runs no Chromium page")
	}
	updates, stop := m.Subscribe()
	defer stop()
	b.ResetTimer()
	began := time.Now()
	evalErr := make(chan error, 1)
	go func() { evalErr <- chromedp.Do(p.ctx, chromedp.Evaluate[chromedp.Void](reportScript("I", n))) }()
	timeout := time.After(time.Minute)
	seen := 0
	for {
		select {
		case u := <-updates:
			if u.Message != nil && strings.HasPrefix(u.Message.ID, "I") {
				seen++
			}
			if u.Snapshot != nil && u.Snapshot.Inbox.Stored == n {
				took := time.Since(began)
				b.StopTimer()
				return took, seen
			}
		case err := <-evalErr:
			if err != nil {
				b.Fatalf("the page did not report: %v", err)
			}
		case <-timeout:
			st, _ := m.cfg.Store.InboundStats("bench")
			b.Fatalf("%d of %d messages stored and shown within a minute", st.Stored, n)
		}
	}
}
