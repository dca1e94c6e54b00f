package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/waconsole/waconsole/api"
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
	logf    func(format string, args ...any)
	timing  session.Timing
}

// runtime is one data dir's sessions, store and control API, owned by this
// process.
type runtime struct {
	store   *store.DB
	manager *session.Manager
	hooks   *webhook.Service
	server  *http.Server
	ln      net.Listener
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
// the control API. Nothing is changed when it fails.
func openRuntime(o runtimeOptions) (*runtime, error) {
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
	dbPath := storePath(o.dataDir)
	db, err := store.Open(dbPath, store.Options{Timeout: time.Second})
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("%w\nanother process holds data dir %s; find it with: fuser -v %s", err, o.dataDir, dbPath)
	}
	if err != nil {
		return nil, err
	}
	driver := session.NewChromeDriver(chrome)
	o.logf("browser: %s", driver)
	mgr, err := session.NewManager(session.Config{
		Store: db, DataDir: o.dataDir, WAURL: o.waURL, Driver: driver,
		Logf: o.logf, Timing: o.timing,
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	hooks := webhook.New(db, webhook.Options{Logf: o.logf})
	if err := hooks.Start(); err != nil {
		mgr.Close(context.Background())
		db.Close()
		return nil, err
	}
	ln, err := api.Listen(o.dataDir)
	if err != nil {
		hooks.Close()
		mgr.Close(context.Background())
		db.Close()
		return nil, err
	}
	info := api.Info{PID: os.Getpid(), Mode: o.mode, DataDir: o.dataDir, WAURL: o.waURL, Started: time.Now(), Version: version}
	handler := api.Handler(mgr, info, api.Options{Webhooks: webhookAdapter{hooks}})
	rt := &runtime{store: db, manager: mgr, hooks: hooks, ln: ln, server: &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}}
	go rt.server.Serve(ln)
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
	err := rt.manager.Close(ctx)
	rt.hooks.Close()
	if cerr := rt.store.Close(); err == nil {
		err = cerr
	}
	return err
}
