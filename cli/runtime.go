package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
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
	log           *slog.Logger
	timing        session.Timing
	// tcp serves the API over TCP too when its listen is set; tcpAddr is
	// where, as its check found.
	tcp     tcpOptions
	tcpAddr string
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
	// tcp is nil unless --listen is set.
	tcp *tcpAPI
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
	if o.tcpAddr != "" {
		if rt.tcp, err = listenTCP(o.tcp, o.tcpAddr, o.log); err != nil {
			return nil, err
		}
		undo = append(undo, rt.tcp.close)
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
	mgr, err := session.NewManager(session.Config{
		Store: db, DataDir: o.dataDir, WAURL: o.waURL, Driver: driver,
		Log: o.log, Timing: o.timing, Version: version,
	})
	if err != nil {
		return nil, err
	}
	undo = append(undo, func() { mgr.Close(context.Background()) })
	// Webhook trouble goes to the failing session's event log; every delivery
	// has a session (an alert of the process goes to each session's endpoints).
	hooks := webhook.New(db, webhook.Options{Log: o.log, OnFailure: mgr.WebhookFailed})
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
	o.log.Info("started", "version", version, "mode", o.mode, "data_dir", o.dataDir, "browser", driver.String(), "wa_url", o.waURL,
		"api", ln.Addr().String(), "starts", starts.Starts)
	if starts.Unclean > 0 {
		o.log.Warn("an earlier process on this data dir did not stop cleanly (killed or crashed)", "unclean_starts", starts.Unclean, "starts", starts.Starts)
	}
	mgr.NoteStart(starts)
	info := api.Info{PID: os.Getpid(), Mode: o.mode, DataDir: o.dataDir, WAURL: o.waURL, Started: time.Now(), Version: version}
	keys := storeKeys{db}
	handler := api.Handler(mgr, info, api.Options{Webhooks: webhookAdapter{hooks}, Keys: keys})
	rt.store, rt.manager, rt.hooks, rt.ln = db, mgr, hooks, ln
	rt.server = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go rt.server.Serve(ln)
	var authFailures func() map[string]uint64
	if rt.tcp != nil {
		rt.tcp.serve(o.tcp, handler, keys, o.log)
		authFailures = rt.tcp.guard.Failures
	}
	if rt.metricsLn != nil {
		rt.metrics = metrics.New(metrics.Options{Runtime: mgr, Store: db, Dropped: mgr.DroppedUpdates, Log: o.log, AuthFailures: authFailures})
		rt.metricsServer = &http.Server{Handler: rt.metrics.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go rt.metricsServer.Serve(rt.metricsLn)
		o.log.Info("metrics served", "url", "http://"+rt.metricsLn.Addr().String()+"/metrics", "health", "/healthz, /readyz")
	}
	return rt, nil
}

// close stops the API, every session (browsers closed) and the store,
// within the time ctx allows.
func (rt *runtime) close(ctx context.Context) error {
	rt.stopAPI(ctx)
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

// stopAPI stops the API on the socket and over TCP together. Requests in
// flight get a second to finish, so a message already in the outbox still
// gets its 202 and a worker does not send it again; pairing streams stay
// open until their session ends, so they are not waited for longer.
func (rt *runtime) stopAPI(ctx context.Context) {
	sctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	var wg sync.WaitGroup
	if rt.tcp != nil {
		wg.Go(func() { rt.tcp.shutdown(sctx) })
	}
	_ = rt.server.Shutdown(sctx)
	wg.Wait()
	_ = rt.server.Close()
	if rt.tcp != nil {
		rt.tcp.close()
	}
}

// closeAfterFailedStart closes a runtime whose command could not start
// what else it was asked to; the start's error is what the operator needs.
func closeAfterFailedStart(rt *runtime) {
	ctx, cancel := context.WithTimeout(context.Background(), StopTimeout)
	defer cancel()
	_ = rt.close(ctx)
}
