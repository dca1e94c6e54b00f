package session

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/waconsole/waconsole/simweb"
	"github.com/waconsole/waconsole/store"
)

// BenchmarkTimeToFirstQR measures, in the same run and from cold profiles,
// the time from starting a session to its first QR code, and the raw limit:
// a bare chromedp launch of the same browser, with the same flags, that
// navigates to the same page. The stand-in's own delays are scaled down to
// 2% so that the figure is the console's cost, not the page's.
//
//	go test ./session -run=^$ -bench=TimeToFirstQR -benchtime=10x
func BenchmarkTimeToFirstQR(b *testing.B) {
	driver, url := benchSetup(b, simweb.DefaultTimings().Scale(simScale))
	var bare, ours time.Duration
	for b.Loop() {
		bare += bareLaunch(b, driver, url)
		ours += firstQR(b, driver, url)
	}
	n := float64(b.N)
	b.ReportMetric(float64(bare.Milliseconds())/n, "bare-launch-ms/op")
	b.ReportMetric(float64(ours.Milliseconds())/n, "first-qr-ms/op")
	b.ReportMetric(float64(ours)/float64(bare), "x-of-bare-launch")
}

// bareLaunch starts Chromium and loads url, the least any driver must do.
func bareLaunch(b *testing.B, d *ChromeDriver, url string) time.Duration {
	profile := filepath.Join(b.TempDir(), "bare")
	began := time.Now()
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), d.allocatorOptions(d.flags(profile, BrowserSettings{}, proxyConfig{}))...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		b.Fatal(err)
	}
	took := time.Since(began)
	_ = chromedp.Cancel(ctx)
	killProfileProcesses(profile)
	return took
}

// benchSetup starts a stand-in with timings and finds the browser the
// sessions would use.
func benchSetup(b *testing.B, timings simweb.Timings) (*ChromeDriver, string) {
	sim, err := simweb.New(simweb.Options{Timings: timings})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sim.Close() })
	url, err := sim.Listen("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	path, err := FindChrome("")
	if err != nil {
		b.Fatal(err)
	}
	return NewChromeDriver(path), url
}

// firstQR starts a session on a fresh data dir and waits for its QR code.
func firstQR(b *testing.B, d *ChromeDriver, url string) time.Duration {
	return untilFirstQR(b, d, url, func(*Manager) {})
}

// untilFirstQR starts a session on a fresh data dir, waits for its QR
// code and calls atQR while the session still runs; it returns the time
// the QR took.
func untilFirstQR(b *testing.B, d *ChromeDriver, url string, atQR func(m *Manager)) time.Duration {
	dir := b.TempDir()
	db, err := store.Open(filepath.Join(dir, "waconsole.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	m, err := NewManager(Config{Store: db, DataDir: dir, WAURL: url, Driver: d})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close(context.Background())
	updates, stop := m.Subscribe()
	defer stop()
	began := time.Now()
	if _, err := m.Add(AddRequest{ID: "bench", Start: true}); err != nil {
		b.Fatal(err)
	}
	timeout := time.After(30 * time.Second)
	for {
		select {
		case u := <-updates:
			if u.Snapshot != nil && u.Snapshot.QR.Payload != "" {
				took := time.Since(began)
				atQR(m)
				return took
			}
		case <-timeout:
			b.Fatal("no QR code within 30 s")
		}
	}
}
