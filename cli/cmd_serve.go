package cli

import (
	"context"
	"io"
	"os/signal"
	"syscall"
	"time"
)

// StopTimeout is how long a clean stop may take: every browser closed and
// the store flushed.
const StopTimeout = 10 * time.Second

func cmdServe(args []string, stderr io.Writer) error {
	fs := newFlagSet("serve", "waconsole serve: run the sessions headless, for a supervisor (systemd, Docker).\nOperate it with `waconsole status`, `waconsole pair`, `waconsole session …`.")
	var f flags
	f.runtime(fs)
	var tcp tcpOptions
	tcp.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	tcpAddr, err := tcp.check()
	if err != nil {
		return err
	}
	timing, err := f.timing()
	if err != nil {
		return err
	}
	metricsAddr, err := f.metricsAddr()
	if err != nil {
		return err
	}
	logf := lifecycleLog(stderr)
	dir := f.dir()
	rt, err := openRuntime(runtimeOptions{dataDir: dir, waURL: f.waURL, chrome: f.chrome, mode: "serve", logf: logf, timing: timing,
		metricsListen: metricsAddr, tcp: tcp, tcpAddr: tcpAddr})
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
