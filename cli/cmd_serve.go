package cli

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"regexp"
	"sync"
	"syscall"
	"time"
)

// StopTimeout is how long a clean stop may take: every browser closed and
// the store flushed.
const StopTimeout = 10 * time.Second

func cmdServe(args []string, stderr io.Writer) error {
	fs := newFlagSet("serve", "waconsole serve: run the sessions headless, for a supervisor (systemd, Docker).\nOperate it with `waconsole status`, `waconsole pair`, `waconsole session …`.")
	var c commonFlags
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	logf := lifecycleLog(stderr)
	dir := orDefault(c.dataDir)
	rt, err := openRuntime(runtimeOptions{dataDir: dir, waURL: c.waURL, chrome: c.chrome, mode: "serve", logf: logf})
	if err != nil {
		return err
	}
	logf("serving data dir %s (API on %s)", dir, rt.ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	rt.manager.StartAuto(ctx)
	<-ctx.Done()
	logf("stopping: closing every session")
	cctx, cancel := context.WithTimeout(context.Background(), StopTimeout)
	defer cancel()
	if err := rt.close(cctx); err != nil {
		return err
	}
	logf("stopped cleanly")
	return nil
}

// longNumber finds phone numbers in log lines.
var longNumber = regexp.MustCompile(`\d{7,15}`)

// maskNumbers hides all but the first three and last two digits of any
// phone-length number: logs must not carry numbers.
func maskNumbers(s string) string {
	return longNumber.ReplaceAllStringFunc(s, func(n string) string {
		return n[:3] + "…" + n[len(n)-2:]
	})
}

// lifecycleLog writes one time-stamped line per call, numbers masked.
func lifecycleLog(w io.Writer) func(string, ...any) {
	var mu sync.Mutex
	return func(format string, args ...any) {
		line := maskNumbers(fmt.Sprintf(format, args...))
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "%s %s\n", time.Now().UTC().Format(time.RFC3339), line)
	}
}
