package cli

import (
	"context"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/waconsole/waconsole/ui"
)

// StopTimeout is how long a clean stop may take: every browser closed and
// the store flushed.
const StopTimeout = 10 * time.Second

func cmdServe(args []string, stderr io.Writer) error {
	fs := newFlagSet("serve", "waconsole serve: run the sessions headless, for a supervisor (systemd, Docker).\nOperate it with `waconsole status`, `waconsole pair`, `waconsole session …`.")
	var f flags
	f.runtime(fs)
	var sf sshFlags
	sf.register(fs)
	var tcp tcpOptions
	tcp.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	tcpAddr, err := tcp.check()
	if err != nil {
		return err
	}
	if err := sf.check(); err != nil {
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
	format, level, err := f.logSettings(logJSON)
	if err != nil {
		return err
	}
	log := newLogger(stderr, format, level)
	rt, err := openRuntime(runtimeOptions{dataDir: f.dir(), waURL: f.waURL, chrome: f.chrome, mode: "serve", log: log, timing: timing,
		metricsListen: metricsAddr, tcp: tcp, tcpAddr: tcpAddr})
	if err != nil {
		return err
	}
	ssh, err := sf.start(rt, f.dir(), ui.Options{Title: "waconsole over SSH · " + f.dir(), Webhooks: webhookAdapter{rt.hooks}}, log)
	if err != nil {
		closeAfterFailedStart(rt)
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	rt.manager.StartAuto(ctx)
	<-ctx.Done()
	log.Info("stopping: closing every session")
	if ssh != nil {
		ssh.Close()
	}
	cctx, cancel := context.WithTimeout(context.Background(), StopTimeout)
	defer cancel()
	if err := rt.close(cctx); err != nil {
		log.Error("stop failed", "err", err)
		return err
	}
	log.Info("stopped cleanly")
	return nil
}
