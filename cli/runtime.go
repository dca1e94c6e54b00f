package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/metrics"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/store"
	"github.com/waconsole/waconsole/webhook"
)

// runtimeOptions are the flags shared by the console and serve.
type runtimeOptions struct {
	dataDir string
	waURL   string
	chrome  string
	mode    string // "console" or "serve"
	// metricsListen is the address of /metrics, /healthz and /readyz; "": none.
	metricsListen string
	logf          func(format string, args ...any)
	timing        session.Timing
}

// runtime is one data dir's sessions, store and control API, owned by this
// process.
type runtime struct {
	store   *store.DB
	manager *session.Manager
	hooks   *webhook.Service
	server  *http.Server
	ln      net.Listener
	// metrics and its server and listener are nil unless --metrics-listen is set.
	metrics       *metrics.Metrics
	metricsServer *http.Server
	metricsLn     net.Listener
}

// defaultDataDir is $XDG_STATE_HOME/waconsole, else ~/.local/state/waconsole.
func defaultDataDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "waconsole")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "waconsole-state")
	}
	return filepath.Join(home, ".local", "state", "waconsole")
}

// storePath is the store file of a data dir.
func storePath(dataDir string) string { return filepath.Join(dataDir, "waconsole.db") }

// openRuntime takes the data dir for this process: it refuses when another
// waconsole holds it, opens the store, starts the session manager and serves
// the control API, and /metrics when asked. Nothing is changed when it fails.
func openRuntime(o runtimeOptions) (rt *runtime, err error) {
	chrome, err := session.FindChrome(o.chrome)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the data dir: %w", err)
	}
	if err := api.CheckFree(o.dataDir); err != nil {
		return nil, err
	}
	// undo closes, newest first, what was opened before a failure.
	var undo []func()
	defer func() {
		if err != nil {
			for _, u := range slices.Backward(undo) {
				u()
			}
		}
	}()
	rt = &runtime{}
	if o.metricsListen != "" {
		// Listen first: a busy port is the likeliest failure and the
		// cheapest to back out of.
		if rt.metricsLn, err = net.Listen("tcp", o.metricsListen); err != nil {
			return nil, fmt.Errorf("--metrics-listen %s: %w; pick a free address or stop what holds it", o.metricsListen, err)
		}
		undo = append(undo, func() { rt.metricsLn.Close() })
	}
	dbPath := storePath(o.dataDir)
	db, err := store.Open(dbPath, store.Options{Timeout: time.Second})
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("%w\nanother process holds data dir %s; find it with: fuser -v %s", err, o.dataDir, dbPath)
	}
	if err != nil {
		return nil, err
	}
	undo = append(undo, func() { db.Close() })
	driver := session.NewChromeDriver(chrome)
	o.logf("browser: %s", driver)
	mgr, err := session.NewManager(session.Config{
		Store: db, DataDir: o.dataDir, WAURL: o.waURL, Driver: driver,
		Logf: o.logf, Timing: o.timing, Version: version,
	})
	if err != nil {
		return nil, err
	}
	undo = append(undo, func() { mgr.Close(context.Background()) })
	hooks := webhook.New(db, webhook.Options{Logf: o.logf})
	if err := hooks.Start(); err != nil {
		return nil, err
	}
	undo = append(undo, hooks.Close)
	ln, err := api.Listen(o.dataDir)
	if err != nil {
		return nil, err
	}
	undo = append(undo, func() { ln.Close() })
	starts, err := db.RecordStart()
	if err != nil {
		return nil, err
	}
	if starts.Unclean > 0 {
		o.logf("start %d on this data dir; %d followed a process that did not stop cleanly (killed or crashed)", starts.Starts, starts.Unclean)
	}
	info := api.Info{PID: os.Getpid(), Mode: o.mode, DataDir: o.dataDir, WAURL: o.waURL, Started: time.Now(), Version: version}
	handler := api.Handler(mgr, info, api.Options{Webhooks: webhookAdapter{hooks}})
	rt.store, rt.manager, rt.hooks, rt.ln = db, mgr, hooks, ln
	rt.server = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go rt.server.Serve(ln)
	if rt.metricsLn != nil {
		rt.metrics = metrics.New(metrics.Options{Runtime: mgr, Store: db, Dropped: mgr.DroppedUpdates, Logf: o.logf})
		rt.metricsServer = &http.Server{Handler: rt.metrics.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go rt.metricsServer.Serve(rt.metricsLn)
		o.logf("metrics on http://%s/metrics (health: /healthz, /readyz)", rt.metricsLn.Addr())
	}
	return rt, nil
}

// close stops the API, every session (browsers closed) and the store,
// within the time ctx allows.
func (rt *runtime) close(ctx context.Context) error {
	// Pairing streams stay open until their session ends; do not wait for them.
	sctx, cancel := context.WithTimeout(ctx, time.Second)
	_ = rt.server.Shutdown(sctx)
	cancel()
	_ = rt.server.Close()
	if rt.metrics != nil {
		_ = rt.metricsServer.Close()
		rt.metrics.Close()
	}
	err := rt.manager.Close(ctx)
	rt.hooks.Close()
	if err == nil {
		// Only a stop that closed every session counts as clean.
		err = rt.store.RecordCleanStop()
	}
	if cerr := rt.store.Close(); err == nil {
		err = cerr
	}
	return err
}
