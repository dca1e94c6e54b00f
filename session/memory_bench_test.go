//go:build linux

package session

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/waconsole/waconsole/internal/procs"
	"github.com/waconsole/waconsole/simweb"
)

// BenchmarkBrowserMemory measures, in the same run, the memory of one
// session's browser on the stand-in's QR screen and the raw limit: full
// Chromium started as `chromium --headless` with its default flags on the
// same page. Memory is the PSS of the browser's whole process tree, which
// shares each page fairly between the processes that map it. Its anonymous
// part is reported too: the file-backed rest (mostly the browser's own
// binary) is shared with every other process running the same binary, so
// it shrinks with the number of sessions, and with other browsers running
// on the machine while this benchmark does.
//
//	go test ./session -run '^$' -bench=BrowserMemory -benchtime=3x
func BenchmarkBrowserMemory(b *testing.B) {
	driver, url := benchSetup(b, simweb.DefaultTimings())
	full, err := exec.LookPath("chromium")
	if err != nil {
		b.Fatal("the limit is measured on full Chromium: install it with apt-get install -y chromium")
	}
	b.Logf("session browser: %s", driver)
	var bare, ours pss
	for b.Loop() {
		bare = bare.add(bareMemory(b, full, driver.userAgent, url))
		ours = ours.add(sessionMemory(b, driver, url))
	}
	n := float64(b.N)
	b.ReportMetric(bare.total/n, "bare-pss-MB")
	b.ReportMetric(ours.total/n, "session-pss-MB")
	b.ReportMetric(ours.total/bare.total, "x-of-bare")
	b.ReportMetric(bare.anon/n, "bare-anon-MB")
	b.ReportMetric(ours.anon/n, "session-anon-MB")
	b.ReportMetric(ours.anon/bare.anon, "anon-x-of-bare")
}

// pss is the memory of a process tree in MB: all of it, and its anonymous
// part.
type pss struct{ total, anon float64 }

func (p pss) add(q pss) pss { return pss{p.total + q.total, p.anon + q.anon} }

// qrShown is true once the page draws its QR code.
const qrShown = `(() => { const c = document.querySelector('[data-ref] canvas'); return !!c && c.width > 0; })()`

// bareMemory starts Chromium with no flags but headless, the user agent
// the page asks for and what chromedp needs to drive it, opens url, and
// measures it once the QR code shows.
func bareMemory(b *testing.B, execPath, userAgent, url string) pss {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.UserDataDir(filepath.Join(b.TempDir(), "bare")),
		chromedp.Headless,
		chromedp.UserAgent(userAgent), // else the page asks for a newer browser
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // the sandbox refuses root
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](qrShown)); err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("the bare browser shows no QR code within 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return treePSS(b, chromedp.FromContext(ctx).Browser.Process().Pid)
}

// sessionMemory starts a session on a fresh data dir and measures its
// browser once the session reports a QR code.
func sessionMemory(b *testing.B, d *ChromeDriver, url string) pss {
	var got pss
	untilFirstQR(b, d, url, func(m *Manager) {
		arg := "--user-data-dir=" + m.profileDir("bench")
		for _, p := range procs.WithArgPrefix(arg) {
			if p.HasArg(arg) && !p.HasArgPrefix("--type=") {
				got = treePSS(b, p.PID)
				return
			}
		}
		b.Fatal("the session's browser process was not found")
	})
	return got
}

// treePSS sums the PSS of root and all its descendants.
func treePSS(b *testing.B, root int) pss {
	all, err := procs.List()
	if err != nil {
		b.Fatal(err)
	}
	var sum pss
	for _, p := range procs.Tree(all, root) {
		sum = sum.add(pssOf(p.PID))
	}
	return sum
}

// pssOf reads the Pss and Pss_Anon lines of /proc/<pid>/smaps_rollup; a
// process gone meanwhile counts 0.
func pssOf(pid int) pss {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		return pss{}
	}
	var p pss
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) < 2 {
			continue
		}
		kB, _ := strconv.Atoi(string(f[1]))
		switch string(f[0]) {
		case "Pss:":
			p.total = float64(kB) / 1024
		case "Pss_Anon:":
			p.anon = float64(kB) / 1024
		}
	}
	return p
}
